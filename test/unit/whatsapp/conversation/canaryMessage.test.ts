import fs from 'node:fs';
import path from 'node:path';

import {
	CANARY_MARKER_PATTERN,
	NONCE_LENGTH,
	canaryMarker,
	canaryMessageText,
	canaryNonceOf,
	isCanaryMessage,
	isCanaryNonce,
	newCanaryNonce,
} from '../../../../nodes/WhatsAppProbe/conversation/canaryMessage';

describe('canary nonce', () => {
	test('is short, URL-safe and different every time', () => {
		const nonces = new Set(Array.from({ length: 200 }, () => newCanaryNonce()));
		expect(nonces.size).toBe(200);
		for (const nonce of nonces) {
			expect(nonce).toHaveLength(NONCE_LENGTH);
			expect(nonce).toMatch(/^[A-Za-z0-9_-]+$/);
			expect(encodeURIComponent(nonce)).toBe(nonce);
		}
	});

	test('comes from the random source it is given (crypto by default)', () => {
		const nonce = newCanaryNonce((size) => Buffer.alloc(size, 0xfb));
		expect(nonce).toBe('-_v7-_v7-_v7');
		expect(isCanaryNonce(nonce)).toBe(true);
	});

	test('a marker refuses anything that is not a nonce', () => {
		expect(() => canaryMarker('short')).toThrow(RangeError);
		expect(() => canaryMarker('has space 12')).toThrow(RangeError);
	});
});

describe('canary message text', () => {
	const nonce = 'q1W2e3R4t5_-';

	test('has a human line in the chosen language and the marker on its own line', () => {
		expect(canaryMessageText(nonce)).toBe(
			'Mensaje de prueba automático de Autorecovery: comprueba que el bot responde. No es un cliente.\n[autorecovery-canary:q1W2e3R4t5_-]',
		);
		expect(canaryMessageText(nonce, 'en').split('\n')).toEqual([
			'Automatic test message from Autorecovery: it checks that the bot answers. Not a customer.',
			'[autorecovery-canary:q1W2e3R4t5_-]',
		]);
	});

	test('a bot recognises it with the one documented expression, and reads the nonce', () => {
		const text = canaryMessageText(nonce);
		expect(CANARY_MARKER_PATTERN.source).toBe('\\[autorecovery-canary:([A-Za-z0-9_-]{12})\\]');
		expect(isCanaryMessage(text)).toBe(true);
		expect(canaryNonceOf(text)).toBe(nonce);
		// Quoted inside a longer text, as a bot's reply that echoes it.
		expect(canaryNonceOf(`Recibido ✅ [autorecovery-canary:${nonce}] gracias`)).toBe(nonce);
	});

	test('ordinary customer messages and near-misses are not canaries', () => {
		for (const text of ['Hola, ¿tienen zapatillas talle 42?', '[autorecovery-canary:short]', 'autorecovery-canary:q1W2e3R4t5_-', '[autorecovery-canary:q1W2e3R4t5_-x]', '', undefined, 42, null]) {
			expect(isCanaryMessage(text)).toBe(false);
			expect(canaryNonceOf(text)).toBeUndefined();
		}
	});

	test('repeated use of the pattern keeps no state between texts', () => {
		const text = canaryMessageText(nonce);
		expect([isCanaryMessage(text), isCanaryMessage(text), isCanaryMessage(text)]).toEqual([true, true, true]);
	});
});

describe('docs/whatsapp-canary.md', () => {
	test('quotes the expression the code uses', () => {
		const page = fs.readFileSync(path.join(__dirname, '../../../../docs/whatsapp-canary.md'), 'utf8');
		expect(page).toContain(CANARY_MARKER_PATTERN.source);
		expect(page).toContain(canaryMessageText('q1W2e3R4t5_-'));
	});
});
