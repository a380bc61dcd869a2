import { MASK, redact, redactDeep, redactError } from '../../../nodes/shared/redact';

describe('redact', () => {
	test('masks known secret values wherever they appear, also URL-encoded and JSON-escaped', () => {
		const secret = 'my+sec/ret"value';
		const text = `token=${encodeURIComponent(secret)} body={"k":${JSON.stringify(secret)}} raw ${secret}`;
		const out = redact(text, { secrets: [secret] });
		expect(out).not.toContain(secret);
		expect(out).not.toContain(encodeURIComponent(secret));
		expect(out).not.toContain(JSON.stringify(secret).slice(1, -1));
	});

	test('ignores empty, missing and very short secret values instead of masking every letter', () => {
		expect(redact('a b c', { secrets: ['', undefined, null, 'b'] })).toBe('a b c');
	});

	test.each([
		['Authorization: Bearer abcdef123456', 'abcdef123456'],
		['curl -H "apikey: evo-global-key-123"', 'evo-global-key-123'],
		['postgres://shop:s3cr3tP4ss@db:5432/shop', 's3cr3tP4ss'],
		['password=hunter22 host=db', 'hunter22'],
		['{"client_secret":"EBWKjlELKMYqRNQ6sYvFo64FtaRLRR5BdHEESmha49TM"}', 'EBWKjlELKMYqRNQ6sYvFo64FtaRLRR5BdHEESmha49TM'],
		['key gsk_test_key_abcdef in text', 'gsk_test_key_abcdef'],
		['openai sk-test-openai-12345 here', 'sk-test-openai-12345'],
		['claude sk-ant-test-key-1 here', 'sk-ant-test-key-1'],
		['slack xoxb-test-bot-token', 'xoxb-test-bot-token'],
		['mp TEST-1234567890-102616-abcdefabcdef-148760055', 'TEST-1234567890-102616-abcdefabcdef-148760055'],
		['meta EAAtestcloudtoken123', 'EAAtestcloudtoken123'],
		['jwt eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl', 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl'],
		['https://hooks.slack.com/services/T000/B000/XXXXsecret', 'T000/B000/XXXXsecret'],
		['GET https://graph.example/v23.0/1?access_token=abc123xyz', 'abc123xyz'],
	])('masks secrets by shape: %s', (text, secret) => {
		const out = redact(text);
		expect(out).not.toContain(secret);
		expect(out).toContain(MASK);
	});

	test('leaves ordinary diagnostic text alone', () => {
		const text = 'Evolution instance ventas is close since 2026-11-21T10:00:00Z (HTTP 200, 1234 ms)';
		expect(redact(text)).toBe(text);
	});

	test('masks phone numbers only when asked', () => {
		const text = 'sent to +54 9 11 5555-1234 and 5491155551234';
		expect(redact(text)).toBe(text);
		const masked = redact(text, { maskPhoneNumbers: true });
		expect(masked).not.toMatch(/5555/);
		expect(masked).toContain('[PHONE]');
	});
});

describe('redactDeep', () => {
	test('replaces values under secret keys whole and redacts every string, without mutating the input', () => {
		const input = {
			target: 'postgres:shop',
			password: 'x',
			nested: [{ apiKey: 12345, note: 'bearer abcdefghij' }],
			connectionString: 'postgres://u:p@h/db',
			buffer: Buffer.from('raw'),
		};
		const out = redactDeep(input, { secrets: ['postgres:shop'] });
		expect(out.password).toBe(MASK);
		expect(out.nested[0].apiKey).toBe(MASK);
		expect(out.nested[0].note).toBe(`bearer ${MASK}`);
		expect(out.connectionString).toBe(MASK);
		expect(out.target).toBe(MASK);
		expect(Buffer.isBuffer(out.buffer)).toBe(true);
		expect(input.password).toBe('x');
	});

	test('copes with cycles', () => {
		const a: Record<string, unknown> = { token: 'abc' };
		a.self = a;
		const out = redactDeep(a);
		expect(out.token).toBe(MASK);
		expect((out.self as Record<string, unknown>).token).toBe(MASK);
	});
});

test('redactError copies name and masks message and stack', () => {
	const error = new TypeError('connect to postgres://u:pw1234@h failed');
	const safe = redactError(error, { secrets: ['pw1234'] });
	expect(safe.name).toBe('TypeError');
	expect(safe.message).not.toContain('pw1234');
	expect(safe.stack).not.toContain('pw1234');
});

test('a numeric secret (a PIN) is masked as a number of its own, not inside longer ids', () => {
	const out = redact('pin 123456 rejected for app 1234567890123456', { secrets: ['123456'] });
	expect(out).toBe(`pin ${MASK} rejected for app 1234567890123456`);
});
