/**
 * The real PostgREST 12 behind the Supabase-like gateway, driven by supabase-js the
 * way the bot's nodes will drive a real Supabase project. The error bodies asserted
 * here are what those nodes will have to recognise.
 */
import type { Client } from 'pg';

import { signHs256Jwt } from '../../../dev/stack/jwt';
import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { startPostgrest, type PostgrestHarness } from '../../../dev/stack/postgrest';
import { applySchema } from '../../../dev/stack/schema';
import { seedCatalog } from '../../../dev/stack/seed';
import { createTestSupabaseClient } from '../../harness/supabaseClient';
import { GATEWAY_ERRORS } from '../../../dev/stack/supabaseGateway';

const PRODUCTS = 50;

describe('PostgREST harness', () => {
	let pg: PostgresHarness;
	let db: Client;
	let rest: PostgrestHarness;

	beforeAll(async () => {
		pg = await startPostgres();
		db = await pg.connect();
		await applySchema(db);
		await seedCatalog(db, { products: PRODUCTS, missingImagesPct: 10, seed: 1 });
		rest = await startPostgrest(pg);
	});

	afterAll(async () => {
		await rest?.stop();
		await db?.end();
		await pg?.stop();
	});

	test('supabase-js with the service_role key reads the rows through the real PostgREST', async () => {
		const supabase = createTestSupabaseClient(rest.url, rest.serviceRoleKey);
		const { data, count, error, status } = await supabase.from('products').select('sku', { count: 'exact' }).order('id').limit(3);
		expect(error).toBeNull();
		expect(status).toBe(206); // a limited page of an exactly counted result
		expect(count).toBe(PRODUCTS);
		expect(data).toEqual([{ sku: 'SKU-0000001' }, { sku: 'SKU-0000002' }, { sku: 'SKU-0000003' }]);

		const missing = await supabase.from('products').select('id', { count: 'exact', head: true }).is('image_url', null);
		expect(missing.count).toBe(5);
	});

	test('service_role may write; the anon key may read but not write (PostgREST 42501 body)', async () => {
		const service = createTestSupabaseClient(rest.url, rest.serviceRoleKey);
		const inserted = await service.from('system_logs').insert({ level: 'info', message: 'via PostgREST' }).select('level, message');
		expect(inserted.error).toBeNull();
		expect(inserted.status).toBe(201);
		expect(inserted.data).toEqual([{ level: 'info', message: 'via PostgREST' }]);

		const anon = createTestSupabaseClient(rest.url, rest.anonKey);
		const read = await anon.from('categories').select('name').order('id').limit(1);
		expect(read.data).toEqual([{ name: 'Remeras' }]);

		const write = await anon.from('products').insert({ name: 'not allowed' });
		expect(write.status).toBe(401); // PostgREST answers 401 (not 403) when the role is the anon role
		expect(write.error).toEqual({ code: '42501', details: null, hint: null, message: 'permission denied for table products' });

		const logs = await anon.from('system_logs').select('*');
		expect(logs.error?.code).toBe('42501');
	});

	test('the gateway checks the apikey like Supabase: missing and wrong keys get 401 bodies', async () => {
		const missing = await fetch(`${rest.restUrl}/products?select=sku&limit=1`);
		expect(missing.status).toBe(401);
		expect(await missing.json()).toEqual(GATEWAY_ERRORS.missingKey);
		expect(GATEWAY_ERRORS.missingKey).toEqual({
			message: 'No API key found in request',
			hint: 'No `apikey` request header or url param was found.',
		});

		const wrong = await fetch(`${rest.restUrl}/products?select=sku&limit=1`, { headers: { apikey: 'not-a-key' } });
		expect(wrong.status).toBe(401);
		expect(await wrong.json()).toEqual({
			message: 'Invalid API key',
			hint: 'Double check your Supabase `anon` or `service_role` API key.',
		});

		const wrongViaClient = await createTestSupabaseClient(rest.url, 'not-a-key').from('products').select('sku');
		expect(wrongViaClient.status).toBe(401);
		expect(wrongViaClient.error).toEqual(expect.objectContaining({ message: 'Invalid API key' }));

		// The key may also come as ?apikey=…; it must not reach PostgREST as a filter.
		const viaQuery = await fetch(`${rest.restUrl}/products?select=sku&id=eq.2&apikey=${rest.anonKey}`);
		expect(viaQuery.status).toBe(200);
		expect(await viaQuery.json()).toEqual([{ sku: 'SKU-0000002' }]);

		const noRoute = await fetch(`${rest.url}/auth/v1/user`, { headers: { apikey: rest.anonKey } });
		expect(noRoute.status).toBe(404);
		expect(await noRoute.json()).toEqual(GATEWAY_ERRORS.noRoute);
	});

	test('PostgREST 12.0.2 reports an unknown table as 404 with code 42P01 (not PGRST205)', async () => {
		const { error, status } = await createTestSupabaseClient(rest.url, rest.serviceRoleKey).from('no_such_table').select('*');
		expect(status).toBe(404);
		expect(error).toEqual({ code: '42P01', details: null, hint: null, message: 'relation "public.no_such_table" does not exist' });
	});

	test('a valid apikey with a forged or expired Authorization JWT gets PostgREST\'s PGRST301', async () => {
		const askWith = async (token: string): Promise<{ status: number; body: unknown }> => {
			const response = await fetch(`${rest.restUrl}/products?select=sku&limit=1`, {
				headers: { apikey: rest.anonKey, authorization: `Bearer ${token}` },
			});
			return { status: response.status, body: await response.json() };
		};
		const forged = signHs256Jwt({ role: 'service_role', exp: 2_000_000_000 }, 'some-other-secret-that-is-long-enough');
		expect(await askWith(forged)).toEqual({
			status: 401,
			body: { code: 'PGRST301', details: null, hint: null, message: 'JWSError JWSInvalidSignature' },
		});
		const expired = signHs256Jwt({ role: 'service_role', exp: 1_600_000_000 }, rest.jwtSecret);
		expect(await askWith(expired)).toEqual({
			status: 401,
			body: { code: 'PGRST301', details: null, hint: null, message: 'JWT expired' },
		});
	});

	test('reloadSchemaCache makes a table created by a test visible', async () => {
		await db.query('CREATE TABLE orders (id serial PRIMARY KEY, total numeric); GRANT ALL ON orders TO service_role');
		await rest.reloadSchemaCache();
		const { data, error } = await createTestSupabaseClient(rest.url, rest.serviceRoleKey).from('orders').select('*');
		expect(error).toBeNull();
		expect(data).toEqual([]);
	});

	test('a dead PostgREST behind the gateway: supabase-js gets the gateway 502, and recovers after a restart', async () => {
		const supabase = createTestSupabaseClient(rest.url, rest.serviceRoleKey);
		await rest.stopBackend();
		const down = await supabase.from('products').select('sku').limit(1);
		expect(down.status).toBe(502);
		expect(down.data).toBeNull();
		expect(down.error).toEqual(expect.objectContaining({ message: 'An invalid response was received from the upstream server' }));

		await rest.startBackend();
		const up = await supabase.from('products').select('sku').limit(1);
		expect(up.error).toBeNull();
		expect(up.data).toHaveLength(1);
	});

	test('the whole Supabase URL unreachable: supabase-js resolves with a fetch error and status 0', async () => {
		const { url, serviceRoleKey } = rest;
		await rest.stop();
		// supabase-js retries GETs on network errors (3 times, ~7 s of backoff); not needed here.
		const { data, error, status } = await createTestSupabaseClient(url, serviceRoleKey).from('products').select('sku').retry(false);
		expect(data).toBeNull();
		expect(status).toBe(0);
		expect(error?.message).toMatch(/fetch failed/);
		expect(error?.code).toBe('');
		expect(error?.details).toMatch(/ECONNREFUSED/);
	});
});
