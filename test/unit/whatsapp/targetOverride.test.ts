/** The WhatsApp Probe's Target Override takes an instance name or a result's target as the probes write it. */
import { targetOverride } from '../../../nodes/WhatsAppProbe/transport/gateway';

describe('targetOverride', () => {
	test.each([
		['ventas', 'evolution', 'ventas'],
		['evolution:ventas', 'evolution', 'ventas'],
		['  evolution:ventas:norte ', 'evolution', 'ventas:norte'],
		['waha:default', 'waha', 'default'],
		['cloudapi:106853218861309', 'cloudApi', '106853218861309'],
		// Another gateway's prefix is not this gateway's: left as it is, so the mistake shows.
		['waha:default', 'evolution', 'waha:default'],
		['', 'evolution', ''],
	] as const)('%j on %s → %j', (value, kind, expected) => {
		expect(targetOverride(value, kind)).toBe(expected);
	});
});
