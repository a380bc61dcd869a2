/**
 * Verify and Restore on an archive whose mount stops answering part-way: each ends with
 * net.timeout after stallTimeoutMs without progress instead of hanging, says what it left
 * (Verify: the marker as it was; Restore: an incomplete target), and a slow but moving
 * read is never cut short.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

import { backupDirectory } from '../../../nodes/VolumeBackup/directory/backupDirectory';
import { backupErrorToResult } from '../../../nodes/VolumeBackup/directory/outcomeToResult';
import { restoreBackup } from '../../../nodes/VolumeBackup/directory/restoreBackup';
import { sidecarPaths } from '../../../nodes/VolumeBackup/directory/sidecars';
import { verifyBackup } from '../../../nodes/VolumeBackup/directory/verifyBackup';
import { validateCheckResult } from '../../../nodes/shared/validate';

let root: string;
let archive: string;
let target: string;

beforeAll(async () => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-readstall-'));
	const source = path.join(root, 'n8n');
	fs.mkdirSync(path.join(source, 'binaryData'), { recursive: true });
	// Incompressible, so the archive is well past the point where the read hangs.
	fs.writeFileSync(path.join(source, 'binaryData', 'blob.bin'), randomBytes(2 * 1024 * 1024));
	fs.writeFileSync(path.join(source, 'config'), '{}');
	archive = (await backupDirectory({ sourceDir: source, backupDir: path.join(root, 'backups') })).file;
});
afterAll(() => {
	fs.rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
	target = fs.mkdtempSync(path.join(root, 'target-'));
});

/** Reads the real file, but the `hangOnOpen`-th open stops delivering after `afterBytes`, like a mount that hangs. */
function hangingMount(afterBytes: number, hangOnOpen = 1): { open: (file: string) => Readable; opened: () => number } {
	let opens = 0;
	return {
		opened: () => opens,
		open: (file) => {
			opens += 1;
			const bytes = fs.readFileSync(file);
			const limit = opens === hangOnOpen ? afterBytes : bytes.length;
			let offset = 0;
			return new Readable({
				read(): void {
					if (offset >= limit) {
						if (limit === bytes.length) this.push(null);
						return; // never answers again
					}
					const end = Math.min(offset + 64 * 1024, limit);
					this.push(bytes.subarray(offset, end));
					offset = end;
				},
			});
		},
	};
}

/** Reads the real file 64 KiB at a time, each read late but none stuck. */
function slowMount(file: string): Readable {
	const bytes = fs.readFileSync(file);
	let offset = 0;
	return new Readable({
		read(): void {
			setTimeout(() => {
				const end = Math.min(offset + 64 * 1024, bytes.length);
				this.push(offset < end ? bytes.subarray(offset, end) : null);
				offset = end;
			}, 10);
		},
	});
}

describe('Verify', () => {
	test('an archive whose read hangs ends with net.timeout and leaves the verified marker as it was', async () => {
		const marker = sidecarPaths(archive).verified;
		const before = fs.readFileSync(marker, 'utf8');
		const mount = hangingMount(256 * 1024);
		const started = Date.now();
		const error = await verifyBackup(archive, { stallTimeoutMs: 400, openArchive: mount.open }).catch((e: unknown) => e);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(error).toMatchObject({ name: 'BackupError', code: 'net.timeout' });
		expect((error as Error).message).toMatch(/no progress for 400 ms while reading the archive.*not marked verified/);
		expect(fs.readFileSync(marker, 'utf8')).toBe(before);

		const result = backupErrorToResult(error, 'file:n8n.tar.gz', 'verify');
		expect(validateCheckResult(result)).toEqual([]);
		expect(result).toMatchObject({ status: 'down', cause: { code: 'net.timeout', retryable: true } });
	});

	test('a slow read that keeps moving passes', async () => {
		// Each chunk is late, none is stuck: a 2 s limit is far above the delay and above any pause a busy machine adds.
		const outcome = await verifyBackup(archive, { stallTimeoutMs: 2_000, openArchive: slowMount });
		expect(outcome).toMatchObject({ ok: true, checksumOk: true, entries: 3 });
	});

	test('stallTimeoutMs must be a positive number: the error names it', async () => {
		await expect(verifyBackup(archive, { stallTimeoutMs: 0 })).rejects.toMatchObject({ parameter: 'stallTimeoutMs' });
	});
});

describe('Restore', () => {
	test('a read that hangs while the archive is checked ends with net.timeout before anything is written', async () => {
		const mount = hangingMount(256 * 1024, 1);
		const error = await restoreBackup(archive, target, { stallTimeoutMs: 400, openArchive: mount.open }).catch((e: unknown) => e);
		expect(error).toMatchObject({ name: 'BackupError', code: 'net.timeout' });
		expect((error as Error).message).toMatch(/no progress for 400 ms while checking the archive.*the restore is incomplete/);
		expect(mount.opened()).toBe(1);
		expect(fs.readdirSync(target)).toEqual([]);
	});

	test('a read that hangs during extraction ends with net.timeout, and nothing more is written afterwards', async () => {
		const mount = hangingMount(1024 * 1024, 2);
		const started = Date.now();
		const error = await restoreBackup(archive, target, { stallTimeoutMs: 400, openArchive: mount.open }).catch((e: unknown) => e);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(error).toMatchObject({ name: 'BackupError', code: 'net.timeout' });
		expect((error as Error).message).toMatch(/while extracting the archive.*the restore is incomplete/);
		expect(mount.opened()).toBe(2);
		// Part of the blob was written; the extraction was stopped, so it never grows to full size.
		await new Promise((resolve) => setTimeout(resolve, 300));
		const blob = path.join(target, 'binaryData', 'blob.bin');
		const size = fs.existsSync(blob) ? fs.statSync(blob).size : 0;
		expect(size).toBeLessThan(2 * 1024 * 1024);

		const result = backupErrorToResult(error, 'dir:target', 'restore');
		expect(validateCheckResult(result)).toEqual([]);
		expect(result).toMatchObject({ status: 'down', cause: { code: 'net.timeout' } });
	});

	test('a slow read that keeps moving restores every file', async () => {
		const outcome = await restoreBackup(archive, target, { stallTimeoutMs: 2_000, openArchive: slowMount });
		expect(outcome).toMatchObject({ entries: 3 });
		expect(fs.statSync(path.join(target, 'binaryData', 'blob.bin')).size).toBe(2 * 1024 * 1024);
		expect(fs.readFileSync(path.join(target, 'config'), 'utf8')).toBe('{}');
	});

	test('stallTimeoutMs must be a positive number: the error names it', async () => {
		await expect(restoreBackup(archive, target, { stallTimeoutMs: -1 })).rejects.toMatchObject({ parameter: 'stallTimeoutMs' });
	});
});
