/**
 * The two ways the directory backup engine says no. Misuse (a relative path, keepLast 0,
 * restoring into the backup folder) is the caller's problem: BackupParameterError names
 * the parameter. Everything the file system or sqlite3 does to us is a BackupError with
 * a dotted cause code, which outcomeToResult turns into a `down`/`degraded` result.
 */
export { BackupParameterError } from '../parameterError';

export class BackupError extends Error {
	constructor(
		message: string,
		/** e.g. `backup.disk_full`; see causes.ts for its flags. */
		readonly code: BackupCauseCode,
	) {
		super(message);
		this.name = 'BackupError';
	}
}

export const BACKUP_CAUSE_CODES = [
	'backup.disk_full',
	'backup.unwritable',
	'backup.source_missing',
	'backup.source_changed',
	'backup.source_unreadable',
	'backup.write_failed',
	'backup.archive_missing',
	'backup.archive_corrupt',
	'backup.checksum_mismatch',
	'backup.manifest_mismatch',
	'backup.unsafe_archive',
	'backup.sqlite_unavailable',
	'backup.sqlite_failed',
	'backup.sqlite_timeout',
	'backup.sqlite_inconsistent',
	'backup.restore_failed',
	// No progress within the time limit: a hung disk or network mount.
	'net.timeout',
] as const;
export type BackupCauseCode = (typeof BACKUP_CAUSE_CODES)[number];

/** Error text of anything thrown, for messages. */
export function describeError(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** The errno-style code of a Node error (`ENOSPC`, `EACCES`, ...), if any. */
export function errnoCode(error: unknown): string | undefined {
	if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
	return undefined;
}
