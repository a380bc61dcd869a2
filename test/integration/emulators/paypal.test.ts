import type { Emulator } from '../../../dev/emulators/core/emulator';
import { call, describeTransportFaults, type RawResult } from './selfTest';
import {
	approvePayPalOrder,
	createPayPalEmulator,
	payPalDefaults,
	type PayPalState,
} from '../../../dev/emulators/payments/paypal';

interface Link {
	href: string;
	rel: string;
	method?: string;
}

const orderBody = {
	intent: 'CAPTURE',
	purchase_units: [{ reference_id: 'order-123', amount: { currency_code: 'USD', value: '100.00' } }],
};

const payerActionBody = {
	...orderBody,
	payment_source: {
		paypal: {
			experience_context: { return_url: 'https://x/ok', cancel_url: 'https://x/cancel', user_action: 'PAY_NOW' },
		},
	},
};

/** A purchase unit of 1.00 in `currency`. */
function unit(referenceId?: string, currency = 'USD'): Record<string, unknown> {
	return { ...(referenceId ? { reference_id: referenceId } : {}), amount: { currency_code: currency, value: '1.00' } };
}

function basic(clientId: string, secret: string): string {
	return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
}

const tokenInit: RequestInit = {
	method: 'POST',
	headers: {
		authorization: basic(payPalDefaults.clientId, payPalDefaults.clientSecret),
		'content-type': 'application/x-www-form-urlencoded',
	},
	body: 'grant_type=client_credentials',
};

function record(result: RawResult): Record<string, unknown> {
	expect(typeof result.json).toBe('object');
	return result.json as Record<string, unknown>;
}

function linksOf(result: RawResult): Link[] {
	return record(result).links as Link[];
}

function rels(result: RawResult): string[] {
	return linksOf(result).map((l) => l.rel);
}

function firstDetail(result: RawResult): Record<string, unknown> {
	return (record(result).details as Array<Record<string, unknown>>)[0];
}

describe('PayPal emulator', () => {
	let emulator: Emulator<PayPalState>;
	beforeEach(async () => {
		emulator = await createPayPalEmulator().start();
	});
	afterEach(async () => {
		await emulator.close();
	});

	const requestToken = (init: RequestInit = tokenInit) => call(`${emulator.url}/v1/oauth2/token`, init);

	async function accessToken(): Promise<string> {
		const result = await requestToken();
		expect(result.status).toBe(200);
		return String(record(result).access_token);
	}

	async function createOrder(
		body: unknown = orderBody,
		headers: Record<string, string> = {},
		token?: string,
	): Promise<RawResult> {
		const bearer = token ?? (await accessToken());
		return call(`${emulator.url}/v2/checkout/orders`, {
			method: 'POST',
			headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...headers },
			body: typeof body === 'string' ? body : JSON.stringify(body),
		});
	}

	async function orderCall(method: string, path: string, token?: string): Promise<RawResult> {
		const bearer = token ?? (await accessToken());
		return call(`${emulator.url}${path}`, {
			method,
			headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
		});
	}

	function expectNameShape(result: RawResult, status: number, name: string): Record<string, unknown> {
		expect(result.status).toBe(status);
		const body = record(result);
		expect(body.name).toBe(name);
		expect(typeof body.message).toBe('string');
		expect(String(body.debug_id)).toMatch(/^[0-9a-f]{13}$/);
		expect(result.headers.get('paypal-debug-id')).toBe(body.debug_id);
		expect(Array.isArray(body.links)).toBe(true);
		return body;
	}

	describe('POST /v1/oauth2/token', () => {
		test('client credentials get a Bearer token that lasts 32400 s', async () => {
			const result = await requestToken();
			expect(result.status).toBe(200);
			const body = record(result);
			expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 32400, app_id: payPalDefaults.appId });
			expect(String(body.access_token)).toMatch(/^A21AA/);
			expect(String(body.scope)).toContain('https://uri.paypal.com/services/');
			expect(typeof body.nonce).toBe('string');
			expect(Object.keys(emulator.state.issuedTokens)).toEqual([body.access_token]);
			expect(result.headers.get('paypal-debug-id')).toMatch(/^[0-9a-f]{13}$/);
		});

		test('bad credentials: 401 OAuth invalid_client, not the name/debug_id shape', async () => {
			const result = await requestToken({
				...tokenInit,
				headers: { ...(tokenInit.headers as Record<string, string>), authorization: basic(payPalDefaults.clientId, 'wrong') },
			});
			expect(result.status).toBe(401);
			expect(result.json).toEqual({ error: 'invalid_client', error_description: 'Client Authentication failed' });
		});

		test('no Basic header at all: 401 invalid_client', async () => {
			const result = await requestToken({ ...tokenInit, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
			expect(result.status).toBe(401);
			expect(record(result).error).toBe('invalid_client');
		});

		test('a rotated secret (state clientSecret) makes the configured credentials fail', async () => {
			emulator.patchState({ clientSecret: 'ETEST-rotated' });
			expect((await requestToken()).status).toBe(401);
			const rotated = await requestToken({
				...tokenInit,
				headers: {
					...(tokenInit.headers as Record<string, string>),
					authorization: basic(payPalDefaults.clientId, 'ETEST-rotated'),
				},
			});
			expect(rotated.status).toBe(200);
		});

		test('missing grant_type: 400 unsupported_grant_type "Grant Type is NULL"', async () => {
			const result = await requestToken({ ...tokenInit, body: '' });
			expect(result.status).toBe(400);
			expect(result.json).toEqual({ error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' });
		});

		test('a JSON body is not read as a form, so grant_type is NULL too', async () => {
			const result = await requestToken({
				...tokenInit,
				headers: {
					authorization: basic(payPalDefaults.clientId, payPalDefaults.clientSecret),
					'content-type': 'application/json',
				},
				body: JSON.stringify({ grant_type: 'client_credentials' }),
			});
			expect(result.status).toBe(400);
			expect(record(result).error_description).toBe('Grant Type is NULL');
		});

		test('another grant type: 400 unsupported_grant_type', async () => {
			const result = await requestToken({ ...tokenInit, body: 'grant_type=password' });
			expect(result.status).toBe(400);
			expect(record(result).error).toBe('unsupported_grant_type');
		});

		test('tokenTtlSeconds sets expires_in', async () => {
			emulator.patchState({ tokenTtlSeconds: 60 });
			expect(record(await requestToken()).expires_in).toBe(60);
		});
	});

	describe('bearer checks on the orders routes', () => {
		test('no Authorization header: 401 AUTHENTICATION_FAILURE in the name/debug_id shape', async () => {
			const result = await call(`${emulator.url}/v2/checkout/orders`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(orderBody),
			});
			const body = expectNameShape(result, 401, 'AUTHENTICATION_FAILURE');
			expect(body.message).toBe(
				'Authentication failed due to missing authorization header, or invalid authentication credentials.',
			);
		});

		test('a token PayPal never issued: 401 invalid_token "Token signature verification failed"', async () => {
			const result = await createOrder(orderBody, {}, 'not-a-paypal-token');
			expect(result.status).toBe(401);
			expect(result.json).toEqual({ error: 'invalid_token', error_description: 'Token signature verification failed' });
		});

		test('an unknown A21AA token: 401 invalid_token "Access Token not found in cache"', async () => {
			const result = await createOrder(orderBody, {}, 'A21AAunknown');
			expect(result.status).toBe(401);
			expect(result.json).toEqual({ error: 'invalid_token', error_description: 'Access Token not found in cache' });
		});

		test('an expired token (tokenTtlSeconds 0) is not found in cache', async () => {
			emulator.patchState({ tokenTtlSeconds: 0 });
			const result = await createOrder();
			expect(result.status).toBe(401);
			expect(record(result)).toEqual({ error: 'invalid_token', error_description: 'Access Token not found in cache' });
		});

		test('a revoked token is rejected; a fresh one works', async () => {
			const token = await accessToken();
			emulator.patchState({ revokedTokens: [token] });
			expect((await createOrder(orderBody, {}, token)).status).toBe(401);
			expect((await createOrder()).status).toBe(201);
		});

		test('raising tokenGeneration expires every earlier token (over HTTP too)', async () => {
			const token = await accessToken();
			await call(`${emulator.url}/__emulator/state`, { method: 'PATCH', body: JSON.stringify({ tokenGeneration: 2 }) });
			const stale = await orderCall('GET', '/v2/checkout/orders/ANY', token);
			expect(stale.status).toBe(401);
			expect(record(stale).error).toBe('invalid_token');
			expect((await createOrder()).status).toBe(201);
		});
	});

	describe('POST /v2/checkout/orders', () => {
		test('201 CREATED, minimal by default, with self/approve/update/capture links', async () => {
			const result = await createOrder();
			expect(result.status).toBe(201);
			const body = record(result);
			const id = String(body.id);
			expect(id).toMatch(/^[A-Z0-9]{17}$/);
			expect(Object.keys(body).sort()).toEqual(['id', 'links', 'status']);
			expect(body.status).toBe('CREATED');
			expect(linksOf(result)).toEqual([
				{ href: `${emulator.url}/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' },
				{ href: `https://www.sandbox.paypal.com/checkoutnow?token=${id}`, rel: 'approve', method: 'GET' },
				{ href: `${emulator.url}/v2/checkout/orders/${id}`, rel: 'update', method: 'PATCH' },
				{ href: `${emulator.url}/v2/checkout/orders/${id}/capture`, rel: 'capture', method: 'POST' },
			]);
			expect(result.headers.get('paypal-debug-id')).toMatch(/^[0-9a-f]{13}$/);
		});

		test('Prefer: return=representation adds intent, purchase_units and create_time', async () => {
			const result = await createOrder(orderBody, { prefer: 'return=representation' });
			expect(result.status).toBe(201);
			const body = record(result);
			expect(body).toMatchObject({ intent: 'CAPTURE', status: 'CREATED' });
			expect(body.purchase_units).toEqual([
				expect.objectContaining({ reference_id: 'order-123', amount: { currency_code: 'USD', value: '100.00' } }),
			]);
			expect(typeof body.create_time).toBe('string');
		});

		test('a purchase unit without reference_id is "default"', async () => {
			const result = await createOrder(
				{ intent: 'AUTHORIZE', purchase_units: [{ amount: { currency_code: 'EUR', value: '5' } }] },
				{ prefer: 'return=representation' },
			);
			expect(result.status).toBe(201);
			expect((record(result).purchase_units as Array<Record<string, unknown>>)[0].reference_id).toBe('default');
		});

		test('payment_source.paypal: PAYER_ACTION_REQUIRED with a payer-action link instead of approve', async () => {
			const result = await createOrder(payerActionBody);
			expect(result.status).toBe(201);
			const body = record(result);
			expect(body.status).toBe('PAYER_ACTION_REQUIRED');
			expect(body.payment_source).toEqual({ paypal: {} });
			expect(rels(result)).toEqual(['self', 'payer-action']);
			expect(linksOf(result)[1].href).toBe(`https://www.sandbox.paypal.com/checkoutnow?token=${String(body.id)}`);
		});

		test('forcePayerAction makes every order PAYER_ACTION_REQUIRED', async () => {
			emulator.patchState({ forcePayerAction: true });
			const result = await createOrder();
			expect(record(result).status).toBe('PAYER_ACTION_REQUIRED');
			expect(rels(result)).toContain('payer-action');
			expect(rels(result)).not.toContain('approve');
		});

		test('omitApproveLink drops both the approve and the payer-action link', async () => {
			emulator.patchState({ omitApproveLink: true });
			expect(rels(await createOrder())).toEqual(['self', 'update', 'capture']);
			expect(rels(await createOrder(payerActionBody))).toEqual(['self']);
		});

		test('environment live sends buyers to www.paypal.com', async () => {
			emulator.patchState({ environment: 'live' });
			const result = await createOrder();
			const approve = linksOf(result).find((l) => l.rel === 'approve');
			expect(approve?.href).toBe(`https://www.paypal.com/checkoutnow?token=${String(record(result).id)}`);
		});

		test('a replayed PayPal-Request-Id gets 200 with the same order; a new one gets 201', async () => {
			const token = await accessToken();
			const first = await createOrder(orderBody, { 'paypal-request-id': 'req-1' }, token);
			const replay = await createOrder(orderBody, { 'paypal-request-id': 'req-1' }, token);
			const other = await createOrder(orderBody, { 'paypal-request-id': 'req-2' }, token);
			expect(first.status).toBe(201);
			expect(replay.status).toBe(200);
			expect(replay.json).toEqual(first.json);
			expect(other.status).toBe(201);
			expect(record(other).id).not.toBe(record(first).id);
			expect(Object.keys(emulator.state.orders)).toHaveLength(2);
		});

		test('missing intent: 400 INVALID_REQUEST with details, links and paypal-debug-id', async () => {
			const result = await createOrder({ purchase_units: orderBody.purchase_units });
			const body = expectNameShape(result, 400, 'INVALID_REQUEST');
			expect(body.message).toBe('Request is not well-formed, syntactically incorrect, or violates schema.');
			expect(body.details).toEqual([
				{
					field: '/intent',
					location: 'body',
					issue: 'MISSING_REQUIRED_PARAMETER',
					description: 'A required field / parameter is missing.',
				},
			]);
			expect(body.links).toEqual([
				{ href: 'https://developer.paypal.com/docs/api/orders/v2/#error-MISSING_REQUIRED_PARAMETER', rel: 'information_link' },
			]);
		});

		test('an unknown intent: 400 INVALID_PARAMETER_VALUE', async () => {
			const result = await createOrder({ ...orderBody, intent: 'SALE' });
			expectNameShape(result, 400, 'INVALID_REQUEST');
			expect(firstDetail(result)).toMatchObject({ field: '/intent', value: 'SALE', issue: 'INVALID_PARAMETER_VALUE' });
		});

		test.each([
			['missing', 'MISSING_REQUIRED_PARAMETER', undefined],
			['empty', 'INVALID_ARRAY_MIN_ITEMS', []],
			[
				'more than 10',
				'INVALID_ARRAY_MAX_ITEMS',
				Array.from({ length: 11 }, (_, i) => unit(`r${i}`)),
			],
		])('purchase_units %s: 400 %s', async (_label, issue, units) => {
			const result = await createOrder({ intent: 'CAPTURE', purchase_units: units });
			expectNameShape(result, 400, 'INVALID_REQUEST');
			expect(firstDetail(result)).toMatchObject({ field: '/purchase_units', issue });
		});

		test('10 purchase units are fine', async () => {
			const units = Array.from({ length: 10 }, (_, i) => unit(`r${i}`));
			expect((await createOrder({ intent: 'CAPTURE', purchase_units: units })).status).toBe(201);
		});

		test('a purchase unit without amount: 400 MISSING_REQUIRED_PARAMETER on its JSON pointer', async () => {
			const result = await createOrder({ intent: 'CAPTURE', purchase_units: [{ reference_id: 'a' }] });
			expectNameShape(result, 400, 'INVALID_REQUEST');
			expect(firstDetail(result)).toMatchObject({
				field: "/purchase_units/@reference_id=='a'/amount",
				issue: 'MISSING_REQUIRED_PARAMETER',
			});
		});

		test('an unsupported currency: 422 UNPROCESSABLE_ENTITY CURRENCY_NOT_SUPPORTED', async () => {
			const result = await createOrder({ intent: 'CAPTURE', purchase_units: [unit(undefined, 'XXX')] });
			const body = expectNameShape(result, 422, 'UNPROCESSABLE_ENTITY');
			expect(body.details).toEqual([
				{
					field: "/purchase_units/@reference_id=='default'/amount/currency_code",
					value: 'XXX',
					location: 'body',
					issue: 'CURRENCY_NOT_SUPPORTED',
					description: 'Currency code is not currently supported.',
				},
			]);
			expect(body.links).toEqual([
				{ href: 'https://developer.paypal.com/docs/api/orders/v2/#error-CURRENCY_NOT_SUPPORTED', rel: 'information_link' },
			]);
		});

		test('several units need unique reference_ids: 422', async () => {
			const noRefs = await createOrder({ intent: 'CAPTURE', purchase_units: [unit(), unit()] });
			expectNameShape(noRefs, 422, 'UNPROCESSABLE_ENTITY');
			expect(firstDetail(noRefs).issue).toBe('REFERENCE_ID_REQUIRED');
			const dupes = await createOrder({ intent: 'CAPTURE', purchase_units: [unit('a'), unit('a')] });
			expect(firstDetail(dupes).issue).toBe('DUPLICATE_REFERENCE_ID');
		});

		test('a body that is not JSON: 400 MALFORMED_REQUEST_JSON', async () => {
			const result = await createOrder('{"intent":');
			expectNameShape(result, 400, 'INVALID_REQUEST');
			expect(firstDetail(result).issue).toBe('MALFORMED_REQUEST_JSON');
		});
	});

	describe('GET /v2/checkout/orders/:id', () => {
		test('returns the full order whatever Prefer says', async () => {
			const created = record(await createOrder());
			const result = await orderCall('GET', `/v2/checkout/orders/${String(created.id)}`);
			expect(result.status).toBe(200);
			expect(record(result)).toMatchObject({ id: created.id, intent: 'CAPTURE', status: 'CREATED' });
			expect(rels(result)).toContain('approve');
		});

		test('an unknown id: 404 RESOURCE_NOT_FOUND with INVALID_RESOURCE_ID', async () => {
			const result = await orderCall('GET', '/v2/checkout/orders/NOPE');
			expectNameShape(result, 404, 'RESOURCE_NOT_FOUND');
			expect(firstDetail(result)).toMatchObject({ location: 'path', issue: 'INVALID_RESOURCE_ID', value: 'NOPE' });
		});
	});

	describe('POST /v2/checkout/orders/:id/capture', () => {
		test('creating and reading an order never captures', async () => {
			const created = record(await createOrder());
			await orderCall('GET', `/v2/checkout/orders/${String(created.id)}`);
			expect(emulator.state.captures).toEqual([]);
			expect(emulator.requests('paypal.captureOrder')).toEqual([]);
		});

		test('an unapproved order: 422 ORDER_NOT_APPROVED, and the attempt is recorded', async () => {
			const id = String(record(await createOrder()).id);
			const result = await orderCall('POST', `/v2/checkout/orders/${id}/capture`);
			expectNameShape(result, 422, 'UNPROCESSABLE_ENTITY');
			expect(firstDetail(result).issue).toBe('ORDER_NOT_APPROVED');
			expect(emulator.state.captures).toEqual([expect.objectContaining({ orderId: id, result: 'ORDER_NOT_APPROVED' })]);
			expect(emulator.state.orders[id].status).toBe('CREATED');
		});

		test('after approval: 201 COMPLETED with a capture; a second capture is ORDER_ALREADY_CAPTURED', async () => {
			const id = String(record(await createOrder()).id);
			approvePayPalOrder(emulator, id);
			const approved = await orderCall('GET', `/v2/checkout/orders/${id}`);
			expect(rels(approved)).toEqual(['self', 'update', 'capture']);

			const result = await orderCall('POST', `/v2/checkout/orders/${id}/capture`);
			expect(result.status).toBe(201);
			const body = record(result);
			expect(body.status).toBe('COMPLETED');
			const unit = (body.purchase_units as Array<Record<string, unknown>>)[0];
			expect(unit.payments).toEqual({
				captures: [expect.objectContaining({ status: 'COMPLETED', amount: { currency_code: 'USD', value: '100.00' } })],
			});

			const again = await orderCall('POST', `/v2/checkout/orders/${id}/capture`);
			expectNameShape(again, 422, 'UNPROCESSABLE_ENTITY');
			expect(firstDetail(again).issue).toBe('ORDER_ALREADY_CAPTURED');
			expect(emulator.state.captures.map((c) => c.result)).toEqual(['COMPLETED', 'ORDER_ALREADY_CAPTURED']);
		});

		test('approval also works by patching the state over HTTP', async () => {
			const id = String(record(await createOrder()).id);
			await call(`${emulator.url}/__emulator/state`, {
				method: 'PATCH',
				body: JSON.stringify({ orders: { [id]: { status: 'APPROVED' } } }),
			});
			expect((await orderCall('POST', `/v2/checkout/orders/${id}/capture`)).status).toBe(201);
		});

		test('an unknown order: 404 RESOURCE_NOT_FOUND', async () => {
			expectNameShape(await orderCall('POST', '/v2/checkout/orders/NOPE/capture'), 404, 'RESOURCE_NOT_FOUND');
			expect(emulator.state.captures).toEqual([expect.objectContaining({ orderId: 'NOPE', result: 'RESOURCE_NOT_FOUND' })]);
		});
	});

	describe('injected status faults', () => {
		test('401 on the orders routes: AUTHENTICATION_FAILURE', async () => {
			const token = await accessToken();
			emulator.setFault('paypal.createOrder', { status: 401 });
			const result = await createOrder(orderBody, {}, token);
			expectNameShape(result, 401, 'AUTHENTICATION_FAILURE');
			expect(emulator.state.orders).toEqual({});
		});

		test('401 on the token route: OAuth invalid_client', async () => {
			emulator.setFault('paypal.oauthToken', { status: 401 });
			const result = await requestToken();
			expect(result.status).toBe(401);
			expect(result.json).toEqual({ error: 'invalid_client', error_description: 'Client Authentication failed' });
		});

		test('429 RATE_LIMIT_REACHED with Retry-After', async () => {
			const token = await accessToken();
			emulator.setFault('paypal.createOrder', { status: 429, retryAfter: 30 });
			const result = await createOrder(orderBody, {}, token);
			const body = expectNameShape(result, 429, 'RATE_LIMIT_REACHED');
			expect(body.message).toBe('Too many requests. Blocked due to rate limiting.');
			expect(result.headers.get('retry-after')).toBe('30');
		});

		test('429 without Retry-After when retryAfter is null', async () => {
			emulator.setFault('paypal.oauthToken', { status: 429, retryAfter: null });
			const result = await requestToken();
			expectNameShape(result, 429, 'RATE_LIMIT_REACHED');
			expect(result.headers.get('retry-after')).toBeNull();
		});

		test.each([
			[500, 'INTERNAL_SERVER_ERROR', 'An internal server error occurred.'],
			[503, 'SERVICE_UNAVAILABLE', 'Service Unavailable.'],
			[403, 'NOT_AUTHORIZED', 'Authorization failed due to insufficient permissions.'],
			[404, 'RESOURCE_NOT_FOUND', 'The specified resource does not exist.'],
		])('%i %s', async (status, name, message) => {
			const token = await accessToken();
			emulator.setFault('*', { status });
			const body = expectNameShape(await createOrder(orderBody, {}, token), status, name);
			expect(body.message).toBe(message);
		});
	});

	test('unknown paths: 404 RESOURCE_NOT_FOUND', async () => {
		expectNameShape(await call(`${emulator.url}/v1/nothing`), 404, 'RESOURCE_NOT_FOUND');
	});

	describeTransportFaults(() => emulator, { routeId: 'paypal.oauthToken', path: '/v1/oauth2/token', init: tokenInit });
});
