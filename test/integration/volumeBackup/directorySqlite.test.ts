/**
 * n8n's live SQLite database in the backed-up directory: a child process keeps inserting
 * rows while the backup runs, and the restored copy must pass PRAGMA integrity_check and
 * hold an unbroken prefix of the rows (a consistent snapshot, not a torn copy). Also what
 * happens without sqlite3, when it hangs, and when the file is not a database.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as tar from 'tar';

import { backupDirectory } from '../../../nodes/VolumeBackup/directory/backupDirectory';
import { BackupError } from '../../../nodes/VolumeBackup/directory/errors';
import { backupErrorToResult, backupOutcomeToResult } from '../../../nodes/VolumeBackup/directory/outcomeToResult';
import { restoreBackup } from '../../../nodes/VolumeBackup/directory/restoreBackup';
import { validateCheckResult } from '../../../nodes/shared/validate';

const SEED_ROWS = 20_000;

let root: string;
let source: string;
let database: string;
let writer: ChildProcess | undefined;

function sql(db: string, statement: string): string {
	return execFileSync('sqlite3', ['-batch', '-cmd', '.timeout 5000', db, statement], { timeout: 15_000 }).toString().trim();
}

beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-sqlite-'));
	source = path.join(root, 'n8n');
	fs.mkdirSync(source);
	fs.writeFileSync(path.join(source, 'config'), '{"encryptionKey":"test-encryption-key-not-real"}');
	database = path.join(source, 'database.sqlite');
	sql(
		database,
		`PRAGMA journal_mode=WAL;
		 CREATE TABLE execution_entity (id INTEGER PRIMARY KEY, payload BLOB NOT NULL);
		 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${SEED_ROWS})
		 INSERT INTO execution_entity (payload) SELECT randomblob(1024) FROM n;`,
	);
});

afterEach(async () => {
	if (writer?.pid && writer.exitCode === null) {
		process.kill(-writer.pid, 'SIGKILL');
		await new Promise((resolve) => writer?.once('exit', resolve));
	}
	writer = undefined;
	fs.rmSync(root, { recursive: true, force: true });
});

/** A separate process group inserting 1 KiB rows, one transaction each, until killed. */
function startWriter(db: string): ChildProcess {
	const loop = `while :; do for i in 1 2 3 4 5 6 7 8 9 10; do echo "INSERT INTO execution_entity (payload) VALUES (randomblob(1024));"; done; sleep 0.002; done`;
	return spawn('bash', ['-c', `${loop} | sqlite3 -batch -cmd '.timeout 5000' '${db}'`], { detached: true, stdio: 'ignore' });
}

async function waitForRows(db: string, atLeast: number): Promise<number> {
	const deadline = Date.now() + 20_000;
	for (;;) {
		const rows = Number(sql(db, 'SELECT count(*) FROM execution_entity'));
		if (rows >= atLeast) return rows;
		if (Date.now() > deadline) throw new Error(`writer did not reach ${atLeast} rows (at ${rows})`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

async function archivePaths(file: string): Promise<string[]> {
	const paths: string[] = [];
	await tar.list({ file, onReadEntry: (entry) => paths.push(entry.path) });
	return paths;
}

test('a database written to during the backup restores consistent and complete up to a point', async () => {
	writer = startWriter(database);
	const before = await waitForRows(database, SEED_ROWS + 200);
	const outcome = await backupDirectory({ sourceDir: source, backupDir: path.join(root, 'backups') });
	const after = await waitForRows(database, 0);
	// The writer really was writing while we backed up.
	expect(after).toBeGreaterThan(before);
	expect(writer.exitCode).toBeNull();

	expect(outcome.manifest.sqliteSnapshots).toEqual([
		{ path: 'database.sqlite', method: 'vacuum_into', bytes: expect.any(Number) },
	]);
	const stored = await archivePaths(outcome.file);
	expect(stored).toContain('database.sqlite');
	expect(stored.filter((p) => /-(wal|shm|journal)$/.test(p))).toEqual([]);
	// Snapshot and live files are one archive that GNU tar reads end to end too.
	expect(execFileSync('tar', ['-tzf', outcome.file]).toString().split('\n').sort()).toEqual(['', 'config', 'database.sqlite']);
	const result = backupOutcomeToResult(outcome);
	expect(validateCheckResult(result)).toEqual([]);
	expect(result.status).toBe('healthy');
	expect(JSON.stringify(result)).not.toContain('test-encryption-key-not-real');

	const target = path.join(root, 'restored');
	// A stale -wal from a broken database must not be replayed into the restored snapshot.
	fs.mkdirSync(target);
	fs.writeFileSync(path.join(target, 'database.sqlite-wal'), 'stale wal from the broken install');
	const restored = await restoreBackup(outcome.file, target, { overwrite: true });
	expect(restored.removedSidecars).toEqual(['database.sqlite-wal']);

	const copy = path.join(target, 'database.sqlite');
	expect(sql(copy, 'PRAGMA integrity_check')).toBe('ok');
	const [count, maxId, shortRows] = sql(
		copy,
		"SELECT count(*) || '|' || max(id) || '|' || sum(length(payload) <> 1024) FROM execution_entity",
	).split('|').map(Number);
	// Every row up to the snapshot point, none missing in between, none half-written.
	expect(count).toBeGreaterThanOrEqual(before);
	expect(count).toBeLessThanOrEqual(after);
	expect(maxId).toBe(count);
	expect(shortRows).toBe(0);
});

test('without sqlite3 the backup stops with backup.sqlite_unavailable and leaves nothing behind', async () => {
	const backupDir = path.join(root, 'backups');
	const error = await backupDirectory({ sourceDir: source, backupDir, sqliteBinary: path.join(root, 'no-such-sqlite3') }).catch(
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(BackupError);
	expect(error).toMatchObject({ code: 'backup.sqlite_unavailable' });
	expect((error as Error).message).toContain('sqliteBinary');
	expect(fs.readdirSync(backupDir)).toEqual([]);
	const result = backupErrorToResult(error, 'dir:n8n');
	expect(validateCheckResult(result)).toEqual([]);
	expect(result).toMatchObject({ status: 'down', cause: { code: 'backup.sqlite_unavailable', needsHuman: true } });
});

test("sqliteMissing: 'copy' copies the live files and reports the backup degraded", async () => {
	const outcome = await backupDirectory({
		sourceDir: source,
		backupDir: path.join(root, 'backups'),
		sqliteBinary: path.join(root, 'no-such-sqlite3'),
		sqliteMissing: 'copy',
	});
	expect(outcome.manifest.sqliteSnapshots).toEqual([{ path: 'database.sqlite', method: 'copy', bytes: expect.any(Number) }]);
	const stored = await archivePaths(outcome.file);
	expect(stored).toContain('database.sqlite');
	const result = backupOutcomeToResult(outcome);
	expect(validateCheckResult(result)).toEqual([]);
	expect(result).toMatchObject({ status: 'degraded', cause: { code: 'backup.sqlite_inconsistent', needsHuman: true } });
});

test('a sqlite3 that hangs is stopped at timeoutMs with backup.sqlite_timeout', async () => {
	const hanging = path.join(root, 'hanging-sqlite3');
	fs.writeFileSync(hanging, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
	const backupDir = path.join(root, 'backups');
	const started = Date.now();
	const error = await backupDirectory({ sourceDir: source, backupDir, sqliteBinary: hanging, timeoutMs: 300 }).catch((e: unknown) => e);
	expect(Date.now() - started).toBeLessThan(5_000);
	expect(error).toMatchObject({ code: 'backup.sqlite_timeout' });
	expect(backupErrorToResult(error, 'dir:n8n').cause).toMatchObject({ retryable: true, needsHuman: false });
	expect(fs.readdirSync(backupDir)).toEqual([]);
});

test('a file that is not a database fails with sqlite3 own words', async () => {
	fs.writeFileSync(path.join(source, 'broken.sqlite'), 'this is not a database file at all, just text padding'.repeat(100));
	const error = await backupDirectory({
		sourceDir: source,
		backupDir: path.join(root, 'backups'),
		sqliteFiles: ['database.sqlite', 'broken.sqlite'],
	}).catch((e: unknown) => e);
	expect(error).toMatchObject({ code: 'backup.sqlite_failed' });
	expect((error as Error).message).toMatch(/not a database/);
});

test('sqliteFiles names databases in subfolders; a missing one is refused', async () => {
	fs.mkdirSync(path.join(source, 'data'));
	sql(path.join(source, 'data', 'other.db'), 'CREATE TABLE t (x); INSERT INTO t VALUES (42);');
	const outcome = await backupDirectory({
		sourceDir: source,
		backupDir: path.join(root, 'backups'),
		sqliteFiles: ['data/other.db'],
	});
	expect(outcome.manifest.sqliteSnapshots.map((s) => s.path)).toEqual(['data/other.db']);
	const target = path.join(root, 'restored');
	await restoreBackup(outcome.file, target);
	expect(sql(path.join(target, 'data', 'other.db'), 'SELECT x FROM t')).toBe('42');

	await expect(
		backupDirectory({ sourceDir: source, backupDir: path.join(root, 'backups'), sqliteFiles: ['missing.db'] }),
	).rejects.toMatchObject({ code: 'backup.source_missing' });
	await expect(
		backupDirectory({ sourceDir: source, backupDir: path.join(root, 'backups'), sqliteFiles: ['../escape.db'] }),
	).rejects.toMatchObject({ parameter: 'sqliteFiles' });
});
