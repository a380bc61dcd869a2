/** Issue 20: each gateway's events normalised into one shape, with the probe's own cause codes. */
import { parseEvents } from '../../../nodes/shared/gatewayEvents/parse';
import { EventRefused, type GatewayEvent } from '../../../nodes/shared/gatewayEvents/types';

const evolution = (data: Record<string, unknown>, event = 'connection.update') => parseEvents('evolution', { event, instance: 'ventas', data, date_time: '2026-12-07T09:00:00.000Z', apikey: 'instance-token-not-real' });
const waha = (payload: Record<string, unknown>, event = 'session.status') => parseEvents('waha', { id: 'evt_1', timestamp: 1_765_000_000_000, event, session: 'default', payload });
const one = (events: GatewayEvent[]) => {
	expect(events).toHaveLength(1);
	return events[0];
};

describe('Evolution API v2', () => {
	it('connection.update: open healthy, connecting suspect (flap-counted), close qr_required, refused qr_limit_reached', () => {
		expect(one(evolution({ state: 'open', statusReason: 200 }))).toMatchObject({ signal: 'healthy', target: 'evolution:ventas' });
		expect(one(evolution({ state: 'connecting', statusReason: 408 }))).toMatchObject({ signal: 'suspect', connecting: true, status: 'degraded', cause: { code: 'whatsapp.connecting' } });
		expect(one(evolution({ state: 'close', statusReason: 401 }))).toMatchObject({ signal: 'outage', status: 'down', cause: { code: 'whatsapp.qr_required', needsHuman: true } });
		expect(one(evolution({ state: 'refused', statusReason: 428 }))).toMatchObject({ signal: 'outage', cause: { code: 'whatsapp.qr_limit_reached', needsHuman: true } });
	});

	it('qrcode.updated: a new QR is information, the QR limit is an outage', () => {
		expect(one(evolution({ qrcode: { code: 'x' } }, 'qrcode.updated')).signal).toBe('info');
		expect(one(evolution({ message: 'QR code limit reached, please login again', statusCode: 500 }, 'qrcode.updated'))).toMatchObject({ signal: 'outage', cause: { code: 'whatsapp.qr_limit_reached' } });
	});

	it('messages.update ERROR of an own message is suspect; other updates and events are information', () => {
		expect(one(evolution({ status: 'ERROR', fromMe: true }, 'messages.update')).signal).toBe('suspect');
		expect(one(evolution({ status: 'DELIVERY_ACK', fromMe: true }, 'messages.update')).signal).toBe('info');
		expect(one(evolution({}, 'messages.upsert')).signal).toBe('info');
	});

	it('the same body gives the same id, another time another id; the apikey is nowhere in the event', () => {
		const a = one(evolution({ state: 'close' }));
		expect(one(evolution({ state: 'close' })).id).toBe(a.id);
		expect(one(parseEvents('evolution', { event: 'connection.update', instance: 'ventas', data: { state: 'close' }, date_time: '2026-12-07T09:00:01.000Z' })).id).not.toBe(a.id);
		expect(JSON.stringify(a)).not.toContain('instance-token-not-real');
		// Evolution's date_time is the server's wall clock with a Z: not trusted as a time.
		expect(a.at).toBeUndefined();
	});

	it('a missing event or an instance that is not a plain name → 400', () => {
		expect(() => parseEvents('evolution', { instance: 'ventas' })).toThrow(EventRefused);
		expect(() => parseEvents('evolution', { event: 'connection.update', instance: 'a/b' })).toThrow(EventRefused);
		expect(() => parseEvents('evolution', { event: 'connection.update', instance: 7 })).toThrow(EventRefused);
	});
});

describe('WAHA', () => {
	it('session.status: WORKING healthy, STARTING suspect, FAILED and STOPPED outages (whatsapp.disconnected)', () => {
		expect(one(waha({ status: 'WORKING' }))).toMatchObject({ signal: 'healthy', target: 'waha:default', id: 'waha:evt_1', at: 1_765_000_000_000 });
		expect(one(waha({ status: 'STARTING' }))).toMatchObject({ signal: 'suspect', connecting: true, cause: { code: 'whatsapp.starting' } });
		expect(one(waha({ status: 'FAILED' }))).toMatchObject({ signal: 'outage', cause: { code: 'whatsapp.disconnected', needsHuman: false } });
		expect(one(waha({ status: 'STOPPED' }))).toMatchObject({ signal: 'outage', cause: { code: 'whatsapp.disconnected' } });
	});

	it('SCAN_QR_CODE after WORKING is an outage; while pairing it is information; without history the re-check decides', () => {
		const after = waha({ status: 'SCAN_QR_CODE', statuses: [{ status: 'WORKING' }, { status: 'STARTING' }, { status: 'SCAN_QR_CODE' }] });
		expect(one(after)).toMatchObject({ signal: 'outage', cause: { code: 'whatsapp.qr_required', needsHuman: true } });
		expect(one(waha({ status: 'SCAN_QR_CODE', statuses: [{ status: 'STOPPED' }, { status: 'STARTING' }, { status: 'SCAN_QR_CODE' }] })).signal).toBe('info');
		expect(one(waha({ status: 'SCAN_QR_CODE' })).signal).toBe('suspect');
	});

	it('message.ack -1 of an own message is suspect; other acks are information', () => {
		expect(one(waha({ ack: -1, fromMe: true }, 'message.ack')).signal).toBe('suspect');
		expect(one(waha({ ack: 3, fromMe: true }, 'message.ack')).signal).toBe('info');
	});

	it('older servers without an envelope id use X-Webhook-Request-Id', () => {
		const [event] = parseEvents('waha', { event: 'session.status', session: 'default', payload: { status: 'FAILED' } }, { requestId: 'req-9' });
		expect(event.id).toBe('waha:req-9');
		expect(event.at).toBeUndefined();
	});
});

describe('Meta Cloud API', () => {
	const statuses = (errors: unknown[], status = 'failed') => ({
		object: 'whatsapp_business_account',
		entry: [{ id: 'WABA1', changes: [{ field: 'messages', value: { metadata: { phone_number_id: '123456123' }, statuses: [{ id: 'wamid.A', status, timestamp: '1765000000', recipient_id: '5491100000000', errors }] } }] }],
	});

	it.each([
		[131047, 'info', 'whatsapp.reengagement_required'],
		[131026, 'info', 'whatsapp.recipient_undeliverable'],
		[131056, 'info', 'provider.rate_limited'],
		[130429, 'outage', 'provider.rate_limited'],
		[131048, 'outage', 'provider.rate_limited'],
		[368, 'outage', 'whatsapp.policy_blocked'],
		[190, 'outage', 'auth.invalid_credentials'],
	])('a failed status with code %d is %s (%s)', (code, signal, causeCode) => {
		const event = one(parseEvents('meta', statuses([{ code, title: 'x', message: 'x', error_data: { details: 'd' } }])));
		expect(event).toMatchObject({ signal, target: 'cloudapi:123456123', id: 'meta:wamid.A:failed', at: 1_765_000_000_000, cause: { code: causeCode } });
	});

	it('sent/delivered/read are information', () => {
		expect(one(parseEvents('meta', statuses([], 'delivered'))).signal).toBe('info');
	});

	it('system-level errors, account_update and phone_number_quality_update', () => {
		const system = { object: 'whatsapp_business_account', entry: [{ id: 'W', time: 1765000000, changes: [{ field: 'messages', value: { metadata: { phone_number_id: '9' }, errors: [{ code: 130429, title: 'Rate limit hit' }] } }] }] };
		expect(one(parseEvents('meta', system))).toMatchObject({ signal: 'outage', cause: { code: 'provider.rate_limited' } });
		const account = (event: string) => ({ object: 'whatsapp_business_account', entry: [{ id: 'W', time: 1765000000, changes: [{ field: 'account_update', value: { event } }] }] });
		expect(one(parseEvents('meta', account('DISABLED_UPDATE'), { metaPhoneNumberId: '9' }))).toMatchObject({ signal: 'outage', target: 'cloudapi:9', cause: { code: 'whatsapp.number_banned' } });
		expect(one(parseEvents('meta', account('PARTNER_ADDED'))).signal).toBe('info');
		const quality = (event: string) => ({ object: 'whatsapp_business_account', entry: [{ id: 'W', time: 1765000000, changes: [{ field: 'phone_number_quality_update', value: { event } }] }] });
		expect(one(parseEvents('meta', quality('FLAGGED')))).toMatchObject({ signal: 'outage', cause: { code: 'whatsapp.number_flagged' } });
		expect(one(parseEvents('meta', quality('THROUGHPUT_UPGRADE'))).signal).toBe('info');
	});

	it('not a WABA object, or entries without changes → 400', () => {
		expect(() => parseEvents('meta', { object: 'page', entry: [] })).toThrow(EventRefused);
		expect(() => parseEvents('meta', { object: 'whatsapp_business_account', entry: [{ id: 'x' }] })).toThrow(EventRefused);
	});
});
