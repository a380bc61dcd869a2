/**
 * DB Integrity's Supabase backend against the real PostgREST 12 behind the
 * Supabase-like gateway, on the fixture schema: the Check result for every catalog
 * state, for wrong/anon keys, unknown tables, a dead backend and a hanging gateway,
 * and the image restore (dry run, refusal, real run, idempotent re-run, conflicts).
 * Ground truth comes from the same database through a direct pg connection.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import type { SupabaseClient } from '@supabase/supabase-js';
import type { Client } from 'pg';

import { AutorecoverySupabaseApi } from '../../../credentials/AutorecoverySupabaseApi.credentials';
import { DEFAULT_LAYOUT, type CatalogLayout, type CatalogThresholds } from '../../../nodes/DbIntegrity/catalog/types';
import type { RepairPlan, RepairSource } from '../../../nodes/DbIntegrity/repair/types';
import { readCatalogFindingsViaSupabase, SupabaseCatalogError } from '../../../nodes/DbIntegrity/supabase/catalogFindings';
import { checkCatalogViaSupabase } from '../../../nodes/DbIntegrity/supabase/checkCatalogViaSupabase';
import {
	createSupabaseCatalogClient,
	supabaseSecrets,
	SupabaseSettingsError,
	type SupabaseSettings,
} from '../../../nodes/DbIntegrity/supabase/client';
import { RepairPlanError, restoreImagesViaSupabase } from '../../../nodes/DbIntegrity/supabase/restoreImagesViaSupabase';
import type { CheckEntry, CheckResult } from '../../../nodes/shared/contract';
import { IdentifierError } from '../../../nodes/shared/sql/identifiers';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { startPostgrest, type PostgrestHarness } from '../../../dev/stack/postgrest';
import { applySchema } from '../../../dev/stack/schema';
import { ORPHAN_CATEGORY_BASE, PRODUCT_IMAGE_BASE_URL, seedCatalog } from '../../../dev/stack/seed';

const TIMEOUT_MS = 3_000;
const THRESHOLDS: CatalogThresholds = { missingImagesAbove: 0, sampleSize: 5 };
const ORPHAN_CHECK = 'orphans:products.category_id->categories.id';
const WRONG_KEY = 'test-service-key-not-real-wrong';

describe('DB Integrity via Supabase (real PostgREST)', () => {
	let pg: PostgresHarness;
	let db: Client;
	let rest: PostgrestHarness;
	let settings: SupabaseSettings;
	let client: SupabaseClient;

	/** Every secret any test may have used: none may appear in an output. */
	const allKeys = (): string[] => [rest.serviceRoleKey, rest.anonKey, WRONG_KEY];

	function expectClean(value: unknown): void {
		const json = JSON.stringify(value);
		for (const key of allKeys()) expect(json).not.toContain(key);
	}

	function expectValid(result: CheckResult): CheckResult {
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.component).toBe('database');
		expect(result.target).toBe(`supabase:${new URL(rest.url).host}`);
		expectClean(result);
		return result;
	}

	function check(result: CheckResult, name: string): CheckEntry {
		const entry = result.checks.find((c) => c.name === name);
		if (!entry) throw new Error(`no check ${name} in ${result.checks.map((c) => c.name).join(', ')}`);
		return entry;
	}

	const checkCatalog = (overrides: Partial<SupabaseSettings> = {}, layout: CatalogLayout = DEFAULT_LAYOUT, thresholds = THRESHOLDS, maxScanRows = 10_000) =>
		checkCatalogViaSupabase({ ...settings, ...overrides }, layout, thresholds, { maxScanRows }).then(expectValid);

	async function missingImageRows(): Promise<Array<{ id: string; sku: string | null }>> {
		const result = await db.query<{ id: string; sku: string | null }>(
			`SELECT id::text, sku FROM products WHERE image_url IS NULL OR btrim(image_url) = '' ORDER BY products.id`,
		);
		return result.rows;
	}

	async function imagesBySku(): Promise<Map<string, string | null>> {
		const result = await db.query<{ id: string; image_url: string | null }>('SELECT id::text, image_url FROM products ORDER BY products.id');
		return new Map(result.rows.map((row) => [row.id, row.image_url]));
	}

	beforeAll(async () => {
		pg = await startPostgres();
		db = await pg.connect();
		await applySchema(db);
		rest = await startPostgrest(pg);
		settings = { url: rest.url, key: rest.serviceRoleKey, timeoutMs: TIMEOUT_MS };
		client = createSupabaseCatalogClient(settings);
	});

	afterAll(async () => {
		await rest?.stop();
		await db?.end();
		await pg?.stop();
	});

	describe('Check', () => {
		test('a healthy catalog: every check passes, counts match the database', async () => {
			await seedCatalog(db, { products: 60, seed: 1 });
			const result = await checkCatalog();
			expect(result.status).toBe('healthy');
			expect(result.cause).toBeUndefined();
			expect(result.checks.map((c) => [c.name, c.status])).toEqual([
				['connect', 'healthy'],
				['catalog_not_empty', 'healthy'],
				['product_images', 'healthy'],
				['unique_skus', 'healthy'],
				['prices_positive', 'healthy'],
				[ORPHAN_CHECK, 'healthy'],
			]);
			expect(check(result, 'catalog_not_empty').value).toBe(60);
			expect(check(result, 'connect').durationMs).toBeGreaterThanOrEqual(0);
			expect(result.details).toMatchObject({ backend: 'supabase', products: 60, productsWithoutImages: 0 });
		});

		test('an empty catalog is down with database.catalog_empty', async () => {
			await db.query('TRUNCATE products RESTART IDENTITY');
			const result = await checkCatalog();
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('database.catalog_empty');
			expect(check(result, 'catalog_not_empty')).toMatchObject({ status: 'down', value: 0 });
			expect(check(result, 'connect').status).toBe('healthy');
		});

		test('missing images (NULL or empty): exact count and the first ids, degraded above the threshold only', async () => {
			const seeded = await seedCatalog(db, { products: 200, missingImagesPct: 10, seed: 2 });
			// Blank (spaces only) counts as missing, like btrim(x) = '' in the Postgres backend; a tab does not.
			await db.query(`UPDATE products SET image_url = '' WHERE id IN (SELECT id FROM products WHERE image_url IS NOT NULL ORDER BY id LIMIT 2)`);
			await db.query(`UPDATE products SET image_url = '   ' WHERE id = (SELECT max(id) FROM products WHERE image_url IS NOT NULL)`);
			await db.query(`UPDATE products SET image_url = E'\\t' WHERE id = (SELECT max(id) FROM products WHERE image_url <> '   ')`);
			const expected = await missingImageRows();
			expect(expected).toHaveLength(seeded.missingImages + 3);

			const above = await checkCatalog();
			expect(above.status).toBe('degraded');
			expect(above.cause?.code).toBe('database.products_without_images');
			expect(check(above, 'product_images')).toMatchObject({ status: 'degraded', value: 23 });
			expect(above.details?.productsWithoutImages).toBe(23);
			expect(above.details?.productsWithoutImagesSample).toEqual(expected.slice(0, THRESHOLDS.sampleSize));
			expect(above.cause?.message).toMatch(/23 products have no image \(11\.5%\)/);

			const within = await checkCatalog({}, DEFAULT_LAYOUT, { missingImagesAbove: 23, sampleSize: 5 });
			expect(within.status).toBe('healthy');
			expect(check(within, 'product_images')).toMatchObject({ status: 'healthy', value: 23 });
			expect(check(within, 'product_images').message).toMatch(/23 without one, within the threshold of 23/);
		});

		test('duplicate SKUs, orphan rows and non-positive prices, read across several 1000-row pages', async () => {
			const seeded = await seedCatalog(db, { products: 2_500, duplicateSkus: 30, orphanRows: 12, nonPositivePrices: 4, seed: 3 });
			// Blank SKUs are not duplicates of each other; a SKU used three times is listed first.
			await db.query(`UPDATE products SET sku = '  ' WHERE id IN (1, 2)`);
			await db.query(`UPDATE products SET sku = '' WHERE id = 3`);
			await db.query(`UPDATE products SET sku = 'SKU-TRIPLE' WHERE id IN (10, 11, 12)`);
			const result = await checkCatalog({}, DEFAULT_LAYOUT, THRESHOLDS, 5_000);
			expect(result.status).toBe('degraded');

			const dupSample = await db.query<{ sku: string; n: string }>(
				`SELECT sku, count(*) AS n FROM products WHERE btrim(sku) <> '' GROUP BY sku HAVING count(*) > 1 ORDER BY count(*) DESC, sku`,
			);
			const rows = dupSample.rows.reduce((sum, row) => sum + Number(row.n), 0);
			expect(check(result, 'unique_skus')).toMatchObject({ status: 'degraded', value: dupSample.rows.length, code: 'database.duplicate_skus' });
			expect(result.details?.duplicateSkus).toEqual({ groups: dupSample.rows.length, rows, sample: dupSample.rows.slice(0, 5).map((r) => r.sku) });
			expect(dupSample.rows.length).toBeGreaterThanOrEqual(seeded.duplicateSkus - 6);
			expect(dupSample.rows[0]).toEqual({ sku: 'SKU-TRIPLE', n: '3' });

			expect(check(result, ORPHAN_CHECK)).toMatchObject({ status: 'degraded', value: 12, code: 'database.orphan_rows' });
			const orphans = (result.details?.orphans as Array<{ count: number; sample: string[] }>)[0];
			expect(orphans?.count).toBe(12);
			expect(orphans?.sample.length).toBe(5);
			for (const value of orphans?.sample ?? []) expect(Number(value)).toBeGreaterThanOrEqual(ORPHAN_CATEGORY_BASE);

			const priceRows = await db.query<{ id: string; sku: string }>(`SELECT id::text, sku FROM products WHERE price <= 0 ORDER BY products.id`);
			expect(priceRows.rows).toHaveLength(4);
			expect(check(result, 'prices_positive')).toMatchObject({ status: 'degraded', value: 4 });
			expect(result.details?.invalidPrices).toEqual({ count: 4, sample: priceRows.rows });
			// The first degraded check is the item's cause.
			expect(result.cause?.code).toBe('database.duplicate_skus');
		});

		test('no price column: the price check is left out', async () => {
			await seedCatalog(db, { products: 20, nonPositivePrices: 3, seed: 4 });
			const result = await checkCatalog({}, { ...DEFAULT_LAYOUT, priceColumn: '' });
			expect(result.status).toBe('healthy');
			expect(result.checks.map((c) => c.name)).not.toContain('prices_positive');
		});

		test('tables above maxScanRows: duplicates and orphans are reported as not checked, counts still exact', async () => {
			await seedCatalog(db, { products: 50, duplicateSkus: 5, orphanRows: 5, missingImagesPct: 10, seed: 5 });
			const result = await checkCatalog({}, DEFAULT_LAYOUT, THRESHOLDS, 10);
			expect(check(result, 'unique_skus')).toMatchObject({ status: 'healthy' });
			expect(check(result, 'unique_skus').message).toMatch(/^not checked: products has 50 rows, more than maxScanRows \(10\)/);
			expect(check(result, ORPHAN_CHECK).message).toMatch(/^not checked: products has 50 rows/);
			expect(result.details?.duplicateSkus).toEqual({ skipped: expect.stringMatching(/maxScanRows/) });
			expect(check(result, 'product_images').value).toBe(5);
			expect(result.status).toBe('degraded');
			expect(result.cause?.code).toBe('database.products_without_images');

			// The parent table alone may be too large, too.
			await seedCatalog(db, { products: 10, seed: 5 });
			const findings = await readCatalogFindingsViaSupabase(client, DEFAULT_LAYOUT, THRESHOLDS, { maxScanRows: 11 });
			expect(findings.orphans[0]).toEqual({ pair: DEFAULT_LAYOUT.orphanPairs[0], skipped: expect.stringMatching(/^categories has 12 rows/) });
		});

		test('scope: a repair\'s re-check runs only the connect check or only the checks it repairs', async () => {
			await seedCatalog(db, { products: 30, missingImagesPct: 10, duplicateSkus: 3, seed: 13 });
			const run = (scope: 'connection' | 'images' | 'notEmpty') =>
				checkCatalogViaSupabase(settings, DEFAULT_LAYOUT, THRESHOLDS, { maxScanRows: 10_000, scope }).then(expectValid);
			const connection = await run('connection');
			expect(connection.checks.map((c) => c.name)).toEqual(['connect']);
			expect(connection.status).toBe('healthy');
			const images = await run('images');
			expect(images.checks.map((c) => [c.name, c.status])).toEqual([
				['connect', 'healthy'],
				['product_images', 'degraded'],
			]);
			const notEmpty = await run('notEmpty');
			expect(notEmpty.checks.map((c) => [c.name, c.status])).toEqual([
				['connect', 'healthy'],
				['catalog_not_empty', 'healthy'],
			]);
		});

		test('a wrong key is down with auth.invalid_credentials on the connect check, and the key is not in the result', async () => {
			const result = await checkCatalog({ key: WRONG_KEY });
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('auth.invalid_credentials');
			expect(result.cause).toMatchObject({ retryable: false, needsHuman: true });
			expect(result.checks).toEqual([expect.objectContaining({ name: 'connect', status: 'down', code: 'auth.invalid_credentials' })]);
		});

		test('the anon key may read the catalog (Check works) but may not repair it', async () => {
			await seedCatalog(db, { products: 30, missingImagesPct: 10, seed: 6 });
			const result = await checkCatalog({ key: rest.anonKey });
			expect(result.status).toBe('degraded');
			expect(result.cause?.code).toBe('database.products_without_images');

			const anon = createSupabaseCatalogClient({ ...settings, key: rest.anonKey });
			const before = await imagesBySku();
			// anon cannot read the backup table: permission denied (PostgREST 401 for the anon role).
			const readError = await restoreImagesViaSupabase(anon, restorePlan()).catch((error: unknown) => error);
			expect(readError).toBeInstanceOf(SupabaseCatalogError);
			expect((readError as SupabaseCatalogError).step).toBe('read_source');
			expect((readError as SupabaseCatalogError).cause.code).toBe('auth.forbidden');
			expect((readError as SupabaseCatalogError).message).toMatch(/anon \(public\) key/);
			// With rows loaded elsewhere, the update itself is refused, and nothing changes.
			const rows = await missingImageRows();
			const pairs = rows.map((row) => [row.sku as string, `${PRODUCT_IMAGE_BASE_URL}${row.sku}.jpg`] as const);
			const writeError = await restoreImagesViaSupabase(anon, restorePlan({ source: FILE_SOURCE }), pairs).catch((error: unknown) => error);
			expect(writeError).toBeInstanceOf(SupabaseCatalogError);
			expect(writeError).toMatchObject({ step: 'update_products', changedBeforeFailure: 0, cause: expect.objectContaining({ code: 'auth.forbidden' }) });
			expectClean({ message: (writeError as Error).message, cause: (writeError as SupabaseCatalogError).cause });
			expect(await imagesBySku()).toEqual(before);
		});

		test('an unknown table or column is down with database.schema_mismatch (the connection itself works)', async () => {
			const table = await checkCatalog({}, { ...DEFAULT_LAYOUT, productsTable: 'productos' });
			expect(table.status).toBe('down');
			expect(table.cause?.code).toBe('database.schema_mismatch');
			expect(table.cause?.message).toMatch(/productos/);
			expect(table.checks.map((c) => [c.name, c.status])).toEqual([
				['connect', 'healthy'],
				['catalog_schema', 'down'],
			]);

			// schema.table goes through Accept-Profile; a schema the project does not expose is a mismatch too.
			expect((await checkCatalog({}, { ...DEFAULT_LAYOUT, productsTable: 'public.products' })).checks.map((c) => c.status)).not.toContain('down');
			const schema = await checkCatalog({}, { ...DEFAULT_LAYOUT, productsTable: 'tienda.products' });
			expect(schema.cause?.code).toBe('database.schema_mismatch');
			expect(schema.cause?.message).toMatch(/schema must be one of the following: public/);

			const column = await checkCatalog({}, { ...DEFAULT_LAYOUT, imageColumn: 'photo' });
			expect(column.cause?.code).toBe('database.schema_mismatch');
			expect(column.cause?.message).toMatch(/photo/);

			const parent = await checkCatalog({}, {
				...DEFAULT_LAYOUT,
				orphanPairs: [{ childTable: 'products', childColumn: 'category_id', parentTable: 'categorias', parentColumn: 'id' }],
			});
			expect(parent.status).toBe('down');
			expect(parent.cause?.code).toBe('database.schema_mismatch');
			expect(check(parent, 'orphans:products.category_id').status).toBe('down');
		});

		test('bad parameters throw, naming the parameter, before anything is sent', async () => {
			await expect(checkCatalogViaSupabase(settings, { ...DEFAULT_LAYOUT, skuColumn: 'sku,name' }, THRESHOLDS, { maxScanRows: 10 })).rejects.toThrow(IdentifierError);
			await expect(checkCatalogViaSupabase(settings, { ...DEFAULT_LAYOUT, skuColumn: 'sku),or(' }, THRESHOLDS, { maxScanRows: 10 })).rejects.toThrow(/skuColumn/);
			await expect(checkCatalogViaSupabase({ ...settings, url: 'not a url' }, DEFAULT_LAYOUT, THRESHOLDS, { maxScanRows: 10 })).rejects.toThrow(SupabaseSettingsError);
			await expect(checkCatalogViaSupabase({ ...settings, timeoutMs: 0 }, DEFAULT_LAYOUT, THRESHOLDS, { maxScanRows: 10 })).rejects.toThrow(/timeoutMs/);
			await expect(checkCatalogViaSupabase({ ...settings, key: ' ' }, DEFAULT_LAYOUT, THRESHOLDS, { maxScanRows: 10 })).rejects.toThrow(/key/);
			await expect(checkCatalogViaSupabase(settings, DEFAULT_LAYOUT, THRESHOLDS, { maxScanRows: -1 })).rejects.toThrow(/maxScanRows/);
		});
	});

	describe('Check when Supabase itself fails', () => {
		test('PostgREST stopped behind the gateway: down (gateway 502) well within the timeout, up again after a restart', async () => {
			await seedCatalog(db, { products: 10, seed: 7 });
			await rest.stopBackend();
			try {
				const started = Date.now();
				const result = await checkCatalog();
				expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
				expect(result.status).toBe('down');
				expect(result.cause?.code).toBe('provider.server_error');
				expect(result.cause?.retryable).toBe(true);
				expect(check(result, 'connect')).toMatchObject({ status: 'down', code: 'provider.server_error' });
			} finally {
				await rest.startBackend();
			}
			expect((await checkCatalog()).status).toBe('healthy');
		});

		describe('against a local server standing in for the gateway', () => {
			let server: http.Server;
			let url: string;
			let hits: number;
			let behaviour: 'hang' | '503';
			const sockets = new Set<Socket>();

			beforeAll(async () => {
				server = http.createServer((_req, res) => {
					hits++;
					if (behaviour === '503') {
						res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
						res.end(JSON.stringify({ code: 'PGRST002', details: null, hint: null, message: 'Could not query the database for the schema cache. Retrying.' }));
					}
					// 'hang': never answer.
				});
				server.on('connection', (socket) => {
					sockets.add(socket);
					socket.on('close', () => sockets.delete(socket));
				});
				await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
				url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
			});
			beforeEach(() => {
				hits = 0;
			});
			afterAll(async () => {
				for (const socket of sockets) socket.destroy();
				await new Promise<void>((resolve) => server.close(() => resolve()));
			});

			test('a gateway that never answers: down with net.timeout within timeoutMs', async () => {
				behaviour = 'hang';
				const started = Date.now();
				const result = await checkCatalogViaSupabase({ url, key: rest.serviceRoleKey, timeoutMs: 400 }, DEFAULT_LAYOUT, THRESHOLDS, { maxScanRows: 10 });
				const elapsed = Date.now() - started;
				expect(elapsed).toBeGreaterThanOrEqual(350);
				expect(elapsed).toBeLessThan(1_500);
				expect(validateCheckResult(result)).toEqual([]);
				expectClean(result);
				expect(result.status).toBe('down');
				expect(result.cause?.code).toBe('net.timeout');
				expect(check(result, 'connect')).toMatchObject({ status: 'down', code: 'net.timeout' });
				expect(hits).toBe(1); // no retry after the deadline
			});

			test('a 503 is answered once: supabase-js\' GET retries (1 s, 2 s, 4 s) are off', async () => {
				behaviour = '503';
				const started = Date.now();
				const result = await checkCatalogViaSupabase({ url, key: rest.serviceRoleKey, timeoutMs: 2_000 }, DEFAULT_LAYOUT, THRESHOLDS, { maxScanRows: 10 });
				expect(Date.now() - started).toBeLessThan(900);
				expect(hits).toBe(1);
				expect(validateCheckResult(result)).toEqual([]);
				expect(result.cause?.code).toBe('provider.server_error');
				expect(result.cause?.message).toMatch(/PGRST002/);
			});
		});

		test('nothing listening at the URL: down with net.unreachable', async () => {
			const closed = http.createServer();
			await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
			const { port } = closed.address() as AddressInfo;
			await new Promise<void>((resolve) => closed.close(() => resolve()));
			const result = await checkCatalogViaSupabase({ url: `http://127.0.0.1:${port}`, key: rest.serviceRoleKey, timeoutMs: 2_000 }, DEFAULT_LAYOUT, THRESHOLDS, { maxScanRows: 10 });
			expect(validateCheckResult(result)).toEqual([]);
			expect(result.cause?.code).toBe('net.unreachable');
			expectClean(result);
		});
	});

	const TABLE_SOURCE: RepairSource = { kind: 'table', table: 'product_images_backup', skuColumn: 'sku', imageColumn: 'image_url' };
	const FILE_SOURCE: RepairSource = { kind: 'file', path: '/tmp/images.json', format: 'json', skuField: 'sku', imageField: 'image' };

	function restorePlan(overrides: Partial<RepairPlan> = {}): RepairPlan {
		return { layout: DEFAULT_LAYOUT, source: TABLE_SOURCE, batchSize: 100, maxRows: 1_000, dryRun: false, sampleSize: 3, ...overrides };
	}

	const backupValue = (sku: string | null) => `${PRODUCT_IMAGE_BASE_URL}${sku}.jpg`;

	describe('Restore images', () => {
		test('dry run: reports exactly what would change and changes nothing', async () => {
			await seedCatalog(db, { products: 40, missingImagesPct: 25, seed: 8 });
			const missing = await missingImageRows();
			expect(missing).toHaveLength(10);
			const before = await imagesBySku();

			const outcome = await restoreImagesViaSupabase(client, restorePlan({ dryRun: true }));
			expect(outcome).toMatchObject({ action: 'database.restore_images', dryRun: true, planned: 10, changed: 0, batches: 0, unmatched: 0, conflictingSkus: [] });
			expect(outcome.refused).toBeUndefined();
			expect(outcome.sample).toEqual(missing.slice(0, 3).map((row) => ({ sku: row.sku, value: backupValue(row.sku) })));
			expect(await imagesBySku()).toEqual(before);
		});

		test('more rows than maxRows: refused, nothing changed', async () => {
			await seedCatalog(db, { products: 40, missingImagesPct: 25, seed: 8 });
			const before = await imagesBySku();
			const outcome = await restoreImagesViaSupabase(client, restorePlan({ maxRows: 9 }));
			expect(outcome).toMatchObject({ planned: 10, changed: 0, batches: 0 });
			expect(outcome.refused).toMatch(/10 products would get an image, more than maxRows \(9\)/);
			expect(await imagesBySku()).toEqual(before);
			// At the limit it runs.
			expect((await restoreImagesViaSupabase(client, restorePlan({ maxRows: 10 }))).changed).toBe(10);
		});

		test('a real run fills only empty images (NULL or blank), never a present one, in batches; unmatched SKUs are reported', async () => {
			await seedCatalog(db, { products: 40, missingImagesPct: 25, seed: 8 });
			const missing = await missingImageRows();
			const [first, second, third] = missing;
			// An empty string counts as missing; a SKU without a backup is unmatched.
			const present = await db.query<{ id: string; sku: string }>(`SELECT id::text, sku FROM products WHERE image_url IS NOT NULL ORDER BY products.id LIMIT 2`);
			const [emptied, keeper] = present.rows;
			await db.query(`UPDATE products SET image_url = '  ' WHERE id = $1`, [emptied?.id]);
			await db.query('DELETE FROM product_images_backup WHERE sku = $1', [first?.sku]);
			// A present value that differs from the backup, on a row sharing its SKU with an empty one: kept.
			await db.query(`UPDATE products SET sku = $1, image_url = 'https://cdn.example.com/keep-me.jpg' WHERE id = $2`, [second?.sku, keeper?.id]);
			const before = await imagesBySku();

			const outcome = await restoreImagesViaSupabase(client, restorePlan({ batchSize: 3 }));
			// 10 NULL + 1 empty - 1 unmatched = 10 rows, one SKU per row: ceil(10 / 3) batches.
			expect(outcome).toMatchObject({ dryRun: false, planned: 10, changed: 10, batches: 4, unmatched: 1, conflictingSkus: [] });

			const after = await imagesBySku();
			expect(after.get(keeper?.id as string)).toBe('https://cdn.example.com/keep-me.jpg');
			expect(after.get(second?.id as string)).toBe(backupValue(second?.sku ?? null));
			expect(after.get(third?.id as string)).toBe(backupValue(third?.sku ?? null));
			expect(after.get(emptied?.id as string)).toBe(backupValue(emptied?.sku ?? null));
			expect(after.get(first?.id as string)).toBeNull();
			// Every row that had an image still has the same one.
			for (const [id, image] of before) if (image && image.trim() !== '') expect(after.get(id)).toBe(image);
			expect(await missingImageRows()).toEqual([{ id: first?.id, sku: first?.sku }]);
		});

		test('a re-run after a partial fill does exactly the rest, and a third run nothing', async () => {
			await seedCatalog(db, { products: 60, missingImagesPct: 20, seed: 9 });
			const missing = await missingImageRows();
			expect(missing).toHaveLength(12);
			// The interrupted run got through the first 5 SKUs.
			const partial = missing.slice(0, 5).map((row) => [row.sku as string, backupValue(row.sku)] as const);
			const firstRun = await restoreImagesViaSupabase(client, restorePlan({ source: FILE_SOURCE }), partial);
			expect(firstRun).toMatchObject({ planned: 5, changed: 5, unmatched: 7 });

			const rerun = await restoreImagesViaSupabase(client, restorePlan());
			expect(rerun).toMatchObject({ planned: 7, changed: 7, unmatched: 0 });
			expect(rerun.sample).toEqual(missing.slice(5, 8).map((row) => ({ sku: row.sku, value: backupValue(row.sku) })));

			const third = await restoreImagesViaSupabase(client, restorePlan());
			expect(third).toMatchObject({ planned: 0, changed: 0, batches: 0, unmatched: 0, sample: [] });
			expect(await missingImageRows()).toEqual([]);
		});

		test('conflicting values for a SKU are skipped, never guessed; repeated equal values are fine', async () => {
			await seedCatalog(db, { products: 30, missingImagesPct: 10, seed: 10 });
			const [a, b, c] = await missingImageRows();
			const pairs = [
				[a?.sku as string, 'https://cdn.example.com/a-1.jpg'],
				[a?.sku as string, 'https://cdn.example.com/a-2.jpg'],
				[b?.sku as string, 'https://cdn.example.com/b.jpg'],
				[b?.sku as string, 'https://cdn.example.com/b.jpg'],
				[b?.sku as string, '  https://cdn.example.com/b.jpg '],
				[c?.sku as string, '   '],
				[c?.sku as string, 'not a url'],
			] as const;
			const outcome = await restoreImagesViaSupabase(client, restorePlan({ source: FILE_SOURCE }), pairs);
			// a: conflicting (unmatched too); c: no usable value (blank, not a URL); b: equal values once trimmed.
			expect(outcome).toMatchObject({ planned: 1, changed: 1, unmatched: 2, conflictingSkus: [a?.sku] });
			const after = await imagesBySku();
			expect(after.get(a?.id as string)).toBeNull();
			expect(after.get(b?.id as string)).toBe('https://cdn.example.com/b.jpg');
			expect(after.get(c?.id as string)).toBeNull();
		});

		test('SKUs and values with PostgREST filter characters are matched literally', async () => {
			await seedCatalog(db, { products: 10, seed: 11 });
			const odd = 'SKU,(1).or=eq."x"\\y';
			await db.query(`INSERT INTO products (sku, name, image_url) VALUES ($1, 'odd', NULL), ('SKU', 'prefix', NULL), ('(1)', 'part', NULL)`, [odd]);
			const value = 'https://cdn.example.com/odd,(1).jpg?a=1&b="2"';
			const outcome = await restoreImagesViaSupabase(client, restorePlan({ source: FILE_SOURCE }), [[odd, value]]);
			expect(outcome).toMatchObject({ planned: 1, changed: 1, unmatched: 2 });
			const rows = await db.query<{ sku: string; image_url: string | null }>(`SELECT sku, image_url FROM products WHERE name IN ('odd', 'prefix', 'part') ORDER BY sku`);
			expect(rows.rows).toEqual([
				{ sku: '(1)', image_url: null },
				{ sku: 'SKU', image_url: null },
				{ sku: odd, image_url: value },
			]);
		});

		test('misuse throws, naming the parameter', async () => {
			await expect(restoreImagesViaSupabase(client, restorePlan({ source: FILE_SOURCE }))).rejects.toThrow(RepairPlanError);
			await expect(restoreImagesViaSupabase(client, restorePlan(), [])).rejects.toThrow(/must not be passed for a table source/);
			await expect(restoreImagesViaSupabase(client, restorePlan({ batchSize: 0 }))).rejects.toThrow(/batchSize/);
			await expect(restoreImagesViaSupabase(client, restorePlan({ source: { ...TABLE_SOURCE, imageColumn: 'image_url,sku' } }))).rejects.toThrow(IdentifierError);
		});

		test('an unknown source table fails with database.schema_mismatch and changes nothing', async () => {
			await seedCatalog(db, { products: 20, missingImagesPct: 10, seed: 12 });
			const before = await imagesBySku();
			const error = await restoreImagesViaSupabase(client, restorePlan({ source: { ...TABLE_SOURCE, table: 'images_old' } })).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(SupabaseCatalogError);
			expect((error as SupabaseCatalogError).cause.code).toBe('database.schema_mismatch');
			expect(await imagesBySku()).toEqual(before);
		});
	});

	describe('credential type', () => {
		/** n8n evaluates `={{ … }}` as JavaScript with $credentials in scope; so does this. */
		function resolve(value: string, credentials: Record<string, string>): string {
			if (!value.startsWith('=')) return value;
			return value.slice(1).replace(/\{\{([\s\S]+?)\}\}/g, (_match, expression: string) =>
				String(new Function('$credentials', `return (${expression});`)(credentials)),
			);
		}

		async function runCredentialTest(url: string, key: string): Promise<number> {
			const type = new AutorecoverySupabaseApi();
			const credentials = { url, serviceRoleKey: key };
			const headers = Object.fromEntries(
				Object.entries(type.authenticate.properties.headers ?? {}).map(([name, value]) => [name, resolve(String(value), credentials)]),
			);
			const request = type.test.request;
			const response = await fetch(`${resolve(request.baseURL ?? '', credentials)}${request.url ?? ''}`, {
				method: request.method ?? 'GET',
				headers,
				signal: AbortSignal.timeout(TIMEOUT_MS),
			});
			await response.arrayBuffer();
			return response.status;
		}

		test('the test request passes with the service role key (trailing slash too) and fails with a wrong one', async () => {
			expect(await runCredentialTest(rest.url, rest.serviceRoleKey)).toBe(200);
			expect(await runCredentialTest(`${rest.url}/`, rest.serviceRoleKey)).toBe(200);
			expect(await runCredentialTest(rest.url, WRONG_KEY)).toBe(401);
			const type = new AutorecoverySupabaseApi();
			expect(type.name).toBe('autorecoverySupabaseApi');
			expect(type.properties.map((p) => [p.name, p.typeOptions?.password ?? false])).toEqual([
				['url', false],
				['serviceRoleKey', true],
			]);
		});

		test('supabaseSecrets lists the key for redaction', () => {
			expect(supabaseSecrets({ key: ` ${WRONG_KEY} ` })).toEqual([WRONG_KEY, ` ${WRONG_KEY} `]);
			expect(supabaseSecrets({ key: '' })).toEqual([]);
		});
	});
});
