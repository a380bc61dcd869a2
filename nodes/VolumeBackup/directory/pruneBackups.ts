/**
 * Prune: retention for the backups in one folder. A backup is kept when it is among the
 * newest `keepLast`, or newer than `keepDays` days; the rest go, except that the newest
 * verified backup is never deleted when it is the only verified one left. Only files this
 * engine wrote (an archive with its manifest beside it) are ever considered.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

import { requireAbsolute } from './backupOptions';
import { BackupError, BackupParameterError, describeError } from './errors';
import { ARCHIVE_SUFFIX, isVerified, readManifest, sidecarPaths } from './sidecars';
import type { BackupListing, PruneOptions, PruneOutcome } from './types';

const DAY_MS = 24 * 3600 * 1000;

function checkRules(options: PruneOptions): void {
	const { keepLast, keepDays } = options;
	if (keepLast === undefined && keepDays === undefined) {
		throw new BackupParameterError('keepLast', 'give keepLast and/or keepDays; without a rule nothing can be pruned safely');
	}
	if (keepLast !== undefined && (!Number.isInteger(keepLast) || keepLast < 1)) {
		throw new BackupParameterError('keepLast', `must be an integer of at least 1, got ${String(keepLast)}`);
	}
	if (keepDays !== undefined && (!Number.isFinite(keepDays) || keepDays <= 0)) {
		throw new BackupParameterError('keepDays', `must be a positive number of days, got ${String(keepDays)}`);
	}
}

/** Our backups in `backupDir`, newest first. */
export async function listBackups(backupDir: string): Promise<BackupListing[]> {
	let names: string[];
	try {
		names = await fs.readdir(backupDir);
	} catch (error) {
		throw new BackupError(`cannot list ${backupDir}: ${describeError(error)}`, 'backup.archive_missing');
	}
	const listings: BackupListing[] = [];
	for (const name of names) {
		if (!name.endsWith(ARCHIVE_SUFFIX)) continue;
		const file = path.join(backupDir, name);
		const manifest = await readManifest(file);
		if (manifest === undefined) continue; // not ours
		const stat = await fs.stat(file);
		const recorded = manifest instanceof Error ? Number.NaN : Date.parse(manifest.createdAt);
		const createdAt = Number.isNaN(recorded) ? stat.mtime : new Date(recorded);
		listings.push({ file, createdAt: createdAt.toISOString(), bytes: stat.size, verified: await isVerified(file) });
	}
	// Newest first; the file name (which carries the stamp) breaks ties deterministically.
	return listings.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.file.localeCompare(a.file));
}

async function deleteBackup(file: string): Promise<void> {
	const sidecars = sidecarPaths(file);
	// The archive goes first: a backup without its archive is no backup, whatever remains.
	for (const target of [file, sidecars.verified, sidecars.checksum, sidecars.manifest]) {
		try {
			await fs.rm(target, { force: true });
		} catch (error) {
			throw new BackupError(`cannot delete ${target}: ${describeError(error)}`, 'backup.unwritable');
		}
	}
}

export async function pruneBackups(backupDirInput: string, options: PruneOptions): Promise<PruneOutcome> {
	const backupDir = requireAbsolute(backupDirInput, 'backupDir');
	checkRules(options);
	const now = (options.now ?? (() => new Date()))().getTime();
	const dryRun = options.dryRun === true;
	const backups = await listBackups(backupDir);

	const keep = backups.map((backup, index) => {
		const byCount = options.keepLast !== undefined && index < options.keepLast;
		const byAge = options.keepDays !== undefined && now - Date.parse(backup.createdAt) < options.keepDays * DAY_MS;
		return byCount || byAge;
	});
	let protectedFile: string | undefined;
	const keptVerified = backups.some((backup, i) => keep[i] && backup.verified);
	if (!keptVerified) {
		const newestVerified = backups.findIndex((backup) => backup.verified);
		if (newestVerified >= 0) {
			keep[newestVerified] = true;
			protectedFile = backups[newestVerified]?.file;
		}
	}
	const kept = backups.filter((_backup, i) => keep[i]);
	const deleted = backups.filter((_backup, i) => !keep[i]).reverse();
	if (!dryRun) for (const backup of deleted) await deleteBackup(backup.file);
	return {
		backupDir,
		dryRun,
		kept,
		deleted,
		...(protectedFile ? { protectedFile } : {}),
		freedBytes: deleted.reduce((sum, backup) => sum + backup.bytes, 0),
	};
}
