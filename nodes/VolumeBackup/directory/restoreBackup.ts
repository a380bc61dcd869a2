/**
 * Restore: a directory archive into a target directory. The archive is judged in full
 * before anything is written (checksum and manifest when recorded, every entry against
 * the safety rules), and each entry is judged again as it is extracted, so an archive
 * swapped between the two reads still cannot write outside the target. Both reads are
 * under a stall guard: a hung mount (source or target: a stuck write stops the reading
 * through backpressure) ends the run with net.timeout instead of hanging it.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';

import * as tar from 'tar';

import { isInside, requireAbsolute, stallTimeoutOf } from './backupOptions';
import { checkArchive } from './checkArchive';
import { EntrySafetyCheck } from './entrySafety';
import { BackupError, BackupParameterError, describeError, errnoCode } from './errors';
import type { ScanOptions } from './readArchive';
import { readManifest, readRecordedChecksum } from './sidecars';
import { StallGuard } from './stallGuard';
import type { RestoreOptions, RestoreOutcome } from './types';
import { requireArchive } from './verifyBackup';

const SQLITE_SIDECARS = ['-wal', '-shm', '-journal'];
/** How many unsafe entries an error message names. */
const LISTED_PROBLEMS = 3;

async function prepareTarget(targetDir: string, overwrite: boolean): Promise<void> {
	let entries: string[];
	try {
		entries = await fs.readdir(targetDir);
	} catch (error) {
		const code = errnoCode(error);
		if (code === 'ENOTDIR') throw new BackupParameterError('targetDir', `${targetDir} is not a directory`);
		if (code !== 'ENOENT') throw new BackupError(`cannot read ${targetDir}: ${describeError(error)}`, 'backup.unwritable');
		try {
			await fs.mkdir(targetDir, { recursive: true });
		} catch (mkdirError) {
			throw new BackupError(`cannot create ${targetDir}: ${describeError(mkdirError)}`, 'backup.unwritable');
		}
		return;
	}
	if (entries.length > 0 && !overwrite) {
		throw new BackupParameterError('overwrite', `targetDir ${targetDir} is not empty; set overwrite to restore over its files`);
	}
}

/** Refuses a damaged, tampered or unsafe archive before a byte is written. */
async function judgeArchive(file: string, scan: ScanOptions): Promise<{ sqlitePaths: string[] }> {
	const manifest = await readManifest(file);
	if (manifest instanceof Error) {
		throw new BackupError(`the manifest of ${file} is unreadable: ${manifest.message}`, 'backup.manifest_mismatch');
	}
	const sha256 = await readRecordedChecksum(file);
	const check = await checkArchive(file, { ...(sha256 ? { sha256 } : {}), ...(manifest ? { files: manifest.files } : {}) }, scan);
	if (check.unsafe.length > 0) {
		const listed = check.unsafe.slice(0, LISTED_PROBLEMS).map((p) => `${p.path} (${p.reason})`).join('; ');
		throw new BackupError(`refusing to restore ${file}: ${check.unsafe.length} unsafe entries, e.g. ${listed}`, 'backup.unsafe_archive');
	}
	if (check.corrupt !== undefined) throw new BackupError(`${file} is damaged: ${check.corrupt}`, 'backup.archive_corrupt');
	if (sha256 !== undefined && !check.checksumOk) {
		throw new BackupError(`${file} does not match its recorded sha256 (${sha256}, now ${check.sha256})`, 'backup.checksum_mismatch');
	}
	const differences = check.missing.length + check.unexpected.length + check.mismatched.length;
	if (differences > 0) {
		throw new BackupError(`${file} does not match its manifest (${differences} differences)`, 'backup.manifest_mismatch');
	}
	return { sqlitePaths: (manifest?.sqliteSnapshots ?? []).filter((s) => s.method === 'vacuum_into').map((s) => s.path) };
}

/** Streams the archive into node-tar's extractor; settles when every file is closed. */
function extract(source: Readable, options: tar.TarOptionsWithAliasesAsyncNoFile, signal: AbortSignal): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		const unpack = tar.extract(options);
		const fail = (error: unknown): void => {
			source.destroy();
			reject(error);
		};
		source.on('error', fail);
		unpack.on('error', fail);
		unpack.on('close', () => resolve());
		signal.addEventListener('abort', () => fail(signal.reason), { once: true });
		source.pipe(unpack);
	});
}

export async function restoreBackup(fileInput: string, targetInput: string, options: RestoreOptions = {}): Promise<RestoreOutcome> {
	const started = performance.now();
	const file = requireAbsolute(fileInput, 'file');
	const targetDir = requireAbsolute(targetInput, 'targetDir');
	if (isInside(path.dirname(file), targetDir)) {
		throw new BackupParameterError('targetDir', 'must not be the backup folder or contain it (a restore could overwrite backups)');
	}
	const guard = new StallGuard(stallTimeoutOf(options.stallTimeoutMs), `restoring ${file} into ${targetDir}`, 'the restore is incomplete');
	const abort = new AbortController();
	try {
		return await guard.run(runRestore(file, targetDir, options, guard, abort.signal, started), 'checking the archive');
	} catch (error) {
		// Stops the read (and with it the writes) of a run that timed out.
		abort.abort(error);
		throw error;
	}
}

async function runRestore(
	file: string,
	targetDir: string,
	options: RestoreOptions,
	guard: StallGuard,
	signal: AbortSignal,
	started: number,
): Promise<RestoreOutcome> {
	const open = options.openArchive ?? ((archive: string) => createReadStream(archive));
	await requireArchive(file);
	const { sqlitePaths } = await judgeArchive(file, { onProgress: () => guard.progress(), openArchive: open, signal });
	guard.progress('preparing the target folder');
	await prepareTarget(targetDir, options.overwrite === true);

	const safety = new EntrySafetyCheck();
	const refused: string[] = [];
	let entries = 0;
	let bytes = 0;
	guard.progress('extracting the archive');
	try {
		const source = open(file);
		source.on('data', () => guard.progress());
		await extract(
			source,
			{
				cwd: targetDir,
				strict: true,
				preservePaths: false,
				filter: (entryPath, entry) => {
					const facts = 'type' in entry ? { path: entryPath, type: entry.type, linkpath: entry.linkpath } : undefined;
					const problem = facts ? safety.problem(facts) : 'not an archive entry';
					if (problem) {
						refused.push(`${entryPath} (${problem})`);
						return false;
					}
					entries += 1;
					bytes += 'size' in entry && typeof entry.size === 'number' ? entry.size : 0;
					return true;
				},
			},
			signal,
		);
	} catch (error) {
		if (signal.aborted) throw signal.reason;
		const code = errnoCode(error);
		if (code === 'ENOSPC' || code === 'EDQUOT') {
			throw new BackupError(`no space left to restore into ${targetDir}; the restore is incomplete`, 'backup.disk_full');
		}
		throw new BackupError(`restoring into ${targetDir} failed part-way: ${describeError(error)}`, 'backup.restore_failed');
	}
	if (refused.length > 0) {
		throw new BackupError(`the archive changed during the restore; refused ${refused.slice(0, LISTED_PROBLEMS).join('; ')}`, 'backup.unsafe_archive');
	}
	// A stale -wal beside a restored snapshot would be replayed into it by SQLite.
	const removedSidecars: string[] = [];
	for (const database of sqlitePaths) {
		for (const suffix of SQLITE_SIDECARS) {
			const stale = path.join(targetDir, database + suffix);
			const existed = await fs.rm(stale).then(
				() => true,
				() => false,
			);
			if (existed) removedSidecars.push(database + suffix);
		}
	}
	return { file, targetDir, entries, bytes, removedSidecars, durationMs: Math.round(performance.now() - started) };
}
