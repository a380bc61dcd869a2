import { CAUSE_CODE_PATTERN, type Cause } from '../../../nodes/shared/contract';
import type { HttpFailure } from '../../../nodes/shared/http';
import {
	classifyFailure,
	classifyMercadoPagoError,
	classifyTokenEnvironment,
	extractPaymentLink,
	failureFacts,
	linkField,
	mercadoPagoCause,
	parseMercadoPagoError,
	readAccount,
	statusOfCause,
	tokenKind,
	type MercadoPagoError,
} from '../../../nodes/PaymentLinkTest/providers/mercadopagoClassify';

const SANDBOX_TOKEN = 'TEST-0000000000000000-010100-fakefakefakefakefakefakefakefake-000000001';
const PRODUCTION_TOKEN = 'APP_USR-0000000000000000-010100-fakefakefakefakefakefakefakefake-000000001';
const PUBLIC_KEY = 'APP_USR-2bd1a3e3-91f2-4a8e-9ec3-0d1234567890';
const AUTH = { step: 'authentication' as const, secrets: [SANDBOX_TOKEN] };
const LINK = { step: 'payment_link' as const, secrets: [SANDBOX_TOKEN] };

function expectWellFormed(cause: Cause | undefined): Cause {
	expect(cause).toBeDefined();
	const definite = cause as Cause;
	expect(definite.code).toMatch(CAUSE_CODE_PATTERN);
	expect(definite.message.trim()).not.toBe('');
	expect(definite.message).toMatch(/[.!?]$/);
	expect(typeof definite.retryable).toBe('boolean');
	expect(typeof definite.needsHuman).toBe('boolean');
	return definite;
}

/** An MP error envelope as MP sends it, parsed. */
function mpError(status: number, error: string, message: string, cause: Array<{ code: number | string; description: string }> = []): MercadoPagoError {
	const parsed = parseMercadoPagoError({ message, error, status, cause: cause.map((c) => ({ ...c, data: null })) });
	if (!parsed) throw new Error('not an MP error envelope');
	return parsed;
}

function failure(overrides: Partial<HttpFailure> & Pick<HttpFailure, 'kind'>): HttpFailure {
	return { ok: false, durationMs: 12, retryAfterMs: null, message: 'GET host answered', ...overrides };
}

describe('tokenKind', () => {
	test.each([
		[SANDBOX_TOKEN, 'sandbox'],
		['TEST-0000000000000000-010100-deadbeefdeadbeefdeadbeefdeadbeef-123456789', 'sandbox'],
		[PRODUCTION_TOKEN, 'production'],
		['APP_USR-TESTAPP-010100-deadbeefdeadbeefdeadbeefdeadbeef-123456789', 'production'],
		[PUBLIC_KEY, 'public_key'],
		['TEST-2bd1a3e3-91f2-4a8e-9ec3-0d1234567890', 'public_key'],
		['Bearer TEST-1-2', 'unrecognised'],
		['sk-live-abcdef', 'unrecognised'],
		['TEST-', 'unrecognised'],
		['APP_USR-onlyonepart', 'unrecognised'],
		['test-6363-1', 'unrecognised'],
		['', 'unrecognised'],
	])('%s is %s', (token, kind) => {
		expect(tokenKind(token)).toBe(kind);
	});
});

describe('classifyTokenEnvironment', () => {
	test('TEST- in sandbox is healthy', () => {
		const verdict = classifyTokenEnvironment('sandbox', 'sandbox', null);
		expect(verdict).toMatchObject({ status: 'healthy', value: { token_type: 'sandbox', expected_environment: 'sandbox' } });
		expect(verdict.cause).toBeUndefined();
	});

	test.each([null, false, true])('TEST- where production is expected is degraded payments.sandbox_token_in_production (test_user %s)', (testUser) => {
		const verdict = classifyTokenEnvironment('sandbox', 'production', testUser);
		expect(verdict.status).toBe('degraded');
		expect(expectWellFormed(verdict.cause)).toMatchObject({ code: 'payments.sandbox_token_in_production', retryable: false, needsHuman: true });
		expect(verdict.message).toBe(verdict.cause?.message);
	});

	test.each([null, false])('APP_USR- where sandbox is expected is degraded payments.production_token_in_sandbox (test_user %s)', (testUser) => {
		const verdict = classifyTokenEnvironment('production', 'sandbox', testUser);
		expect(verdict.status).toBe('degraded');
		expect(expectWellFormed(verdict.cause)).toMatchObject({ code: 'payments.production_token_in_sandbox', needsHuman: true });
		expect(verdict.message).toMatch(/real money/);
	});

	test("APP_USR- of an account MP tags test_user is MP's sandbox setup: healthy", () => {
		const verdict = classifyTokenEnvironment('production', 'sandbox', true);
		expect(verdict.status).toBe('healthy');
		expect(verdict.message).toMatch(/test user/);
	});

	test.each([null, false])('APP_USR- in production is healthy, with the caveat that APP_USR- alone proves no live account (test_user %s)', (testUser) => {
		const verdict = classifyTokenEnvironment('production', 'production', testUser);
		expect(verdict.status).toBe('healthy');
		expect(verdict.message).toMatch(/APP_USR- token alone does not prove a live account/);
		expect(verdict.message).toMatch(/test users have APP_USR- tokens too/);
	});

	test('APP_USR- of a test user where production is expected is degraded payments.test_user_in_production', () => {
		const verdict = classifyTokenEnvironment('production', 'production', true);
		expect(verdict.status).toBe('degraded');
		expect(expectWellFormed(verdict.cause).code).toBe('payments.test_user_in_production');
	});

	test.each(['sandbox', 'production'] as const)('a token of neither shape is degraded config.invalid in %s, not down', (environment) => {
		const verdict = classifyTokenEnvironment('unrecognised', environment, null);
		expect(verdict.status).toBe('degraded');
		expect(expectWellFormed(verdict.cause)).toMatchObject({ code: 'config.invalid', needsHuman: true });
		expect(verdict.message).toMatch(/neither a TEST- .* nor an APP_USR-/);
	});

	test('a Public Key is named as such', () => {
		const verdict = classifyTokenEnvironment('public_key', 'production', null);
		expect(verdict.status).toBe('degraded');
		expect(expectWellFormed(verdict.cause).code).toBe('config.invalid');
		expect(verdict.message).toMatch(/Public Key/);
	});
});

describe('readAccount', () => {
	test('keeps site, country and the test_user tag; never names, nickname, email or ids', () => {
		const facts = readAccount({
			id: 148760055,
			nickname: 'TESTUSER148760055',
			first_name: 'Test',
			last_name: 'User',
			email: 'test_user_148760055@testuser.com',
			site_id: 'MLA',
			country_id: 'AR',
			tags: ['normal', 'test_user'],
			phone: { number: '00000000' },
		});
		expect(facts).toEqual({ site_id: 'MLA', country_id: 'AR', test_user: true });
	});

	test('a real seller has no test_user tag; missing fields are null', () => {
		expect(readAccount({ tags: ['normal'] })).toEqual({ site_id: null, country_id: null, test_user: false });
		expect(readAccount({})).toEqual({ site_id: null, country_id: null, test_user: false });
	});

	test.each([null, 'text', [1, 2], 42])('%p is not an account', (body) => {
		expect(readAccount(body)).toBeNull();
	});
});

describe('parseMercadoPagoError', () => {
	test('normalises numeric and string cause codes to strings', () => {
		expect(
			parseMercadoPagoError({
				message: 'Unauthorized use of live credentials',
				error: 'unauthorized',
				status: 401,
				cause: [{ code: 7, description: 'Unauthorized use of live credentials', data: null }, { code: 'invalid_items', description: 'x' }],
			}),
		).toEqual({
			message: 'Unauthorized use of live credentials',
			error: 'unauthorized',
			status: 401,
			causes: [
				{ code: '7', description: 'Unauthorized use of live credentials' },
				{ code: 'invalid_items', description: 'x' },
			],
		});
	});

	test('accepts a single cause object and an envelope without causes', () => {
		expect(parseMercadoPagoError({ message: 'm', cause: { code: 17, description: 'Invalid credentials' } })?.causes).toEqual([{ code: '17', description: 'Invalid credentials' }]);
		expect(parseMercadoPagoError({ message: 'Too many requests', error: 'too_many_requests', status: 429, cause: [] })).toMatchObject({ causes: [], status: 429 });
	});

	test.each([null, '<html>502</html>', [], {}, { data: 1 }])('%p is not an MP envelope', (body) => {
		expect(parseMercadoPagoError(body)).toBeNull();
	});
});

describe('classifyMercadoPagoError', () => {
	test('401 cause 7 is payments.live_credentials_not_enabled, needing a person', () => {
		const cause = classifyMercadoPagoError(mpError(401, 'unauthorized', 'Unauthorized use of live credentials', [{ code: 7, description: 'Unauthorized use of live credentials' }]), 401, AUTH);
		expect(expectWellFormed(cause)).toMatchObject({ code: 'payments.live_credentials_not_enabled', retryable: false, needsHuman: true });
		expect(cause.message).toMatch(/cause 7/);
	});

	test('401 cause 5 (no token) is auth.invalid_credentials', () => {
		const cause = classifyMercadoPagoError(mpError(401, 'unauthorized', 'Must provide your access_token to proceed', [{ code: 5, description: 'Must provide your access_token to proceed' }]), 401, AUTH);
		expect(expectWellFormed(cause)).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true, retryable: false });
		expect(cause.message).toMatch(/no access token/);
	});

	test('400 cause 17 "Invalid credentials" is auth.invalid_credentials, not a bad request', () => {
		const cause = classifyMercadoPagoError(mpError(400, 'bad_request', 'Invalid credentials', [{ code: 17, description: 'Invalid credentials' }]), 400, AUTH);
		expect(expectWellFormed(cause).code).toBe('auth.invalid_credentials');
		expect(cause.message).toMatch(/Invalid credentials \(17\)/);
	});

	test('401 invalid_access_token is auth.invalid_credentials with MP words', () => {
		const cause = classifyMercadoPagoError(mpError(401, 'unauthorized', 'invalid_access_token', [{ code: 'invalid_access_token', description: 'access denied' }]), 401, AUTH);
		expect(expectWellFormed(cause).code).toBe('auth.invalid_credentials');
		expect(cause.message).toContain('access denied (invalid_access_token)');
	});

	test('a rejected token hints at a pasted Public Key or an odd shape', () => {
		const error = mpError(401, 'unauthorized', 'invalid_access_token', [{ code: 'invalid_access_token', description: 'access denied' }]);
		expect(classifyMercadoPagoError(error, 401, { ...AUTH, tokenKind: 'public_key' }).message).toMatch(/looks like a Public Key/);
		expect(classifyMercadoPagoError(error, 401, { ...AUTH, tokenKind: 'unrecognised' }).message).toMatch(/not shaped like/);
		expect(classifyMercadoPagoError(error, 401, { ...AUTH, tokenKind: 'sandbox' }).message).not.toMatch(/Public Key|shaped/);
	});

	test('a bare 401 without causes is still auth.invalid_credentials', () => {
		expect(classifyMercadoPagoError(mpError(401, 'unauthorized', 'unauthorized'), 401, AUTH).code).toBe('auth.invalid_credentials');
	});

	test.each([
		[403, 'forbidden', 'auth.forbidden'],
		[404, 'not_found', 'provider.not_found'],
		[429, 'too_many_requests', 'provider.rate_limited'],
		[500, 'internal_server_error', 'provider.server_error'],
		[503, 'service_unavailable', 'provider.server_error'],
		[409, 'conflict', 'provider.bad_request'],
	])('HTTP %i (%s) is %s', (status, error, code) => {
		expect(expectWellFormed(classifyMercadoPagoError(mpError(status, error, 'Something'), status, LINK)).code).toBe(code);
	});

	test('400 invalid_items on the link is provider.bad_request with MP message and a hint', () => {
		const cause = classifyMercadoPagoError(mpError(400, 'bad_request', 'unit_price invalid', [{ code: 'invalid_items', description: 'unit_price invalid' }]), 400, LINK);
		expect(expectWellFormed(cause)).toMatchObject({ code: 'provider.bad_request', needsHuman: true, retryable: false });
		expect(cause.message).toBe('MercadoPago refused to create the test payment link: unit_price invalid (invalid_items); check the probe amount and currency of the node.');
	});

	test('collector_does_not_comply_with_current_regulation says what to do', () => {
		const cause = classifyMercadoPagoError(
			mpError(400, 'bad_request', 'collector does not comply', [{ code: 'collector_does_not_comply_with_current_regulation', description: 'The collector does not comply with current regulation' }]),
			400,
			LINK,
		);
		expect(cause.code).toBe('provider.bad_request');
		expect(cause.message).toMatch(/pending regulatory requirements/);
	});

	test('the HTTP status of the envelope is used when the transport gave none', () => {
		expect(classifyMercadoPagoError(mpError(500, 'internal_server_error', 'boom'), undefined, LINK).code).toBe('provider.server_error');
	});

	test('secrets echoed by MP are masked and long texts are cut', () => {
		const echoed = classifyMercadoPagoError(mpError(400, 'bad_request', `token ${SANDBOX_TOKEN} is not allowed`), 400, LINK);
		expect(echoed.message).not.toContain(SANDBOX_TOKEN);
		expect(echoed.message).toContain('[REDACTED]');
		const long = classifyMercadoPagoError(mpError(400, 'bad_request', 'x'.repeat(1000)), 400, LINK);
		expect(long.message.length).toBeLessThan(400);
	});
});

describe('classifyFailure', () => {
	test.each([
		['timeout', 'net.timeout'],
		['unreachable', 'net.unreachable'],
		['reset', 'net.reset'],
		['malformed', 'provider.malformed_response'],
	] as const)('transport kind %s is %s', (kind, code) => {
		const cause = classifyFailure(failure({ kind }), AUTH);
		expect(expectWellFormed(cause).code).toBe(code);
		expect(cause.message).toMatch(/^MercadoPago \(GET \/users\/me\)/);
	});

	test('a 5xx without an MP body is provider.server_error', () => {
		expect(classifyFailure(failure({ kind: 'server_error', status: 502, data: '<html>bad gateway</html>' }), LINK)).toMatchObject({ code: 'provider.server_error', retryable: true, needsHuman: false });
	});

	test('a 401 with the cause-7 body goes through the MP classification', () => {
		const data = { message: 'Unauthorized use of live credentials', error: 'unauthorized', status: 401, cause: [{ code: 7, description: 'Unauthorized use of live credentials', data: null }] };
		expect(classifyFailure(failure({ kind: 'auth', status: 401, data }), AUTH).code).toBe('payments.live_credentials_not_enabled');
	});

	test('a 400 with cause 17 is auth.invalid_credentials', () => {
		const data = { message: 'Invalid credentials', error: 'bad_request', status: 400, cause: [{ code: 17, description: 'Invalid credentials', data: null }] };
		expect(classifyFailure(failure({ kind: 'client_error', status: 400, data }), AUTH).code).toBe('auth.invalid_credentials');
	});

	test('a 401 without a body falls back to the shared wording', () => {
		expect(classifyFailure(failure({ kind: 'auth', status: 401, data: null }), AUTH).code).toBe('auth.invalid_credentials');
	});

	test('429 says whether MP gave a wait, whether it fit, and whether the retry was spent', () => {
		const noWait = classifyFailure(failure({ kind: 'rate_limited', status: 429 }), LINK);
		expect(expectWellFormed(noWait)).toMatchObject({ code: 'provider.rate_limited', retryable: true, needsHuman: false });
		expect(noWait.message).toMatch(/\(no Retry-After sent\)/);
		const tooLong = classifyFailure(failure({ kind: 'rate_limited', status: 429, retryAfterMs: 7000 }), LINK);
		expect(tooLong.message).toMatch(/\(retry after 7 s\), longer than this check's timeout/);
		const spent = classifyFailure({ ...failure({ kind: 'rate_limited', status: 429, retryAfterMs: 1000 }), retried: true }, LINK);
		expect(spent.message).toMatch(/still rate limiting us after waiting/);
		expect(statusOfCause(spent)).toBe('degraded');
	});
});

describe('statusOfCause', () => {
	test('rate limits are degraded; everything else that fails a call is down', () => {
		expect(statusOfCause({ code: 'provider.rate_limited', message: 'x.', retryable: true, needsHuman: false })).toBe('degraded');
		for (const code of ['net.timeout', 'auth.invalid_credentials', 'provider.server_error', 'provider.bad_request'] as const) {
			expect(statusOfCause({ code, message: 'x.', retryable: false, needsHuman: false })).toBe('down');
		}
		expect(statusOfCause(mercadoPagoCause('payments.live_credentials_not_enabled', 'x.'))).toBe('down');
		expect(statusOfCause(mercadoPagoCause('payments.no_payment_link', 'x.'))).toBe('down');
	});
});

describe('failureFacts', () => {
	test("keeps MP's error and cause codes, no free text", () => {
		const data = { message: 'unit_price invalid', error: 'bad_request', status: 400, cause: [{ code: 'invalid_items', description: 'unit_price invalid', data: null }] };
		expect(failureFacts('payment_link', failure({ kind: 'client_error', status: 400, data }))).toEqual({
			check: 'payment_link',
			kind: 'client_error',
			http_status: 400,
			error: 'bad_request',
			cause_codes: ['invalid_items'],
		});
	});

	test('a transport failure has only its kind', () => {
		expect(failureFacts('authentication', failure({ kind: 'timeout' }))).toEqual({ check: 'authentication', kind: 'timeout' });
	});
});

describe('extractPaymentLink', () => {
	const id = '123456789-0b7c1c1e-5a0e-4d1f-9c7e-7b3b1b2c3d4e';
	const preference = {
		id,
		init_point: `https://www.mercadopago.com.ar/checkout/v1/redirect?pref_id=${id}`,
		sandbox_init_point: `https://sandbox.mercadopago.com.ar/checkout/v1/redirect?pref_id=${id}`,
	};

	test('production uses init_point and sandbox uses sandbox_init_point', () => {
		expect(linkField('production')).toBe('init_point');
		expect(linkField('sandbox')).toBe('sandbox_init_point');
		expect(extractPaymentLink(preference, 'production')).toMatchObject({ status: 'healthy', value: { preference_id: id, payment_link: preference.init_point } });
		expect(extractPaymentLink(preference, 'sandbox')).toMatchObject({ status: 'healthy', value: { preference_id: id, payment_link: preference.sandbox_init_point } });
	});

	test('a missing link is down payments.no_payment_link, naming the field and what came back instead', () => {
		const { init_point: _omitted, ...withoutInitPoint } = preference;
		const verdict = extractPaymentLink(withoutInitPoint, 'production');
		expect(verdict.status).toBe('down');
		expect(expectWellFormed(verdict.cause)).toMatchObject({ code: 'payments.no_payment_link', needsHuman: true });
		expect(verdict.message).toMatch(/returned no init_point \(only sandbox_init_point came back\)/);
		expect(verdict.message).toContain(id);
		expect(verdict.value).toEqual({ preference_id: id });
	});

	test('an empty link counts as missing', () => {
		expect(extractPaymentLink({ ...preference, sandbox_init_point: '  ' }, 'sandbox').cause?.code).toBe('payments.no_payment_link');
	});

	test.each(['http://www.mercadopago.com.ar/checkout', 'not a url', 'javascript:alert(1)'])('%s is not a usable link', (link) => {
		const verdict = extractPaymentLink({ ...preference, init_point: link }, 'production');
		expect(verdict.status).toBe('down');
		expect(verdict.cause?.code).toBe('payments.no_payment_link');
		expect(verdict.message).toMatch(/not an https URL/);
	});

	test('a body that is not an object is provider.malformed_response', () => {
		expect(extractPaymentLink('<html/>', 'production').cause?.code).toBe('provider.malformed_response');
		expect(extractPaymentLink(null, 'sandbox').status).toBe('down');
	});

	test('a preference without id still passes when its link is there', () => {
		expect(extractPaymentLink({ init_point: preference.init_point }, 'production')).toMatchObject({ status: 'healthy', value: { preference_id: null } });
	});

	test('known secrets in a link are masked', () => {
		const verdict = extractPaymentLink({ ...preference, init_point: `https://x.example/pay?t=${SANDBOX_TOKEN}` }, 'production', [SANDBOX_TOKEN]);
		expect(JSON.stringify(verdict)).not.toContain(SANDBOX_TOKEN);
	});
});
