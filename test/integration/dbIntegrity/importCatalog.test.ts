/**
 * `database.import_catalog` against a real Postgres: an empty products table gets every
 * source row exactly once with the right columns, the id sequence moves past the copied
 * ids, a non-empty table / too many rows / a dry run change nothing, and a SIGKILLed
 * import leaves the table empty for the re-run.
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
import { importCatalog, type ImportCatalogOutcome, type ImportPlan } from '../../../nodes/DbIntegrity/repair/importCatalog';
import type { RepairSource } from '../../../nodes/DbIntegrity/repair/types';
import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import { IdentifierError } from '../../../nodes/shared/sql/identifiers';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { applySchema } from '../../../dev/stack/schema';
import { seedCatalog } from '../../../dev/stack/seed';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CHILD_ENTRY = path.join(__dirname, 'repairChild.ts');
const ROWS = 600;
const PRODUCT_COLUMNS = ['id', 'sku', 'name', 'description', 'price', 'currency', 'image_url', 'stock', 'category_id', 'active', 'created_at', 'updated_at'];
const BACKUP_TABLE: RepairSource = { kind: 'table', table: 'products_backup', skuColumn: 'sku', imageColumn: 'image_url' };

function plan(source: RepairSource, overrides: Partial<ImportPlan> = {}): ImportPlan {
	return { layout: DEFAULT_LAYOUT, source, batchSize: 100, maxRows: 100_000, dryRun: false, sampleSize: 3, statementTimeoutMs: 5_000, ...overrides };
}

function fileSource(file: string, format: 'json' | 'csv'): RepairSource {
	// skuField/imageField play no part in an import.
	return { kind: 'file', path: file, format, skuField: 'sku', imageField: 'image_url' };
}

describe('importCatalog (real Postgres)', () => {
	let pg: PostgresHarness;
	let client: Client;
	let bot: Client;
	let workDir: string;
	/** The catalog as it was before it was lost: every column, by id, as JSON. */
	let original: Array<Record<string, unknown>>;
	let maxId: number;

	beforeAll(async () => {
		pg = await startPostgres();
		client = await pg.connect();
		bot = await pg.connect();
		await applySchema(client);
	});

	afterAll(async () => {
		await bot?.end();
		await client?.end();
		await pg?.stop();
	});

	beforeEach(async () => {
		await seedCatalog(client, { products: ROWS, missingImagesPct: 5, duplicateSkus: 10, seed: 5 });
		// Sparse ids, so "next id = max + 1" is not the same as "next id = count + 1".
		await client.query('UPDATE products SET id = -id; UPDATE products SET id = -id * 3');
		await client.query('DROP TABLE IF EXISTS products_backup');
		await client.query('CREATE TABLE products_backup AS SELECT * FROM products');
		original = await allRows('products_backup');
		maxId = ROWS * 3;
		// The catalog is lost; the sequence starts over, as after a bad migration.
		await client.query('TRUNCATE products RESTART IDENTITY');
		workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-catalog-'));
	});

	afterEach(() => {
		fs.rmSync(workDir, { recursive: true, force: true });
	});

	async function allRows(table: string): Promise<Array<Record<string, unknown>>> {
		const { rows } = await client.query<{ row: Record<string, unknown> }>(`SELECT row_to_json(t) AS row FROM ${table} AS t ORDER BY id`);
		return rows.map((row) => row.row);
	}

	async function count(table = 'products'): Promise<number> {
		const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
		return Number(rows[0]?.n);
	}

	async function sequenceState(): Promise<{ last_value: string | null }> {
		const { rows } = await client.query<{ last_value: string | null }>("SELECT last_value::text FROM pg_sequences WHERE sequencename = 'products_id_seq'");
		return rows[0] as { last_value: string | null };
	}

	/** A plain INSERT the way the bot does it: no id. */
	async function botInsert(db: Client = client): Promise<number> {
		const { rows } = await db.query<{ id: string }>("INSERT INTO products (sku, name) VALUES ('SKU-NEW', 'Nuevo') RETURNING id");
		return Number(rows[0]?.id);
	}

	function writeSource(name: string, text: string): string {
		const file = path.join(workDir, name);
		fs.writeFileSync(file, text);
		return file;
	}

	function expectNoSecrets(value: unknown): void {
		expect(JSON.stringify(value)).not.toContain(pg.connection.password);
	}

	function expectValidCause(outcome: ImportCatalogOutcome): void {
		const cause = outcome.sourceFailure as NonNullable<ImportCatalogOutcome['sourceFailure']>;
		expect(validateCheckResult(new CheckRecorder('database', 'postgres:shop').degrade('import_catalog', cause).result())).toEqual([]);
	}

	describe('from a table', () => {
		test('imports every row with every column, and the next plain INSERT gets a fresh id', async () => {
			await client.query('ALTER TABLE products_backup ADD COLUMN legacy_code text');
			const outcome = await importCatalog(client, plan(BACKUP_TABLE));
			expect(outcome).toMatchObject({
				action: 'database.import_catalog',
				dryRun: false,
				planned: ROWS,
				changed: ROWS,
				batches: 1,
				unmatched: 0,
				conflictingSkus: [],
				columns: PRODUCT_COLUMNS,
				unknownFields: ['legacy_code'],
				idSequenceValue: String(maxId),
			});
			expect(outcome.refused).toBeUndefined();
			expect(await allRows('products')).toEqual(original);
			expect(outcome.sample.map((row) => row.sku)).toEqual(original.slice(0, 3).map((row) => row.sku));
			expect(JSON.parse(outcome.sample[0]?.value as string)).toMatchObject({ id: original[0]?.id, sku: original[0]?.sku });
			expect(await botInsert()).toBe(maxId + 1);
			expectNoSecrets(outcome);
		});

		test('not empty: refused, nothing changed (dry run says so too)', async () => {
			const id = await botInsert();
			for (const dryRun of [false, true]) {
				const outcome = await importCatalog(client, plan(BACKUP_TABLE, { dryRun }));
				expect(outcome).toMatchObject({ dryRun, changed: 0, batches: 0 });
				expect(outcome.refused).toMatch(/products is not empty.*nothing was changed/);
			}
			expect((await allRows('products')).map((row) => row.id)).toEqual([id]);
		});

		test('more source rows than maxRows: refused, the table stays empty', async () => {
			const outcome = await importCatalog(client, plan(BACKUP_TABLE, { maxRows: ROWS - 1 }));
			expect(outcome).toMatchObject({ planned: ROWS, changed: 0 });
			expect(outcome.refused).toMatch(new RegExp(`the source has ${ROWS} rows, more than maxRows \\(${ROWS - 1}\\)`));
			expect(await count()).toBe(0);
			expect(await importCatalog(client, plan(BACKUP_TABLE, { maxRows: ROWS }))).toMatchObject({ changed: ROWS });
		});

		test('an empty source is refused (nothing to import)', async () => {
			await client.query('TRUNCATE products_backup');
			const outcome = await importCatalog(client, plan(BACKUP_TABLE));
			expect(outcome.refused).toMatch(/no rows/);
			expect(await count()).toBe(0);
		});

		test('dry run: the count and a sample, nothing changed, sequence untouched', async () => {
			const sequenceBefore = await sequenceState();
			const outcome = await importCatalog(client, plan(BACKUP_TABLE, { dryRun: true, sampleSize: 2 }));
			expect(outcome).toMatchObject({ dryRun: true, planned: ROWS, changed: 0, batches: 0, idSequenceValue: null, columns: PRODUCT_COLUMNS });
			expect(outcome.refused).toBeUndefined();
			expect(outcome.sample.map((row) => row.sku)).toEqual(original.slice(0, 2).map((row) => row.sku));
			expect(await count()).toBe(0);
			expect(await sequenceState()).toEqual(sequenceBefore);
		});

		test("the bot's INSERT during the import waits for the lock, then gets an id after the imported ones", async () => {
			let botInsertDone: Promise<number> | undefined;
			let settled = false;
			const blockedWhileImporting: boolean[] = [];
			const outcome = await importCatalog(client, plan(BACKUP_TABLE), {
				afterBatch: async () => {
					if (!botInsertDone) {
						botInsertDone = botInsert(bot);
						void botInsertDone.then(() => (settled = true));
					}
					await new Promise((resolve) => setTimeout(resolve, 200));
					// Checked inside the import's transaction: after commit the insert may finish at any moment.
					blockedWhileImporting.push(!settled);
				},
			});
			expect(blockedWhileImporting.length).toBeGreaterThan(0);
			expect(blockedWhileImporting.every(Boolean)).toBe(true);
			expect(outcome.changed).toBe(ROWS);
			expect(await botInsertDone).toBe(maxId + 1);
			expect(await count()).toBe(ROWS + 1);
		});

		test('a source table that does not exist is a parameter error; a Postgres failure rolls everything back', async () => {
			await expect(importCatalog(client, plan({ ...BACKUP_TABLE, table: 'no_such_table' }))).rejects.toThrow(RepairParameterError);
			// A row the table refuses (NOT NULL name) aborts the one transaction: nothing imported.
			await client.query('UPDATE products_backup SET name = NULL WHERE id = $1', [maxId]);
			await expect(importCatalog(client, plan(BACKUP_TABLE))).rejects.toMatchObject({ code: '23502' });
			expect(await count()).toBe(0);
			expect(await sequenceState()).toEqual({ last_value: null });
		});
	});

	describe('from a file', () => {
		test('JSON: every row with every column; unknown fields and non-records are reported', async () => {
			const records: unknown[] = original.map((row) => ({ ...row, supplier: 'ACME' }));
			records.push('not a record', 42);
			const file = writeSource('catalog.json', JSON.stringify(records));
			const outcome = await importCatalog(client, plan(fileSource(file, 'json'), { batchSize: 70 }));
			expect(outcome).toMatchObject({
				planned: ROWS,
				changed: ROWS,
				batches: Math.ceil(ROWS / 70),
				columns: PRODUCT_COLUMNS,
				unknownFields: ['supplier'],
				invalidSourceRecords: 2,
				idSequenceValue: String(maxId),
			});
			expect(await allRows('products')).toEqual(original);
			expect(await botInsert()).toBe(maxId + 1);
		});

		test('CSV without ids: typed columns, empty fields are NULL, ids come from the sequence', async () => {
			const lines = ['\uFEFFsku,name,price,image_url,active,color'];
			lines.push('"SKU-A","Remera, ""clásica""",1500.50,https://cdn.example.com/a.jpg,true,rojo');
			lines.push('SKU-B,"Buzo\r\nlargo",,,false,');
			lines.push('SKU-C,Gorra,99,https://cdn.example.com/c.jpg,true,azul');
			lines.push('SKU-D,only,three');
			const file = writeSource('catalog.csv', lines.join('\r\n'));
			const outcome = await importCatalog(client, plan(fileSource(file, 'csv'), { batchSize: 2 }));
			expect(outcome).toMatchObject({
				planned: 3,
				changed: 3,
				batches: 2,
				columns: ['sku', 'name', 'price', 'image_url', 'active'],
				unknownFields: ['color'],
				invalidSourceRecords: 1,
				idSequenceValue: null,
			});
			const { rows } = await client.query('SELECT id::int, sku, name, price::text, image_url, active, currency FROM products ORDER BY id');
			expect(rows).toEqual([
				{ id: 1, sku: 'SKU-A', name: 'Remera, "clásica"', price: '1500.50', image_url: 'https://cdn.example.com/a.jpg', active: true, currency: 'ARS' },
				{ id: 2, sku: 'SKU-B', name: 'Buzo\r\nlargo', price: null, image_url: null, active: false, currency: 'ARS' },
				{ id: 3, sku: 'SKU-C', name: 'Gorra', price: '99.00', image_url: 'https://cdn.example.com/c.jpg', active: true, currency: 'ARS' },
			]);
			expect(outcome.sample[0]).toEqual({
				sku: 'SKU-A',
				value: JSON.stringify({ sku: 'SKU-A', name: 'Remera, "clásica"', price: '1500.50', image_url: 'https://cdn.example.com/a.jpg', active: 'true' }),
			});
			expect(await botInsert()).toBe(4);
		});

		test('a value of the wrong type is a Postgres error and nothing is imported', async () => {
			const file = writeSource('bad.csv', 'sku,name,price\nSKU-A,Remera,10\nSKU-B,Buzo,caro\n');
			await expect(importCatalog(client, plan(fileSource(file, 'csv'), { batchSize: 1 }))).rejects.toMatchObject({ code: '22P02' });
			expect(await count()).toBe(0);
		});

		test('no field in common with the table, or a missing file: refused with a cause', async () => {
			const none = await importCatalog(client, plan(fileSource(writeSource('x.json', '[{"foo":1,"bar":2}]'), 'json')));
			expect(none).toMatchObject({ changed: 0, unknownFields: ['foo', 'bar'], sourceFailure: { code: 'database.repair_source_invalid' } });
			expectValidCause(none);
			const missing = await importCatalog(client, plan(fileSource(path.join(workDir, 'missing.csv'), 'csv')));
			expect(missing).toMatchObject({ changed: 0, sourceFailure: { code: 'database.repair_source_unreadable' } });
			expect(missing.refused).toMatch(/does not exist/);
			expectValidCause(missing);
			expect(await count()).toBe(0);
		});

		test('SIGKILLed mid-import: the table is still empty, and the re-run imports every row exactly once', async () => {
			const file = writeSource('catalog.json', JSON.stringify(original));
			const child = spawn(process.execPath, ['--import', 'tsx', CHILD_ENTRY, pg.connectionString, 'import', file], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk: Buffer) => {
				stdout += chunk.toString('utf8');
				if (stdout.split('\n').filter((line) => line.startsWith('batch ')).length >= 3) child.kill('SIGKILL');
			});
			child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
			const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, exitSignal) => resolve(exitSignal)));
			expect(stderr).toBe('');
			expect(signal).toBe('SIGKILL');
			expect(stdout).toMatch(/^batch 3 60$/m);
			expect(stdout).not.toContain('done ');
			expect(await count()).toBe(0);

			const rerun = await importCatalog(client, plan(fileSource(file, 'json')));
			expect(rerun).toMatchObject({ planned: ROWS, changed: ROWS });
			expect(await allRows('products')).toEqual(original);
			expect(await botInsert()).toBe(maxId + 1);
		});
	});

	describe('from a URL', () => {
		test('a served JSON catalog is imported; an HTTP 500 is refused with its cause', async () => {
			const server = http.createServer((req, res) => {
				if (req.url === '/catalog.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(original));
				else res.writeHead(500).end();
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
			try {
				const broken = await importCatalog(client, plan({ kind: 'url', url: `${base}/broken`, format: 'json', skuField: 'sku', imageField: 'image_url', timeoutMs: 2_000 }));
				expect(broken).toMatchObject({ changed: 0, sourceFailure: { code: 'provider.server_error' } });
				expectValidCause(broken);
				expect(await count()).toBe(0);
				const ok = await importCatalog(client, plan({ kind: 'url', url: `${base}/catalog.json`, format: 'json', skuField: 'sku', imageField: 'image_url', timeoutMs: 2_000 }));
				expect(ok).toMatchObject({ planned: ROWS, changed: ROWS });
				expect(await allRows('products')).toEqual(original);
			} finally {
				server.closeAllConnections();
				await new Promise((resolve) => server.close(resolve));
			}
		});
	});

	describe('other tables', () => {
		test('an identity (GENERATED ALWAYS) id is copied and its sequence advanced', async () => {
			await client.query('DROP TABLE IF EXISTS shop_items');
			await client.query('CREATE TABLE shop_items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sku text, title text NOT NULL)');
			const file = writeSource('items.json', JSON.stringify([{ id: 10, sku: 'A', title: 'a' }, { id: 20, sku: 'B', title: 'b' }]));
			const layout = { ...DEFAULT_LAYOUT, productsTable: 'public.shop_items' };
			const outcome = await importCatalog(client, plan(fileSource(file, 'json'), { layout }));
			expect(outcome).toMatchObject({ changed: 2, columns: ['id', 'sku', 'title'], idSequenceValue: '20' });
			const { rows } = await client.query<{ id: string }>("INSERT INTO shop_items (sku, title) VALUES ('C', 'c') RETURNING id::text");
			expect(rows[0]?.id).toBe('21');
		});
	});

	describe('bad parameters are rejected before any SQL runs', () => {
		test('identifier injection and bad numbers', async () => {
			const spy = jest.spyOn(client, 'query');
			try {
				await expect(importCatalog(client, plan(BACKUP_TABLE, { layout: { ...DEFAULT_LAYOUT, productsTable: 'products; DROP TABLE categories' } }))).rejects.toThrow(IdentifierError);
				await expect(importCatalog(client, plan(BACKUP_TABLE, { layout: { ...DEFAULT_LAYOUT, productsTable: '"products"--' } }))).rejects.toThrow(/Parameter "Products Table"/);
				await expect(importCatalog(client, plan({ ...BACKUP_TABLE, table: 'products_backup --' }))).rejects.toThrow(/source\.table/);
				await expect(importCatalog(client, plan(BACKUP_TABLE, { batchSize: 0 }))).rejects.toThrow(RepairParameterError);
				await expect(importCatalog(client, plan(BACKUP_TABLE, { maxRows: -5 }))).rejects.toThrow(/^maxRows/);
				await expect(importCatalog(client, plan(fileSource('/tmp/x', 'yaml' as 'json')))).rejects.toThrow(/^source\.format/);
				expect(spy).not.toHaveBeenCalled();
			} finally {
				spy.mockRestore();
			}
		});
	});
});
