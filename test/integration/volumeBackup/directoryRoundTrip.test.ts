/**
 * Backup Directory → Verify → Restore on real files: byte-identical round trip (files,
 * empty dirs, modes, symlinks as links, hard links), globs, a symlink pointing out of the
 * source never followed, tampered archives caught by Verify, and crafted path-traversal
 * archives refused by Restore before anything is written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import * as tar from 'tar';

import { backupDirectory } from '../../../nodes/VolumeBackup/directory/backupDirectory';
import { BackupError, BackupParameterError } from '../../../nodes/VolumeBackup/directory/errors';
import {
	backupErrorToResult,
	backupOutcomeToResult,
	restoreOutcomeToResult,
	verifyOutcomeToResult,
} from '../../../nodes/VolumeBackup/directory/outcomeToResult';
import { restoreBackup } from '../../../nodes/VolumeBackup/directory/restoreBackup';
import { checksumLine, isVerified, sidecarPaths } from '../../../nodes/VolumeBackup/directory/sidecars';
import { verifyBackup } from '../../../nodes/VolumeBackup/directory/verifyBackup';
import { validateCheckResult } from '../../../nodes/shared/validate';

const FAKE_SECRET = 'test-encryption-key-not-real';
const NOW = (): Date => new Date('2026-03-01T10:00:00.000Z');

let root: string;
beforeEach(() => {
	root = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-roundtrip-'));
});
afterEach(() => {
	fs.rmSync(root, { recursive: true, force: true });
});

/** An n8n-like data volume: config with a (fake) key, nested files, an empty dir, links. */
function makeSource(): string {
	const source = path.join(root, 'n8n');
	fs.mkdirSync(path.join(source, 'nodes', 'node_modules', 'pkg'), { recursive: true });
	fs.mkdirSync(path.join(source, 'binaryData', 'empty'), { recursive: true });
	fs.mkdirSync(path.join(source, 'cache'), { recursive: true });
	fs.writeFileSync(path.join(source, 'config'), JSON.stringify({ encryptionKey: FAKE_SECRET }), { mode: 0o600 });
	fs.writeFileSync(path.join(source, 'nodes', 'package.json'), '{"name":"installed-nodes"}');
	fs.writeFileSync(path.join(source, 'nodes', 'node_modules', 'pkg', 'index.js'), 'module.exports = 1;\n');
	// Incompressible bytes, larger than any stream buffer.
	const big = Buffer.alloc(3 * 1024 * 1024);
	for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
	fs.writeFileSync(path.join(source, 'binaryData', 'big.bin'), big);
	fs.writeFileSync(path.join(source, 'cache', 'tmp.dat'), 'cache');
	fs.writeFileSync(path.join(source, 'n8nEventLog.log'), 'event\n');
	fs.symlinkSync('config', path.join(source, 'config.link'));
	// Points out of the source: never followed, left out (a restore would refuse it) and reported.
	fs.writeFileSync(path.join(root, 'outside.txt'), 'outside content must not be archived');
	fs.symlinkSync(path.join(root, 'outside.txt'), path.join(source, 'outside.link'));
	fs.linkSync(path.join(source, 'n8nEventLog.log'), path.join(source, 'eventlog.hardlink'));
	return source;
}

/** Every path under `dir` with what it is: file bytes (base64), link target or dir, and mode. */
function snapshotTree(dir: string): Record<string, string> {
	const result: Record<string, string> = {};
	const walk = (relative: string): void => {
		for (const name of fs.readdirSync(path.join(dir, relative)).sort()) {
			const rel = relative ? `${relative}/${name}` : name;
			const full = path.join(dir, rel);
			const stat = fs.lstatSync(full);
			if (stat.isSymbolicLink()) result[rel] = `link:${fs.readlinkSync(full)}`;
			else if (stat.isDirectory()) {
				result[rel] = `dir:${(stat.mode & 0o777).toString(8)}`;
				walk(rel);
			} else result[rel] = `file:${(stat.mode & 0o777).toString(8)}:${fs.readFileSync(full).toString('base64')}`;
		}
	};
	walk('');
	return result;
}

function expectNoSecret(value: unknown): void {
	expect(JSON.stringify(value)).not.toContain(FAKE_SECRET);
}

describe('backup → verify → restore', () => {
	test('restores a byte-identical tree: files, modes, empty dirs, symlinks as links, hard links', async () => {
		const source = makeSource();
		const backupDir = path.join(root, 'backups');
		const outcome = await backupDirectory({ sourceDir: source, backupDir, now: NOW });

		expect(path.basename(outcome.file)).toBe('n8n-20260301T100000000Z.tar.gz');
		expect(fs.readdirSync(backupDir).sort()).toEqual(
			['', '.manifest.json', '.sha256', '.verified.json'].map((suffix) => path.basename(outcome.file) + suffix),
		);
		expect(fs.readFileSync(sidecarPaths(outcome.file).checksum, 'utf8')).toBe(checksumLine(outcome.sha256, outcome.file));
		expect(fs.statSync(outcome.file).size).toBe(outcome.bytes);
		const manifestOnDisk: unknown = JSON.parse(fs.readFileSync(outcome.manifestFile, 'utf8'));
		expect(manifestOnDisk).toEqual(outcome.manifest);
		expect(outcome.manifest.files).toEqual(
			expect.arrayContaining([
				{ path: 'binaryData/big.bin', type: 'file', size: 3 * 1024 * 1024 },
				{ path: 'binaryData/empty', type: 'dir', size: 0 },
				{ path: 'config.link', type: 'symlink', size: 0, linkTarget: 'config' },
			]),
		);
		expect(outcome.manifest.files.some((entry) => entry.path === 'outside.link')).toBe(false);
		expect(outcome.manifest.skippedLinks).toEqual([{ path: 'outside.link', target: path.join(root, 'outside.txt') }]);
		expect(outcome.manifest.sqliteSnapshots).toEqual([]);
		expect(await isVerified(outcome.file)).toBe(true);

		const result = backupOutcomeToResult(outcome);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result).toMatchObject({ component: 'backup', target: 'dir:n8n', status: 'healthy' });
		expect(result.details).toMatchObject({ file: outcome.file, bytes: outcome.bytes, sha256: outcome.sha256 });
		expect(result.checks.find((check) => check.name === 'skipped_links')?.message).toContain('outside.link');
		expectNoSecret(result);

		const verified = await verifyBackup(outcome.file);
		expect(verified).toMatchObject({ ok: true, checksumOk: true, manifestChecked: true, missing: [], unexpected: [], unsafe: [] });
		expect(validateCheckResult(verifyOutcomeToResult(verified, 'dir:n8n'))).toEqual([]);
		expect(verifyOutcomeToResult(verified, 'dir:n8n').status).toBe('healthy');

		const target = path.join(root, 'restored');
		const restored = await restoreBackup(outcome.file, target);
		expect(restored.entries).toBeGreaterThan(10);
		const restoredResult = restoreOutcomeToResult(restored, 'dir:n8n');
		expect(validateCheckResult(restoredResult)).toEqual([]);
		expectNoSecret(restoredResult);

		const expected = snapshotTree(source);
		delete expected['outside.link'];
		// Portable archives do not keep directory mtimes; modes and contents must match.
		expect(snapshotTree(target)).toEqual(expected);
		expect(expected['config']).toMatch(/^file:600:/);
		expect(expected['config.link']).toBe('link:config');
		// The hard link came back as a hard link.
		expect(fs.statSync(path.join(target, 'eventlog.hardlink')).ino).toBe(fs.statSync(path.join(target, 'n8nEventLog.log')).ino);
	});

	test('the outside file a symlink points to is never read into the archive', async () => {
		const source = makeSource();
		const outcome = await backupDirectory({ sourceDir: source, backupDir: path.join(root, 'backups'), now: NOW });
		const contents: string[] = [];
		await tar.list({
			file: outcome.file,
			onReadEntry: (entry) => {
				entry.on('data', (chunk: Buffer) => contents.push(chunk.toString('utf8')));
			},
		});
		expect(contents.join('')).not.toContain('outside content must not be archived');
	});

	test('include/exclude globs choose files; excluded folders are skipped whole; dotfiles match', async () => {
		const source = makeSource();
		fs.writeFileSync(path.join(source, '.env.example'), 'X=1');
		const outcome = await backupDirectory({
			sourceDir: source,
			backupDir: path.join(root, 'backups'),
			include: ['config', '.env*', 'nodes/**', 'binaryData/**'],
			exclude: ['**/node_modules', 'binaryData/*.bin'],
			now: NOW,
		});
		expect(outcome.manifest.files.map((entry) => entry.path).sort()).toEqual([
			'.env.example',
			'binaryData',
			'binaryData/empty',
			'config',
			'nodes',
			'nodes/package.json',
		]);
	});

	test('a backup folder inside the source is left out of its own archive', async () => {
		const source = makeSource();
		const first = await backupDirectory({ sourceDir: source, backupDir: path.join(source, 'backups'), now: NOW });
		expect(first.manifest.files.some((entry) => entry.path.startsWith('backups'))).toBe(false);
	});

	test('verify catches a flipped byte and a changed manifest, and clears the verified marker', async () => {
		const source = makeSource();
		const outcome = await backupDirectory({ sourceDir: source, backupDir: path.join(root, 'backups'), now: NOW });

		const bytes = fs.readFileSync(outcome.file);
		bytes[Math.floor(bytes.length / 2)] ^= 0xff;
		fs.writeFileSync(outcome.file, bytes);
		const damaged = await verifyBackup(outcome.file);
		expect(damaged.ok).toBe(false);
		expect(damaged.checksumOk).toBe(false);
		expect(await isVerified(outcome.file)).toBe(false);
		const result = verifyOutcomeToResult(damaged, 'dir:n8n');
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.status).toBe('down');
		// The first failing check is the unreadable stream (gzip CRC) or the checksum.
		expect(['backup.archive_corrupt', 'backup.checksum_mismatch']).toContain(result.cause?.code);
		await expect(restoreBackup(outcome.file, path.join(root, 'restored'))).rejects.toMatchObject({
			code: expect.stringMatching(/^backup\.(archive_corrupt|checksum_mismatch)$/),
		});
		expect(fs.existsSync(path.join(root, 'restored'))).toBe(false);
	});

	test('verify reports a manifest that lists a file the archive lacks', async () => {
		const source = makeSource();
		const outcome = await backupDirectory({ sourceDir: source, backupDir: path.join(root, 'backups'), now: NOW });
		const manifest = { ...outcome.manifest, files: [...outcome.manifest.files, { path: 'ghost.json', type: 'file', size: 3 }] };
		fs.writeFileSync(outcome.manifestFile, JSON.stringify(manifest));
		const checked = await verifyBackup(outcome.file);
		expect(checked).toMatchObject({ ok: false, checksumOk: true, missing: ['ghost.json'] });
		const result = verifyOutcomeToResult(checked, 'dir:n8n');
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.cause).toMatchObject({ code: 'backup.manifest_mismatch', retryable: false, needsHuman: false });
		expect(result.cause?.message).toContain('ghost.json missing');
	});

	test('verify of a missing archive is a BackupError turned into a down result', async () => {
		const missing = path.join(root, 'nope.tar.gz');
		const error = await verifyBackup(missing).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(BackupError);
		expect(error).toMatchObject({ code: 'backup.archive_missing' });
		const result = backupErrorToResult(error, 'dir:n8n', 'verify');
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.status).toBe('down');
	});
});

describe('restore target rules', () => {
	test('refuses a non-empty target unless overwrite; overwrite replaces files and keeps others', async () => {
		const source = makeSource();
		const outcome = await backupDirectory({ sourceDir: source, backupDir: path.join(root, 'backups'), now: NOW });
		const target = path.join(root, 'restored');
		fs.mkdirSync(target);
		fs.writeFileSync(path.join(target, 'config'), 'stale');
		fs.writeFileSync(path.join(target, 'keep.me'), 'mine');

		const refused = await restoreBackup(outcome.file, target).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(BackupParameterError);
		expect(refused).toMatchObject({ parameter: 'overwrite' });
		expect(fs.readFileSync(path.join(target, 'config'), 'utf8')).toBe('stale');

		await restoreBackup(outcome.file, target, { overwrite: true });
		expect(fs.readFileSync(path.join(target, 'config'))).toEqual(fs.readFileSync(path.join(source, 'config')));
		expect(fs.readFileSync(path.join(target, 'keep.me'), 'utf8')).toBe('mine');
	});

	test('overwrite replaces symlinks already in the target instead of writing through them', async () => {
		const source = makeSource();
		const outcome = await backupDirectory({ sourceDir: source, backupDir: path.join(root, 'backups'), now: NOW });
		const target = path.join(root, 'restored');
		const elsewhere = path.join(root, 'elsewhere');
		fs.mkdirSync(target);
		fs.mkdirSync(elsewhere);
		fs.symlinkSync(elsewhere, path.join(target, 'nodes'));
		fs.symlinkSync(path.join(elsewhere, 'config'), path.join(target, 'config'));

		await restoreBackup(outcome.file, target, { overwrite: true });
		expect(fs.readdirSync(elsewhere)).toEqual([]);
		expect(fs.lstatSync(path.join(target, 'nodes')).isDirectory()).toBe(true);
		expect(fs.readFileSync(path.join(target, 'config'))).toEqual(fs.readFileSync(path.join(source, 'config')));
	});

	test('misuse throws BackupParameterError naming the parameter', async () => {
		const source = makeSource();
		const backupDir = path.join(root, 'backups');
		const outcome = await backupDirectory({ sourceDir: source, backupDir, now: NOW });
		await expect(restoreBackup(outcome.file, 'relative/dir')).rejects.toMatchObject({ parameter: 'targetDir' });
		await expect(restoreBackup(outcome.file, backupDir)).rejects.toMatchObject({ parameter: 'targetDir' });
		await expect(restoreBackup(outcome.file, root)).rejects.toMatchObject({ parameter: 'targetDir' });
		await expect(restoreBackup('backups/x.tar.gz', path.join(root, 't'))).rejects.toMatchObject({ parameter: 'file' });
		await expect(backupDirectory({ sourceDir: 'n8n', backupDir })).rejects.toMatchObject({ parameter: 'sourceDir' });
		await expect(backupDirectory({ sourceDir: source, backupDir: source })).rejects.toMatchObject({ parameter: 'backupDir' });
	});
});

interface CraftedEntry {
	path: string;
	type: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice';
	linkpath?: string;
	body?: string;
}

/** A .tar.gz built header by header, so it can hold what no honest archiver writes. */
function craftArchive(file: string, entries: CraftedEntry[]): void {
	const blocks: Buffer[] = [];
	for (const entry of entries) {
		const body = Buffer.from(entry.body ?? '');
		const header = new tar.Header({
			path: entry.path,
			type: entry.type,
			size: body.length,
			mode: entry.type === 'Directory' ? 0o755 : 0o644,
			mtime: new Date('2026-01-01T00:00:00Z'),
			...(entry.linkpath !== undefined ? { linkpath: entry.linkpath } : {}),
		});
		const block = Buffer.alloc(512);
		header.encode(block, 0);
		blocks.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
	}
	blocks.push(Buffer.alloc(1024));
	fs.writeFileSync(file, gzipSync(Buffer.concat(blocks)));
}

describe('malicious archives', () => {
	const cases: Array<[string, CraftedEntry[], string]> = [
		['a ../ path', [{ path: '../escaped.txt', type: 'File', body: 'x' }], "contains '..'"],
		['a nested ../ path', [{ path: 'a/../../escaped.txt', type: 'File', body: 'x' }], "contains '..'"],
		['an absolute path', [{ path: '/tmp/vb-escaped-absolute.txt', type: 'File', body: 'x' }], 'is absolute'],
		['a symlink to an absolute path', [{ path: 'etc', type: 'SymbolicLink', linkpath: '/etc' }], 'absolute path'],
		['a symlink climbing out', [{ path: 'sub/up', type: 'SymbolicLink', linkpath: '../../..' }], 'outside the target'],
		[
			'a file written through an archive symlink',
			[
				{ path: 'hop', type: 'SymbolicLink', linkpath: 'inner' },
				{ path: 'hop/payload.txt', type: 'File', body: 'x' },
			],
			'through the symlink hop',
		],
		['a hard link to an outside file', [{ path: 'pw', type: 'Link', linkpath: '../../../etc/passwd' }], "contains '..'"],
		['a device node', [{ path: 'dev', type: 'CharacterDevice' }], 'not restored'],
	];

	test.each(cases)('restore refuses %s and writes nothing; verify reports it unsafe', async (_name, entries, reason) => {
		const backupDir = path.join(root, 'backups');
		fs.mkdirSync(backupDir);
		const file = path.join(backupDir, 'evil.tar.gz');
		// A harmless entry first: even it must not be written once the archive is judged unsafe.
		craftArchive(file, [{ path: 'harmless.txt', type: 'File', body: 'ok' }, ...entries]);
		const target = path.join(root, 'deep', 'er', 'target');

		const error = await restoreBackup(file, target).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(BackupError);
		expect(error).toMatchObject({ code: 'backup.unsafe_archive' });
		expect((error as Error).message).toContain(reason);
		expect(fs.existsSync(target)).toBe(false);
		expect(fs.existsSync(path.join(root, 'deep', 'escaped.txt'))).toBe(false);
		expect(fs.existsSync(path.join(root, 'deep', 'er', 'escaped.txt'))).toBe(false);
		expect(fs.existsSync('/tmp/vb-escaped-absolute.txt')).toBe(false);

		const result = backupErrorToResult(error, 'dir:n8n', 'restore');
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.cause).toMatchObject({ code: 'backup.unsafe_archive', needsHuman: true, retryable: false });

		const verified = await verifyBackup(file);
		expect(verified.ok).toBe(false);
		expect(verified.unsafe.map((problem) => problem.reason).join(' ')).toContain(reason);
		const verifyResult = verifyOutcomeToResult(verified, 'dir:n8n');
		expect(validateCheckResult(verifyResult)).toEqual([]);
		expect(verifyResult.checks.find((check) => check.name === 'safety')?.status).toBe('down');
	});

	test('a symlink pointing inside the target is restored', async () => {
		const backupDir = path.join(root, 'backups');
		fs.mkdirSync(backupDir);
		const file = path.join(backupDir, 'fine.tar.gz');
		craftArchive(file, [
			{ path: 'data/', type: 'Directory' },
			{ path: 'data/real.txt', type: 'File', body: 'real' },
			{ path: 'data/alias', type: 'SymbolicLink', linkpath: '../data/real.txt' },
		]);
		const target = path.join(root, 'target');
		const restored = await restoreBackup(file, target);
		expect(restored.entries).toBe(3);
		expect(fs.readFileSync(path.join(target, 'data', 'alias'), 'utf8')).toBe('real');
	});
});
