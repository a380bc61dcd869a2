/**
 * DB Integrity in real n8n against a real Postgres and a real PostgREST: Check finds
 * the seeded defects, Repair restores images (dry run first) and imports an emptied
 * catalog from a file, Check Error Rate reads the logs, Supabase mode checks through
 * PostgREST, bad identifiers stop before any SQL, credential tests answer in plain
 * words, and n8n stores neither the password nor the service key.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Client } from 'pg';

import { validateCheckResult, validateRecoveryResult } from '../../nodes/shared/validate';
import { startPostgres, type PostgresHarness } from '../../dev/stack/postgres';
import { startPostgrest, type PostgrestHarness } from '../../dev/stack/postgrest';
import { applySchema } from '../../dev/stack/schema';
import { seedCatalog, seedLogs } from '../../dev/stack/seed';
import { createTestN8n, nodeItems, type TestN8n, type WorkflowJson } from '../../dev/n8n/testN8n';

const PG_CREDENTIAL = { id: 'dbIntegrityPg001', name: 'E2E Postgres', type: 'autorecoveryPostgresApi' };
const SB_CREDENTIAL = { id: 'dbIntegritySb001', name: 'E2E Supabase', type: 'autorecoverySupabaseApi' };

function workflow(id: string, parameters: Record<string, unknown>, backend: 'postgres' | 'supabase' = 'postgres'): WorkflowJson {
	const credentials =
		backend === 'postgres'
			? { autorecoveryPostgresApi: { id: PG_CREDENTIAL.id, name: PG_CREDENTIAL.name } }
			: { autorecoverySupabaseApi: { id: SB_CREDENTIAL.id, name: SB_CREDENTIAL.name } };
	return {
		id,
		name: `E2E DB Integrity ${id}`,
		nodes: [
			{ id: 't', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'd',
				name: 'DB Integrity',
				type: 'n8n-nodes-autorecovery.dbIntegrity',
				typeVersion: 1,
				position: [250, 0],
				parameters: { backend, ...parameters },
				credentials,
			},
		],
		connections: { 'Manual Trigger': { main: [[{ node: 'DB Integrity', type: 'main', index: 0 }]] } },
	};
}

async function count(client: Client, sql: string): Promise<number> {
	const { rows } = await client.query<{ n: string }>(sql);
	return Number(rows[0].n);
}

const MISSING = `SELECT count(*) AS n FROM products WHERE image_url IS NULL OR btrim(image_url) = ''`;

describe('DB Integrity in real n8n', () => {
	let pg: PostgresHarness;
	let rest: PostgrestHarness;
	let db: Client;
	let env: TestN8n;
	let dir: string;

	async function run(id: string, parameters: Record<string, unknown>, backend: 'postgres' | 'supabase' = 'postgres') {
		await env.importWorkflow(workflow(id, parameters, backend));
		const items = nodeItems(await env.execute(id), 'DB Integrity');
		expect(items).toHaveLength(1);
		return items[0] as Record<string, unknown> & { details?: Record<string, unknown>; recovery?: Record<string, unknown> };
	}

	beforeAll(async () => {
		pg = await startPostgres();
		db = await pg.connect();
		await applySchema(db);
		await seedCatalog(db, { products: 3000, missingImagesPct: 10, duplicateSkus: 4, orphanRows: 3, nonPositivePrices: 2, seed: 9 });
		await seedLogs(db, { rows: 2000, days: 2, errorPct: 1, now: new Date() });
		rest = await startPostgrest(pg);
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-integrity-e2e-'));
		env = await createTestN8n();
		await env.importCredentials([
			{ ...PG_CREDENTIAL, data: { ...pg.connection, ssl: 'disable' } },
			{ ...SB_CREDENTIAL, data: { url: rest.url, serviceRoleKey: rest.serviceRoleKey } },
		]);
	});
	afterAll(async () => {
		await env?.cleanup();
		await rest?.stop();
		await db?.end();
		await pg?.stop();
		if (dir) fs.rmSync(dir, { recursive: true, force: true });
	});

	test('Check reports the seeded defects with exact counts', async () => {
		const item = await run('dbiCheck00000001', { operation: 'check', customChecks: { check: [{ name: 'negative stock', query: 'SELECT count(*) FROM products WHERE stock < 0', maxCount: 0, severity: 'degraded' }] } });
		expect(validateCheckResult(item)).toEqual([]);
		expect(item).toMatchObject({ component: 'database', target: `postgres:${pg.name}`, status: 'degraded', cause: { code: 'database.products_without_images' } });
		expect(item.details).toMatchObject({ products: 3000, productsWithoutImages: 300, duplicateSkus: { groups: 4 }, invalidPrices: { count: 2 }, customChecks: { 'negative stock': 0 } });
	});

	test('Repair restores images: the dry run changes nothing, the real run fills exactly the missing ones', async () => {
		const dry = await run('dbiRepairDry0001', { operation: 'repair', repairAction: 'database.restore_images', dryRun: true });
		expect(validateRecoveryResult(dry)).toEqual([]);
		expect(dry.recovery).toMatchObject({ action: 'database.restore_images', dryRun: true, success: false, before: 'degraded' });
		expect(dry.details?.repair).toMatchObject({ dryRun: true, changed: 0 });
		const planned = (dry.details?.repair as { planned: number }).planned;
		expect(planned).toBeGreaterThan(250);
		expect(await count(db, MISSING)).toBe(300);

		const real = await run('dbiRepairReal001', { operation: 'repair', repairAction: 'database.restore_images', options: { batchSize: 100 } });
		expect(validateRecoveryResult(real)).toEqual([]);
		expect(real.recovery).toMatchObject({ action: 'database.restore_images', attempted: true, changed: planned });
		expect(await count(db, MISSING)).toBe(300 - planned);
		// Products whose SKU has no backup stay empty, so the images check may still degrade; the repair says so.
		expect(real.recovery?.success).toBe(300 - planned === 0);
	});

	test('Repair (auto) imports an emptied catalog from a JSON file, exactly once', async () => {
		const { rows } = await db.query<Record<string, unknown>>('SELECT id, sku, name, price, image_url FROM products ORDER BY id LIMIT 500');
		const file = path.join(dir, 'catalog.json');
		fs.writeFileSync(file, JSON.stringify(rows));
		await db.query('TRUNCATE products');
		const item = await run('dbiImportAuto001', { operation: 'repair', repairAction: 'auto', sourceKind: 'file', sourcePath: file, sourceFormat: 'json', maxRows: 1000 });
		expect(validateRecoveryResult(item)).toEqual([]);
		expect(item.recovery).toMatchObject({ action: 'database.import_catalog', success: true, before: 'down', after: 'healthy', changed: 500 });
		expect(await count(db, 'SELECT count(*) AS n FROM products')).toBe(500);
		const again = await run('dbiImportAuto002', { operation: 'repair', repairAction: 'database.import_catalog', sourceKind: 'file', sourcePath: file, sourceFormat: 'json', maxRows: 1000 });
		expect(again.recovery).toMatchObject({ attempted: false });
		expect(await count(db, 'SELECT count(*) AS n FROM products')).toBe(500);
	});

	test('Check Error Rate reads the bot logs (component logs)', async () => {
		const item = await run('dbiErrorRate0001', { operation: 'checkErrorRate' });
		expect(validateCheckResult(item)).toEqual([]);
		expect(item).toMatchObject({ component: 'logs', status: 'healthy' });
		expect(typeof item.details?.recent).toBe('number');
	});

	test('Check through Supabase (PostgREST) reads the same catalog', async () => {
		const item = await run('dbiSupabase00001', { operation: 'check', orphanChecks: {} }, 'supabase');
		expect(validateCheckResult(item)).toEqual([]);
		expect(item.target).toMatch(/^supabase:/);
		expect(item.details).toMatchObject({ products: 500 });
	});

	test('a column name that is not an identifier is an error naming the parameter, and nothing runs', async () => {
		await env.importWorkflow(workflow('dbiBadIdent00001', { operation: 'check', skuColumn: 'sku; DROP TABLE products' }));
		const failed = await env.execute('dbiBadIdent00001').catch((error: Error) => error);
		const text = failed instanceof Error ? failed.message : JSON.stringify(failed.data.resultData.error);
		expect(text).toMatch(/Parameter "SKU Column" must be a plain identifier/);
		expect(await count(db, `SELECT count(*) AS n FROM pg_tables WHERE tablename = 'products'`)).toBe(1);
	});

	test('credential tests answer in plain words; n8n stored no password or key', async () => {
		await env.startServer();
		const test = (type: string, data: Record<string, unknown>) => env.n8n.testCredential(type, data);
		expect(await test('autorecoveryPostgresApi', { ...pg.connection, password: 'wrong-password-xyz', ssl: 'disable' })).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/password authentication failed/),
		});
		expect(await test('autorecoverySupabaseApi', { url: rest.url, serviceRoleKey: rest.serviceRoleKey })).toMatchObject({ status: 'OK' });
		expect((await test('autorecoverySupabaseApi', { url: rest.url, serviceRoleKey: 'not-a-real-key' })).status).toBe('Error');
		const stored = env.storedText();
		expect(stored).not.toContain(pg.connection.password);
		expect(stored).not.toContain(rest.serviceRoleKey);
	});
});
