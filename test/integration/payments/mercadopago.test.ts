/**
 * The MercadoPago provider against the real MercadoPago emulator (and, for replies the
 * emulator has no switch for, a scripted MP built on the same engine): both environments,
 * each misconfiguration, every auth error, rate limits, transport faults, the probe
 * preference as MP receives it, and no token in anything the provider returns.
 */
import type { CheckEntry, CheckResult } from '../../../nodes/shared/contract';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { createMercadoPagoProvider, type MercadoPagoConfig } from '../../../nodes/PaymentLinkTest/providers/mercadopago';
import type { PaymentCheckOptions } from '../../../nodes/PaymentLinkTest/providers/types';
import { defineEmulator, type Emulator } from '../../../dev/emulators/core/emulator';
import type { Reply } from '../../../dev/emulators/core/types';
import { createMercadoPagoEmulator, mercadoPagoDefaults, type MercadoPagoState } from '../../../dev/emulators/payments/mercadopago';

const { sandboxToken: SANDBOX_TOKEN, productionToken: PRODUCTION_TOKEN } = mercadoPagoDefaults;
/** Accepted by MP (listed in validTokens) but of neither documented shape. */
const ODD_TOKEN = 'legacy0token0abcdef0123456789';
const UNKNOWN_TOKEN = 'TEST-1111111111111111-010100-cafecafecafecafecafecafecafecafe-42';
const ALL_TOKENS = [SANDBOX_TOKEN, PRODUCTION_TOKEN, ODD_TOKEN, UNKNOWN_TOKEN];
const PROBE_REFERENCE = 'autorecovery-probe-1763712000000';
const TIMEOUT_MS = 1_000;

/** Every result the provider hands out goes through here: valid contract, every check timed, no secret. */
function checked(result: CheckResult): CheckResult {
	expect(validateCheckResult(result)).toEqual([]);
	for (const check of result.checks) expect(typeof check.durationMs).toBe('number');
	const text = JSON.stringify(result);
	for (const secret of ALL_TOKENS) expect(text).not.toContain(secret);
	// No Authorization header value in any form (the word alone may appear in advice).
	expect(text).not.toMatch(/bearer\s+[A-Za-z0-9_.~+/=-]{6,}/i);
	expect(text).not.toMatch(/authorization/i);
	return result;
}

function checkOf(result: CheckResult, name: string): CheckEntry {
	const check = result.checks.find((entry) => entry.name === name);
	if (!check) throw new Error(`no check '${name}' in ${result.checks.map((entry) => entry.name).join(', ')}`);
	return check;
}

function statuses(result: CheckResult): Array<[string, string]> {
	return result.checks.map((check) => [check.name, check.status]);
}

/** Options with an idempotency key generator that remembers what it handed out. */
function probeOptions(overrides: Partial<PaymentCheckOptions> = {}): PaymentCheckOptions & { issuedKeys: string[] } {
	const issuedKeys: string[] = [];
	let counter = 0;
	return {
		timeoutMs: TIMEOUT_MS,
		createLink: true,
		probeReference: PROBE_REFERENCE,
		amount: 10,
		currency: 'ARS',
		newIdempotencyKey: () => {
			counter += 1;
			const key = `probe-key-${Date.now()}-${counter}`;
			issuedKeys.push(key);
			return key;
		},
		...overrides,
		issuedKeys,
	};
}

interface ScriptedState {
	usersMe: Reply;
	createPreference: Reply;
}

/** An MP whose two routes answer whatever the test scripts, for bodies the emulator never sends. */
function createScriptedMercadoPago(): Emulator<ScriptedState> {
	const ok: Reply = { status: 200, body: { id: 1, site_id: 'MLA', tags: ['normal'] } };
	return defineEmulator<ScriptedState>({
		name: 'mercadopago-scripted',
		initialState: () => ({ usersMe: ok, createPreference: { status: 500, body: {} } }),
		routes: [
			{ id: 'usersMe', method: 'GET', path: '/users/me', handler: (req) => req.state.usersMe },
			{ id: 'createPreference', method: 'POST', path: '/checkout/preferences', handler: (req) => req.state.createPreference },
		],
		faultReply: (status) => ({ status, body: { message: `HTTP ${status}`, error: 'error', status, cause: [] } }),
		notFound: () => ({ status: 404, body: { message: 'not found', error: 'not_found', status: 404, cause: [] } }),
	});
}

describe('MercadoPago provider against the MercadoPago emulator', () => {
	let emulator: Emulator<MercadoPagoState>;
	const provider = (overrides: Partial<MercadoPagoConfig> = {}) =>
		createMercadoPagoProvider({ baseUrl: emulator.url, accessToken: SANDBOX_TOKEN, environment: 'sandbox', ...overrides });
	const sandbox = () => provider();
	const production = () => provider({ accessToken: PRODUCTION_TOKEN, environment: 'production' });
	const preferenceRequests = () => emulator.requests('mercadopago.createPreference');

	beforeEach(async () => {
		emulator = await createMercadoPagoEmulator().start();
	});
	afterEach(async () => {
		await emulator.close();
	});

	describe('working accounts', () => {
		test('sandbox: every check passes and is listed, the link is the sandbox_init_point', async () => {
			const subject = sandbox();
			expect(subject).toMatchObject({ name: 'mercadopago', target: 'mercadopago' });
			expect(subject.secrets).toContain(SANDBOX_TOKEN);
			const result = checked(await subject.check(probeOptions()));
			expect(result).toMatchObject({ component: 'payments', target: 'mercadopago', status: 'healthy' });
			expect(result.cause).toBeUndefined();
			expect(statuses(result)).toEqual([
				['configuration', 'healthy'],
				['token_environment', 'healthy'],
				['authentication', 'healthy'],
				['payment_link', 'healthy'],
			]);
			const [preferenceId] = Object.keys(emulator.state.preferences);
			const stored = emulator.state.preferences[preferenceId];
			expect(result.details).toMatchObject({
				environment: 'sandbox',
				token_type: 'sandbox',
				site_id: 'MLA',
				country_id: 'AR',
				test_user: false,
				probe_reference: PROBE_REFERENCE,
				preference_id: preferenceId,
				payment_link: stored.sandbox_init_point,
			});
			expect(checkOf(result, 'payment_link').value).toEqual({ preference_id: preferenceId, payment_link: stored.sandbox_init_point });
			expect(checkOf(result, 'authentication').value).toEqual({ site_id: 'MLA', country_id: 'AR', test_user: false });
		});

		test('production: the link is the init_point, and the token check carries the APP_USR- caveat', async () => {
			const result = checked(await production().check(probeOptions()));
			expect(result.status).toBe('healthy');
			const [stored] = Object.values(emulator.state.preferences);
			expect(result.details).toMatchObject({ environment: 'production', token_type: 'production', payment_link: stored.init_point });
			expect(checkOf(result, 'token_environment').message).toMatch(/does not prove a live account.*test users have APP_USR- tokens too/);
		});

		test('what MP receives: the token only in the Authorization header, one test item, the probe reference, a fresh idempotency key, nothing that charges or notifies', async () => {
			const options = probeOptions({ amount: 12.5, currency: 'ars' });
			checked(await sandbox().check(options));
			const me = emulator.requests('mercadopago.usersMe');
			expect(me).toHaveLength(1);
			expect(me[0].headers.authorization).toBe(`Bearer ${SANDBOX_TOKEN}`);
			const [request] = preferenceRequests();
			expect(request.headers.authorization).toBe(`Bearer ${SANDBOX_TOKEN}`);
			expect(request.headers['x-idempotency-key']).toBe(options.issuedKeys[0]);
			expect(options.issuedKeys).toHaveLength(1);
			expect(request.query).toEqual({});
			const body = request.body as Record<string, unknown>;
			expect(body.items).toEqual([expect.objectContaining({ title: 'Autorecovery probe', quantity: 1, unit_price: 12.5, currency_id: 'ARS' })]);
			expect(body.external_reference).toBe(PROBE_REFERENCE);
			expect(body).not.toHaveProperty('notification_url');
			expect(body).not.toHaveProperty('payer');
			expect(body).not.toHaveProperty('back_urls');
			expect(body.expires).toBe(true);
			const from = Date.parse(String(body.expiration_date_from));
			const to = Date.parse(String(body.expiration_date_to));
			expect(String(body.expiration_date_to)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/);
			expect(from).toBeLessThan(Date.now());
			expect(to).toBeGreaterThan(Date.now());
			expect(to - Date.now()).toBeLessThanOrEqual(60 * 60 * 1000);
			// Only the preference was created: no payment, no other call.
			expect(emulator.requests().map((r) => r.routeId)).toEqual(['mercadopago.usersMe', 'mercadopago.createPreference']);
		});

		test('every test order carries the probe reference, and every check uses new idempotency keys', async () => {
			const options = probeOptions();
			checked(await sandbox().check(options));
			checked(await production().check(options));
			checked(await sandbox().check(options));
			const keys = preferenceRequests().map((request) => request.headers['x-idempotency-key']);
			expect(keys).toEqual(options.issuedKeys);
			expect(new Set(keys).size).toBe(3);
			const preferences = Object.values(emulator.state.preferences);
			expect(preferences).toHaveLength(3);
			for (const preference of preferences) expect(preference.external_reference).toBe(PROBE_REFERENCE);
		});

		test('createLink false checks configuration and authentication only', async () => {
			const result = checked(await sandbox().check(probeOptions({ createLink: false })));
			expect(result.status).toBe('healthy');
			expect(statuses(result).map(([name]) => name)).toEqual(['configuration', 'token_environment', 'authentication']);
			expect(result.details).toMatchObject({ create_link: false });
			expect(preferenceRequests()).toHaveLength(0);
		});

		test('a token pasted with surrounding whitespace is used trimmed, and both forms are secrets', async () => {
			const subject = provider({ accessToken: `  ${SANDBOX_TOKEN}\n` });
			expect(subject.secrets).toEqual(expect.arrayContaining([`  ${SANDBOX_TOKEN}\n`, SANDBOX_TOKEN]));
			expect(checked(await subject.check(probeOptions())).status).toBe('healthy');
		});
	});

	describe('configuration', () => {
		test.each(['', '   '])('no access token (%p) is down config.missing naming the field, and nothing is called', async (accessToken) => {
			const result = checked(await provider({ accessToken }).check(probeOptions()));
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'config.missing', needsHuman: true, retryable: false });
			expect(result.cause?.message).toMatch(/Access Token \(accessToken\)/);
			expect(statuses(result)).toEqual([['configuration', 'down']]);
			expect(emulator.requests()).toHaveLength(0);
		});

		test('a token with spaces inside (e.g. "Bearer …" pasted) is down config.invalid, without echoing it', async () => {
			const result = checked(await provider({ accessToken: `Bearer ${SANDBOX_TOKEN}` }).check(probeOptions()));
			expect(result.cause).toMatchObject({ code: 'config.invalid' });
			expect(result.cause?.message).toMatch(/accessToken/);
			expect(emulator.requests()).toHaveLength(0);
		});

		test.each(['not a url', 'ftp://api.mercadopago.com', 'https://user:pw@api.mercadopago.com'])('base URL %p is down config.invalid', async (baseUrl) => {
			const result = checked(await provider({ baseUrl }).check(probeOptions()));
			expect(result.cause).toMatchObject({ code: 'config.invalid' });
			expect(result.cause?.message).toMatch(/Base URL \(baseUrl\)/);
			expect(JSON.stringify(result)).not.toContain('pw@');
		});

		test('an environment other than sandbox/production is down config.invalid', async () => {
			const result = checked(await provider({ environment: 'staging' as MercadoPagoConfig['environment'] }).check(probeOptions()));
			expect(result.cause).toMatchObject({ code: 'config.invalid' });
		});

		test('a TEST- token where production is expected is degraded payments.sandbox_token_in_production; the link still works', async () => {
			const result = checked(await provider({ environment: 'production' }).check(probeOptions()));
			expect(result.status).toBe('degraded');
			expect(result.cause).toMatchObject({ code: 'payments.sandbox_token_in_production', needsHuman: true });
			expect(statuses(result)).toEqual([
				['configuration', 'healthy'],
				['token_environment', 'degraded'],
				['authentication', 'healthy'],
				['payment_link', 'healthy'],
			]);
			expect(checkOf(result, 'token_environment').code).toBe('payments.sandbox_token_in_production');
		});

		test('an APP_USR- token where sandbox is expected is degraded payments.production_token_in_sandbox', async () => {
			const result = checked(await provider({ accessToken: PRODUCTION_TOKEN, environment: 'sandbox' }).check(probeOptions()));
			expect(result.status).toBe('degraded');
			expect(result.cause).toMatchObject({ code: 'payments.production_token_in_sandbox', needsHuman: true });
		});

		test("an APP_USR- token of an account MP tags test_user is MP's sandbox setup: healthy", async () => {
			emulator.patchState({ testUser: true });
			const result = checked(await provider({ accessToken: PRODUCTION_TOKEN, environment: 'sandbox' }).check(probeOptions()));
			expect(result.status).toBe('healthy');
			expect(result.details).toMatchObject({ test_user: true });
			expect(JSON.stringify(result)).not.toMatch(/TESTUSER|testuser\.com|nickname|email/);
		});

		test('a test user where production is expected is degraded payments.test_user_in_production', async () => {
			emulator.patchState({ testUser: true });
			const result = checked(await production().check(probeOptions()));
			expect(result.status).toBe('degraded');
			expect(result.cause?.code).toBe('payments.test_user_in_production');
		});

		test('a token of neither shape that MP accepts is degraded config.invalid, and the rest is still checked', async () => {
			emulator.patchState({ validTokens: [ODD_TOKEN] });
			const result = checked(await provider({ accessToken: ODD_TOKEN }).check(probeOptions()));
			expect(result.status).toBe('degraded');
			expect(result.cause).toMatchObject({ code: 'config.invalid' });
			expect(statuses(result)).toEqual([
				['configuration', 'healthy'],
				['token_environment', 'degraded'],
				['authentication', 'healthy'],
				['payment_link', 'healthy'],
			]);
			expect(result.details).toMatchObject({ token_type: 'unrecognised' });
		});

		test('a token of neither shape that MP rejects is down auth.invalid_credentials, with a hint about the shape', async () => {
			const result = checked(await provider({ accessToken: ODD_TOKEN }).check(probeOptions()));
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('auth.invalid_credentials');
			expect(result.cause?.message).toMatch(/not shaped like a TEST- or APP_USR- access token/);
		});

		test('an invalid probe amount is down config.invalid on the link, without creating anything', async () => {
			const result = checked(await sandbox().check(probeOptions({ amount: 0 })));
			expect(checkOf(result, 'payment_link')).toMatchObject({ status: 'down', code: 'config.invalid' });
			expect(preferenceRequests()).toHaveLength(0);
			const badCurrency = checked(await sandbox().check(probeOptions({ currency: 'pesos' })));
			expect(badCurrency.cause?.code).toBe('config.invalid');
		});
	});

	describe('authentication', () => {
		test('an unknown token is down auth.invalid_credentials, needs a person, and no link is attempted', async () => {
			const result = checked(await provider({ accessToken: UNKNOWN_TOKEN }).check(probeOptions()));
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true, retryable: false });
			expect(result.cause?.message).toMatch(/access denied \(invalid_access_token\)/);
			expect(statuses(result)).toEqual([
				['configuration', 'healthy'],
				['token_environment', 'healthy'],
				['authentication', 'down'],
			]);
			expect(result.details).toMatchObject({ payment_link_skipped: 'authentication did not pass', errors: [{ check: 'authentication', kind: 'auth', http_status: 401, error: 'unauthorized', cause_codes: ['invalid_access_token'] }] });
			expect(preferenceRequests()).toHaveLength(0);
		});

		test('a revoked token is down auth.invalid_credentials', async () => {
			emulator.patchState({ revokedTokens: [SANDBOX_TOKEN] });
			expect(checked(await sandbox().check(probeOptions())).cause?.code).toBe('auth.invalid_credentials');
		});

		test('401 cause 7 "Unauthorized use of live credentials" is down payments.live_credentials_not_enabled', async () => {
			emulator.patchState({ liveCredentialsEnabled: false });
			const result = checked(await production().check(probeOptions()));
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'payments.live_credentials_not_enabled', needsHuman: true, retryable: false });
			expect(checkOf(result, 'authentication').code).toBe('payments.live_credentials_not_enabled');
			expect(result.details).toMatchObject({ errors: [expect.objectContaining({ cause_codes: ['7'] })] });
			expect(preferenceRequests()).toHaveLength(0);
		});

		test('a 403 is down auth.forbidden', async () => {
			emulator.setFault('mercadopago.usersMe', { status: 403 });
			expect(checked(await sandbox().check(probeOptions())).cause?.code).toBe('auth.forbidden');
		});
	});

	describe('rate limits', () => {
		test('a 429 without Retry-After is degraded provider.rate_limited, not retried, and the link is skipped', async () => {
			emulator.setFault('mercadopago.usersMe', { status: 429, retryAfter: null });
			const result = checked(await sandbox().check(probeOptions()));
			expect(result.status).toBe('degraded');
			expect(result.cause).toMatchObject({ code: 'provider.rate_limited', retryable: true, needsHuman: false });
			expect(result.cause?.message).toContain('(no Retry-After sent)');
			expect(emulator.requests('mercadopago.usersMe')).toHaveLength(1);
			expect(preferenceRequests()).toHaveLength(0);
		});

		test('a 429 whose Retry-After fits is retried once, with a fresh idempotency key, and passes', async () => {
			emulator.setFault('mercadopago.createPreference', { status: 429, retryAfter: 1, times: 1 });
			const options = probeOptions({ timeoutMs: 3_000 });
			const result = checked(await sandbox().check(options));
			expect(result.status).toBe('healthy');
			const requests = preferenceRequests();
			expect(requests).toHaveLength(2);
			expect(requests[0].fault?.status).toBe(429);
			const keys = requests.map((request) => request.headers['x-idempotency-key']);
			expect(keys).toEqual(options.issuedKeys);
			expect(new Set(keys).size).toBe(2);
			expect(checkOf(result, 'payment_link').value).toMatchObject({ retried_after_429: true });
			expect(checkOf(result, 'payment_link').durationMs).toBeGreaterThanOrEqual(950);
			expect(Object.values(emulator.state.preferences)).toHaveLength(1);
		});

		test('a 429 whose Retry-After does not fit the timeout is degraded at once', async () => {
			emulator.setFault('mercadopago.createPreference', { status: 429, retryAfter: 7 });
			const started = Date.now();
			const result = checked(await sandbox().check(probeOptions()));
			expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
			expect(result.status).toBe('degraded');
			expect(result.cause?.code).toBe('provider.rate_limited');
			expect(result.cause?.message).toMatch(/retry after 7 s/);
			expect(preferenceRequests()).toHaveLength(1);
		});

		test('a second 429 after the one retry is degraded, saying the retry was spent', async () => {
			emulator.setFault('mercadopago.usersMe', { status: 429, retryAfter: 1, times: 2 });
			const result = checked(await sandbox().check(probeOptions({ timeoutMs: 3_000 })));
			expect(result.cause?.code).toBe('provider.rate_limited');
			expect(result.cause?.message).toMatch(/still rate limiting/);
			expect(emulator.requests('mercadopago.usersMe')).toHaveLength(2);
		});
	});

	describe('server and transport faults', () => {
		test.each(['mercadopago.usersMe', 'mercadopago.createPreference'])('500 on %s is down provider.server_error', async (routeId) => {
			emulator.setFault(routeId, { status: 500 });
			const result = checked(await sandbox().check(probeOptions()));
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'provider.server_error', retryable: true });
		});

		test.each(['mercadopago.usersMe', 'mercadopago.createPreference'])('malformed JSON on %s is down provider.malformed_response', async (routeId) => {
			emulator.setFault(routeId, { malformed: true });
			const result = checked(await sandbox().check(probeOptions()));
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('provider.malformed_response');
		});

		test.each(['mercadopago.usersMe', 'mercadopago.createPreference'])('a hang on %s is down net.timeout within timeout + 1 s', async (routeId) => {
			emulator.setFault(routeId, { hang: true });
			const started = Date.now();
			const result = checked(await sandbox().check(probeOptions({ timeoutMs: 500 })));
			expect(Date.now() - started).toBeLessThan(1_500);
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'net.timeout', retryable: true, needsHuman: false });
		});

		test('a reset connection is down net.reset', async () => {
			emulator.setFault('mercadopago.usersMe', { reset: true });
			expect(checked(await sandbox().check(probeOptions())).cause?.code).toBe('net.reset');
		});

		test('an unreachable MP is down net.unreachable', async () => {
			const gone = await createMercadoPagoEmulator().start();
			const url = gone.url;
			await gone.close();
			const result = checked(await provider({ baseUrl: url }).check(probeOptions()));
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('net.unreachable');
		});
	});

	describe('the payment link', () => {
		test('production: a preference without init_point is down payments.no_payment_link', async () => {
			emulator.patchState({ omitInitPoint: true });
			const result = checked(await production().check(probeOptions()));
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'payments.no_payment_link', needsHuman: true });
			const [preferenceId] = Object.keys(emulator.state.preferences);
			expect(result.cause?.message).toContain(preferenceId);
			expect(result.details).toMatchObject({ preference_id: preferenceId });
			expect(result.details).not.toHaveProperty('payment_link');
		});

		test('sandbox: a preference without sandbox_init_point is down payments.no_payment_link', async () => {
			emulator.patchState({ omitSandboxInitPoint: true });
			const result = checked(await sandbox().check(probeOptions()));
			expect(result.cause?.code).toBe('payments.no_payment_link');
			expect(result.cause?.message).toMatch(/no sandbox_init_point \(only init_point came back\)/);
		});

		test('a missing init_point does not matter in sandbox, nor a missing sandbox_init_point in production', async () => {
			emulator.patchState({ omitInitPoint: true });
			expect(checked(await sandbox().check(probeOptions())).status).toBe('healthy');
			emulator.patchState({ omitInitPoint: false, omitSandboxInitPoint: true });
			expect(checked(await production().check(probeOptions())).status).toBe('healthy');
		});

		test('a 400 on the preference is down provider.bad_request', async () => {
			emulator.setFault('mercadopago.createPreference', { status: 400 });
			const result = checked(await sandbox().check(probeOptions()));
			expect(result.cause).toMatchObject({ code: 'provider.bad_request' });
			expect(result.cause?.message).toMatch(/refused to create the test payment link: Invalid request/);
		});
	});
});

describe('MercadoPago provider against scripted replies', () => {
	let scripted: Emulator<ScriptedState>;
	const provider = () => createMercadoPagoProvider({ baseUrl: scripted.url, accessToken: SANDBOX_TOKEN, environment: 'sandbox' });

	beforeEach(async () => {
		scripted = await createScriptedMercadoPago().start();
	});
	afterEach(async () => {
		await scripted.close();
	});

	test('400 cause 17 "Invalid credentials" is down auth.invalid_credentials', async () => {
		scripted.patchState({ usersMe: { status: 400, body: { message: 'Invalid credentials', error: 'bad_request', status: 400, cause: [{ code: 17, description: 'Invalid credentials', data: null }] } } });
		const result = checked(await provider().check(probeOptions()));
		expect(result.status).toBe('down');
		expect(result.cause).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true });
		expect(result.cause?.message).toMatch(/Invalid credentials \(17\)/);
	});

	test('400 invalid_items on the preference is down provider.bad_request with MP message', async () => {
		scripted.patchState({
			createPreference: { status: 400, body: { message: 'unit_price invalid', error: 'bad_request', status: 400, cause: [{ code: 'invalid_items', description: 'unit_price invalid', data: null }] } },
		});
		const result = checked(await provider().check(probeOptions()));
		expect(result.cause?.code).toBe('provider.bad_request');
		expect(result.cause?.message).toMatch(/unit_price invalid \(invalid_items\)/);
		expect(result.details).toMatchObject({ errors: [{ check: 'payment_link', http_status: 400, cause_codes: ['invalid_items'] }] });
	});

	test('an MP error that echoes the token never shows it', async () => {
		scripted.patchState({ usersMe: { status: 401, body: { message: `token ${SANDBOX_TOKEN} is invalid`, error: 'unauthorized', status: 401, cause: [] } } });
		const result = checked(await provider().check(probeOptions()));
		expect(result.cause?.code).toBe('auth.invalid_credentials');
		expect(result.cause?.message).toContain('[REDACTED]');
	});

	test('a /users/me answer that is not an account is down provider.malformed_response', async () => {
		scripted.patchState({ usersMe: { status: 200, body: ['not', 'an', 'account'] } });
		const result = checked(await provider().check(probeOptions()));
		expect(result.cause?.code).toBe('provider.malformed_response');
		expect(statuses(result)).toEqual([
			['configuration', 'healthy'],
			['token_environment', 'healthy'],
			['authentication', 'down'],
		]);
	});

	test('a link that is not https is down payments.no_payment_link', async () => {
		scripted.patchState({ createPreference: { status: 201, body: { id: '1-abc', sandbox_init_point: 'http://sandbox.example/checkout?pref_id=1-abc' } } });
		const result = checked(await provider().check(probeOptions()));
		expect(result.cause?.code).toBe('payments.no_payment_link');
		expect(result.cause?.message).toMatch(/not an https URL/);
	});

	test('a 502 page that is not MP JSON is down provider.server_error', async () => {
		scripted.patchState({ usersMe: { status: 502, text: '<html>Bad Gateway</html>', contentType: 'text/html' } });
		const result = checked(await provider().check(probeOptions()));
		expect(result.cause).toMatchObject({ code: 'provider.server_error' });
	});
});
