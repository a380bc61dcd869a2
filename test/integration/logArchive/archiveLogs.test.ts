/**
 * The Log Archive against a real Postgres: every mode moves exactly the old rows,
 * nothing is lost or duplicated when the run is SIGKILLed and re-run or when the bot
 * keeps writing, dry runs change nothing, and failures delete nothing.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

import type { Client } from 'pg';

import { archiveLogs, ArchiveError, type ArchiveHooks } from '../../../nodes/LogArchive/archive/archiveLogs';
import { archiveErrorToResult, archiveOutcomeToResult } from '../../../nodes/LogArchive/archive/outcomeToResult';
import type { ArchiveDestination, ArchivePlan } from '../../../nodes/LogArchive/archive/types';
import { IdentifierError } from '../../../nodes/shared/sql/identifiers';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { applySchema } from '../../../dev/stack/schema';
import { seedLogs } from '../../../dev/stack/seed';
import { CHILD_BATCH_SIZE, CHILD_NOW } from './archiveChild';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CHILD_ENTRY = path.join(__dirname, 'archiveChild.ts');
const NOW = CHILD_NOW;
const DAY_MS = 24 * 3600 * 1000;
const CUTOFF = new Date(NOW.getTime() - 30 * DAY_MS).toISOString();
/** 3000 rows over 60 days: about half are older than the 30-day cut-off. */
const TOTAL_ROWS = 3000;

function plan(destination: ArchiveDestination, overrides: Partial<ArchivePlan> = {}): ArchivePlan {
	return {
		table: 'system_logs',
		timestampColumn: 'created_at',
		keyColumn: 'id',
		olderThanDays: 30,
		destination,
		batchSize: 500,
		pauseMs: 0,
		dryRun: false,
		maxDurationMs: 0,
		now: NOW,
		...overrides,
	};
}

const TABLE: ArchiveDestination = { kind: 'table', table: 'system_logs_archive' };
const DELETE: ArchiveDestination = { kind: 'delete' };

async function ids(client: Client, sql: string, values: unknown[] = []): Promise<number[]> {
	const result = await client.query<{ id: string }>(sql, values);
	return result.rows.map((row) => Number(row.id));
}

async function count(client: Client, sql: string, values: unknown[] = []): Promise<number> {
	const result = await client.query<{ n: string }>(sql, values);
	return Number(result.rows[0]?.n);
}

async function tableExists(client: Client, name: string): Promise<boolean> {
	const result = await client.query<{ oid: string | null }>('SELECT to_regclass($1)::text AS oid', [name]);
	return result.rows[0]?.oid !== null;
}

/** Rows as Postgres renders them to JSON, by id: what a file line must equal. */
async function rowsAsJson(client: Client, where: string, values: unknown[] = []): Promise<Map<number, unknown>> {
	const result = await client.query<{ id: string; row: unknown }>(
		`SELECT id::text AS id, row_to_json(t) AS row FROM system_logs t WHERE ${where} ORDER BY id`,
		values,
	);
	return new Map(result.rows.map((row) => [Number(row.id), row.row]));
}

/** Every line of every finished archive file in `directory`, parsed. */
function fileRows(directory: string): Array<Record<string, unknown>> {
	return fs
		.readdirSync(directory)
		.filter((name) => name.endsWith('.jsonl.gz'))
		.flatMap((name) =>
			gunzipSync(fs.readFileSync(path.join(directory, name)))
				.toString('utf8')
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => JSON.parse(line) as Record<string, unknown>),
		);
}

/** Records how many rows each committed batch changed. */
function batchSizesOf(): { sizes: number[]; hooks: ArchiveHooks } {
	const sizes: number[] = [];
	let previous = 0;
	return {
		sizes,
		hooks: {
			afterBatch: ({ rows }) => {
				sizes.push(rows - previous);
				previous = rows;
			},
		},
	};
}

/**
 * Batches of about `batchSize` rows: a page sweep sizes its page ranges by the density of
 * old rows it saw, so a batch may hold a few rows more than asked (one page's worth).
 */
function expectBatchesOfAbout(sizes: number[], batches: number, total: number, batchSize: number): void {
	expect(sizes).toHaveLength(batches);
	expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
	expect(batches).toBeGreaterThanOrEqual(Math.ceil(total / (batchSize * 1.1)));
	expect(batches).toBeLessThanOrEqual(Math.ceil(total / (batchSize / 2)) + 1);
	for (const size of sizes) expect(size).toBeLessThanOrEqual(batchSize * 1.1);
}

/** Rows the archive child reported as committed (its last `batch <n> <rows>` line). */
function reportedRows(stdout: string): number {
	const lines = stdout.split('\n').filter((line) => line.startsWith('batch '));
	return Number(lines[lines.length - 1]?.split(' ')[2] ?? 0);
}

function expectValid(result: unknown): void {
	expect(validateCheckResult(result)).toEqual([]);
}

/** Runs the archive child; resolves with its exit signal/code and stdout. */
function runChild(
	connectionString: string,
	mode: string,
	directory: string,
	killPoint: string,
	killAfterBatches?: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
	const child = spawn(process.execPath, ['--import', 'tsx', CHILD_ENTRY, connectionString, mode, directory, killPoint], {
		cwd: REPO_ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString('utf8');
		const batches = stdout.split('\n').filter((line) => line.startsWith('batch ')).length;
		// An outside SIGKILL at whatever point the child has reached.
		if (killAfterBatches !== undefined && batches >= killAfterBatches) child.kill('SIGKILL');
	});
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
	return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

describe('archiveLogs (real Postgres)', () => {
	let pg: PostgresHarness;
	let client: Client;
	let writer: Client;
	let workDir: string;
	let oldIds: number[];
	let allIds: number[];

	beforeAll(async () => {
		pg = await startPostgres();
		client = await pg.connect();
		writer = await pg.connect();
		await applySchema(client);
	});

	afterAll(async () => {
		await writer?.end();
		await client?.end();
		await pg?.stop();
	});

	beforeEach(async () => {
		await client.query('DROP TABLE IF EXISTS system_logs_archive');
		await seedLogs(client, { rows: TOTAL_ROWS, days: 60, now: NOW, seed: 7 });
		allIds = await ids(client, 'SELECT id FROM system_logs ORDER BY id');
		oldIds = await ids(client, 'SELECT id FROM system_logs WHERE created_at < $1 ORDER BY id', [CUTOFF]);
		workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'log-archive-'));
	});

	afterEach(() => {
		fs.rmSync(workDir, { recursive: true, force: true });
	});

	/** Table mode invariant: live + archived is exactly the original ids plus `extra`, each once. */
	async function expectTableModeExact(extra: number[] = []): Promise<void> {
		const live = await ids(client, 'SELECT id FROM system_logs');
		const archived = await ids(client, 'SELECT id FROM system_logs_archive');
		const union = [...live, ...archived].sort((a, b) => a - b);
		expect(union).toEqual([...allIds, ...extra].sort((a, b) => a - b));
		expect(archived.sort((a, b) => a - b)).toEqual(oldIds);
	}

	test('the seed has old and new rows on both sides of the cut-off', () => {
		expect(oldIds.length).toBeGreaterThan(1000);
		expect(oldIds.length).toBeLessThan(TOTAL_ROWS - 1000);
	});

	describe('table mode', () => {
		test('moves exactly the old rows in batches, into a created archive table; a re-run moves nothing and does not clash', async () => {
			const oldRows = await client.query('SELECT * FROM system_logs WHERE created_at < $1 ORDER BY id', [CUTOFF]);
			const perBatch = batchSizesOf();
			const outcome = await archiveLogs(client, plan(TABLE), perBatch.hooks);
			expect(outcome).toMatchObject({ dryRun: false, cutoff: CUTOFF, rowsMoved: oldIds.length, incomplete: false });
			expectBatchesOfAbout(perBatch.sizes, outcome.batches, oldIds.length, 500);
			expect(outcome.longestBatchMs).toBeGreaterThanOrEqual(0);
			// Short batches: 1 s on an idle machine; on a loaded one, still well under half the whole
			// run (one long transaction would be nearly all of it).
			expect(outcome.longestBatchMs).toBeLessThan(Math.max(1000, outcome.durationMs / 2));
			expect(outcome.tableBytesBefore).toBeGreaterThan(0);
			expect(outcome.tableBytesAfter).toBeGreaterThan(0);
			expect(outcome.oldestRemaining).not.toBeNull();
			expect(new Date(outcome.oldestRemaining as string).getTime()).toBeGreaterThanOrEqual(new Date(CUTOFF).getTime());
			await expectTableModeExact();
			// Same column values after the move (jsonb context included).
			expect((await client.query('SELECT * FROM system_logs_archive ORDER BY id')).rows).toEqual(oldRows.rows);

			const again = await archiveLogs(client, plan(TABLE));
			expect(again).toMatchObject({ rowsMoved: 0, batches: 0, incomplete: false });
			await expectTableModeExact();
			expectValid(archiveOutcomeToResult(outcome, 'postgres:shop'));
		});

		test('an existing archive table with another column order and an extra column is filled by column name', async () => {
			await client.query(
				'CREATE TABLE system_logs_archive (created_at timestamptz, context jsonb, message text, level text, id bigint, archived_at timestamptz DEFAULT now())',
			);
			const before = await client.query<{ id: string; level: string; message: string; context: unknown }>(
				'SELECT id::text, level, message, context FROM system_logs WHERE created_at < $1 ORDER BY id',
				[CUTOFF],
			);
			await archiveLogs(client, plan(TABLE));
			const after = await client.query<{ id: string; level: string; message: string; context: unknown; archived: boolean }>(
				'SELECT id::text, level, message, context, archived_at IS NOT NULL AS archived FROM system_logs_archive ORDER BY id',
			);
			expect(after.rows.map(({ archived: _archived, ...row }) => row)).toEqual(before.rows);
			expect(after.rows.every((row) => row.archived)).toBe(true);
		});

		test('an archive table lacking a hot column is refused before anything moves', async () => {
			await client.query('CREATE TABLE system_logs_archive (id bigint, level text, message text, created_at timestamptz)');
			await expect(archiveLogs(client, plan(TABLE))).rejects.toThrow(/lacks column\(s\) context/);
			expect(await count(client, 'SELECT count(*) AS n FROM system_logs')).toBe(TOTAL_ROWS);
		});

		test('maxDurationMs stops early and reports incomplete; the next run finishes', async () => {
			const first = await archiveLogs(client, plan(TABLE, { batchSize: 50, pauseMs: 30, maxDurationMs: 150 }));
			expect(first.incomplete).toBe(true);
			expect(first.rowsMoved).toBeGreaterThan(0);
			expect(first.rowsMoved).toBeLessThan(oldIds.length);
			const result = archiveOutcomeToResult(first, 'postgres:shop');
			expectValid(result);
			expect(result.status).toBe('degraded');
			expect(result.cause?.code).toBe('logs.archive_incomplete');

			const second = await archiveLogs(client, plan(TABLE));
			expect(second.incomplete).toBe(false);
			expect(first.rowsMoved + second.rowsMoved).toBe(oldIds.length);
			await expectTableModeExact();
		});

		test('SIGKILLed mid-run from outside, a re-run finishes: every id exactly once', async () => {
			const killed = await runChild(pg.connectionString, 'table', '-', 'none', 3);
			expect(killed.signal).toBe('SIGKILL');
			const movedBeforeKill = await count(client, 'SELECT count(*) AS n FROM system_logs_archive');
			// At least what the child reported committed, and not everything.
			expect(movedBeforeKill).toBeGreaterThanOrEqual(reportedRows(killed.stdout));
			expect(reportedRows(killed.stdout)).toBeGreaterThanOrEqual(3 * CHILD_BATCH_SIZE * 0.5);
			expect(movedBeforeKill).toBeLessThan(oldIds.length);
			// Mid-run, each row is in exactly one table.
			expect(await count(client, 'SELECT count(*) AS n FROM system_logs')).toBe(TOTAL_ROWS - movedBeforeKill);

			const rerun = await archiveLogs(client, plan(TABLE));
			expect(rerun.rowsMoved).toBe(oldIds.length - movedBeforeKill);
			await expectTableModeExact();
		});

		test('the bot keeps inserting during the archive: none of its rows is lost or delayed much', async () => {
			const inserted: number[] = [];
			const insertLatencies: number[] = [];
			let archiving = true;
			const bot = (async () => {
				while (archiving) {
					const started = Date.now();
					const result = await writer.query<{ id: string }>(
						"INSERT INTO system_logs (level, message, context) VALUES ('info', 'mensaje entrante', $1) RETURNING id",
						[{ from: '+5491100000000' }],
					);
					insertLatencies.push(Date.now() - started);
					inserted.push(Number(result.rows[0]?.id));
				}
			})();
			const outcome = await archiveLogs(client, plan(TABLE, { batchSize: 100, pauseMs: 5 }));
			archiving = false;
			await bot;
			expect(outcome.rowsMoved).toBe(oldIds.length);
			expect(inserted.length).toBeGreaterThan(10);
			// No insert waits for the archive: 1 s on an idle machine; on a loaded one, still far less
			// than the run (a table lock held throughout would delay an insert by nearly all of it).
			expect(Math.max(...insertLatencies)).toBeLessThan(Math.max(1000, outcome.durationMs / 2));
			await expectTableModeExact(inserted);
			expect(await ids(client, 'SELECT id FROM system_logs WHERE id = ANY($1::bigint[]) ORDER BY id', [inserted])).toEqual(inserted);
		});
		test('the bot inserting into freed pages ahead of and behind the sweep: its rows stay, only old rows move', async () => {
			// Free the first pages (as an earlier archive plus vacuum would), so the bot's new
			// rows land inside the range the sweep covers.
			const freed = oldIds.slice(0, 600);
			await client.query('DELETE FROM system_logs WHERE id = ANY($1::bigint[])', [freed]);
			await client.query('VACUUM system_logs');
			const pagesAtStart = await count(client, "SELECT pg_relation_size('system_logs') / current_setting('block_size')::int AS n");
			const inserted: number[] = [];
			let archiving = true;
			const bot = (async () => {
				while (archiving) {
					const result = await writer.query<{ id: string }>(
						"INSERT INTO system_logs (level, message, context) VALUES ('info', 'mensaje entrante', '{}') RETURNING id",
					);
					inserted.push(Number(result.rows[0]?.id));
				}
			})();
			const outcome = await archiveLogs(client, plan(TABLE, { batchSize: 60, pauseMs: 10 }));
			archiving = false;
			await bot;
			const stillOld = oldIds.filter((id) => !freed.includes(id));
			expect(outcome.rowsMoved).toBe(stillOld.length);
			expect(await ids(client, 'SELECT id FROM system_logs_archive ORDER BY id')).toEqual(stillOld);
			expect(await ids(client, 'SELECT id FROM system_logs WHERE id = ANY($1::bigint[]) ORDER BY id', [inserted])).toEqual(inserted);
			// The scenario happened: some of the bot's rows went into the table's first pages.
			const landedInside = await count(
				client,
				'SELECT count(*) AS n FROM system_logs WHERE id = ANY($1::bigint[]) AND (ctid::text::point)[0] < $2',
				[inserted, pagesAtStart],
			);
			expect(landedInside).toBeGreaterThan(0);
			const live = await ids(client, 'SELECT id FROM system_logs');
			const everyId = [...live, ...stillOld].sort((a, b) => a - b);
			expect(everyId).toEqual([...allIds.filter((id) => !freed.includes(id)), ...inserted].sort((a, b) => a - b));
		});
	});

	test('a second run while one holds the lock is refused at once, changing nothing; it runs once the lock is free', async () => {
		const holder = await pg.connect();
		try {
			await holder.query('SELECT pg_advisory_lock(hashtext($1))', ['n8n-autorecovery:log-archive:"system_logs"']);
			const before = await count(client, 'SELECT count(*) AS n FROM system_logs');
			const started = Date.now();
			const error = await archiveLogs(client, plan({ kind: 'table', table: 'system_logs_archive' })).catch((e: unknown) => e);
			// Refused, not queued: a run that waited for the lock would not return while it is held.
			expect(Date.now() - started).toBeLessThan(15_000);
			expect(error).toBeInstanceOf(ArchiveError);
			expect((error as ArchiveError).code).toBe('logs.archive_running');
			const result = archiveErrorToResult(error, 'postgres:shop');
			expectValid(result);
			expect(result.cause).toMatchObject({ code: 'logs.archive_running', retryable: true, needsHuman: false });
			expect(await count(client, 'SELECT count(*) AS n FROM system_logs')).toBe(before);
			expect(await tableExists(client, 'system_logs_archive')).toBe(false);
		} finally {
			await holder.end();
		}
		const outcome = await archiveLogs(client, plan({ kind: 'table', table: 'system_logs_archive' }));
		expect(outcome.rowsMoved).toBe(oldIds.length);
	});

	describe('delete mode', () => {
		test('deletes only the old rows and reports the count', async () => {
			const perBatch = batchSizesOf();
			const outcome = await archiveLogs(client, plan(DELETE, { batchSize: 400 }), perBatch.hooks);
			expect(outcome).toMatchObject({ rowsMoved: oldIds.length, incomplete: false });
			expectBatchesOfAbout(perBatch.sizes, outcome.batches, oldIds.length, 400);
			expect(await ids(client, 'SELECT id FROM system_logs ORDER BY id')).toEqual(allIds.filter((id) => !oldIds.includes(id)));
			expect(await tableExists(client, 'system_logs_archive')).toBe(false);
		});

		test('SIGKILLed mid-run, a re-run deletes the rest and nothing newer', async () => {
			const killed = await runChild(pg.connectionString, 'delete', '-', 'none', 2);
			expect(killed.signal).toBe('SIGKILL');
			const deletedBeforeKill = TOTAL_ROWS - (await count(client, 'SELECT count(*) AS n FROM system_logs'));
			expect(deletedBeforeKill).toBeGreaterThanOrEqual(reportedRows(killed.stdout));
			expect(deletedBeforeKill).toBeGreaterThan(0);
			expect(deletedBeforeKill).toBeLessThan(oldIds.length);
			const rerun = await archiveLogs(client, plan(DELETE));
			expect(rerun.rowsMoved).toBe(oldIds.length - deletedBeforeKill);
			expect(await ids(client, 'SELECT id FROM system_logs ORDER BY id')).toEqual(allIds.filter((id) => !oldIds.includes(id)));
		});
	});

	describe('file mode', () => {
		test('writes one gzip JSON Lines file equal to the moved rows, with its sha256, then deletes them', async () => {
			const expected = await rowsAsJson(client, 'created_at < $1', [CUTOFF]);
			const outcome = await archiveLogs(client, plan({ kind: 'file', directory: workDir }, { batchSize: 300 }));
			expect(outcome.rowsMoved).toBe(oldIds.length);
			const file = outcome.file;
			if (!file) throw new Error('expected a file');
			expect(path.dirname(file.path)).toBe(workDir);
			expect(path.basename(file.path)).toMatch(/^system_logs-20240502T000000000Z-\w+\.jsonl\.gz$/);
			expect(fs.readdirSync(workDir)).toEqual([path.basename(file.path)]);
			const bytes = fs.readFileSync(file.path);
			expect(file.bytes).toBe(bytes.length);
			expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
			const lines = fileRows(workDir);
			expect(lines).toHaveLength(oldIds.length);
			expect(file.rows).toBe(oldIds.length);
			expect(new Map(lines.map((line) => [Number(line.id), line]))).toEqual(expected);
			expect(await ids(client, 'SELECT id FROM system_logs ORDER BY id')).toEqual(allIds.filter((id) => !oldIds.includes(id)));
			const result = archiveOutcomeToResult(outcome, 'postgres:shop');
			expectValid(result);
			expect(result.status).toBe('healthy');
			expect(result.details).toMatchObject({ rowsMoved: oldIds.length, file: { sha256: file.sha256 } });
		});

		test('an unwritable directory is a clear error; no rows deleted, no file left', async () => {
			const notADirectory = path.join(workDir, 'plain-file');
			fs.writeFileSync(notADirectory, 'x');
			const error = await archiveLogs(client, plan({ kind: 'file', directory: path.join(notADirectory, 'archive') })).catch(
				(caught: unknown) => caught,
			);
			expect(error).toBeInstanceOf(ArchiveError);
			expect((error as Error).message).toMatch(/archive directory .*plain-file\/archive is not writable/);
			expect(await count(client, 'SELECT count(*) AS n FROM system_logs')).toBe(TOTAL_ROWS);
			expect(fs.readdirSync(workDir)).toEqual(['plain-file']);
			const result = archiveErrorToResult(error, 'postgres:shop');
			expectValid(result);
			expect(result.status).toBe('degraded');
			expect(result.cause?.code).toBe('logs.archive_dir_unwritable');
		});

		test('a file that fails verification (truncated on disk) is removed and no row is deleted', async () => {
			const error = await archiveLogs(client, plan({ kind: 'file', directory: workDir }), {
				beforeVerify: (temporaryPath) => {
					const size = fs.statSync(temporaryPath).size;
					fs.truncateSync(temporaryPath, Math.floor(size / 2));
				},
			}).catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(ArchiveError);
			expect((error as Error).message).toMatch(/could not write archive file .*no rows were deleted/);
			expect(fs.readdirSync(workDir)).toEqual([]);
			expect(await count(client, 'SELECT count(*) AS n FROM system_logs')).toBe(TOTAL_ROWS);
		});

		test.each([
			['while writing (before verification)', 'beforeVerify', 'none moved'],
			['after the rename, before deleting', 'afterRename', 'file complete'],
			['in the middle of deleting', 'afterBatch:2', 'file complete'],
		])('SIGKILLed %s, a re-run finishes: every row in exactly one place', async (_when, killPoint, state) => {
			const killed = await runChild(pg.connectionString, 'file', workDir, killPoint);
			expect(killed.signal).toBe('SIGKILL');
			const finishedFiles = fs.readdirSync(workDir).filter((name) => name.endsWith('.jsonl.gz'));
			if (state === 'none moved') {
				expect(finishedFiles).toEqual([]);
				expect(fs.readdirSync(workDir).some((name) => name.endsWith('.tmp'))).toBe(true);
				expect(await count(client, 'SELECT count(*) AS n FROM system_logs')).toBe(TOTAL_ROWS);
			} else {
				expect(finishedFiles).toHaveLength(1);
				expect(fs.readdirSync(workDir).some((name) => name.endsWith('.pending.json'))).toBe(true);
			}

			const rerun = await archiveLogs(client, plan({ kind: 'file', directory: workDir }));
			expect(rerun.incomplete).toBe(false);
			// Only finished archive files are left: no temp files, no markers.
			expect(fs.readdirSync(workDir).every((name) => name.endsWith('.jsonl.gz'))).toBe(true);
			const archived = fileRows(workDir).map((line) => Number(line.id));
			const live = await ids(client, 'SELECT id FROM system_logs');
			expect([...archived, ...live].sort((a, b) => a - b)).toEqual(allIds);
			expect(archived.sort((a, b) => a - b)).toEqual(oldIds);
		});
	});

	describe('dry run', () => {
		test.each([
			['table', TABLE],
			['delete', DELETE],
			['file', { kind: 'file' } as const],
		])('%s: reports the rows and time range that would move, and changes nothing', async (_mode, destination) => {
			const resolved: ArchiveDestination = destination.kind === 'file' ? { kind: 'file', directory: path.join(workDir, 'out') } : destination;
			const range = await client.query<{ from: Date; to: Date }>(
				'SELECT min(created_at) AS from, max(created_at) AS to FROM system_logs WHERE created_at < $1',
				[CUTOFF],
			);
			const outcome = await archiveLogs(client, plan(resolved, { dryRun: true }));
			expect(outcome).toMatchObject({
				dryRun: true,
				rowsMoved: 0,
				batches: 0,
				cutoff: CUTOFF,
				wouldMove: { rows: oldIds.length, from: range.rows[0]?.from.toISOString(), to: range.rows[0]?.to.toISOString() },
			});
			expect(outcome.oldestRemaining).toBe(range.rows[0]?.from.toISOString());
			expect(await ids(client, 'SELECT id FROM system_logs ORDER BY id')).toEqual(allIds);
			expect(await tableExists(client, 'system_logs_archive')).toBe(false);
			expect(fs.readdirSync(workDir)).toEqual([]);
			expectValid(archiveOutcomeToResult(outcome, 'postgres:shop'));
		});
	});

	describe('other schemas and edge cases', () => {
		test('a schema-qualified table with extra columns, jsonb and arrays, keyed and timed by other columns', async () => {
			await client.query('DROP SCHEMA IF EXISTS app CASCADE');
			await client.query('CREATE SCHEMA app');
			await client.query(`CREATE TABLE app.bot_events (
				event_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
				happened_at timestamptz NOT NULL,
				kind text NOT NULL,
				payload jsonb,
				tags text[],
				amount numeric(12, 2)
			)`);
			await client.query(
				`INSERT INTO app.bot_events (happened_at, kind, payload, tags, amount)
				 SELECT $1::timestamptz - k * interval '1 day' + interval '0.123456 second', 'order',
				        jsonb_build_object('k', k, 'nested', jsonb_build_object('ok', k % 2 = 0), 'text', 'ñandú "quoted"'),
				        ARRAY['a', 'b' || k], k * 1.25
				 FROM generate_series(1, 60) AS k`,
				[NOW.toISOString()],
			);
			const expected = await client.query('SELECT * FROM app.bot_events WHERE happened_at < $1 ORDER BY event_id', [CUTOFF]);
			const base = { table: 'app.bot_events', timestampColumn: 'happened_at', keyColumn: 'event_id', batchSize: 7 };
			const outcome = await archiveLogs(client, plan({ kind: 'table', table: 'app.bot_events_old' }, base));
			expect(outcome.rowsMoved).toBe(30);
			const archived = await client.query('SELECT * FROM app.bot_events_old ORDER BY event_id');
			expect(archived.rows).toEqual(expected.rows);
			expect(await count(client, 'SELECT count(*) AS n FROM app.bot_events')).toBe(30);

			// File mode on the same table: microseconds and nested jsonb survive.
			await client.query(
				`INSERT INTO app.bot_events (happened_at, kind, payload) VALUES ($1::timestamptz - interval '40 days 0.000001 second', 'late', '{"deep":{"list":[1,2,3]}}')`,
				[NOW.toISOString()],
			);
			const fileOutcome = await archiveLogs(client, plan({ kind: 'file', directory: workDir }, base));
			expect(fileOutcome.rowsMoved).toBe(1);
			const [line] = fileRows(workDir);
			expect(line).toMatchObject({ kind: 'late', payload: { deep: { list: [1, 2, 3] } } });
			expect(String(line?.happened_at)).toMatch(/\.999999/);
			expect(path.basename(fileOutcome.file?.path ?? '')).toMatch(/^app\.bot_events-/);
		});

		test('a partitioned table (no page sweep there) is archived by key, in exact batches, in table and delete mode', async () => {
			await client.query('DROP SCHEMA IF EXISTS app CASCADE');
			await client.query('CREATE SCHEMA app');
			await client.query(`CREATE TABLE app.events (
				id bigint GENERATED ALWAYS AS IDENTITY,
				shard int NOT NULL,
				created_at timestamptz NOT NULL,
				body text NOT NULL,
				PRIMARY KEY (id, shard)
			) PARTITION BY LIST (shard)`);
			await client.query('CREATE TABLE app.events_even PARTITION OF app.events FOR VALUES IN (0)');
			await client.query('CREATE TABLE app.events_odd PARTITION OF app.events FOR VALUES IN (1)');
			// 120 rows, one every 12 hours, oldest first, alternating partitions: both
			// partitions hold old rows at the same row addresses (ctid), which a batch
			// picked by ctid would confuse.
			await client.query(
				`INSERT INTO app.events (shard, created_at, body)
				 SELECT k % 2, $1::timestamptz - (121 - k) * interval '12 hours', 'event ' || k FROM generate_series(1, 120) AS k`,
				[NOW.toISOString()],
			);
			const every = await ids(client, 'SELECT id FROM app.events ORDER BY id');
			const older30 = await ids(client, 'SELECT id FROM app.events WHERE created_at < $1 ORDER BY id', [CUTOFF]);
			const older45 = await ids(client, 'SELECT id FROM app.events WHERE created_at < $1 ORDER BY id', [
				new Date(NOW.getTime() - 45 * DAY_MS).toISOString(),
			]);
			expect([older30.length, older45.length]).toEqual([60, 30]);
			const base = { table: 'app.events', batchSize: 7 };

			const perBatch = batchSizesOf();
			const moved = await archiveLogs(client, plan({ kind: 'table', table: 'app.events_archive' }, { ...base, olderThanDays: 45 }), perBatch.hooks);
			expect(moved.rowsMoved).toBe(30);
			// Keyset batches hold exactly the batch size (the last one the rest).
			expect(perBatch.sizes).toEqual([7, 7, 7, 7, 2]);
			expect(await ids(client, 'SELECT id FROM app.events_archive ORDER BY id')).toEqual(older45);

			const deleted = await archiveLogs(client, plan(DELETE, base));
			expect(deleted.rowsMoved).toBe(30);
			expect(await ids(client, 'SELECT id FROM app.events ORDER BY id')).toEqual(every.filter((id) => !older30.includes(id)));
		});

		test('a row the bot holds locked: batches time out and shrink, the run fails as a timeout with every row in one table; once free, a re-run finishes', async () => {
			const holder = await pg.connect();
			const locked = oldIds[Math.floor(oldIds.length / 2)];
			try {
				await holder.query('BEGIN');
				await holder.query('SELECT id FROM system_logs WHERE id = $1 FOR UPDATE', [locked]);
				await client.query('SET statement_timeout = 200');
				const started = Date.now();
				const error = await archiveLogs(client, plan(TABLE, { batchSize: 64 })).catch((caught: unknown) => caught);
				// 64 → 1 row: seven retries of 200 ms, then it gives up instead of hanging.
				expect(Date.now() - started).toBeLessThan(10_000);
				expect(error).toMatchObject({ code: '57014' });
				const result = archiveErrorToResult(error, 'postgres:shop');
				expectValid(result);
				expect(result.cause).toMatchObject({ code: 'net.timeout', retryable: true });
				const archived = await count(client, 'SELECT count(*) AS n FROM system_logs_archive');
				expect(archived).toBeGreaterThan(0);
				expect(archived).toBeLessThan(oldIds.length);
				expect(await count(client, 'SELECT count(*) AS n FROM system_logs_archive WHERE id = $1', [locked])).toBe(0);
				const live = await ids(client, 'SELECT id FROM system_logs');
				const moved = await ids(client, 'SELECT id FROM system_logs_archive');
				expect([...live, ...moved].sort((a, b) => a - b)).toEqual(allIds);
			} finally {
				await client.query('SET statement_timeout = 0');
				await holder.query('ROLLBACK');
				await holder.end();
			}
			const rerun = await archiveLogs(client, plan(TABLE));
			expect(rerun.incomplete).toBe(false);
			await expectTableModeExact();
		});

		test.each([
			['table', { table: 'system_logs; DROP TABLE system_logs' }],
			['table', { table: 'a.b.c' }],
			['timestampColumn', { timestampColumn: 'created_at"--' }],
			['keyColumn', { keyColumn: '1id' }],
			['destination.table', { destination: { kind: 'table', table: 'archive table' } }],
		] as Array<[string, Partial<ArchivePlan>]>)('a bad %s is rejected naming the parameter, nothing runs', async (parameter, overrides) => {
			const error = await archiveLogs(client, plan(TABLE, overrides)).catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(IdentifierError);
			expect((error as Error).message.startsWith(`${parameter} must be`)).toBe(true);
			expect(await ids(client, 'SELECT id FROM system_logs ORDER BY id')).toEqual(allIds);
			const result = archiveErrorToResult(error, 'postgres:shop');
			expectValid(result);
			expect(result.cause).toMatchObject({ code: 'config.invalid', needsHuman: true });
		});

		test('a well-formed name that is not a column is rejected naming the parameter', async () => {
			await expect(archiveLogs(client, plan(TABLE, { timestampColumn: 'inserted_at' }))).rejects.toThrow(
				'timestampColumn "inserted_at" is not a column of system_logs',
			);
			await expect(archiveLogs(client, plan(TABLE, { table: 'no_such_table' }))).rejects.toThrow('table no_such_table does not exist');
			await expect(archiveLogs(client, plan({ kind: 'table', table: 'public.system_logs' }, { table: 'public.system_logs' }))).rejects.toThrow(
				'destination.table must differ',
			);
			expect(await ids(client, 'SELECT id FROM system_logs ORDER BY id')).toEqual(allIds);
		});

		test.each([
			['table', TABLE],
			['delete', DELETE],
			['file', { kind: 'file' } as const],
		])('an empty table: %s mode moves nothing and writes no file', async (_mode, destination) => {
			await client.query('TRUNCATE system_logs');
			const resolved: ArchiveDestination = destination.kind === 'file' ? { kind: 'file', directory: workDir } : destination;
			const outcome = await archiveLogs(client, plan(resolved));
			expect(outcome).toMatchObject({ rowsMoved: 0, batches: 0, oldestRemaining: null, incomplete: false });
			expect(outcome.file).toBeUndefined();
			expect(fs.readdirSync(workDir)).toEqual([]);
			expectValid(archiveOutcomeToResult(outcome, 'postgres:shop'));
		});
	});
});
