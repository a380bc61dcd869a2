/**
 * Backup Directory when the disk or the process fails: a full disk (a real 1 MiB tmpfs
 * when this machine lets us mount one, else a write stream failing with ENOSPC at 1 MiB),
 * an unwritable folder, a missing source, and a SIGKILL mid-write. Each must leave no
 * partial file and no file that looks like a backup, and earlier backups untouched.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { backupDirectory } from '../../../nodes/VolumeBackup/directory/backupDirectory';
import { BackupError } from '../../../nodes/VolumeBackup/directory/errors';
import { backupErrorToResult } from '../../../nodes/VolumeBackup/directory/outcomeToResult';
import { pruneBackups } from '../../../nodes/VolumeBackup/directory/pruneBackups';
import { verifyBackup } from '../../../nodes/VolumeBackup/directory/verifyBackup';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { failingWriteStream } from '../../harness/failingWriteStream';
import { incompressibleBytes } from '../../harness/incompressibleBytes';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CHILD_ENTRY = path.join(__dirname, 'directoryBackupChild.ts');
const MIB = 1024 * 1024;

let root: string;
const mounts: string[] = [];

beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-failures-'));
});
afterEach(() => {
	for (const mount of mounts.splice(0)) execFileSync('umount', [mount]);
	fs.rmSync(root, { recursive: true, force: true });
});

/** Mounts a tmpfs of `size` at `dir`; false where mounting needs privileges we lack. */
function tryMountTmpfs(dir: string, options: string): boolean {
	fs.mkdirSync(dir, { recursive: true });
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore', timeout: 10_000 });
		mounts.push(dir);
		return true;
	} catch {
		return false;
	}
}

function makeSource(name: string, bigBytes: number): string {
	const source = path.join(root, name);
	fs.mkdirSync(path.join(source, 'workflows'), { recursive: true });
	fs.writeFileSync(path.join(source, 'workflows', 'one.json'), '{"name":"one"}');
	if (bigBytes > 0) fs.writeFileSync(path.join(source, 'binary.dat'), incompressibleBytes(bigBytes));
	return source;
}

function filesIn(dir: string): string[] {
	return fs.readdirSync(dir).sort();
}

describe('a full disk', () => {
	test('fails with backup.disk_full, removes the partial file, and an earlier backup still verifies', async () => {
		const backupDir = path.join(root, 'backups');
		const realTmpfs = tryMountTmpfs(backupDir, 'size=1m');
		// Where we cannot mount, the same 1 MiB limit comes from the write-stream seam.
		const createWriteStream = realTmpfs ? undefined : failingWriteStream(MIB, 'ENOSPC');

		const small = await backupDirectory({
			sourceDir: makeSource('small', 0),
			backupDir,
			now: () => new Date('2026-01-01T00:00:00Z'),
			...(createWriteStream ? { createWriteStream } : {}),
		});
		const before = filesIn(backupDir);
		const smallBytes = fs.readFileSync(small.file);

		const error = await backupDirectory({
			sourceDir: makeSource('large', 3 * MIB),
			backupDir,
			now: () => new Date('2026-01-02T00:00:00Z'),
			...(createWriteStream ? { createWriteStream } : {}),
		}).catch((e: unknown) => e);

		expect(error).toBeInstanceOf(BackupError);
		expect(error).toMatchObject({ code: 'backup.disk_full' });
		expect(filesIn(backupDir)).toEqual(before);
		expect(fs.readFileSync(small.file)).toEqual(smallBytes);
		expect((await verifyBackup(small.file)).ok).toBe(true);

		const result = backupErrorToResult(error, 'dir:large');
		expect(validateCheckResult(result)).toEqual([]);
		expect(result).toMatchObject({ status: 'down', cause: { code: 'backup.disk_full', retryable: false, needsHuman: false } });
	});

	test('ENOSPC through the write-stream seam is classified and cleaned up the same way', async () => {
		const backupDir = path.join(root, 'backups');
		const error = await backupDirectory({
			sourceDir: makeSource('large', 2 * MIB),
			backupDir,
			createWriteStream: failingWriteStream(256 * 1024, 'ENOSPC'),
		}).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'backup.disk_full' });
		expect(filesIn(backupDir)).toEqual([]);
	});
});

describe('an unwritable backup folder', () => {
	test('a write refused with EACCES is backup.unwritable and leaves nothing', async () => {
		const backupDir = path.join(root, 'backups');
		const error = await backupDirectory({
			sourceDir: makeSource('src', MIB),
			backupDir,
			createWriteStream: failingWriteStream(0, 'EACCES'),
		}).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'backup.unwritable' });
		expect(filesIn(backupDir)).toEqual([]);
		expect(backupErrorToResult(error, 'dir:src').cause).toMatchObject({ needsHuman: true, retryable: false });
	});

	test('a backup folder whose parent is a file is backup.unwritable', async () => {
		fs.writeFileSync(path.join(root, 'plain-file'), 'x');
		await expect(
			backupDirectory({ sourceDir: makeSource('src', 0), backupDir: path.join(root, 'plain-file', 'backups') }),
		).rejects.toMatchObject({ code: 'backup.unwritable' });
	});

	test('a read-only file system is backup.unwritable (real mount where permitted, else the seam)', async () => {
		const backupDir = path.join(root, 'readonly');
		const mounted = tryMountTmpfs(backupDir, 'size=1m,ro');
		const error = await backupDirectory({
			sourceDir: makeSource('src', 0),
			backupDir,
			...(mounted ? {} : { createWriteStream: failingWriteStream(0, 'EROFS') }),
		}).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'backup.unwritable' });
		expect(filesIn(backupDir)).toEqual([]);
	});
});

test('a missing source directory is backup.source_missing', async () => {
	const error = await backupDirectory({ sourceDir: path.join(root, 'gone'), backupDir: path.join(root, 'backups') }).catch(
		(e: unknown) => e,
	);
	expect(error).toMatchObject({ code: 'backup.source_missing' });
	const result = backupErrorToResult(error, 'dir:gone');
	expect(validateCheckResult(result)).toEqual([]);
	expect(result.cause).toMatchObject({ needsHuman: true });
});

test('a backup killed mid-write leaves only a .partial file that nothing mistakes for a backup', async () => {
	const source = makeSource('src', 4 * MIB);
	const backupDir = path.join(root, 'backups');
	const child = spawn(process.execPath, ['--import', 'tsx', CHILD_ENTRY, source, backupDir], {
		cwd: REPO_ROOT,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('the child never reached the stall point')), 30_000);
		child.stdout?.on('data', (data: Buffer) => {
			if (data.toString().includes('STALLED')) {
				clearTimeout(timer);
				resolve();
			}
		});
		child.once('exit', (code) => reject(new Error(`child exited early with ${String(code)}`)));
	});
	child.kill('SIGKILL');
	await new Promise((resolve) => child.once('exit', resolve));

	const left = filesIn(backupDir);
	expect(left.some((name) => name.endsWith('.tar.gz.partial'))).toBe(true);
	expect(left.filter((name) => name.endsWith('.tar.gz') || name.endsWith('.manifest.json') || name.endsWith('.sha256'))).toEqual([]);
	const pruned = await pruneBackups(backupDir, { keepLast: 1, dryRun: true });
	expect(pruned.kept).toEqual([]);
	expect(pruned.deleted).toEqual([]);

	// The next run is unaffected.
	const next = await backupDirectory({ sourceDir: source, backupDir });
	expect((await verifyBackup(next.file)).ok).toBe(true);
});
