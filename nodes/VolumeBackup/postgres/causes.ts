/**
 * Cause codes of the backup engine (component `backup`) with their fixed flags, so a
 * failing dump reads the same in every workflow. Connection problems use the shared
 * Postgres causes (describePgError) instead.
 */
import type { Cause } from '../../shared/contract';

const BACKUP_CAUSES = {
	/** The pg_dump / pg_restore binary parameter points at nothing runnable. */
	'backup.tool_missing': { retryable: false, needsHuman: true },
	/** The binary runs but is not a usable pg_dump / pg_restore. */
	'backup.tool_unusable': { retryable: false, needsHuman: true },
	/** The tool's major version is below the server's: pg_dump refuses newer servers. */
	'backup.tool_too_old': { retryable: false, needsHuman: true },
	'backup.disk_full': { retryable: false, needsHuman: true },
	'backup.unwritable': { retryable: false, needsHuman: true },
	/** Writing the dump failed for another reason (I/O error, ...). */
	'backup.write_failed': { retryable: true, needsHuman: false },
	'backup.dump_failed': { retryable: false, needsHuman: true },
	'backup.checksum_missing': { retryable: false, needsHuman: true },
	'backup.checksum_mismatch': { retryable: false, needsHuman: true },
	/** pg_restore cannot read the archive (corrupt or not a custom-format dump). */
	'backup.dump_unreadable': { retryable: false, needsHuman: true },
	/** The dump lacks tables it was expected to hold. */
	'backup.tables_missing': { retryable: false, needsHuman: true },
	'backup.file_missing': { retryable: false, needsHuman: true },
	/** Restore refused: the target database already has tables and overwrite was not set. */
	'backup.restore_target_not_empty': { retryable: false, needsHuman: true },
	'backup.restore_failed': { retryable: false, needsHuman: true },
	/** A tool did not finish within the time limit and was killed. */
	'net.timeout': { retryable: true, needsHuman: false },
} as const;

export type BackupCauseCode = keyof typeof BACKUP_CAUSES;

export function backupCause(code: BackupCauseCode, message: string): Cause {
	return { code, message, ...BACKUP_CAUSES[code] };
}
