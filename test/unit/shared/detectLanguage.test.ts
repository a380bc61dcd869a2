/**
 * The small en/es stop-word heuristic (shared/language/detectLanguage) that keeps a
 * diagnosis in the configured language: clear texts are told apart, unsure ones are null.
 */
import { detectLanguage, isOtherLanguage } from '../../../nodes/shared/language/detectLanguage';

describe('detectLanguage', () => {
	test.each([
		['The database is not answering; reconnect it and tell a person if it stays down.', 'en'],
		['The Evolution instance lost its WhatsApp session after a restart.', 'en'],
		['La base de datos no responde; reconectar y avisar si continúa.', 'es'],
		['La sesión de WhatsApp se cerró y hay que escanear el código QR con el teléfono.', 'es'],
		['MercadoPago está limitando las solicitudes por cuota: esperar unos minutos.', 'es'],
	])('%s → %s', (text, language) => {
		expect(detectLanguage(text)).toBe(language);
	});

	test.each([
		[''],
		['net.timeout'],
		['Reconectar.'],
		['Restart WhatsApp.'],
		['OK'],
	])('unsure (%p) is null', (text) => {
		expect(detectLanguage(text)).toBeNull();
	});

	test('a mix without a clear majority is null', () => {
		expect(detectLanguage('the session of la instancia is en el server and the key')).toBeNull();
	});

	test('isOtherLanguage acts only on a clear answer in the other language', () => {
		const spanish = 'La sesión de WhatsApp se cerró por un reinicio del servidor.';
		expect(isOtherLanguage(spanish, 'en')).toBe(true);
		expect(isOtherLanguage(spanish, 'es')).toBe(false);
		expect(isOtherLanguage('Reconnect.', 'es')).toBe(false);
	});
});
