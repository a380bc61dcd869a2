/** An alert says itself whether the relink QR goes along, so the Alert workflow only references fields. */
import { alertAttachment, QR_BINARY } from '../../../nodes/shared/alerts/attachment';

describe('alertAttachment', () => {
	test('an item carrying the QR attaches it to the e-mail and sends it as the WhatsApp image', () => {
		expect(alertAttachment([QR_BINARY])).toEqual({ attachment: 'qr', hasImage: true });
		expect(alertAttachment(['data', QR_BINARY])).toEqual({ attachment: 'qr', hasImage: true });
	});

	test('without the QR nothing is attached, even when other binary data travels along', () => {
		expect(alertAttachment([])).toEqual({ attachment: '', hasImage: false });
		expect(alertAttachment(['data'])).toEqual({ attachment: '', hasImage: false });
	});
});
