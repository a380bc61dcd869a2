/**
 * The Log Archive's file mode when the target disk fills up mid-write: a real 1 MiB
 * tmpfs when this machine lets us mount one (we run as root in CI), else a write stream
 * that fails with ENOSPC after 1 MiB. The run must fail with a clear cause, remove its
 * partial file, delete no row, leave an earlier archive file untouched, and a re-run
 * with room to spare must archive every row exactly once.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

import type { Client } from 'pg';

import { archiveLogs, ArchiveError, type ArchiveHooks } from '../../../nodes/LogArchive/archive/archiveLogs';
import { archiveErrorToResult, archiveOutcomeToResult } from '../../../nodes/LogArchive/archive/outcomeToResult';
import type { ArchivePlan } from '../../../nodes/LogArchive/archive/types';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { applySchema } from '../../../dev/stack/schema';
import { seedLogs } from '../../../dev/stack/seed';
import { failingWriteStream } from '../../harness/failingWriteStream';

const NOW = new Date('2024-06-01T00:00:00.000Z');
const DAY_MS = 24 * 3600 * 1000;
const CUTOFF = new Date(NOW.getTime() - 30 * DAY_MS).toISOString();
const MIB = 1024 * 1024;
/** Old rows whose random hex payload compresses to ~2 MB: more than the 1 MiB disk. */
const BULKY_ROWS = 3000;

/** Mounts a tmpfs with `options` at `dir`; false where mounting needs privileges we lack. */
function tryMountTmpfs(dir: string, options: string, mounts: string[]): boolean {
	fs.mkdirSync(dir, { recursive: true });
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore', timeout: 10_000 });
		mounts.push(dir);
		return true;
	} catch {
		return false;
	}
}

function plan(directory: string): ArchivePlan {
	return {
		table: 'system_logs',
		timestampColumn: 'created_at',
		keyColumn: 'id',
		olderThanDays: 30,
		destination: { kind: 'file', directory },
		batchSize: 500,
		pauseMs: 0,
		dryRun: false,
		maxDurationMs: 0,
		now: NOW,
	};
}

function archivedIds(directory: string): number[] {
	return fs
		.readdirSync(directory)
		.filter((name) => name.endsWith('.jsonl.gz'))
		.flatMap((name) =>
			gunzipSync(fs.readFileSync(path.join(directory, name)))
				.toString('utf8')
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => Number((JSON.parse(line) as { id: unknown }).id)),
		)
		.sort((a, b) => a - b);
}

async function ids(client: Client, sql: string, values: unknown[] = []): Promise<number[]> {
	const result = await client.query<{ id: string }>(sql, values);
	return result.rows.map((row) => Number(row.id));
}

describe('file mode on a disk that fills up (real Postgres)', () => {
	let pg: PostgresHarness;
	let client: Client;
	let workDir: string;
	const mounts: string[] = [];

	beforeAll(async () => {
		pg = await startPostgres();
		client = await pg.connect();
		await applySchema(client);
	});

	afterAll(async () => {
		await client?.end();
		await pg?.stop();
	});

	beforeEach(() => {
		workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'log-archive-full-'));
	});

	afterEach(() => {
		for (const mount of mounts.splice(0)) execFileSync('umount', [mount]);
		fs.rmSync(workDir, { recursive: true, force: true });
	});

	test('fails naming the full disk, removes the partial file, deletes no row; with room, a re-run archives every row once', async () => {
		const archiveDir = path.join(workDir, 'archive');
		const realTmpfs = tryMountTmpfs(archiveDir, 'size=1m', mounts);
		// Where we cannot mount, the same 1 MiB limit comes from the write-stream seam.
		const hooks: ArchiveHooks = realTmpfs ? {} : { createWriteStream: failingWriteStream(MIB) };

		// An earlier, small archive file that must survive the failed run byte for byte.
		await seedLogs(client, { rows: 600, days: 60, now: NOW, seed: 3 });
		const earlier = await archiveLogs(client, plan(archiveDir), hooks);
		expect(earlier.rowsMoved).toBeGreaterThan(0);
		const earlierFile = earlier.file?.path ?? '';
		const earlierBytes = fs.readFileSync(earlierFile);
		expect(earlierBytes.length).toBeLessThan(MIB / 4);

		await client.query(
			`INSERT INTO system_logs (level, message, context, created_at)
			 SELECT 'info', 'bulky', jsonb_build_object('blob', (SELECT string_agg(md5(random()::text || k || g), '') FROM generate_series(1, 40) AS g)),
			        $1::timestamptz - interval '45 days' + k * interval '1 second'
			 FROM generate_series(1, $2::int) AS k`,
			[NOW.toISOString(), BULKY_ROWS],
		);
		const liveBefore = await ids(client, 'SELECT id FROM system_logs ORDER BY id');
		const oldBefore = await ids(client, 'SELECT id FROM system_logs WHERE created_at < $1 ORDER BY id', [CUTOFF]);
		expect(oldBefore).toHaveLength(BULKY_ROWS);

		const error = await archiveLogs(client, plan(archiveDir), hooks).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ArchiveError);
		expect(error).toMatchObject({ code: 'logs.archive_dir_unwritable' });
		expect((error as Error).message).toMatch(/no space left on the device holding .*archive \((ENOSPC|EDQUOT)\).*partial file was removed and no rows were deleted/);

		// No partial file, no marker: only the earlier archive, unchanged.
		expect(fs.readdirSync(archiveDir)).toEqual([path.basename(earlierFile)]);
		expect(fs.readFileSync(earlierFile).equals(earlierBytes)).toBe(true);
		expect(await ids(client, 'SELECT id FROM system_logs ORDER BY id')).toEqual(liveBefore);

		const result = archiveErrorToResult(error, 'postgres:shop');
		expect(validateCheckResult(result)).toEqual([]);
		expect(result).toMatchObject({
			component: 'logs',
			status: 'degraded',
			cause: { code: 'logs.archive_dir_unwritable', retryable: false, needsHuman: true },
		});
		// The database password never leaks into what the node would output.
		for (const text of [JSON.stringify(result), (error as Error).message, (error as Error).stack ?? '']) {
			expect(text).not.toContain(pg.connection.password);
		}

		// Room made (a bigger tmpfs, or no failing seam): the re-run moves every old row once.
		if (realTmpfs) execFileSync('mount', ['-o', 'remount,size=16m', archiveDir]);
		const rerun = await archiveLogs(client, plan(archiveDir));
		expect(rerun.rowsMoved).toBe(BULKY_ROWS);
		expect(rerun.file?.bytes).toBeGreaterThan(MIB);
		expect(validateCheckResult(archiveOutcomeToResult(rerun, 'postgres:shop'))).toEqual([]);
		expect(fs.readdirSync(archiveDir).every((name) => name.endsWith('.jsonl.gz'))).toBe(true);
		expect(fs.readFileSync(earlierFile).equals(earlierBytes)).toBe(true);
		const live = await ids(client, 'SELECT id FROM system_logs');
		const archived = archivedIds(archiveDir);
		const earlierIds = archived.filter((id) => !oldBefore.includes(id));
		expect(earlierIds).toHaveLength(earlier.rowsMoved);
		expect([...live, ...archived].sort((a, b) => a - b)).toEqual([...liveBefore, ...earlierIds].sort((a, b) => a - b));
		expect(archived.filter((id) => oldBefore.includes(id))).toEqual(oldBefore);
	});
});
