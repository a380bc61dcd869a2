/**
 * The PayPal provider of the Payment Link Test node against the real PayPal emulator:
 * success in both environments, configuration problems, OAuth and REST error bodies,
 * token caching and refreshing within a run, every fault switch, idempotency keys, and
 * the guarantees that hold in every test (checked in afterEach and on every result):
 * no order is ever captured, every order carries the probe reference, and no secret,
 * access token or Authorization header reaches an output.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';

import type { CheckEntry, CheckResult } from '../../../nodes/shared/contract';
import { redact } from '../../../nodes/shared/redact';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { createPayPalProvider, payPalBaseUrl, type PayPalConfig } from '../../../nodes/PaymentLinkTest/providers/paypal';
import type { PaymentCheckOptions, PaymentProvider } from '../../../nodes/PaymentLinkTest/providers/types';
import type { Emulator } from '../../../dev/emulators/core/emulator';
import type { RecordedRequest } from '../../../dev/emulators/core/types';
import { createPayPalEmulator, payPalDefaults, type PayPalState } from '../../../dev/emulators/payments/paypal';

const CLIENT_ID = payPalDefaults.clientId;
const SECRET = payPalDefaults.clientSecret;
const BASIC = Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64');
const PROBE = 'autorecovery-probe-1763712000000';
const TIMEOUT_MS = 1_000;
/** Long enough for the emulator's default Retry-After of 1 s to fit. */
const RETRY_TIMEOUT_MS = 3_000;

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const address = server.address();
	const port = typeof address === 'object' && address !== null ? address.port : 0;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

function header(request: RecordedRequest, name: string): string | undefined {
	const value = request.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function orderBodyOf(request: RecordedRequest): { intent: string; purchase_units: Array<Record<string, unknown>> } {
	return JSON.parse(request.bodyText) as { intent: string; purchase_units: Array<Record<string, unknown>> };
}

function checkOf(result: CheckResult, name: string): CheckEntry {
	const check = result.checks.find((entry) => entry.name === name);
	if (!check) throw new Error(`no check '${name}' in ${result.checks.map((entry) => entry.name).join(', ')}`);
	return check;
}

function namesAndStatuses(result: CheckResult): Array<[string, string]> {
	return result.checks.map((check) => [check.name, check.status]);
}

describe('PayPal provider against the PayPal emulator', () => {
	let emulator: Emulator<PayPalState>;
	/** Every idempotency key the injected generator handed out, in order. */
	let issuedKeys: string[];

	const provider = (overrides: Partial<PayPalConfig> = {}): PaymentProvider =>
		createPayPalProvider({ environment: 'sandbox', baseUrl: emulator.url, clientId: CLIENT_ID, clientSecret: SECRET, ...overrides });

	const options = (overrides: Partial<PaymentCheckOptions> = {}): PaymentCheckOptions => ({
		timeoutMs: TIMEOUT_MS,
		createLink: true,
		probeReference: PROBE,
		amount: 1,
		currency: 'USD',
		newIdempotencyKey: () => {
			const key = `probe-${randomUUID()}`;
			issuedKeys.push(key);
			return key;
		},
		...overrides,
	});

	/** Every result goes through here: valid contract, and nothing secret in it. */
	function checked(result: CheckResult, extraSecrets: string[] = []): CheckResult {
		expect(validateCheckResult(result)).toEqual([]);
		const text = JSON.stringify(result);
		const issuedTokens = Object.keys(emulator.state.issuedTokens);
		for (const secret of [SECRET, BASIC, ...issuedTokens, ...extraSecrets]) expect(text).not.toContain(secret);
		expect(text).not.toMatch(/A21AA/);
		expect(text).not.toMatch(/"authorization"/i);
		expect(text).not.toMatch(/\b(Bearer|Basic) [A-Za-z0-9+/=_-]{8,}/);
		for (const check of result.checks) expect(typeof check.durationMs).toBe('number');
		// Messages hold nothing secret-shaped, so a downstream redaction pass leaves them whole.
		for (const message of [...result.checks.map((check) => check.message), result.cause?.message ?? '']) {
			expect(redact(message)).toBe(message);
		}
		return result;
	}

	async function run(target: PaymentProvider = provider(), overrides: Partial<PaymentCheckOptions> = {}): Promise<CheckResult> {
		return checked(await target.check(options(overrides)));
	}

	const tokenRequests = () => emulator.requests('paypal.oauthToken');
	const orderRequests = () => emulator.requests('paypal.createOrder');
	const requestIdsSent = () => orderRequests().map((request) => header(request, 'paypal-request-id'));

	beforeEach(async () => {
		issuedKeys = [];
		emulator = await createPayPalEmulator().start();
	});

	afterEach(async () => {
		try {
			// Guarantees of every scenario: never capture, always label the order, fresh keys per attempt.
			expect(emulator.requests('paypal.captureOrder')).toEqual([]);
			expect(emulator.state.captures).toEqual([]);
			for (const request of orderRequests()) {
				const units = orderBodyOf(request).purchase_units;
				expect(units).toHaveLength(1);
				expect(units[0].reference_id).toBe(PROBE);
			}
			const sent = requestIdsSent();
			expect(sent.every((id) => typeof id === 'string' && id !== '')).toBe(true);
			expect(new Set(sent).size).toBe(sent.length);
		} finally {
			// Closed even when a guarantee fails, or the open server would keep jest from exiting.
			await emulator.close();
		}
	});

	describe('success', () => {
		test('sandbox: configuration, authentication and payment link pass, with the order in details', async () => {
			const result = await run();
			expect(result).toMatchObject({ component: 'payments', target: 'paypal:sandbox', status: 'healthy' });
			expect(result.cause).toBeUndefined();
			expect(namesAndStatuses(result)).toEqual([
				['configuration', 'healthy'],
				['authentication', 'healthy'],
				['payment_link', 'healthy'],
			]);
			const orderId = Object.keys(emulator.state.orders)[0];
			expect(result.details).toMatchObject({
				environment: 'sandbox',
				orderId,
				orderStatus: 'CREATED',
				linkRel: 'approve',
				paymentLink: `https://www.sandbox.paypal.com/checkoutnow?token=${orderId}`,
				probeReference: PROBE,
				tokenReused: false,
				tokenRefreshed: false,
			});
			expect(emulator.state.orders[orderId].status).toBe('CREATED');
		});

		test('asks for the token with Basic client_id:secret and a client_credentials form', async () => {
			await run();
			const [request] = tokenRequests();
			expect(request.method).toBe('POST');
			expect(header(request, 'authorization')).toBe(`Basic ${BASIC}`);
			expect(header(request, 'content-type')).toMatch(/application\/x-www-form-urlencoded/);
			expect(request.bodyText).toBe('grant_type=client_credentials');
		});

		test('creates one CAPTURE order with the Bearer token, the amount and a PayPal-Request-Id', async () => {
			await run();
			const [request] = orderRequests();
			const token = Object.keys(emulator.state.issuedTokens)[0];
			expect(header(request, 'authorization')).toBe(`Bearer ${token}`);
			expect(header(request, 'paypal-request-id')).toBe(issuedKeys[0]);
			const body = orderBodyOf(request);
			expect(body.intent).toBe('CAPTURE');
			expect(body.purchase_units[0]).toMatchObject({ reference_id: PROBE, amount: { currency_code: 'USD', value: '1.00' } });
		});

		test('live: target paypal:live and a www.paypal.com link', async () => {
			emulator.patchState({ environment: 'live' });
			const result = await run(provider({ environment: 'live' }));
			expect(result).toMatchObject({ target: 'paypal:live', status: 'healthy' });
			expect(String(result.details?.paymentLink)).toMatch(/^https:\/\/www\.paypal\.com\/checkoutnow\?token=/);
		});

		test('a payer-action link is as good as an approve link', async () => {
			emulator.patchState({ forcePayerAction: true });
			const result = await run();
			expect(result.status).toBe('healthy');
			expect(result.details).toMatchObject({ orderStatus: 'PAYER_ACTION_REQUIRED', linkRel: 'payer-action' });
		});

		test('a zero-decimal currency is sent in whole units', async () => {
			const result = await run(provider(), { amount: 1500, currency: 'JPY' });
			expect(result.status).toBe('healthy');
			expect(orderBodyOf(orderRequests()[0]).purchase_units[0].amount).toEqual({ currency_code: 'JPY', value: '1500' });
		});

		test('createLink false: configuration and authentication only, no order', async () => {
			const result = await run(provider(), { createLink: false });
			expect(namesAndStatuses(result)).toEqual([
				['configuration', 'healthy'],
				['authentication', 'healthy'],
			]);
			expect(orderRequests()).toHaveLength(0);
		});
	});

	describe('configuration', () => {
		test('payPalBaseUrl: the environment picks the host unless an override is given', () => {
			expect(payPalBaseUrl({ environment: 'sandbox' })).toBe('https://api-m.sandbox.paypal.com');
			expect(payPalBaseUrl({ environment: 'live' })).toBe('https://api-m.paypal.com');
			expect(payPalBaseUrl({ environment: 'live', baseUrl: '  ' })).toBe('https://api-m.paypal.com');
			expect(payPalBaseUrl({ environment: 'live', baseUrl: 'http://127.0.0.1:9/' })).toBe('http://127.0.0.1:9');
		});

		test('no Client ID and no Client Secret: config.missing naming both fields, nothing called', async () => {
			const result = await run(provider({ clientId: '', clientSecret: ' ' }));
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'config.missing', needsHuman: true, retryable: false });
			expect(result.cause?.message).toMatch(/Client ID/);
			expect(result.cause?.message).toMatch(/Client Secret/);
			expect(namesAndStatuses(result)).toEqual([['configuration', 'down']]);
			expect(emulator.requests()).toHaveLength(0);
		});

		test('only the secret missing: names the field, never the Client ID value', async () => {
			const result = await run(provider({ clientSecret: '' }));
			expect(result.cause?.code).toBe('config.missing');
			expect(result.cause?.message).toMatch(/Client Secret/);
			expect(result.cause?.message).not.toMatch(/Client ID/);
			expect(JSON.stringify(result)).not.toContain(CLIENT_ID);
		});

		test('an unknown environment or a base URL that is not a URL: config.invalid', async () => {
			const badEnvironment = await run(provider({ environment: 'production' as PayPalConfig['environment'] }));
			expect(badEnvironment.cause?.code).toBe('config.invalid');
			const badUrl = await run(provider({ baseUrl: 'not a url' }));
			expect(badUrl.cause?.code).toBe('config.invalid');
			expect(emulator.requests()).toHaveLength(0);
		});

		test('an amount PayPal cannot take: config.invalid before any call', async () => {
			const result = await run(provider(), { amount: 0 });
			expect(result.cause?.code).toBe('config.invalid');
			expect(emulator.requests()).toHaveLength(0);
		});

		test('a currency PayPal does not support: the 422 issue text in a config.invalid cause', async () => {
			const result = await run(provider(), { currency: 'XXX' });
			expect(result.status).toBe('down');
			expect(checkOf(result, 'payment_link').status).toBe('down');
			expect(result.cause?.code).toBe('config.invalid');
			expect(result.cause?.message).toContain('UNPROCESSABLE_ENTITY / CURRENCY_NOT_SUPPORTED');
			expect(result.cause?.message).toContain('Currency code is not currently supported');
			expect(result.details?.error).toMatchObject({ httpStatus: 422, error: 'UNPROCESSABLE_ENTITY', issues: ['CURRENCY_NOT_SUPPORTED'] });
			expect(String((result.details?.error as Record<string, unknown>).debugId)).toMatch(/^[0-9a-f]{13}$/);
		});
	});

	describe('authentication', () => {
		test('a rotated secret: invalid_client is auth.invalid_credentials for a human, no order tried', async () => {
			emulator.patchState({ clientSecret: 'ETEST-rotated-secret-not-ours' });
			const result = await run();
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true, retryable: false });
			expect(result.cause?.message).toContain('invalid_client');
			expect(namesAndStatuses(result)).toEqual([
				['configuration', 'healthy'],
				['authentication', 'down'],
			]);
			expect(orderRequests()).toHaveLength(0);
		});

		test('the token is cached within a run: a second check reuses it', async () => {
			const paypal = provider();
			const first = await run(paypal);
			const second = await run(paypal);
			expect([first.status, second.status]).toEqual(['healthy', 'healthy']);
			expect(tokenRequests()).toHaveLength(1);
			expect(orderRequests()).toHaveLength(2);
			expect(checkOf(second, 'authentication').value).toMatchObject({ reused: true });
			expect(second.details?.tokenReused).toBe(true);
			const [a, b] = orderRequests().map((request) => header(request, 'authorization'));
			expect(a).toBe(b);
		});

		test('a new provider (a new run) asks for its own token', async () => {
			await run(provider());
			await run(provider());
			expect(tokenRequests()).toHaveLength(2);
		});

		test('a token is not reused past expires_in minus the margin', async () => {
			emulator.patchState({ tokenTtlSeconds: 1 });
			const paypal = provider();
			await run(paypal);
			await sleep(1_000);
			const second = await run(paypal);
			expect(second.status).toBe('healthy');
			expect(tokenRequests()).toHaveLength(2);
			expect(checkOf(second, 'authentication').value).toMatchObject({ reused: false });
		});

		test.each([
			['revoked', (state: PayPalState) => ({ revokedTokens: Object.keys(state.issuedTokens) })],
			['flushed from PayPal cache', () => ({ tokenGeneration: 2 })],
		])('a cached token %s mid-run: one new token, one more attempt, healthy', async (_label, patch) => {
			const paypal = provider();
			await run(paypal);
			emulator.patchState(patch(emulator.state));
			const result = await run(paypal);
			expect(result.status).toBe('healthy');
			expect(namesAndStatuses(result)).toEqual([
				['configuration', 'healthy'],
				['authentication', 'healthy'],
				['token_refresh', 'healthy'],
				['payment_link', 'healthy'],
			]);
			expect(result.details?.tokenRefreshed).toBe(true);
			expect(tokenRequests()).toHaveLength(2);
			const [, rejected, retried] = orderRequests();
			expect(header(rejected, 'authorization')).not.toBe(header(retried, 'authorization'));
			expect(header(rejected, 'paypal-request-id')).not.toBe(header(retried, 'paypal-request-id'));
			expect(result.details?.requestIds).toEqual([header(rejected, 'paypal-request-id'), header(retried, 'paypal-request-id')]);
		});

		test('a new token rejected too: auth.invalid_credentials after exactly one refresh', async () => {
			const paypal = provider();
			await run(paypal);
			// The cached token is flushed and every new token is born expired.
			emulator.patchState({ tokenGeneration: 2, tokenTtlSeconds: 0 });
			const result = await run(paypal);
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true });
			expect(result.cause?.message).toContain('invalid_token');
			expect(checkOf(result, 'payment_link').status).toBe('down');
			expect(tokenRequests()).toHaveLength(2);
			expect(orderRequests()).toHaveLength(3);
		});

		test('the refresh itself refused: token_refresh carries the cause', async () => {
			const paypal = provider();
			await run(paypal);
			emulator.patchState({ revokedTokens: Object.keys(emulator.state.issuedTokens) });
			emulator.setFault('paypal.oauthToken', { status: 401 });
			const result = await run(paypal);
			expect(result.cause?.code).toBe('auth.invalid_credentials');
			expect(checkOf(result, 'token_refresh').status).toBe('down');
			expect(result.checks.map((check) => check.name)).not.toContain('payment_link');
		});

		test('401 AUTHENTICATION_FAILURE on orders: one refresh, then auth.invalid_credentials', async () => {
			emulator.setFault('paypal.createOrder', { status: 401 });
			const result = await run();
			expect(result.cause).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true });
			expect(result.cause?.message).toContain('AUTHENTICATION_FAILURE');
			expect(tokenRequests()).toHaveLength(2);
			expect(orderRequests()).toHaveLength(2);
		});

		test('403 NOT_AUTHORIZED on orders: auth.forbidden', async () => {
			emulator.setFault('paypal.createOrder', { status: 403 });
			const result = await run();
			expect(result.cause).toMatchObject({ code: 'auth.forbidden', needsHuman: true });
			expect(result.cause?.message).toContain('NOT_AUTHORIZED');
		});
	});

	describe('payment link', () => {
		test('an order without approve or payer-action link: payments.no_payment_link', async () => {
			emulator.patchState({ omitApproveLink: true });
			const result = await run();
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'payments.no_payment_link', needsHuman: true });
			expect(checkOf(result, 'payment_link').code).toBe('payments.no_payment_link');
			expect(result.details?.orderId).toBe(Object.keys(emulator.state.orders)[0]);
		});

		test('PayPal-Request-Id is present and unique per attempt across checks and retries', async () => {
			const paypal = provider();
			await run(paypal);
			emulator.setFault('paypal.createOrder', { status: 429, retryAfter: 1, times: 1 });
			await run(paypal, { timeoutMs: RETRY_TIMEOUT_MS });
			await run(paypal);
			expect(requestIdsSent()).toEqual(issuedKeys);
			expect(issuedKeys).toHaveLength(4);
			expect(new Set(issuedKeys).size).toBe(4);
		});
	});

	describe('rate limits', () => {
		test('429 on orders with a Retry-After that fits: retried once with a fresh PayPal-Request-Id', async () => {
			emulator.setFault('paypal.createOrder', { status: 429, retryAfter: 1, times: 1 });
			const result = await run(provider(), { timeoutMs: RETRY_TIMEOUT_MS });
			expect(result.status).toBe('healthy');
			expect(checkOf(result, 'payment_link').value).toMatchObject({ retried: true });
			expect(checkOf(result, 'payment_link').durationMs).toBeGreaterThanOrEqual(900);
			const [limited, retried] = orderRequests();
			expect(limited.fault?.status).toBe(429);
			expect(header(limited, 'paypal-request-id')).not.toBe(header(retried, 'paypal-request-id'));
		});

		test('429 on the token with a Retry-After that fits: retried, healthy', async () => {
			emulator.setFault('paypal.oauthToken', { status: 429, retryAfter: 1, times: 1 });
			const result = await run(provider(), { timeoutMs: RETRY_TIMEOUT_MS });
			expect(result.status).toBe('healthy');
			expect(tokenRequests()).toHaveLength(2);
		});

		test('429 without Retry-After: provider.rate_limited, degraded, not retried', async () => {
			emulator.setFault('paypal.createOrder', { status: 429, retryAfter: null });
			const result = await run(provider(), { timeoutMs: RETRY_TIMEOUT_MS });
			expect(result.status).toBe('degraded');
			expect(result.cause).toMatchObject({ code: 'provider.rate_limited', retryable: true, needsHuman: false });
			expect(result.cause?.message).toContain('RATE_LIMIT_REACHED');
			expect(orderRequests()).toHaveLength(1);
		});

		test('429 whose Retry-After does not fit the timeout: degraded at once', async () => {
			emulator.setFault('paypal.createOrder', { status: 429, retryAfter: 30 });
			const started = Date.now();
			const result = await run();
			expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
			expect(result.status).toBe('degraded');
			expect(result.cause?.code).toBe('provider.rate_limited');
			expect(result.cause?.message).toMatch(/30 s/);
			expect(orderRequests()).toHaveLength(1);
		});

		test('429 on the token endpoint without Retry-After: authentication degraded, no order', async () => {
			emulator.setFault('paypal.oauthToken', { status: 429, retryAfter: null });
			const result = await run();
			expect(result.status).toBe('degraded');
			expect(checkOf(result, 'authentication').status).toBe('degraded');
			expect(orderRequests()).toHaveLength(0);
		});
	});

	describe('server errors and transport faults', () => {
		test.each([
			[500, 'INTERNAL_SERVER_ERROR'],
			[503, 'SERVICE_UNAVAILABLE'],
		])('%i on orders: provider.server_error, down, with the debug id', async (status, name) => {
			emulator.setFault('paypal.createOrder', { status });
			const result = await run();
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'provider.server_error', retryable: true, needsHuman: false });
			expect(result.cause?.message).toContain(name);
			expect(result.details?.error).toMatchObject({ httpStatus: status, error: name });
			expect(String((result.details?.error as Record<string, unknown>).debugId)).toMatch(/^[0-9a-f]{13}$/);
		});

		test('500 on the token endpoint: authentication down with provider.server_error', async () => {
			emulator.setFault('paypal.oauthToken', { status: 500 });
			const result = await run();
			expect(result.cause?.code).toBe('provider.server_error');
			expect(checkOf(result, 'authentication').status).toBe('down');
		});

		test.each([['paypal.oauthToken', 'authentication'], ['paypal.createOrder', 'payment_link']])(
			'malformed JSON from %s: provider.malformed_response on %s',
			async (route, check) => {
				emulator.setFault(route, { malformed: true });
				const result = await run();
				expect(result.cause?.code).toBe('provider.malformed_response');
				expect(checkOf(result, check).status).toBe('down');
			},
		);

		test.each([['paypal.oauthToken', 'authentication'], ['paypal.createOrder', 'payment_link']])(
			'a hang on %s: net.timeout on %s within the timeout + 1 s',
			async (route, check) => {
				const timeoutMs = 500;
				emulator.setFault(route, { hang: true });
				const started = Date.now();
				const result = await run(provider(), { timeoutMs });
				expect(Date.now() - started).toBeLessThan(timeoutMs + 1_000);
				expect(result.cause).toMatchObject({ code: 'net.timeout', retryable: true });
				expect(checkOf(result, check).durationMs).toBeLessThan(timeoutMs + 1_000);
			},
		);

		test.each([['paypal.oauthToken', 'authentication'], ['paypal.createOrder', 'payment_link']])(
			'a reset on %s: net.reset on %s',
			async (route, check) => {
				emulator.setFault(route, { reset: true });
				const result = await run();
				expect(result.cause?.code).toBe('net.reset');
				expect(checkOf(result, check).status).toBe('down');
			},
		);

		test('nothing listening: net.unreachable', async () => {
			const port = await closedPort();
			const result = await run(provider({ baseUrl: `http://127.0.0.1:${port}` }));
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('net.unreachable');
		});
	});

	test('the provider lists the secret and every issued token for redaction', async () => {
		const paypal = provider();
		await run(paypal);
		const token = Object.keys(emulator.state.issuedTokens)[0];
		expect(paypal.secrets).toEqual(expect.arrayContaining([SECRET, BASIC, token]));
		expect(paypal.secrets).not.toContain(CLIENT_ID);
	});
});
