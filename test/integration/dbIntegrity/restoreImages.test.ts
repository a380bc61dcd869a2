/**
 * `database.restore_images` against a real Postgres: every source kind fills exactly
 * the empty images and nothing else, dry runs and refusals change nothing, a value the
 * bot writes meanwhile is kept, conflicts are skipped, a failing URL is a result, and a
 * SIGKILLed run is finished by the next one.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { Client } from 'pg';

import { DEFAULT_LAYOUT } from '../../../nodes/DbIntegrity/catalog/types';
import { RepairParameterError } from '../../../nodes/DbIntegrity/repair/errors';
import { MAX_LISTED_CONFLICTS, restoreImages, type RestoreImagesOutcome, type RestorePlan } from '../../../nodes/DbIntegrity/repair/restoreImages';
import { isBlankSql, isNotBlankSql } from '../../../nodes/DbIntegrity/repair/sql';
import type { RepairSource } from '../../../nodes/DbIntegrity/repair/types';
import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import { IdentifierError } from '../../../nodes/shared/sql/identifiers';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { applySchema } from '../../../dev/stack/schema';
import { seedCatalog } from '../../../dev/stack/seed';
import { CHILD_BATCH_SIZE } from './repairChild';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CHILD_ENTRY = path.join(__dirname, 'repairChild.ts');
const PRODUCTS = 1000;
const URL_TOKEN = 'test-url-token-not-real';

const BACKUP_TABLE: RepairSource = { kind: 'table', table: 'product_images_backup', skuColumn: 'sku', imageColumn: 'image_url' };

interface ProductRow {
	id: number;
	sku: string | null;
	image_url: string | null;
}

function plan(source: RepairSource, overrides: Partial<RestorePlan> = {}): RestorePlan {
	return { layout: DEFAULT_LAYOUT, source, batchSize: 25, maxRows: 100_000, dryRun: false, sampleSize: 5, statementTimeoutMs: 5_000, ...overrides };
}

const isEmpty = (value: string | null): boolean => value === null || value.trim() === '';

describe('restoreImages (real Postgres)', () => {
	let pg: PostgresHarness;
	let client: Client;
	let bot: Client;
	let workDir: string;
	let server: http.Server;
	let baseUrl: string;
	/** What the local HTTP server answers on /catalog.json. */
	let servedJson = '[]';

	beforeAll(async () => {
		pg = await startPostgres();
		client = await pg.connect();
		bot = await pg.connect();
		await applySchema(client);
		server = http.createServer((req, res) => {
			const url = new URL(req.url ?? '/', 'http://localhost');
			if (url.pathname === '/catalog.json') {
				res.writeHead(200, { 'content-type': 'application/json' }).end(servedJson);
			} else if (url.pathname === '/catalog.csv') {
				res.writeHead(200, { 'content-type': 'text/csv' }).end(toCsv(JSON.parse(servedJson) as Array<{ sku: string; image_url: string }>));
			} else if (url.pathname === '/broken') {
				res.writeHead(500, { 'content-type': 'text/plain' }).end(`internal error for ${URL_TOKEN}`);
			} else if (url.pathname === '/hang') {
				// Never answers: the fetch's own deadline must end it.
			} else {
				res.writeHead(404).end();
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	afterAll(async () => {
		server?.closeAllConnections();
		await new Promise((resolve) => server?.close(resolve));
		await bot?.end();
		await client?.end();
		await pg?.stop();
	});

	beforeEach(async () => {
		await seedCatalog(client, { products: PRODUCTS, missingImagesPct: 10, duplicateSkus: 20, seed: 11 });
		// Blank values count as empty too; the seed only has NULLs.
		await client.query(`UPDATE products SET image_url = (ARRAY['', '   '])[1 + id % 2] WHERE id IN (SELECT id FROM products WHERE image_url IS NOT NULL ORDER BY id DESC LIMIT 4)`);
		workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-images-'));
	});

	afterEach(() => {
		fs.rmSync(workDir, { recursive: true, force: true });
	});

	async function products(): Promise<ProductRow[]> {
		const { rows } = await client.query<ProductRow>('SELECT id::int AS id, sku, image_url FROM products ORDER BY id');
		return rows;
	}

	async function backup(): Promise<Map<string, string>> {
		const { rows } = await client.query<{ sku: string; image_url: string }>('SELECT sku, image_url FROM product_images_backup');
		return new Map(rows.map((row) => [row.sku, row.image_url]));
	}

	/** Every empty row got `values[sku]` when there is one; every other row is exactly as before. */
	function expectRestored(before: ProductRow[], after: ProductRow[], values: Map<string, string>, kept: Map<number, string> = new Map()): void {
		expect(after.map((row) => row.id)).toEqual(before.map((row) => row.id));
		after.forEach((row, index) => {
			const old = before[index] as ProductRow;
			const expected = kept.get(row.id) ?? (isEmpty(old.image_url) && old.sku !== null && values.has(old.sku) ? values.get(old.sku) : old.image_url);
			expect({ id: row.id, image_url: row.image_url }).toEqual({ id: row.id, image_url: expected });
		});
	}

	async function stagedTableLeft(): Promise<boolean> {
		const { rows } = await client.query<{ left: boolean }>(
			"SELECT to_regclass('pg_temp.autorecovery_repair_source') IS NOT NULL OR to_regclass('pg_temp.autorecovery_repair_plan') IS NOT NULL AS left",
		);
		return rows[0]?.left ?? true;
	}

	function writeSource(name: string, text: string): string {
		const file = path.join(workDir, name);
		fs.writeFileSync(file, text);
		return file;
	}

	function expectNoSecrets(value: unknown): void {
		const text = JSON.stringify(value) + (value instanceof Error ? value.message + String(value.stack) : '');
		expect(text).not.toContain(pg.connection.password);
		expect(text).not.toContain(URL_TOKEN);
	}

	test('the seed has empty images (NULL and blank), all with a backup value', async () => {
		const before = await products();
		expect(before.filter((row) => isEmpty(row.image_url))).toHaveLength(104);
		expect(before.filter((row) => row.image_url !== null && isEmpty(row.image_url))).toHaveLength(4);
	});

	test('the blank tests give the same answer as btrim alone, NULL included', async () => {
		const values = [null, '', ' ', '   ', '\t', ' \t', '\t ', '\u0001', '\u001f', ' !', '!', 'a', ' a', 'a ', '\u00a0', ' é', 'é', '\u{1F600}', '  https://x/a.jpg  ', '~'];
		const { rows } = await client.query<{ v: string | null; blank: boolean | null; not_blank: boolean | null; expected: boolean | null }>(
			`SELECT v, ${isBlankSql('v')} AS blank, ${isNotBlankSql('v')} AS not_blank, btrim(v) = '' AS expected FROM unnest($1::text[]) WITH ORDINALITY AS t (v, n) ORDER BY n`,
			[values],
		);
		expect(rows.map((row) => row.v)).toEqual(values);
		for (const row of rows) {
			expect({ v: row.v, blank: row.blank, notBlank: row.not_blank }).toEqual({ v: row.v, blank: row.expected, notBlank: row.expected === null ? null : !row.expected });
		}
		expect(rows.filter((row) => row.blank === true).map((row) => row.v)).toEqual(['', ' ', '   ']);
	});

	describe('from a table', () => {
		test('dry run counts exactly what the real run then changes, and changes nothing', async () => {
			const before = await products();
			const empties = before.filter((row) => isEmpty(row.image_url));
			const values = await backup();

			const dry = await restoreImages(client, plan(BACKUP_TABLE, { dryRun: true }));
			expect(dry).toMatchObject({ action: 'database.restore_images', dryRun: true, planned: empties.length, changed: 0, batches: 0, unmatched: 0, conflictingSkus: [] });
			expect(dry.refused).toBeUndefined();
			expect(dry.sample).toEqual(empties.slice(0, 5).map((row) => ({ sku: row.sku, value: values.get(row.sku as string) })));
			expect(await products()).toEqual(before);

			const real = await restoreImages(client, plan(BACKUP_TABLE));
			expect(real).toMatchObject({ dryRun: false, planned: empties.length, changed: empties.length, unmatched: 0, ignoredSourceRows: 0 });
			expect(real.batches).toBe(Math.ceil(empties.length / 25));
			expect(real.sample).toEqual(dry.sample);
			expect(real.durationMs).toBeGreaterThanOrEqual(0);
			expectRestored(before, await products(), values);

			const again = await restoreImages(client, plan(BACKUP_TABLE));
			expect(again).toMatchObject({ planned: 0, changed: 0, batches: 0, unmatched: 0 });
			expect(await stagedTableLeft()).toBe(false);
			expectNoSecrets([dry, real, again]);
		});

		test('products sharing a SKU are both filled', async () => {
			const [a, b] = (await client.query<{ id: number }>('SELECT id::int AS id FROM products WHERE image_url IS NOT NULL ORDER BY id LIMIT 2')).rows as Array<{ id: number }>;
			await client.query("UPDATE products SET sku = 'SKU-SHARED', image_url = NULL WHERE id = ANY ($1)", [[a?.id, b?.id]]);
			await client.query("INSERT INTO product_images_backup (sku, image_url) VALUES ('SKU-SHARED', 'https://cdn.example.com/shared.jpg')");
			const outcome = await restoreImages(client, plan(BACKUP_TABLE));
			expect(outcome.unmatched).toBe(0);
			const { rows } = await client.query<{ image_url: string }>('SELECT image_url FROM products WHERE id = ANY ($1)', [[a?.id, b?.id]]);
			expect(rows.map((row) => row.image_url)).toEqual(['https://cdn.example.com/shared.jpg', 'https://cdn.example.com/shared.jpg']);
		});

		test('rows without a source value (no SKU, SKU not in the source) stay empty and are counted as unmatched', async () => {
			const before = await products();
			const empties = before.filter((row) => isEmpty(row.image_url));
			await client.query('DELETE FROM product_images_backup WHERE sku = ANY ($1)', [empties.slice(0, 3).map((row) => row.sku)]);
			await client.query('UPDATE products SET sku = NULL WHERE id = $1', [empties[5]?.id]);
			const values = await backup();
			const sharingDeleted = before.filter((row) => isEmpty(row.image_url) && empties.slice(0, 3).some((gone) => gone.sku === row.sku)).length;

			const outcome = await restoreImages(client, plan(BACKUP_TABLE));
			expect(outcome.unmatched).toBe(sharingDeleted + 1);
			expect(outcome.planned).toBe(empties.length - outcome.unmatched);
			expect(outcome.changed).toBe(outcome.planned);
			const after = await products();
			expectRestored(before.map((row) => (row.id === empties[5]?.id ? { ...row, sku: null } : row)), after, values);
			expect(after.filter((row) => isEmpty(row.image_url))).toHaveLength(outcome.unmatched);
		});

		test('conflicting SKUs are skipped and listed (capped, with the total); unusable source rows are ignored and counted', async () => {
			const empties = (await products()).filter((row) => isEmpty(row.image_url));
			const skus = [...new Set(empties.map((row) => row.sku as string))];
			const conflicted = skus.slice(0, MAX_LISTED_CONFLICTS + 10);
			const agreedTwice = skus[MAX_LISTED_CONFLICTS + 10] as string;
			const onlyPlaceholder = skus[MAX_LISTED_CONFLICTS + 11] as string;
			await client.query('CREATE TABLE image_source (code text, url text)');
			await client.query('INSERT INTO image_source SELECT sku, image_url FROM product_images_backup');
			await client.query("INSERT INTO image_source SELECT unnest($1::text[]), 'https://other.example.com/x.jpg'", [conflicted]);
			// The same value twice is no conflict; placeholders and blank SKUs are never used.
			await client.query("INSERT INTO image_source SELECT code, url FROM image_source WHERE code = $1", [agreedTwice]);
			await client.query("DELETE FROM image_source WHERE code = $1", [onlyPlaceholder]);
			await client.query(
				"INSERT INTO image_source VALUES ($1, 'N/A'), ($1, '  '), ($1, NULL), ('', 'https://x/blank-sku.jpg'), (NULL, 'https://x/null-sku.jpg'), ($1, 'ftp://x/a.jpg')",
				[onlyPlaceholder],
			);
			const before = await products();
			const source: RepairSource = { kind: 'table', table: 'image_source', skuColumn: 'code', imageColumn: 'url' };

			const dry = await restoreImages(client, plan(source, { dryRun: true }));
			const outcome = await restoreImages(client, plan(source));
			const conflictedRows = before.filter((row) => isEmpty(row.image_url) && conflicted.includes(row.sku as string)).length;
			const placeholderRows = before.filter((row) => isEmpty(row.image_url) && row.sku === onlyPlaceholder).length;
			for (const result of [dry, outcome]) {
				expect(result.conflictingSkusTotal).toBe(conflicted.length);
				expect(result.conflictingSkus).toEqual([...conflicted].sort().slice(0, MAX_LISTED_CONFLICTS));
				expect(result.conflictingRows).toBe(conflictedRows);
				// A table counts unusable rows of the SKUs in question only: the blank/NULL-SKU rows are not.
				expect(result.ignoredSourceRows).toBe(4);
				expect(result.unmatched).toBe(conflictedRows + placeholderRows);
			}
			expect(outcome.changed).toBe(empties.length - conflictedRows - placeholderRows);
			const after = await products();
			for (const row of after) {
				if (conflicted.includes(row.sku as string) || row.sku === onlyPlaceholder) {
					expect(row.image_url).toBe(before.find((old) => old.id === row.id)?.image_url);
				}
			}
			expect(after.find((row) => row.sku === agreedTwice)?.image_url).toBe((await backup()).get(agreedTwice));
			await client.query('DROP TABLE image_source');
		});

		test('a source with one row per SKU (unique index): trimmed values fill; unusable, missing and blank-SKU rows are counted, never used', async () => {
			const empties = (await products()).filter((row) => isEmpty(row.image_url));
			const skus = [...new Set(empties.map((row) => row.sku as string))];
			const [placeholder, nullUrl, padded, removed] = skus as [string, string, string, string];
			const blankSkuRow = empties.find((row) => !skus.slice(0, 4).includes(row.sku as string)) as ProductRow;
			await client.query('CREATE TABLE unique_source (code text PRIMARY KEY, url text)');
			try {
				await client.query('INSERT INTO unique_source SELECT sku, image_url FROM product_images_backup');
				await client.query("UPDATE unique_source SET url = 'N/A' WHERE code = $1", [placeholder]);
				await client.query('UPDATE unique_source SET url = NULL WHERE code = $1', [nullUrl]);
				await client.query("UPDATE unique_source SET url = '  ' || url || '  ' WHERE code = $1", [padded]);
				await client.query('DELETE FROM unique_source WHERE code = $1', [removed]);
				// A blank SKU in both tables matches, but a blank SKU never identifies a product.
				await client.query("UPDATE products SET sku = '   ' WHERE id = $1", [blankSkuRow.id]);
				await client.query("INSERT INTO unique_source VALUES ('   ', 'https://cdn.example.com/blank-sku.jpg')");
				const before = await products();
				const values = await backup();
				for (const sku of [placeholder, nullUrl, removed]) values.delete(sku);
				const rowsOf = (sku: string): number => before.filter((row) => isEmpty(row.image_url) && row.sku === sku).length;
				const unmatched = rowsOf(placeholder) + rowsOf(nullUrl) + rowsOf(removed) + 1;
				const source: RepairSource = { kind: 'table', table: 'unique_source', skuColumn: 'code', imageColumn: 'url' };

				const dry = await restoreImages(client, plan(source, { dryRun: true }));
				expect(await products()).toEqual(before);
				const outcome = await restoreImages(client, plan(source));
				for (const result of [dry, outcome]) {
					expect(result).toMatchObject({
						planned: 104 - unmatched,
						unmatched,
						conflictingSkus: [],
						conflictingSkusTotal: 0,
						conflictingRows: 0,
						// placeholder, NULL and blank-SKU rows; a SKU missing from the source is no source row at all.
						ignoredSourceRows: 3,
					});
				}
				expect(outcome.changed).toBe(104 - unmatched);
				expect(outcome.sample).toEqual(dry.sample);
				expectRestored(before, await products(), values);
				expect((await products()).find((row) => row.sku === padded)?.image_url).toBe(values.get(padded));
				expect(await stagedTableLeft()).toBe(false);
			} finally {
				await client.query('DROP TABLE unique_source');
			}
		});

		test('values that only look blank to a byte comparison (tab, leading space, no-break space) are present and kept', async () => {
			const present = ['\t', ' https://cdn.example.com/lead-space.jpg', '\u00a0', '\thttps://cdn.example.com/tab.jpg', '\u0001'];
			const ids = (await client.query<{ id: number }>('SELECT id::int AS id FROM products WHERE image_url IS NULL ORDER BY id LIMIT $1', [present.length])).rows.map((row) => row.id);
			await client.query('UPDATE products SET image_url = v.value FROM unnest($1::bigint[], $2::text[]) AS v (id, value) WHERE products.id = v.id', [ids, present]);
			const before = await products();
			const outcome = await restoreImages(client, plan(BACKUP_TABLE));
			expect(outcome).toMatchObject({ planned: 104 - present.length, changed: 104 - present.length, unmatched: 0 });
			const after = await products();
			expect(ids.map((id) => after.find((row) => row.id === id)?.image_url)).toEqual(present);
			// JavaScript's trim() would call some of these blank; Postgres' btrim (the catalog's rule) does not.
			expectRestored(before, after, await backup(), new Map(ids.map((id, index) => [id, present[index] as string])));
		});

		test('more rows than maxRows: refused, nothing changed', async () => {
			const before = await products();
			const outcome = await restoreImages(client, plan(BACKUP_TABLE, { maxRows: 50 }));
			expect(outcome).toMatchObject({ planned: 104, changed: 0, batches: 0 });
			expect(outcome.refused).toMatch(/104 products would get an image, more than maxRows \(50\); nothing was changed/);
			expect(await products()).toEqual(before);
			expect(await restoreImages(client, plan(BACKUP_TABLE, { maxRows: 104 }))).toMatchObject({ changed: 104 });
		});

		test('an image the bot writes while the batch waits for its row lock is kept', async () => {
			const before = await products();
			const target = before.find((row) => isEmpty(row.image_url)) as ProductRow;
			await bot.query('BEGIN');
			await bot.query("UPDATE products SET image_url = 'https://bot.example.com/fresh.jpg' WHERE id = $1", [target.id]);
			const running = restoreImages(client, plan(BACKUP_TABLE));
			// The first batch now waits on the bot's row lock; the bot then commits.
			await new Promise((resolve) => setTimeout(resolve, 300));
			await bot.query('COMMIT');
			const outcome = await running;
			expect(outcome.planned).toBe(104);
			expect(outcome.changed).toBe(103);
			expectRestored(before, await products(), await backup(), new Map([[target.id, 'https://bot.example.com/fresh.jpg']]));
		});

		test('products the bot updates between batches (new row versions) are still filled, keeping the bot\'s changes', async () => {
			const before = await products();
			const empties = before.filter((row) => isEmpty(row.image_url));
			const botImage = empties[empties.length - 1] as ProductRow;
			let touched = 0;
			const outcome = await restoreImages(client, plan(BACKUP_TABLE), {
				afterBatch: async ({ batches }) => {
					if (batches !== 1) return;
					// Every product still waiting moves to a new row version; one of them gets an image from the bot.
					const moved = await bot.query("UPDATE products SET stock = stock + 1000 WHERE image_url IS NULL OR btrim(image_url) = ''");
					touched = moved.rowCount ?? 0;
					await bot.query("UPDATE products SET image_url = 'https://bot.example.com/late.jpg' WHERE id = $1", [botImage.id]);
				},
			});
			expect(touched).toBe(104 - 25);
			expect(outcome).toMatchObject({ planned: 104, changed: 103, batches: 5 });
			const after = await products();
			expectRestored(before, after, await backup(), new Map([[botImage.id, 'https://bot.example.com/late.jpg']]));
			const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM products WHERE stock >= 1000');
			expect(rows[0]?.n).toBe(touched);
		});

		test('a batch blocked past statementTimeoutMs fails with the Postgres error (for the caller to classify), not a hang', async () => {
			const target = (await products()).find((row) => isEmpty(row.image_url)) as ProductRow;
			await bot.query('BEGIN');
			await bot.query('SELECT 1 FROM products WHERE id = $1 FOR UPDATE', [target.id]);
			const started = Date.now();
			try {
				await expect(restoreImages(client, plan(BACKUP_TABLE, { statementTimeoutMs: 300 }))).rejects.toMatchObject({ code: '57014' });
				expect(Date.now() - started).toBeLessThan(5_000);
			} finally {
				await bot.query('ROLLBACK');
			}
			// The connection is usable again and nothing was half done: a re-run does it all.
			expect(await restoreImages(client, plan(BACKUP_TABLE))).toMatchObject({ changed: 104 });
		});

		test('a source table that does not exist is a Postgres error (42P01), nothing changed', async () => {
			const before = await products();
			await expect(restoreImages(client, plan({ ...BACKUP_TABLE, table: 'no_such_backup' }))).rejects.toMatchObject({ code: '42P01' });
			expect(await products()).toEqual(before);
		});
	});

	describe('from a file', () => {
		test('JSON: trimmed values fill the empty images; unusable rows are ignored; the temp table is gone afterwards', async () => {
			const before = await products();
			const values = await backup();
			const rows: unknown[] = [...values].map(([sku, image_url]) => ({ sku: ` ${sku} `, image_url: ` ${image_url} `, extra: 1 }));
			rows.push({ sku: '', image_url: 'https://x/a.jpg' }, { sku: 'SKU-X', image_url: 'N/A' }, 'not a record', null);
			const file = writeSource('images.json', JSON.stringify(rows));
			const source: RepairSource = { kind: 'file', path: file, format: 'json', skuField: 'sku', imageField: 'image_url' };

			const dry = await restoreImages(client, plan(source, { dryRun: true }));
			expect(dry).toMatchObject({ planned: 104, changed: 0, ignoredSourceRows: 2, invalidSourceRecords: 2 });
			expect(await products()).toEqual(before);
			expect(await stagedTableLeft()).toBe(false);

			const outcome = await restoreImages(client, plan(source));
			expect(outcome).toMatchObject({ planned: 104, changed: 104, unmatched: 0, ignoredSourceRows: 2, invalidSourceRecords: 2 });
			expect(outcome.sample).toEqual(dry.sample);
			expectRestored(before, await products(), values);
			expect(await stagedTableLeft()).toBe(false);
		});

		test('CSV with BOM, CRLF, quoted fields and a conflict', async () => {
			const before = await products();
			const values = await backup();
			const empties = before.filter((row) => isEmpty(row.image_url));
			const conflicted = empties[0]?.sku as string;
			const lines = ['\uFEFF"sku","name","image_url"'];
			for (const [sku, image] of values) lines.push(`"${sku}","Remera, ""clásica""\r\nazul",${image}`);
			lines.push(`${conflicted},otra,https://other.example.com/${conflicted}.jpg`);
			const file = writeSource('images.csv', lines.join('\r\n') + '\r\n');
			const source: RepairSource = { kind: 'file', path: file, format: 'csv', skuField: 'sku', imageField: 'image_url' };

			const outcome = await restoreImages(client, plan(source));
			const conflictedRows = empties.filter((row) => row.sku === conflicted).length;
			expect(outcome).toMatchObject({ conflictingSkus: [conflicted], conflictingSkusTotal: 1, conflictingRows: conflictedRows, unmatched: conflictedRows, invalidSourceRecords: 0 });
			expect(outcome.changed).toBe(104 - conflictedRows);
			values.delete(conflicted);
			expectRestored(before, await products(), values);
		});

		test('a missing file, a file that is not JSON, or a missing field: refused with a cause, nothing changed', async () => {
			const before = await products();
			const cases: Array<[RepairSource, string]> = [
				[{ kind: 'file', path: path.join(workDir, 'nope.json'), format: 'json', skuField: 'sku', imageField: 'image_url' }, 'database.repair_source_unreadable'],
				[{ kind: 'file', path: writeSource('bad.json', '<html>oops'), format: 'json', skuField: 'sku', imageField: 'image_url' }, 'database.repair_source_invalid'],
				[{ kind: 'file', path: writeSource('fields.csv', 'code,url\nA,https://x/a.jpg\n'), format: 'csv', skuField: 'sku', imageField: 'image_url' }, 'database.repair_source_invalid'],
				[{ kind: 'file', path: workDir, format: 'csv', skuField: 'sku', imageField: 'image_url' }, 'database.repair_source_unreadable'],
			];
			for (const [source, code] of cases) {
				const outcome = await restoreImages(client, plan(source));
				expect(outcome).toMatchObject({ changed: 0, planned: 0, sourceFailure: { code, retryable: false, needsHuman: true } });
				expect(outcome.refused).toMatch(/^the source (could not be read|cannot be used)/);
				expectValidCause(outcome);
			}
			expect(await products()).toEqual(before);
		});
	});

	describe('from a URL', () => {
		beforeEach(async () => {
			servedJson = JSON.stringify([...(await backup())].map(([sku, image_url]) => ({ sku, image_url })));
		});

		test('JSON and CSV over HTTP fill the empty images', async () => {
			const before = await products();
			const json = await restoreImages(
				client,
				plan({ kind: 'url', url: `${baseUrl}/catalog.json?token=${URL_TOKEN}`, format: 'json', skuField: 'sku', imageField: 'image_url', timeoutMs: 2_000 }),
			);
			expect(json).toMatchObject({ planned: 104, changed: 104 });
			expectRestored(before, await products(), await backup());
			expectNoSecrets(json);

			await client.query('UPDATE products SET image_url = NULL WHERE id = ANY ($1)', [before.filter((row) => isEmpty(row.image_url)).map((row) => row.id)]);
			const csv = await restoreImages(client, plan({ kind: 'url', url: `${baseUrl}/catalog.csv`, format: 'csv', skuField: 'sku', imageField: 'image_url', timeoutMs: 2_000 }));
			expect(csv).toMatchObject({ planned: 104, changed: 104 });
		});

		test('HTTP 500: refused with provider.server_error, nothing changed, no token in the outcome', async () => {
			const before = await products();
			const outcome = await restoreImages(
				client,
				plan({ kind: 'url', url: `${baseUrl}/broken?token=${URL_TOKEN}`, format: 'json', skuField: 'sku', imageField: 'image_url', timeoutMs: 2_000 }),
			);
			expect(outcome).toMatchObject({ changed: 0, sourceFailure: { code: 'provider.server_error', retryable: true } });
			expect(outcome.refused).toMatch(/HTTP 500/);
			expectNoSecrets(outcome);
			expectValidCause(outcome);
			expect(await products()).toEqual(before);
		});

		test('a URL that never answers: net.timeout after timeoutMs, nothing changed', async () => {
			const before = await products();
			const started = Date.now();
			const outcome = await restoreImages(
				client,
				plan({ kind: 'url', url: `${baseUrl}/hang?token=${URL_TOKEN}`, format: 'json', skuField: 'sku', imageField: 'image_url', timeoutMs: 400 }),
			);
			expect(Date.now() - started).toBeLessThan(3_000);
			expect(outcome).toMatchObject({ changed: 0, sourceFailure: { code: 'net.timeout', retryable: true, needsHuman: false } });
			expectNoSecrets(outcome);
			expect(await products()).toEqual(before);
		});

		test('a 404 and an unreachable host are results too', async () => {
			const missing = await restoreImages(client, plan({ kind: 'url', url: `${baseUrl}/gone.json`, format: 'json', skuField: 'sku', imageField: 'image_url', timeoutMs: 2_000 }));
			expect(missing.sourceFailure?.code).toBe('provider.not_found');
			const closed = await restoreImages(client, plan({ kind: 'url', url: 'http://127.0.0.1:1/x.json', format: 'json', skuField: 'sku', imageField: 'image_url', timeoutMs: 2_000 }));
			expect(closed.sourceFailure?.code).toBe('net.unreachable');
		});
	});

	describe('bad parameters are rejected before any SQL runs', () => {
		test('identifier injection attempts throw IdentifierError naming the parameter', async () => {
			const spy = jest.spyOn(client, 'query');
			try {
				const attempts: Array<[Partial<RestorePlan>, RegExp]> = [
					[{ layout: { ...DEFAULT_LAYOUT, productsTable: 'products; DROP TABLE categories' } }, /Parameter "Products Table"/],
					[{ layout: { ...DEFAULT_LAYOUT, productsTable: '"products"--' } }, /Parameter "Products Table"/],
					[{ layout: { ...DEFAULT_LAYOUT, imageColumn: 'image_url = NULL --' } }, /Parameter "Image Column"/],
					[{ layout: { ...DEFAULT_LAYOUT, idColumn: 'id" OR 1=1' } }, /Parameter "ID Column"/],
					[{ source: { ...BACKUP_TABLE, table: 'product_images_backup; DROP TABLE products' } }, /source\.table/],
					[{ source: { ...BACKUP_TABLE, imageColumn: "image_url' --" } }, /source\.imageColumn/],
				];
				for (const [overrides, parameter] of attempts) {
					const attempt = restoreImages(client, plan(BACKUP_TABLE, overrides));
					await expect(attempt).rejects.toThrow(IdentifierError);
					await expect(attempt).rejects.toThrow(parameter);
				}
				expect(spy).not.toHaveBeenCalled();
			} finally {
				spy.mockRestore();
			}
			expect(await client.query("SELECT to_regclass('categories') IS NOT NULL AS ok")).toMatchObject({ rows: [{ ok: true }] });
		});

		test('bad numbers and sources throw RepairParameterError naming the parameter', async () => {
			const spy = jest.spyOn(client, 'query');
			try {
				const file: RepairSource = { kind: 'file', path: '/tmp/x.json', format: 'json', skuField: 'sku', imageField: 'image_url' };
				const attempts: Array<[Partial<RestorePlan>, string]> = [
					[{ batchSize: 0 }, 'batchSize'],
					[{ batchSize: 2.5 }, 'batchSize'],
					[{ maxRows: -1 }, 'maxRows'],
					[{ sampleSize: -1 }, 'sampleSize'],
					[{ statementTimeoutMs: 0 }, 'statementTimeoutMs'],
					[{ source: { ...file, format: 'xml' as 'json' } }, 'source.format'],
					[{ source: { ...file, path: ' ' } }, 'source.path'],
					[{ source: { ...file, imageField: '' } }, 'source.imageField'],
					[{ source: { kind: 'url', url: 'ftp://example.com/a.json', format: 'json', skuField: 'sku', imageField: 'image_url', timeoutMs: 1000 } }, 'source.url'],
					[{ source: { kind: 'url', url: 'not a url', format: 'json', skuField: 'sku', imageField: 'image_url', timeoutMs: 1000 } }, 'source.url'],
					[{ source: { kind: 'url', url: 'https://example.com/a.json', format: 'json', skuField: 'sku', imageField: 'image_url', timeoutMs: 0 } }, 'source.timeoutMs'],
				];
				for (const [overrides, parameter] of attempts) {
					const error = await restoreImages(client, plan(BACKUP_TABLE, overrides)).catch((caught: unknown) => caught);
					expect(error).toBeInstanceOf(RepairParameterError);
					expect((error as RepairParameterError).parameter).toBe(parameter);
					expect((error as Error).message.startsWith(parameter)).toBe(true);
				}
				expect(spy).not.toHaveBeenCalled();
			} finally {
				spy.mockRestore();
			}
		});
	});

	describe('killed mid-run', () => {
		function runChild(sourceFile: string, killAfterBatches: number): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
			const child = spawn(process.execPath, ['--import', 'tsx', CHILD_ENTRY, pg.connectionString, 'restore', sourceFile], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk: Buffer) => {
				stdout += chunk.toString('utf8');
				if (stdout.split('\n').filter((line) => line.startsWith('batch ')).length >= killAfterBatches) child.kill('SIGKILL');
			});
			child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
			return new Promise((resolve) => child.once('exit', (_code, signal) => resolve({ signal, stdout, stderr })));
		}

		for (const kind of ['table', 'file'] as const) {
			test(`SIGKILLed from outside (${kind} source), a re-run finishes: changed sums to planned, nothing overwritten`, async () => {
				const before = await products();
				const values = await backup();
				const sourceFile =
					kind === 'table' ? '-' : writeSource('images.json', JSON.stringify([...values].map(([sku, image_url]) => ({ sku, image_url }))));
				const killed = await runChild(sourceFile, 2);
				expect(killed.stderr).toBe('');
				expect(killed.signal).toBe('SIGKILL');
				expect(killed.stdout).not.toContain('done ');
				const printed = killed.stdout.split('\n').filter((line) => line.startsWith('batch ')).length;

				const mid = await products();
				const filledBeforeKill = mid.filter((row, index) => isEmpty(before[index]?.image_url ?? null) && !isEmpty(row.image_url)).length;
				// Every printed batch committed its rows; at most one more may have committed before the kill landed.
				expect(filledBeforeKill).toBeGreaterThanOrEqual(printed * CHILD_BATCH_SIZE);
				expect(filledBeforeKill).toBeLessThanOrEqual((printed + 1) * CHILD_BATCH_SIZE);
				expect(filledBeforeKill).toBeLessThan(104);
				// Mid-run every row is either untouched or has its final value.
				mid.forEach((row, index) => {
					const old = before[index] as ProductRow;
					expect([old.image_url, isEmpty(old.image_url) ? values.get(old.sku as string) : old.image_url]).toContain(row.image_url);
				});

				const rerun = await restoreImages(client, plan(BACKUP_TABLE));
				expect(rerun.planned).toBe(104 - filledBeforeKill);
				expect(filledBeforeKill + rerun.changed).toBe(104);
				expectRestored(before, await products(), values);
			});
		}
	});

	function expectValidCause(outcome: RestoreImagesOutcome): void {
		expect(outcome.sourceFailure).toBeDefined();
		const result = new CheckRecorder('database', 'postgres:shop').degrade('restore_images', outcome.sourceFailure as NonNullable<RestoreImagesOutcome['sourceFailure']>).result();
		expect(validateCheckResult(result)).toEqual([]);
	}
});

function toCsv(rows: Array<{ sku: string; image_url: string }>): string {
	return ['sku,image_url', ...rows.map((row) => `"${row.sku}","${row.image_url}"`)].join('\r\n');
}
