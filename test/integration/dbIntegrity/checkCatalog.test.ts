/**
 * The Postgres catalog check against a real Postgres: every finding and non-finding,
 * custom checks that cannot write, identifiers that cannot inject, a dead, hanging or
 * refusing server, and no connection left behind after many runs.
 */
import net from 'node:net';

import type { Client } from 'pg';

import { checkCatalogViaPostgres, type PostgresCatalogCheck } from '../../../nodes/DbIntegrity/catalog/checkCatalogViaPostgres';
import { CustomCheckDefinitionError, validateCustomChecks, type CustomCheck } from '../../../nodes/DbIntegrity/catalog/customChecks';
import { quoteLayout } from '../../../nodes/DbIntegrity/catalog/quotedLayout';
import { DEFAULT_LAYOUT, DEFAULT_THRESHOLDS, type CatalogLayout } from '../../../nodes/DbIntegrity/catalog/types';
import type { CheckEntry, CheckResult } from '../../../nodes/shared/contract';
import { IdentifierError } from '../../../nodes/shared/sql/identifiers';
import type { PostgresSettings } from '../../../nodes/shared/sql/postgresConnection';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { startPostgres, type DatabaseHandle, type PostgresHarness } from '../../../dev/stack/postgres';
import { applySchema } from '../../../dev/stack/schema';
import { seedCatalog } from '../../../dev/stack/seed';

const TIMEOUTS = { connectTimeoutMs: 2_000, statementTimeoutMs: 5_000 };

function settingsOf(db: DatabaseHandle, overrides: Partial<PostgresSettings> = {}): PostgresSettings {
	const { host, port, database, user, password } = db.connection;
	return { host, port, database, user, password, ssl: 'disable', ...overrides };
}

function checkOf(result: CheckResult, name: string): CheckEntry {
	const found = result.checks.find((entry) => entry.name === name);
	if (!found) throw new Error(`no check '${name}' in ${result.checks.map((entry) => entry.name).join(', ')}`);
	return found;
}

async function count(client: Client, sql: string): Promise<number> {
	const { rows } = await client.query<{ n: string }>(sql);
	return Number(rows[0]?.n);
}

describe('DB Integrity check via Postgres', () => {
	let pg: PostgresHarness;
	let client: Client;
	let password: string;

	function plan(overrides: Partial<PostgresCatalogCheck> = {}, layout: CatalogLayout = DEFAULT_LAYOUT): PostgresCatalogCheck {
		return {
			settings: settingsOf(pg),
			timeouts: TIMEOUTS,
			layout,
			quoted: quoteLayout(layout),
			thresholds: DEFAULT_THRESHOLDS,
			customChecks: [],
			...overrides,
		};
	}

	/** Runs the check and asserts what every result must be: valid and free of the password. */
	async function check(overrides: Partial<PostgresCatalogCheck> = {}, layout?: CatalogLayout): Promise<CheckResult> {
		const result = await checkCatalogViaPostgres(plan(overrides, layout));
		expect(validateCheckResult(result)).toEqual([]);
		expect(JSON.stringify(result)).not.toContain(password);
		return result;
	}

	beforeAll(async () => {
		pg = await startPostgres();
		password = pg.connection.password;
		client = await pg.connect();
		await applySchema(client);
	});

	afterAll(async () => {
		await client?.end();
		await pg?.stop();
	});

	describe('a clean catalog', () => {
		beforeAll(async () => {
			await seedCatalog(client, { products: 500, seed: 3 });
		});

		test('is healthy, with every check recorded and timed, and the server version', async () => {
			const result = await check();
			expect(result).toMatchObject({ component: 'database', target: `postgres:${pg.name}`, status: 'healthy' });
			expect(result.cause).toBeUndefined();
			expect(result.checks.map((entry) => [entry.name, entry.status])).toEqual([
				['connect', 'healthy'],
				['server_version', 'healthy'],
				['catalog_not_empty', 'healthy'],
				['product_images', 'healthy'],
				['unique_skus', 'healthy'],
				['prices_positive', 'healthy'],
				['orphans:products.category_id->categories.id', 'healthy'],
			]);
			expect(checkOf(result, 'catalog_not_empty').value).toBe(500);
			expect(checkOf(result, 'server_version').value).toBe(pg.serverVersion);
			for (const entry of result.checks) expect(typeof entry.durationMs).toBe('number');
			expect(result.details).toMatchObject({ products: 500, productsWithoutImages: 0, serverVersion: pg.serverVersion });
		});

		test('a layout without a price column skips the price check', async () => {
			const result = await check({}, { ...DEFAULT_LAYOUT, priceColumn: '' });
			expect(result.checks.map((entry) => entry.name)).not.toContain('prices_positive');
			expect(result.status).toBe('healthy');
		});
	});

	describe('a catalog with every kind of defect', () => {
		beforeAll(async () => {
			await seedCatalog(client, { products: 1000, missingImagesPct: 10, duplicateSkus: 7, orphanRows: 5, nonPositivePrices: 4, seed: 11 });
			// A blank image is as broken as a missing one.
			await client.query(`UPDATE products SET image_url = '   ' WHERE id = (SELECT min(id) FROM products WHERE image_url IS NOT NULL)`);
		});

		test('reports exact counts and samples, and is degraded by the first finding', async () => {
			const missing = await count(client, `SELECT count(*) AS n FROM products WHERE image_url IS NULL OR btrim(image_url) = ''`);
			expect(missing).toBe(101);
			const result = await check();
			expect(result.status).toBe('degraded');
			expect(result.cause).toMatchObject({ code: 'database.products_without_images', retryable: false, needsHuman: false });
			expect(checkOf(result, 'product_images')).toMatchObject({ status: 'degraded', value: 101, code: 'database.products_without_images' });
			expect(checkOf(result, 'unique_skus')).toMatchObject({ status: 'degraded', value: 7, code: 'database.duplicate_skus' });
			expect(checkOf(result, 'prices_positive')).toMatchObject({ status: 'degraded', value: 4, code: 'database.invalid_prices' });
			expect(checkOf(result, 'orphans:products.category_id->categories.id')).toMatchObject({ status: 'degraded', value: 5, code: 'database.orphan_rows' });

			const expectedSample = await client.query<{ id: string; sku: string }>(
				`SELECT id::text AS id, sku FROM products WHERE image_url IS NULL OR btrim(image_url) = '' ORDER BY id LIMIT 10`,
			);
			expect(result.details?.productsWithoutImagesSample).toEqual(expectedSample.rows);
			expect(result.details?.duplicateSkus).toMatchObject({ groups: 7, rows: 14 });
			expect((result.details?.duplicateSkus as { sample: string[] }).sample).toHaveLength(7);
			expect(result.details?.invalidPrices).toMatchObject({ count: 4 });
			expect(result.details?.orphans).toEqual([expect.objectContaining({ childTable: 'products', count: 5 })]);
		});

		test('missing images at or under the threshold pass; one over degrades', async () => {
			const within = await check({ thresholds: { missingImagesAbove: 101, sampleSize: 3 } });
			expect(checkOf(within, 'product_images')).toMatchObject({ status: 'healthy', value: 101 });
			expect(checkOf(within, 'product_images').message).toContain('within the threshold of 101');
			const over = await check({ thresholds: { missingImagesAbove: 100, sampleSize: 3 } });
			expect(checkOf(over, 'product_images').status).toBe('degraded');
			expect(over.details?.productsWithoutImagesSample).toHaveLength(3);
		});

		test('an orphan pair on other tables and columns is checked as configured', async () => {
			const layout: CatalogLayout = {
				...DEFAULT_LAYOUT,
				orphanPairs: [
					...DEFAULT_LAYOUT.orphanPairs,
					{ childTable: 'public.product_images_backup', childColumn: 'sku', parentTable: 'products', parentColumn: 'sku' },
				],
			};
			const result = await check({}, layout);
			expect(checkOf(result, 'orphans:public.product_images_backup.sku->products.sku')).toMatchObject({ status: 'healthy', value: 0 });
		});
	});

	test('an empty catalog is down with database.catalog_empty', async () => {
		await client.query('TRUNCATE products');
		const result = await check();
		expect(result.status).toBe('down');
		expect(result.cause).toMatchObject({ code: 'database.catalog_empty', retryable: false, needsHuman: false });
		expect(checkOf(result, 'catalog_not_empty')).toMatchObject({ status: 'down', value: 0 });
		// Nothing else is wrong with an empty table.
		expect(result.checks.filter((entry) => entry.status !== 'healthy').map((entry) => entry.name)).toEqual(['catalog_not_empty']);
	});

	describe('custom checks', () => {
		beforeAll(async () => {
			await seedCatalog(client, { products: 200, nonPositivePrices: 3, seed: 5 });
		});

		const custom = (name: string, query: string, extra: Partial<CustomCheck> = {}): CustomCheck => ({ name, query, maxCount: 0, severity: 'degraded', ...extra });

		test('a count at or under its maximum passes; over it degrades or downs as configured', async () => {
			const result = await check({
				customChecks: [
					custom('no inactive', 'SELECT count(*) FROM products WHERE active = false'),
					custom('few free', 'SELECT count(*) FROM products WHERE price <= 0', { maxCount: 3 }),
					custom('stock', 'SELECT count(*) FROM products WHERE stock IS NOT NULL', { severity: 'down' }),
				],
			});
			expect(checkOf(result, 'custom:no inactive')).toMatchObject({ status: 'healthy', value: 0 });
			expect(checkOf(result, 'custom:few free')).toMatchObject({ status: 'healthy', value: 3 });
			expect(checkOf(result, 'custom:stock')).toMatchObject({ status: 'down', value: 200, code: 'database.custom_check_failed' });
			expect(result.status).toBe('down');
			expect(result.cause?.message).toContain('Custom check "stock" found 200');
			expect(result.details?.customChecks).toEqual({ 'no inactive': 0, 'few free': 3, stock: 200 });
		});

		test.each([
			['a DELETE', 'DELETE FROM products', 'database.read_only'],
			['a data-modifying CTE', 'WITH gone AS (DELETE FROM products RETURNING 1) SELECT count(*) FROM gone', 'database.read_only'],
			['an UPDATE', "UPDATE products SET name = 'hacked'", 'database.read_only'],
			['a second statement after COMMIT', 'SELECT 1; COMMIT; DELETE FROM products', 'database.error'],
			['DDL', 'DROP TABLE products', 'database.read_only'],
		])('%s is refused by the server and changes nothing', async (_label, query, code) => {
			const hash = await client.query<{ h: string }>(`SELECT md5(string_agg(p::text, '' ORDER BY id)) AS h FROM products p`);
			const result = await check({ customChecks: [custom('evil', query)] });
			expect(checkOf(result, 'custom:evil')).toMatchObject({ status: 'down', code });
			expect(result.status).toBe('down');
			const after = await client.query<{ h: string }>(`SELECT md5(string_agg(p::text, '' ORDER BY id)) AS h FROM products p`);
			expect(after.rows[0]?.h).toBe(hash.rows[0]?.h);
			expect(await count(client, 'SELECT count(*) AS n FROM products')).toBe(200);
		});

		test('a query that runs past the statement timeout is cancelled: down net.timeout, the next check still runs', async () => {
			const result = await check({
				timeouts: { connectTimeoutMs: 2_000, statementTimeoutMs: 300 },
				customChecks: [custom('slow', 'SELECT count(*) FROM pg_sleep(3)'), custom('after', 'SELECT 0')],
			});
			expect(checkOf(result, 'custom:slow')).toMatchObject({ status: 'down', code: 'net.timeout' });
			expect(checkOf(result, 'custom:slow').durationMs).toBeLessThan(2_500);
			expect(checkOf(result, 'custom:after')).toMatchObject({ status: 'healthy', value: 0 });
		});

		test('a query that returns no count, or a syntax error, fails only its own check with words to fix it', async () => {
			const result = await check({ customChecks: [custom('text', "SELECT 'many'"), custom('typo', 'SELEC count(*) FROM products'), custom('ok', 'SELECT 0')] });
			expect(checkOf(result, 'custom:text')).toMatchObject({ status: 'down', code: 'database.custom_check_failed' });
			expect(checkOf(result, 'custom:typo')).toMatchObject({ status: 'down', code: 'database.error' });
			expect(checkOf(result, 'custom:typo').message).toContain('syntax error');
			expect(checkOf(result, 'custom:ok').status).toBe('healthy');
		});

		test('definitions are validated before anything runs', () => {
			expect(() => validateCustomChecks([custom('a', 'SELECT 0'), custom('a', 'SELECT 1')])).toThrow(/"a" is used twice/);
			expect(() => validateCustomChecks([custom('', 'SELECT 0')])).toThrow(CustomCheckDefinitionError);
			expect(() => validateCustomChecks([custom('x', '  ')])).toThrow(/query is empty/);
			expect(() => validateCustomChecks([custom('x', 'SELECT 0', { maxCount: -1 })])).toThrow(/maximum count/);
		});
	});

	describe('identifiers', () => {
		test.each([
			['productsTable', 'products; DROP TABLE products', 'Products Table'],
			['productsTable', '"products"--', 'Products Table'],
			['productsTable', 'a.b.c', 'Products Table'],
			['skuColumn', 'sku) OR 1=1 --', 'SKU Column'],
			['imageColumn', "image_url' OR '1'='1", 'Image Column'],
			['idColumn', '1id', 'ID Column'],
			['priceColumn', 'price/**/', 'Price Column'],
		] as const)('%s = %j is rejected naming the parameter', async (key, value, parameter) => {
			const layout = { ...DEFAULT_LAYOUT, [key]: value };
			expect(() => quoteLayout(layout)).toThrow(IdentifierError);
			expect(() => quoteLayout(layout)).toThrow(`Parameter "${parameter}"`);
			expect(await count(client, 'SELECT count(*) AS n FROM products')).toBeGreaterThan(0);
		});

		test('orphan pair names are validated too', () => {
			const layout = { ...DEFAULT_LAYOUT, orphanPairs: [{ childTable: 'products', childColumn: 'category_id;', parentTable: 'categories', parentColumn: 'id' }] };
			expect(() => quoteLayout(layout)).toThrow(/Orphan Checks" \(entry 1\) child column/);
		});

		test('a table that does not exist is down with database.schema_mismatch naming it', async () => {
			const result = await check({}, { ...DEFAULT_LAYOUT, productsTable: 'productz' });
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('database.schema_mismatch');
			expect(result.cause?.message).toContain('productz');
			expect(checkOf(result, 'catalog_not_empty').status).toBe('down');
		});

		test('a column that does not exist is down with database.schema_mismatch naming it', async () => {
			const result = await check({}, { ...DEFAULT_LAYOUT, imageColumn: 'picture' });
			expect(result.cause?.code).toBe('database.schema_mismatch');
			expect(result.cause?.message).toContain('picture');
		});
	});

	describe('when the server is not there', () => {
		test('a wrong password is auth.invalid_credentials, in plain words, without the password', async () => {
			const wrong = 'definitely-wrong-password-1234';
			const result = await checkCatalogViaPostgres(plan({ settings: settingsOf(pg, { password: wrong }) }));
			expect(validateCheckResult(result)).toEqual([]);
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true });
			expect(result.cause?.message).toContain('password authentication failed');
			expect(JSON.stringify(result)).not.toContain(wrong);
		});

		test('a connection string with a password never shows it', async () => {
			const url = `postgres://${pg.connection.user}:${encodeURIComponent(password)}@127.0.0.1:1/${pg.name}`;
			const result = await checkCatalogViaPostgres(plan({ settings: { connectionString: url } }));
			expect(result.cause?.code).toBe('net.unreachable');
			expect(JSON.stringify(result)).not.toContain(password);
			expect(JSON.stringify(result)).not.toContain(url);
		});

		test('a server that accepts but never answers is down with net.timeout within the connect timeout', async () => {
			const sockets: net.Socket[] = [];
			const silent = net.createServer((socket) => sockets.push(socket));
			await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
			const port = (silent.address() as net.AddressInfo).port;
			try {
				const started = Date.now();
				const result = await checkCatalogViaPostgres(plan({ settings: settingsOf(pg, { host: '127.0.0.1', port }), timeouts: { connectTimeoutMs: 500, statementTimeoutMs: 500 } }));
				expect(Date.now() - started).toBeLessThan(2_000);
				expect(result.status).toBe('down');
				expect(result.cause?.code).toBe('net.timeout');
				expect(checkOf(result, 'connect').status).toBe('down');
			} finally {
				for (const socket of sockets) socket.destroy();
				await new Promise((resolve) => silent.close(resolve));
			}
		});

		test('a server stopped between two checks: healthy, then down net.unreachable', async () => {
			const other = await startPostgres({ databasePrefix: 'stopping' });
			try {
				await applySchema(other.connectionString);
				const otherClient = await other.connect();
				await seedCatalog(otherClient, { products: 50, seed: 2 });
				await otherClient.end();
				const settings = settingsOf(other);
				const alive = await checkCatalogViaPostgres(plan({ settings }));
				expect(alive.status).toBe('healthy');
				await other.stop();
				const dead = await checkCatalogViaPostgres(plan({ settings }));
				expect(validateCheckResult(dead)).toEqual([]);
				expect(dead.status).toBe('down');
				expect(dead.cause?.code).toBe('net.unreachable');
				expect(dead.cause?.retryable).toBe(true);
			} finally {
				await other.stop();
			}
		});
	});

	test('connections are closed after every run: none left after 20 runs, including failing ones', async () => {
		const appConnections = () => count(client, `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'n8n-autorecovery'`);
		expect(await appConnections()).toBe(0);
		for (let run = 0; run < 20; run += 1) {
			const layout = run % 4 === 3 ? { ...DEFAULT_LAYOUT, productsTable: 'missing_table' } : DEFAULT_LAYOUT;
			await checkCatalogViaPostgres(plan({ customChecks: run % 5 === 0 ? [{ name: 'w', query: 'DELETE FROM products', maxCount: 0, severity: 'down' }] : [] }, layout));
		}
		// The server notices a closed connection a moment after the client ends it.
		for (let attempt = 0; attempt < 20 && (await appConnections()) > 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
		expect(await appConnections()).toBe(0);
	});
});
