/**
 * Prune: retention for the backups in one folder. Backups come in series (the name before
 * the time stamp: `n8n`, `postgres-shop`), so the folder and database backups that share
 * one folder are counted apart. In each series a backup is kept when it is among the
 * newest `keepLast`, or newer than `keepDays` days; the rest go, except that the series'
 * newest verified backup is never deleted when it would leave the series without one.
 * Only files these engines wrote are ever considered: an archive with its manifest
 * beside it, or a `.dump` with its `.sha256` beside it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

import { requireAbsolute } from './backupOptions';
import { BackupError, BackupParameterError, describeError } from './errors';
import { ARCHIVE_SUFFIX, isVerified, readManifest, readRecordedChecksum, sidecarPaths } from './sidecars';
import type { BackupKind, BackupListing, PruneOptions, PruneOutcome } from './types';

const DAY_MS = 24 * 3600 * 1000;
const DUMP_SUFFIX = '.dump';
/** `<series>-20240131T120000000Z.tar.gz`: the stamp both engines put in their file names. */
const STAMPED_NAME = /^(.+)-(\d{8}T\d{9}Z)(\.tar\.gz|\.dump)$/;

/** The series of a backup file name, and the time its stamp says (if it has one). */
function parseBackupName(name: string): { series: string; stampedAt?: Date } {
	const match = STAMPED_NAME.exec(name);
	if (!match) return { series: name.replace(/(\.tar\.gz|\.dump)$/, '') };
	const [, series, stamp] = match as unknown as [string, string, string];
	const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}.${stamp.slice(15, 18)}Z`;
	const at = new Date(iso);
	return Number.isNaN(at.getTime()) ? { series } : { series, stampedAt: at };
}

/** When a backup was made: the manifest's createdAt, else the name's stamp, else the file's mtime. */
async function listing(file: string, kind: BackupKind, recordedAt: Date | undefined): Promise<BackupListing> {
	const stat = await fs.stat(file);
	const parsed = parseBackupName(path.basename(file));
	const createdAt = recordedAt ?? parsed.stampedAt ?? stat.mtime;
	return { file, kind, series: parsed.series, createdAt: createdAt.toISOString(), bytes: stat.size, verified: await isVerified(file) };
}

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
async function listBackups(backupDir: string): Promise<BackupListing[]> {
	let names: string[];
	try {
		names = await fs.readdir(backupDir);
	} catch (error) {
		throw new BackupError(`cannot list ${backupDir}: ${describeError(error)}`, 'backup.archive_missing');
	}
	const listings: BackupListing[] = [];
	for (const name of names) {
		const file = path.join(backupDir, name);
		if (name.endsWith(ARCHIVE_SUFFIX)) {
			const manifest = await readManifest(file);
			if (manifest === undefined) continue; // not ours
			const recorded = manifest instanceof Error ? Number.NaN : Date.parse(manifest.createdAt);
			listings.push(await listing(file, 'directory', Number.isNaN(recorded) ? undefined : new Date(recorded)));
		} else if (name.endsWith(DUMP_SUFFIX)) {
			if ((await readRecordedChecksum(file)) === undefined) continue; // not ours
			listings.push(await listing(file, 'postgres', undefined));
		}
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

	const keep = new Array<boolean>(backups.length).fill(false);
	const protectedFiles: string[] = [];
	for (const series of new Set(backups.map((backup) => backup.series))) {
		// Indexes of this series' backups, newest first (backups is sorted newest first).
		const members = backups.flatMap((backup, index) => (backup.series === series ? [index] : []));
		members.forEach((index, rank) => {
			const backup = backups[index] as BackupListing;
			const byCount = options.keepLast !== undefined && rank < options.keepLast;
			const byAge = options.keepDays !== undefined && now - Date.parse(backup.createdAt) < options.keepDays * DAY_MS;
			keep[index] = byCount || byAge;
		});
		if (!members.some((index) => keep[index] && backups[index]?.verified)) {
			const newestVerified = members.find((index) => backups[index]?.verified);
			if (newestVerified !== undefined) {
				keep[newestVerified] = true;
				protectedFiles.push((backups[newestVerified] as BackupListing).file);
			}
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
		...(protectedFiles[0] !== undefined ? { protectedFile: protectedFiles[0] } : {}),
		protectedFiles,
		freedBytes: deleted.reduce((sum, backup) => sum + backup.bytes, 0),
	};
}
