/**
 * Seeding gives exact, deterministic defect counts and an even spread of logs.
 * Large volumes are measured in bench/seed.ts, not here.
 */
import { Pool, type Client } from 'pg';

import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { applySchema } from '../../../dev/stack/schema';
import { CATEGORY_NAMES, ORPHAN_CATEGORY_BASE, PRODUCT_IMAGE_BASE_URL, seedCatalog, seedLogs } from '../../../dev/stack/seed';

const NOW = new Date('2025-03-01T12:00:00Z');
const DAY_MS = 24 * 3600 * 1000;
const CATALOG = { products: 2000, missingImagesPct: 10, duplicateSkus: 15, orphanRows: 12, nonPositivePrices: 9, seed: 7, now: NOW };

async function count(client: Client, sql: string): Promise<number> {
	const result = await client.query<{ n: string }>(`SELECT (${sql})::text AS n`);
	return Number(result.rows[0]?.n);
}

/** A fingerprint of a whole table's content. */
async function tableHash(client: Client, table: 'products' | 'system_logs' | 'product_images_backup'): Promise<string> {
	const order = table === 'product_images_backup' ? 'sku' : 'id';
	const result = await client.query<{ hash: string }>(`SELECT md5(string_agg(t::text, '|' ORDER BY ${order})) AS hash FROM ${table} t`);
	return result.rows[0]?.hash ?? '';
}

describe('seeding', () => {
	let pg: PostgresHarness;
	let client: Client;

	beforeAll(async () => {
		pg = await startPostgres();
		client = await pg.connect();
		await applySchema(client);
	});

	afterAll(async () => {
		await client?.end();
		await pg?.stop();
	});

	describe('catalog', () => {
		beforeAll(async () => {
			const summary = await seedCatalog(client, CATALOG);
			expect(summary).toMatchObject({
				products: 2000,
				distinctSkus: 1985,
				missingImages: 200,
				duplicateSkus: 15,
				orphanRows: 12,
				nonPositivePrices: 9,
				categories: CATEGORY_NAMES.length,
				backupImages: 1985,
			});
		});

		test('exact row and defect counts', async () => {
			expect(await count(client, 'SELECT count(*) FROM products')).toBe(2000);
			expect(await count(client, 'SELECT count(*) FROM products WHERE image_url IS NULL')).toBe(200);
			expect(await count(client, 'SELECT count(*) - count(DISTINCT sku) FROM products')).toBe(15);
			expect(await count(client, 'SELECT count(*) FROM (SELECT sku FROM products GROUP BY sku HAVING count(*) > 1) d')).toBe(15);
			expect(await count(client, 'SELECT max(c) FROM (SELECT count(*) AS c FROM products GROUP BY sku) d')).toBe(2);
			expect(
				await count(client, 'SELECT count(*) FROM products p LEFT JOIN categories c ON c.id = p.category_id WHERE c.id IS NULL'),
			).toBe(12);
			expect(await count(client, `SELECT count(*) FROM products WHERE category_id >= ${ORPHAN_CATEGORY_BASE}`)).toBe(12);
			expect(await count(client, 'SELECT count(*) FROM products WHERE price <= 0')).toBe(9);
			expect(await count(client, 'SELECT count(*) FROM products WHERE price = 0')).toBe(5);
			expect(await count(client, 'SELECT count(*) FROM categories')).toBe(CATEGORY_NAMES.length);
		});

		test('plausible product rows', async () => {
			const sample = await client.query<{ sku: string; name: string; currency: string; price: string; image_url: string | null }>(
				'SELECT sku, name, currency, price::text, image_url FROM products WHERE price > 0 AND image_url IS NOT NULL ORDER BY id LIMIT 1',
			);
			const row = sample.rows[0];
			expect(row?.sku).toMatch(/^SKU-\d{7}$/);
			expect(row?.name).toMatch(/^\S+ \S+ \S+$/);
			expect(row?.currency).toBe('ARS');
			expect(Number(row?.price)).toBeGreaterThanOrEqual(1000);
			expect(row?.image_url).toBe(`${PRODUCT_IMAGE_BASE_URL}${row?.sku}.jpg`);
			expect(await count(client, `SELECT count(*) FROM products WHERE created_at > '${NOW.toISOString()}' OR updated_at < created_at`)).toBe(0);
		});

		test('every SKU has a backup image, so every missing image is restorable', async () => {
			expect(await count(client, 'SELECT count(*) FROM product_images_backup')).toBe(1985);
			expect(
				await count(
					client,
					'SELECT count(*) FROM products p WHERE image_url IS NULL AND NOT EXISTS (SELECT 1 FROM product_images_backup b WHERE b.sku = p.sku)',
				),
			).toBe(0);
			expect(
				await count(client, "SELECT count(*) FROM product_images_backup WHERE image_url <> 'https://cdn.example.com/products/' || sku || '.jpg'"),
			).toBe(0);
		});

		test('deterministic: same seed → same rows (also in other chunk sizes and in parallel); other seed → other rows', async () => {
			const first = { products: await tableHash(client, 'products'), backup: await tableHash(client, 'product_images_backup') };

			await seedCatalog(client, { ...CATALOG, chunkSize: 333 });
			expect(await tableHash(client, 'products')).toBe(first.products);

			const pool = new Pool({ connectionString: pg.connectionString, max: 3 });
			try {
				await seedCatalog(pool, { ...CATALOG, chunkSize: 250, concurrency: 3 });
			} finally {
				await pool.end();
			}
			expect(await tableHash(client, 'products')).toBe(first.products);
			expect(await tableHash(client, 'product_images_backup')).toBe(first.backup);

			await seedCatalog(client, { ...CATALOG, seed: 8 });
			expect(await tableHash(client, 'products')).not.toBe(first.products);
			expect(await count(client, 'SELECT count(*) FROM products WHERE image_url IS NULL')).toBe(200);
		});

		test('appending (truncate: false) continues ids and SKUs', async () => {
			await seedCatalog(client, { products: 100, seed: 1, now: NOW });
			await seedCatalog(client, { products: 50, duplicateSkus: 5, seed: 2, now: NOW, truncate: false });
			expect(await count(client, 'SELECT count(*) FROM products')).toBe(150);
			expect(await count(client, 'SELECT max(id) FROM products')).toBe(150);
			expect(await count(client, 'SELECT count(*) - count(DISTINCT sku) FROM products')).toBe(5);
			expect(await count(client, 'SELECT count(*) FROM product_images_backup')).toBe(145);
			const next = await client.query<{ id: string }>("INSERT INTO products (name) VALUES ('manual') RETURNING id");
			expect(next.rows[0]?.id).toBe('151');
		});

		test('rejects impossible requests', async () => {
			await expect(seedCatalog(client, { products: 10, duplicateSkus: 6 })).rejects.toThrow(/duplicateSkus/);
			await expect(seedCatalog(client, { products: 10, missingImagesPct: 101 })).rejects.toThrow(/missingImagesPct/);
		});
	});

	describe('logs', () => {
		const LOGS = { rows: 7000, days: 7, errorPct: 5, seed: 3, now: NOW };

		beforeAll(async () => {
			const summary = await seedLogs(client, LOGS);
			expect(summary.byLevel).toEqual({ error: 350, warn: 700, info: 5950 });
			expect(summary.from).toEqual(new Date(NOW.getTime() - 7 * DAY_MS));
		});

		test('exact level counts', async () => {
			const levels = await client.query<{ level: string; n: number }>(
				'SELECT level, count(*)::int AS n FROM system_logs GROUP BY level ORDER BY level',
			);
			expect(levels.rows).toEqual([
				{ level: 'error', n: 350 },
				{ level: 'info', n: 5950 },
				{ level: 'warn', n: 700 },
			]);
			expect(await count(client, "SELECT count(*) FROM system_logs WHERE level <> 'info' AND context ? 'requestId'")).toBe(1050);
		});

		test('spread evenly over the last `days` days, errors included', async () => {
			const from = new Date(NOW.getTime() - 7 * DAY_MS).toISOString();
			expect(await count(client, `SELECT count(*) FROM system_logs WHERE created_at < '${from}' OR created_at >= '${NOW.toISOString()}'`)).toBe(0);
			const perDay = await client.query<{ rows: number; errors: number }>(
				`SELECT count(*)::int AS rows, count(*) FILTER (WHERE level = 'error')::int AS errors
				   FROM system_logs GROUP BY floor(extract(epoch FROM created_at - '${from}') / 86400) ORDER BY 1`,
			);
			expect(perDay.rows.map((day) => day.rows)).toEqual([1000, 1000, 1000, 1000, 1000, 1000, 1000]);
			for (const day of perDay.rows) {
				expect(day.errors).toBeGreaterThanOrEqual(35);
				expect(day.errors).toBeLessThanOrEqual(65);
			}
			// id order is time order, so "the newest N logs" is an index scan either way.
			expect(await count(client, 'SELECT count(*) FROM (SELECT created_at < lag(created_at) OVER (ORDER BY id) AS back FROM system_logs) t WHERE back')).toBe(0);
		});

		test('deterministic for the same seed and `now`', async () => {
			const first = await tableHash(client, 'system_logs');
			await seedLogs(client, { ...LOGS, chunkSize: 999 });
			expect(await tableHash(client, 'system_logs')).toBe(first);
			await seedLogs(client, { ...LOGS, seed: 4 });
			expect(await tableHash(client, 'system_logs')).not.toBe(first);
		});
	});
});
