import type { Emulator } from '../../../dev/emulators/core/emulator';
import { call, describeTransportFaults, type RawResult } from './selfTest';
import {
	createMercadoPagoEmulator,
	mercadoPagoDefaults,
	type MercadoPagoState,
} from '../../../dev/emulators/payments/mercadopago';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const { sandboxToken, productionToken, collectorId } = mercadoPagoDefaults;

const preferenceBody = {
	items: [{ id: 'sku-1', title: 'Plan Pro', quantity: 1, unit_price: 1500 }],
	payer: { email: 'buyer@example.com' },
	back_urls: { success: 'https://x/ok', pending: 'https://x/pend', failure: 'https://x/fail' },
	auto_return: 'approved',
	external_reference: 'order-123',
	notification_url: 'https://x/mp-webhook',
};

function bearer(token: string): Record<string, string> {
	return { authorization: `Bearer ${token}` };
}

function record(result: RawResult): Record<string, unknown> {
	expect(typeof result.json).toBe('object');
	return result.json as Record<string, unknown>;
}

describe('MercadoPago emulator', () => {
	let emulator: Emulator<MercadoPagoState>;
	beforeEach(async () => {
		emulator = await createMercadoPagoEmulator().start();
	});
	afterEach(async () => {
		await emulator.close();
	});

	const get = (path: string, headers: Record<string, string> = bearer(sandboxToken)) =>
		call(emulator.url + path, { headers });

	const createPreference = (
		body: unknown = preferenceBody,
		headers: Record<string, string> = bearer(sandboxToken),
		path = '/checkout/preferences',
	) =>
		call(emulator.url + path, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: typeof body === 'string' ? body : JSON.stringify(body),
		});

	describe('tokens', () => {
		test('default tokens have the documented shapes, end in the collector id, and never look like live keys', () => {
			expect(sandboxToken).toMatch(/^TEST-\d+-\d{6}-[0-9a-f]+-\d+$/);
			expect(productionToken).toMatch(/^APP_USR-/);
			expect(productionToken).not.toMatch(/APP_USR-[0-9]{6,}-[0-9]{6}-[a-f0-9]{20,}/);
			expect(sandboxToken.endsWith(`-${collectorId}`)).toBe(true);
			expect(productionToken.endsWith(`-${collectorId}`)).toBe(true);
		});
	});

	describe('GET /users/me', () => {
		test('returns the user behind the token, without the test_user tag by default', async () => {
			const result = await get('/users/me');
			expect(result.status).toBe(200);
			const user = record(result);
			expect(user).toMatchObject({ id: collectorId, site_id: 'MLA', country_id: 'AR', tags: ['normal'] });
			const fields = ['nickname', 'registration_date', 'first_name', 'last_name', 'email', 'identification', 'status'];
			for (const field of fields) expect(user).toHaveProperty(field);
		});

		test('testUser adds the test_user tag', async () => {
			emulator.patchState({ testUser: true });
			const user = record(await get('/users/me'));
			expect(user.tags).toEqual(['normal', 'test_user']);
		});

		test('the user id is the last segment of the token', async () => {
			const other = 'TEST-0000000000000000-010100-deadbeefdeadbeefdeadbeefdeadbeef-987654321';
			emulator.patchState({ validTokens: [sandboxToken, other] });
			expect(record(await get('/users/me', bearer(other))).id).toBe(987654321);
		});

		test('the production token works while live credentials are enabled', async () => {
			expect((await get('/users/me', bearer(productionToken))).status).toBe(200);
		});
	});

	describe('authentication errors', () => {
		test('no token: 401 with cause code 5', async () => {
			const result = await get('/users/me', {});
			expect(result.status).toBe(401);
			expect(result.json).toEqual({
				message: 'Must provide your access_token to proceed',
				error: 'unauthorized',
				status: 401,
				cause: [{ code: 5, description: 'Must provide your access_token to proceed', data: null }],
			});
		});

		test('an empty Bearer is the same as no token', async () => {
			const result = await get('/users/me', { authorization: 'Bearer ' });
			expect(result.status).toBe(401);
			expect(record(result).cause).toEqual([expect.objectContaining({ code: 5 })]);
		});

		test('a non-Bearer Authorization header: 400 Invalid credentials, cause 17', async () => {
			const result = await get('/users/me', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` });
			expect(result.status).toBe(400);
			expect(result.json).toEqual({
				message: 'Invalid credentials',
				error: 'bad_request',
				status: 400,
				cause: [{ code: 17, description: 'Invalid credentials', data: null }],
			});
		});

		test('unknown token: 401 unauthorized / invalid_access_token', async () => {
			const result = await get('/users/me', bearer('TEST-1-010100-abc-1'));
			expect(result.status).toBe(401);
			expect(result.json).toEqual({
				message: 'invalid_access_token',
				error: 'unauthorized',
				status: 401,
				cause: [{ code: 'invalid_access_token', description: 'access denied', data: null }],
			});
		});

		test('revokedTokens wins over validTokens', async () => {
			emulator.patchState({ revokedTokens: [sandboxToken] });
			const result = await createPreference();
			expect(result.status).toBe(401);
			expect(record(result)).toMatchObject({ error: 'unauthorized', message: 'invalid_access_token' });
			expect((await get('/users/me', bearer(productionToken))).status).toBe(200);
		});

		test('validTokens decides which tokens work', async () => {
			emulator.patchState({ validTokens: [productionToken] });
			expect((await get('/users/me')).status).toBe(401);
			expect((await get('/users/me', bearer(productionToken))).status).toBe(200);
		});

		test('live credentials not enabled: APP_USR tokens get 401 cause 7, TEST tokens still work', async () => {
			const patched = await call(`${emulator.url}/__emulator/state`, {
				method: 'PATCH',
				body: JSON.stringify({ liveCredentialsEnabled: false }),
			});
			expect(patched.status).toBe(200);
			const result = await createPreference(preferenceBody, bearer(productionToken));
			expect(result.status).toBe(401);
			expect(result.json).toEqual({
				message: 'Unauthorized use of live credentials',
				error: 'unauthorized',
				status: 401,
				cause: [{ code: 7, description: 'Unauthorized use of live credentials', data: null }],
			});
			expect((await get('/users/me')).status).toBe(200);
		});
	});

	describe('POST /checkout/preferences', () => {
		test('201 with id "<collector_id>-<uuid>", both links on the site domain, and the request echoed', async () => {
			const result = await createPreference();
			expect(result.status).toBe(201);
			const pref = record(result);
			const id = String(pref.id);
			expect(id).toMatch(new RegExp(`^${collectorId}-${UUID}$`));
			expect(pref).toMatchObject({
				collector_id: collectorId,
				client_id: mercadoPagoDefaults.appId,
				operation_type: 'regular_payment',
				external_reference: 'order-123',
				init_point: `https://www.mercadopago.com.ar/checkout/v1/redirect?pref_id=${id}`,
				sandbox_init_point: `https://sandbox.mercadopago.com.ar/checkout/v1/redirect?pref_id=${id}`,
				payer: expect.objectContaining({ email: 'buyer@example.com' }),
				back_urls: preferenceBody.back_urls,
				auto_return: 'approved',
				notification_url: 'https://x/mp-webhook',
			});
			expect(pref.items).toEqual([
				expect.objectContaining({ id: 'sku-1', title: 'Plan Pro', quantity: 1, unit_price: 1500, currency_id: 'ARS' }),
			]);
			expect(String(pref.date_created)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}-03:00$/);
		});

		test("the SDK's trailing-slash path works too", async () => {
			const result = await createPreference(preferenceBody, bearer(sandboxToken), '/checkout/preferences/');
			expect(result.status).toBe(201);
			expect(emulator.requests('mercadopago.createPreference')).toHaveLength(1);
		});

		test('the site decides the link domain and the default currency', async () => {
			emulator.patchState({ siteId: 'MLB' });
			const pref = record(await createPreference());
			expect(String(pref.init_point)).toMatch(/^https:\/\/www\.mercadopago\.com\.br\/checkout\/v1\/redirect\?pref_id=/);
			expect(String(pref.sandbox_init_point)).toMatch(/^https:\/\/sandbox\.mercadopago\.com\.br\//);
			expect((pref.items as Array<Record<string, unknown>>)[0].currency_id).toBe('BRL');
		});

		test.each([
			['title', { quantity: 1, unit_price: 10 }, 'title invalid'],
			['quantity', { title: 'x', unit_price: 10 }, 'quantity invalid'],
			['unit_price', { title: 'x', quantity: 1 }, 'unit_price invalid'],
		])('an item without %s: 400 invalid_items', async (_field, item, description) => {
			const result = await createPreference({ items: [item] });
			expect(result.status).toBe(400);
			expect(result.json).toEqual({
				message: description,
				error: 'bad_request',
				status: 400,
				cause: [{ code: 'invalid_items', description, data: null }],
			});
		});

		test('no items at all: 400 invalid_items', async () => {
			const result = await createPreference({ payer: { email: 'a@b.c' } });
			expect(result.status).toBe(400);
			expect(record(result).cause).toEqual([{ code: 'invalid_items', description: 'items invalid', data: null }]);
		});

		test('a body that is not JSON: 400 in the MP envelope', async () => {
			const result = await createPreference('not json');
			expect(result.status).toBe(400);
			expect(record(result)).toMatchObject({ error: 'bad_request', status: 400 });
		});

		test('replaying an X-Idempotency-Key returns the same preference; a new key makes a new one', async () => {
			const key = { ...bearer(sandboxToken), 'x-idempotency-key': 'idem-1' };
			const first = await createPreference(preferenceBody, key);
			const replay = await createPreference(preferenceBody, key);
			const other = await createPreference(preferenceBody, { ...bearer(sandboxToken), 'x-idempotency-key': 'idem-2' });
			expect(first.status).toBe(201);
			expect(replay.status).toBe(201);
			expect(replay.json).toEqual(first.json);
			expect(record(other).id).not.toBe(record(first).id);
			expect(emulator.state.idempotencyKeys).toEqual({ 'idem-1': record(first).id, 'idem-2': record(other).id });
			expect(Object.keys(emulator.state.preferences)).toHaveLength(2);
			expect(emulator.requests('mercadopago.createPreference')[0].headers['x-idempotency-key']).toBe('idem-1');
		});

		test('omitInitPoint leaves init_point out (create and get); sandbox_init_point stays', async () => {
			emulator.patchState({ omitInitPoint: true });
			const pref = record(await createPreference());
			expect(pref).not.toHaveProperty('init_point');
			expect(pref).toHaveProperty('sandbox_init_point');
			const fetched = record(await get(`/checkout/preferences/${String(pref.id)}`));
			expect(fetched).not.toHaveProperty('init_point');
		});

		test('omitSandboxInitPoint leaves sandbox_init_point out', async () => {
			emulator.patchState({ omitSandboxInitPoint: true });
			const pref = record(await createPreference());
			expect(pref).toHaveProperty('init_point');
			expect(pref).not.toHaveProperty('sandbox_init_point');
		});
	});

	describe('GET /checkout/preferences/:id', () => {
		test('returns the same object as the create', async () => {
			const created = record(await createPreference());
			const fetched = await get(`/checkout/preferences/${String(created.id)}`);
			expect(fetched.status).toBe(200);
			expect(fetched.json).toEqual(created);
		});

		test('an unknown id, or another collector’s preference: 404 in the MP envelope', async () => {
			const missing = await get('/checkout/preferences/123456789-nope');
			expect(missing.status).toBe(404);
			expect(record(missing)).toMatchObject({ error: 'not_found', status: 404, cause: [] });
			const created = record(await createPreference());
			const stranger = 'TEST-0000000000000000-010100-deadbeefdeadbeefdeadbeefdeadbeef-555';
			emulator.patchState({ validTokens: [sandboxToken, stranger] });
			expect((await get(`/checkout/preferences/${String(created.id)}`, bearer(stranger))).status).toBe(404);
		});
	});

	describe('injected status faults use the MP envelope', () => {
		test('401', async () => {
			emulator.setFault('mercadopago.usersMe', { status: 401 });
			const result = await get('/users/me');
			expect(result.status).toBe(401);
			expect(result.json).toEqual({
				message: 'invalid_access_token',
				error: 'unauthorized',
				status: 401,
				cause: [{ code: 'invalid_access_token', description: 'access denied', data: null }],
			});
		});

		test('429 with Retry-After in seconds', async () => {
			emulator.setFault('mercadopago.createPreference', { status: 429, retryAfter: 7 });
			const result = await createPreference();
			expect(result.status).toBe(429);
			expect(result.headers.get('retry-after')).toBe('7');
			expect(result.json).toEqual({ message: 'Too many requests', error: 'too_many_requests', status: 429, cause: [] });
		});

		test('429 without Retry-After when retryAfter is null', async () => {
			emulator.setFault('mercadopago.createPreference', { status: 429, retryAfter: null });
			const result = await createPreference();
			expect(result.status).toBe(429);
			expect(result.headers.get('retry-after')).toBeNull();
			expect(record(result)).toMatchObject({ error: 'too_many_requests', status: 429 });
		});

		test('500', async () => {
			emulator.setFault('mercadopago.createPreference', { status: 500 });
			const result = await createPreference();
			expect(result.status).toBe(500);
			expect(result.json).toEqual({ message: 'Internal server error', error: 'internal_server_error', status: 500, cause: [] });
			expect(emulator.state.preferences).toEqual({});
		});

		test.each([
			[403, 'forbidden'],
			[404, 'not_found'],
			[503, 'service_unavailable'],
		])('%i', async (status, error) => {
			emulator.setFault('*', { status });
			const result = await get('/users/me');
			expect(result.status).toBe(status);
			expect(record(result)).toMatchObject({ error, status, cause: [] });
			expect(typeof record(result).message).toBe('string');
		});
	});

	test('unknown paths get a 404 in the MP envelope', async () => {
		const result = await get('/v1/nothing-here');
		expect(result.status).toBe(404);
		expect(record(result)).toMatchObject({ error: 'not_found', status: 404, cause: [] });
	});

	describeTransportFaults(() => emulator, {
		routeId: 'mercadopago.usersMe',
		path: '/users/me',
		init: { headers: bearer(sandboxToken) },
	});
});
