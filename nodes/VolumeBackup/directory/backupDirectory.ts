/**
 * Backup Directory: one .tar.gz of a directory plus its manifest and checksum.
 *
 * Order of events, and what a failure or kill at each point leaves behind:
 *  1. live SQLite databases are snapshotted (VACUUM INTO) into a staging folder inside
 *     backupDir; the live files and their -wal/-shm/-journal are left out of the walk;
 *  2. the archive streams into `<name>.tar.gz.partial` (opened with `wx`) while a copy of
 *     the compressed bytes is gunzipped and its tar listing read; the file is fsync'ed and
 *     re-hashed: the sha256 on disk must be the one of the bytes whose listing matched;
 *  3. manifest and `.sha256` are written (temp + rename), then the archive is renamed to
 *     `<name>.tar.gz`: the archive's appearance is the commit point;
 *  4. the verified marker is written and the staging folder removed.
 * Any failure removes this run's partial file, sidecars and staging folder; nothing else
 * in backupDir is touched, so earlier backups survive a full disk. A kill leaves at most
 * a `.partial` file and a staging folder, neither of which looks like a backup. Every
 * step is under a stall guard: no progress for stallTimeoutMs (a hung mount) ends the
 * run with net.timeout, and a run that timed out can never commit later.
 */
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { isInside, resolveBackupOptions, type ResolvedBackupOptions } from './backupOptions';
import { judgeArchive } from './checkArchive';
import { BackupError, describeError, errnoCode } from './errors';
import { sha256Of } from './readArchive';
import { selectEntries } from './selectEntries';
import {
	ARCHIVE_SUFFIX,
	checksumLine,
	markVerified,
	PARTIAL_SUFFIX,
	sidecarPaths,
	writeFileAtomically,
} from './sidecars';
import { snapshotSqlite } from './sqliteSnapshot';
import { StallGuard } from './stallGuard';
import type { BackupManifest, BackupOptions, BackupOutcome, SqliteSnapshot } from './types';
import { DestinationWriteError, writeArchive, type ArchiveSource } from './writeArchive';
import { fsyncDirectory, fsyncFile } from '../../shared/files/durable';

const SQLITE_SIDECARS = ['-wal', '-shm', '-journal'];
const DEFAULT_SQLITE_FILE = 'database.sqlite';

/** `2024-01-31T12:00:00.000Z` → `20240131T120000000Z` (no colons: portable file names). */
function compactStamp(date: Date): string {
	return date.toISOString().replace(/[-:.]/g, '');
}

/** Classifies a failure to write into backupDir. */
function destinationError(error: unknown, file: string): BackupError {
	const code = errnoCode(error);
	if (code === 'ENOSPC' || code === 'EDQUOT') {
		return new BackupError(`no space left on the device holding ${path.dirname(file)}; free space or prune old backups`, 'backup.disk_full');
	}
	if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR') {
		return new BackupError(`cannot write to ${path.dirname(file)} (${code}); check its permissions and mount`, 'backup.unwritable');
	}
	return new BackupError(`writing ${file} failed: ${describeError(error)}`, 'backup.write_failed');
}

/** Classifies a failure while reading the source through node-tar. */
function sourceError(error: unknown, sourceDir: string): BackupError {
	const code = errnoCode(error);
	if (code === 'EACCES' || code === 'EPERM') {
		return new BackupError(`cannot read a file in ${sourceDir}: ${describeError(error)}`, 'backup.source_unreadable');
	}
	return new BackupError(
		`a file in ${sourceDir} changed or vanished while it was read (${describeError(error)}); run the backup again`,
		'backup.source_changed',
	);
}

async function requireSourceDirectory(sourceDir: string): Promise<void> {
	try {
		const stat = await fs.stat(sourceDir);
		if (!stat.isDirectory()) throw new BackupError(`${sourceDir} is not a directory`, 'backup.source_missing');
	} catch (error) {
		if (error instanceof BackupError) throw error;
		throw new BackupError(`the source directory ${sourceDir} cannot be read: ${describeError(error)}`, 'backup.source_missing');
	}
}

async function prepareBackupDir(backupDir: string): Promise<void> {
	try {
		await fs.mkdir(backupDir, { recursive: true });
		await fs.access(backupDir, fs.constants.W_OK);
	} catch (error) {
		throw destinationError(error, path.join(backupDir, '.'));
	}
}

async function isRegularFile(file: string): Promise<boolean> {
	return fs.lstat(file).then(
		(stat) => stat.isFile(),
		() => false,
	);
}

/** The databases to snapshot: the caller's list (each must exist) or `database.sqlite` when present. */
async function sqliteTargets(options: ResolvedBackupOptions): Promise<string[]> {
	if (options.sqliteFiles === undefined) {
		return (await isRegularFile(path.join(options.sourceDir, DEFAULT_SQLITE_FILE))) ? [DEFAULT_SQLITE_FILE] : [];
	}
	for (const file of options.sqliteFiles) {
		if (!(await isRegularFile(path.join(options.sourceDir, file)))) {
			throw new BackupError(`sqliteFiles: ${file} is not a file in ${options.sourceDir}`, 'backup.source_missing');
		}
	}
	return options.sqliteFiles;
}

interface Snapshots {
	taken: SqliteSnapshot[];
	/** Relative paths of snapshots inside the staging folder. */
	stagedPaths: string[];
	/** Live files copied as they are because sqlite3 was missing and the caller allowed it. */
	copiedLive: string[];
}

async function takeSnapshots(
	options: ResolvedBackupOptions,
	databases: string[],
	stagingDir: string,
): Promise<Snapshots> {
	const result: Snapshots = { taken: [], stagedPaths: [], copiedLive: [] };
	for (const database of databases) {
		const snapshotPath = path.join(stagingDir, database);
		try {
			await fs.mkdir(path.dirname(snapshotPath), { recursive: true });
		} catch (error) {
			throw destinationError(error, snapshotPath);
		}
		try {
			await snapshotSqlite({
				sqliteBinary: options.sqliteBinary,
				databasePath: path.join(options.sourceDir, database),
				snapshotPath,
				timeoutMs: options.timeoutMs,
			});
		} catch (error) {
			if (error instanceof BackupError && error.code === 'backup.sqlite_unavailable' && options.sqliteMissing === 'copy') {
				const bytes = (await fs.stat(path.join(options.sourceDir, database))).size;
				result.taken.push({ path: database, method: 'copy', bytes });
				result.copiedLive.push(database);
				continue;
			}
			// sqlite3 itself may have failed for lack of space in the staging folder.
			const code = errnoCode(error);
			if (code === 'ENOSPC') throw destinationError(error, snapshotPath);
			if (error instanceof BackupError && /disk is full|database or disk is full/i.test(error.message)) {
				throw destinationError(Object.assign(new Error(error.message), { code: 'ENOSPC' }), snapshotPath);
			}
			throw error;
		}
		// The snapshot keeps the live file's permissions (n8n's database may be private).
		const liveMode = (await fs.stat(path.join(options.sourceDir, database))).mode & 0o7777;
		await fs.chmod(snapshotPath, liveMode);
		const bytes = (await fs.stat(snapshotPath)).size;
		result.taken.push({ path: database, method: 'vacuum_into', bytes });
		result.stagedPaths.push(database);
	}
	return result;
}

/** Directories leading to each staged snapshot, then the snapshots (archive order). */
function stagedEntryPaths(stagedPaths: string[]): string[] {
	const ordered: string[] = [];
	const seen = new Set<string>();
	for (const file of stagedPaths) {
		const parts = file.split('/');
		for (let i = 1; i < parts.length; i++) {
			const dir = parts.slice(0, i).join('/');
			if (!seen.has(dir)) {
				seen.add(dir);
				ordered.push(dir);
			}
		}
		ordered.push(file);
	}
	return ordered;
}

/** Where one run writes; fixed before any work, so a timed-out run can still be cleaned up. */
interface RunPaths {
	finalPath: string;
	partialPath: string;
	sidecars: ReturnType<typeof sidecarPaths>;
	stagingDir: string;
	createdAt: Date;
}

function runPaths(options: ResolvedBackupOptions): RunPaths {
	const createdAt = options.now();
	const stamp = compactStamp(createdAt);
	const finalPath = path.join(options.backupDir, `${options.name}-${stamp}${ARCHIVE_SUFFIX}`);
	return {
		finalPath,
		partialPath: finalPath + PARTIAL_SUFFIX,
		sidecars: sidecarPaths(finalPath),
		stagingDir: path.join(options.backupDir, `.staging-${options.name}-${stamp}-${process.pid}`),
		createdAt,
	};
}

/** Removes what this run left that could pass for a backup; never touches other files. */
async function removeLeftovers(paths: RunPaths, committed: boolean): Promise<void> {
	await fs.rm(paths.partialPath, { force: true }).catch(() => undefined);
	if (!committed) {
		await fs.rm(paths.sidecars.manifest, { force: true }).catch(() => undefined);
		await fs.rm(paths.sidecars.checksum, { force: true }).catch(() => undefined);
	}
	await fs.rm(paths.stagingDir, { recursive: true, force: true }).catch(() => undefined);
}

/** Waits for `work` at most `ms` (a clean-up on a hung mount would never return). */
async function atMost(work: Promise<unknown>, ms: number): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
	clearTimeout(timer);
}

export async function backupDirectory(input: BackupOptions): Promise<BackupOutcome> {
	const started = performance.now();
	const options = resolveBackupOptions(input);
	const guard = new StallGuard(options.stallTimeoutMs, `backing up ${options.sourceDir}`);
	const paths = runPaths(options);
	const abort = new AbortController();
	const state = { committed: false };
	try {
		return await guard.run(runBackup(options, paths, guard, abort.signal, state, started), 'checking the source folder');
	} catch (error) {
		if (error instanceof BackupError && error.code === 'net.timeout') {
			// The stuck work goes on in the background: stop what can be stopped, never commit it.
			abort.abort(error);
			await atMost(removeLeftovers(paths, state.committed), Math.min(options.stallTimeoutMs, 5000));
		}
		throw error;
	}
}

async function runBackup(
	options: ResolvedBackupOptions,
	paths: RunPaths,
	guard: StallGuard,
	signal: AbortSignal,
	state: { committed: boolean },
	started: number,
): Promise<BackupOutcome> {
	const { finalPath, partialPath, sidecars, stagingDir, createdAt } = paths;
	await requireSourceDirectory(options.sourceDir);
	guard.progress('preparing the backup folder');
	await prepareBackupDir(options.backupDir);

	guard.progress('looking for SQLite databases');
	const databases = await sqliteTargets(options);
	const skip = new Set<string>();
	for (const database of databases) for (const suffix of SQLITE_SIDECARS) skip.add(database + suffix);
	if (isInside(options.backupDir, options.sourceDir)) {
		// Backups kept inside the directory they back up must not swallow themselves.
		skip.add(path.relative(options.sourceDir, options.backupDir).split(path.sep).join('/'));
	}

	try {
		guard.progress('listing the source folder');
		const selection = await selectEntries(options.sourceDir, {
			include: options.include,
			exclude: options.exclude,
			skip,
			onProgress: () => guard.progress(),
		});
		const selected = selection.paths;
		const selectedSet = new Set(selected);
		// Only databases the globs keep are snapshotted.
		const wanted = databases.filter((database) => selectedSet.has(database));
		if (wanted.length > 0) {
			try {
				await fs.mkdir(stagingDir);
			} catch (error) {
				throw destinationError(error, stagingDir);
			}
		}
		// sqlite3 has its own time limit (timeoutMs); the guard must not cut it shorter.
		guard.progress('snapshotting SQLite databases');
		const snapshots = await guard.pause(takeSnapshots(options, wanted, stagingDir));
		const staged = new Set(snapshots.stagedPaths);
		const livePaths = selected.filter((p) => !staged.has(p));
		for (const database of snapshots.copiedLive) {
			for (const suffix of ['-wal', '-journal']) {
				if (await isRegularFile(path.join(options.sourceDir, database + suffix))) livePaths.push(database + suffix);
			}
		}
		const sources: ArchiveSource[] = [];
		if (snapshots.stagedPaths.length > 0) sources.push({ cwd: stagingDir, paths: stagedEntryPaths(snapshots.stagedPaths) });
		sources.push({ cwd: options.sourceDir, paths: livePaths });

		const open = options.createWriteStream ?? ((file: string) => createWriteStream(file, { flags: 'wx' }));
		let written;
		guard.progress('writing the archive');
		try {
			written = await writeArchive(
				sources,
				{ level: options.compressionLevel, threads: options.compressionThreads },
				open(partialPath),
				() => guard.progress(),
				signal,
			);
		} catch (error) {
			if (signal.aborted) throw signal.reason;
			if (error instanceof DestinationWriteError) throw destinationError(error.writeError, partialPath);
			throw sourceError(error, options.sourceDir);
		}
		// Directories shared by snapshots and live files appear twice; the manifest lists each
		// path once, sorted (node-tar writes headers of queued entries in parallel).
		const files = dedupeByPath(written.entries).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
		guard.progress('syncing the archive to disk');
		try {
			await fsyncFile(partialPath);
		} catch (error) {
			throw destinationError(error, partialPath);
		}

		// The listing was read back from the compressed bytes as they were written; hashing the
		// file now proves the disk holds those same bytes (cheaper than gunzipping it again).
		guard.progress('reading the archive back');
		const onDisk = await sha256Of(partialPath, () => guard.progress());
		const check = judgeArchive(
			partialPath,
			{ sha256: onDisk.sha256, bytes: onDisk.bytes, entries: written.listing, ...(written.corrupt !== undefined ? { corrupt: written.corrupt } : {}) },
			{ sha256: written.sha256, files },
		);
		if (!check.ok) {
			const why = check.corrupt ?? (check.checksumOk ? 'the listing differs from what was written' : 'the bytes on disk differ from what was written');
			throw new BackupError(`the archive re-read after writing is not right: ${why}`, check.checksumOk ? 'backup.manifest_mismatch' : 'backup.checksum_mismatch');
		}

		const manifest: BackupManifest = {
			version: 1,
			createdAt: createdAt.toISOString(),
			source: options.sourceDir,
			archive: path.basename(finalPath),
			files,
			sqliteSnapshots: snapshots.taken,
			skippedLinks: selection.skippedLinks,
		};
		guard.progress('writing the manifest');
		try {
			await writeFileAtomically(sidecars.manifest, JSON.stringify(manifest, null, 1));
			await writeFileAtomically(sidecars.checksum, checksumLine(written.sha256, finalPath));
			// A run that timed out meanwhile was already reported as failed: it must not appear.
			if (signal.aborted) throw signal.reason;
			await fs.rename(partialPath, finalPath);
			state.committed = true;
			await fsyncDirectory(options.backupDir);
			await markVerified(finalPath, written.sha256, options.now());
		} catch (error) {
			if (error === signal.reason) throw error;
			if (state.committed) throw destinationError(error, sidecars.verified);
			throw destinationError(error, finalPath);
		}
		return {
			file: finalPath,
			manifestFile: sidecars.manifest,
			bytes: written.bytes,
			sha256: written.sha256,
			manifest,
			durationMs: Math.round(performance.now() - started),
		};
	} catch (error) {
		// Leave nothing of this run that could pass for a backup; never touch other files.
		await removeLeftovers(paths, state.committed);
		throw error;
	} finally {
		await fs.rm(stagingDir, { recursive: true, force: true }).catch(() => undefined);
	}
}

function dedupeByPath<T extends { path: string }>(entries: T[]): T[] {
	const seen = new Set<string>();
	return entries.filter((entry) => (seen.has(entry.path) ? false : (seen.add(entry.path), true)));
}
