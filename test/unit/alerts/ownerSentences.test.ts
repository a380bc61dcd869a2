/** The owner sentence catalogue: every cause code the nodes produce has one, in every alert language. */
import { OWNER_SENTENCES, ownerSentence } from '../../../nodes/shared/alerts/ownerSentences';
import { LANGUAGES } from '../../../nodes/shared/alerts/phrases';
import { causeCodesInSources } from '../causeCodesInSources';

describe('owner sentences', () => {
	test('every cause code the nodes can produce has an owner sentence in every language', () => {
		const codes = causeCodesInSources();
		expect(codes.length).toBeGreaterThan(50);
		const missing = codes.flatMap((code) => LANGUAGES.filter((language) => !OWNER_SENTENCES[code]?.[language]?.trim()).map((language) => `${code} (${language})`));
		expect(missing).toEqual([]);
	});

	test('the catalogue holds no code the nodes no longer produce', () => {
		const codes = new Set(causeCodesInSources());
		expect(Object.keys(OWNER_SENTENCES).filter((code) => !codes.has(code))).toEqual([]);
	});

	test('Spanish and English differ, and each sentence says what happened and, after a colon, what happens or what to do', () => {
		for (const [code, entry] of Object.entries(OWNER_SENTENCES)) {
			expect([code, entry.en === entry.es]).toEqual([code, false]);
			for (const language of LANGUAGES) expect([code, language, /^.+: .+\.$/.test(entry[language])]).toEqual([code, language, true]);
		}
	});

	test('placeholders are filled; a code needing a new key names the credential', () => {
		const sentence = ownerSentence('auth.invalid_credentials', 'en', { service: 'Payments', credential: 'the credential “Autorecovery MercadoPago”' });
		expect(sentence).toEqual({
			text: 'Payments rejected its key or password (revoked or expired): put a new one in the credential “Autorecovery MercadoPago”.',
			act: 'credentials',
			known: true,
		});
		for (const language of LANGUAGES) {
			for (const code of Object.keys(OWNER_SENTENCES)) expect(ownerSentence(code, language, { service: 'X', credential: 'Y' }).text).not.toMatch(/[{}]/);
		}
	});

	test('an unknown code (or a prototype key) gets the plain fallback, marked as not known', () => {
		for (const code of ['whatsapp.from_the_future', 'constructor', '']) {
			const sentence = ownerSentence(code, 'es', { service: 'WhatsApp', credential: 'c' });
			expect(sentence.known).toBe(false);
			expect(sentence.text).toMatch(/^WhatsApp no funciona como debería/);
		}
	});
});
