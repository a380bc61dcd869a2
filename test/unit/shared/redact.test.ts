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

	test.each([
		['a bare 32-hex gateway key', 'Evolution rejected key 429683C4C977415CAAFCCE10F7D57E11 for ventas', '429683C4C977415CAAFCCE10F7D57E11'],
		['a hyphenated made-up key', 'gateway key Xk9pQ2mZ-7LwRt4Vb-Hy3NcE8u-Jd6GsF1a stopped working', 'Xk9pQ2mZ-7LwRt4Vb-Hy3NcE8u-Jd6GsF1a'],
		['a lower-case generated key', 'rotated the key; k3j9x8m2q7w4e1r6t5y0u2i8o3p9a4s7 no longer works', 'k3j9x8m2q7w4e1r6t5y0u2i8o3p9a4s7'],
		['an underscored made-up key', 'AUTHENTICATION_API_KEY=Tq8vLm3XcR2p_Wz7Kd4NbY9sHf', 'Tq8vLm3XcR2p_Wz7Kd4NbY9sHf'],
		['"client secret is …"', 'the client secret is Eb7Kq2LmX9pRt4VzWc8Nd3Hy6Js1Fg', 'Eb7Kq2LmX9pRt4VzWc8Nd3Hy6Js1Fg'],
		['"la clave es …"', 'la clave es Ventas2024! para el panel', 'Ventas2024!'],
		['"la contraseña es …"', 'La contraseña es Perro1234.', 'Perro1234'],
		['"password: …"', 'smtp login failed, password: Hunter2024', 'Hunter2024'],
		['a pass field', "auth: { user: 'alerts@shop.example', pass: 'Tienda2025$' }", 'Tienda2025$'],
		['basic auth in a URL', 'GET https://admin:Zx81-pq@evolution.example.com/instance/fetchInstances', 'Zx81-pq'],
		['an x-api-key query parameter', 'GET http://waha:3000/api/sessions?x-api-key=Qm3Zx81pq', 'Qm3Zx81pq'],
		['a PayPal access token', '"access_token":"A21AAFq8vLm3XcR2pWz7Kd4NbY9sHf"', 'A21AAFq8vLm3XcR2pWz7Kd4NbY9sHf'],
	])('masks secrets no provider rule knows, by shape: %s', (_label, text, secret) => {
		const out = redact(text);
		expect(out).not.toContain(secret);
		expect(out).toContain(MASK);
	});

	test.each([
		['a Meta phone-number id in a URL path', 'POST https://graph.facebook.com/v23.0/106853218861309/messages answered 400'],
		['a labelled phone-number id', 'phone number id 106853218861309 is FLAGGED'],
		['a WhatsApp message id', 'message 3EB0C767D26A8D3F8CA6E1 stayed PENDING'],
		['a wamid', '{"id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCOTY3NDc0NDFDRUI3NTA0Q0UA"}'],
		['a UUID and a MercadoPago preference id', 'instanceId 5f0c2a9e-3b1d-4c8e-9f7a-2d6b8e1c4a30, pref 159972839-c8981514-5248-422d-bea5-ba8c6fa7fe66'],
		['an n8n execution URL', 'http://localhost:5678/workflow/Xc3vB7pQ9rT2mK8d/executions/48213'],
		['a target id', 'postgres:demo_shop_e11b3b8306 is down since 2026-11-21T10:00:00.000Z'],
		['request and trace ids', '"fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam" "request_id":"req_011CSHoEeqs5C35K2UUqR7Fy" x_groq req_01jngbvsctfy0bmjw87yea904b'],
		['versions, hashes and file names', 'n8n 2.8.4 wrote n8n-backup-2026-11-21T10-00-00Z.tar.gz sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
		['a PayPal app id', '"app_id":"APP-EAA6H5TF1XQCFUF94"'],
		['a Supabase project ref and an upper-case code', 'https://abcdefghijklmnopqrst.supabase.co/rest/v1/ answered COLLECTOR_DOES_NOT_COMPLY_WITH_REGULATION'],
		['identifiers in a stack trace', 'TypeError at restoreProductImages2024Batch (ProductImagesBackupTable2.js:42) WHATSAPP-BAILEYS-CONNECTION-2024'],
		['words about a secret', 'the token is expired; la clave es incorrecta; Error validating access token: Session has expired'],
		["PayPal's approve link (the public order id)", 'https://www.sandbox.paypal.com/checkoutnow?token=5O190127TN364715T'],
		['text redacted twice', `Evolution rejected apikey=${MASK} (401)`],
		['a temporary folder (words and a short random suffix)', 'Parameter "Backup Folder": /tmp/node-file-access-h0kRiI/outside/backups is outside /tmp/autorecovery-n8n-4W2V3c/allowed'],
	])('leaves ids and prose alone, even with phone masking on: %s', (_label, text) => {
		expect(redact(text, { maskPhoneNumbers: true })).toBe(text);
	});

	test('leaves ordinary diagnostic text alone', () => {
		const text = 'Evolution instance ventas is close since 2026-11-21T10:00:00Z (HTTP 200, 1234 ms)';
		expect(redact(text)).toBe(text);
	});

	test('masks a phone number under a phone-like key or in prose, not a 9-digit id or an SMTP code', () => {
		const masked = redact('{"to":"5491155551234","wa_id":"16505551234","chat":"5491155551234","messageTimestamp":1717000000,"phone_number_id":"106853218861309"} collector 563564369, 535 5.7.8 rejected', { maskPhoneNumbers: true });
		expect(masked).toBe('{"to":"[PHONE]","wa_id":"[PHONE]","chat":"[PHONE]","messageTimestamp":1717000000,"phone_number_id":"106853218861309"} collector 563564369, 535 5.7.8 rejected');
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
