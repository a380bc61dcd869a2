/**
 * Backup Directory on a destination that stops answering (a hung NFS mount): the run
 * ends with net.timeout after stallTimeoutMs without progress, leaves nothing that looks
 * like a backup, and never commits later even when the stuck write finally returns. A
 * slow sqlite3 inside its own limit is not cut short by the stall guard.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';

import { backupDirectory } from '../../../nodes/VolumeBackup/directory/backupDirectory';
import { backupErrorToResult } from '../../../nodes/VolumeBackup/directory/outcomeToResult';
import { validateCheckResult } from '../../../nodes/shared/validate';

let root: string;
let source: string;
let backupDir: string;

beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-stall-'));
	source = path.join(root, 'n8n');
	fs.mkdirSync(path.join(source, 'binaryData'), { recursive: true });
	// Incompressible, so the archive is well past the point where the destination hangs.
	fs.writeFileSync(path.join(source, 'binaryData', 'blob.bin'), randomBytes(2 * 1024 * 1024));
	fs.writeFileSync(path.join(source, 'config'), '{}');
	backupDir = path.join(root, 'backups');
});
afterEach(() => {
	fs.rmSync(root, { recursive: true, force: true });
});

/** A real file whose writes stop completing after `afterBytes`, like a mount that hangs; `release()` lets them go on. */
function hangingDestination(afterBytes: number): { open: (file: string) => Writable; release: () => void; hung: Promise<void> } {
	let pending: (() => void) | undefined;
	let markHung: () => void = () => undefined;
	const hung = new Promise<void>((resolve) => (markHung = resolve));
	return {
		hung,
		release: () => pending?.(),
		open: (file) => {
			const fd = fs.openSync(file, 'wx');
			let written = 0;
			return new Writable({
				write(chunk: Buffer, _encoding, callback): void {
					fs.writeSync(fd, chunk);
					written += chunk.length;
					if (written < afterBytes) return callback();
					pending = () => callback();
					markHung();
				},
				final(callback): void {
					fs.closeSync(fd);
					callback();
				},
			});
		},
	};
}

test('a destination that stops answering ends the run with net.timeout, and nothing that looks like a backup is left', async () => {
	const destination = hangingDestination(256 * 1024);
	const started = Date.now();
	const error = await backupDirectory({ sourceDir: source, backupDir, stallTimeoutMs: 400, createWriteStream: destination.open }).catch((e: unknown) => e);
	const elapsed = Date.now() - started;
	expect(error).toMatchObject({ name: 'BackupError', code: 'net.timeout' });
	expect((error as Error).message).toMatch(/no progress for 400 ms while writing the archive/);
	expect(elapsed).toBeLessThan(5_000);
	expect(fs.readdirSync(backupDir)).toEqual([]);

	const result = backupErrorToResult(error, 'dir:n8n');
	expect(validateCheckResult(result)).toEqual([]);
	expect(result).toMatchObject({ status: 'down', cause: { code: 'net.timeout', retryable: true, needsHuman: false } });

	// The stuck write comes back later: the abandoned run must still never produce an archive.
	destination.release();
	await new Promise((resolve) => setTimeout(resolve, 500));
	expect(fs.readdirSync(backupDir).filter((name) => !name.endsWith('.partial'))).toEqual([]);
});

test('a destination that is slow but keeps moving is not a stall', async () => {
	const slow = (file: string): Writable => {
		const fd = fs.openSync(file, 'wx');
		return new Writable({
			write(chunk: Buffer, _encoding, callback): void {
				fs.writeSync(fd, chunk);
				setTimeout(callback, 5); // every chunk late, none stuck
			},
			final(callback): void {
				fs.closeSync(fd);
				callback();
			},
		});
	};
	// Every chunk is 5 ms late; a 2 s limit is far above that and above any pause a busy machine adds.
	const outcome = await backupDirectory({ sourceDir: source, backupDir, stallTimeoutMs: 2_000, createWriteStream: slow });
	expect(fs.existsSync(outcome.file)).toBe(true);
	expect(outcome.manifest.files.map((entry) => entry.path)).toEqual(['binaryData', 'binaryData/blob.bin', 'config']);
});

test('a sqlite3 slower than stallTimeoutMs but inside its own timeoutMs is not cut short', async () => {
	const db = path.join(source, 'database.sqlite');
	execFileSync('sqlite3', [db, 'CREATE TABLE t (x); INSERT INTO t VALUES (1);']);
	const slowSqlite = path.join(root, 'slow-sqlite3');
	// sqlite3 takes at least 3 s, twice the stall limit; the rest of the backup has 1.5 s between
	// progress steps, which a busy two-core machine keeps (300 ms did not, once).
	fs.writeFileSync(slowSqlite, '#!/bin/sh\nsleep 3\nexec sqlite3 "$@"\n', { mode: 0o755 });
	const outcome = await backupDirectory({ sourceDir: source, backupDir, sqliteBinary: slowSqlite, timeoutMs: 10_000, stallTimeoutMs: 1_500 });
	expect(outcome.manifest.sqliteSnapshots).toEqual([expect.objectContaining({ path: 'database.sqlite', method: 'vacuum_into' })]);
});

test('stallTimeoutMs must be a positive number: the error names it', async () => {
	await expect(backupDirectory({ sourceDir: source, backupDir, stallTimeoutMs: 0 })).rejects.toMatchObject({ parameter: 'stallTimeoutMs' });
	await expect(backupDirectory({ sourceDir: source, backupDir, stallTimeoutMs: Number.NaN })).rejects.toMatchObject({ parameter: 'stallTimeoutMs' });
});
