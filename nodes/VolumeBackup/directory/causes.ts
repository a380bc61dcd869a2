/**
 * Flags of every backup cause code, fixed in one place so every operation reports the
 * same failure the same way. `needsHuman: false` where an automatic action (backup.run,
 * backup.prune) can fix it.
 */
import type { Cause } from '../../shared/contract';
import type { BackupCauseCode } from './errors';

const FLAGS: Record<BackupCauseCode, { retryable: boolean; needsHuman: boolean }> = {
	// Pruning old backups can free space; waiting alone will not.
	'backup.disk_full': { retryable: false, needsHuman: false },
	'backup.unwritable': { retryable: false, needsHuman: true },
	'backup.source_missing': { retryable: false, needsHuman: true },
	// A file vanished or shrank while it was read: the next run will likely succeed.
	'backup.source_changed': { retryable: true, needsHuman: false },
	'backup.source_unreadable': { retryable: false, needsHuman: true },
	'backup.write_failed': { retryable: true, needsHuman: false },
	'backup.archive_missing': { retryable: false, needsHuman: false },
	// A damaged archive cannot heal, but a new backup (backup.run) replaces it.
	'backup.archive_corrupt': { retryable: false, needsHuman: false },
	'backup.checksum_mismatch': { retryable: false, needsHuman: false },
	'backup.manifest_mismatch': { retryable: false, needsHuman: false },
	// Someone planted or tampered with an archive: a person must look.
	'backup.unsafe_archive': { retryable: false, needsHuman: true },
	'backup.sqlite_unavailable': { retryable: false, needsHuman: true },
	'backup.sqlite_failed': { retryable: true, needsHuman: false },
	'backup.sqlite_timeout': { retryable: true, needsHuman: false },
	'backup.sqlite_inconsistent': { retryable: false, needsHuman: true },
	'backup.restore_failed': { retryable: false, needsHuman: true },
	// A hung mount may come back by itself; the partial file is gone, so a new run is safe.
	'net.timeout': { retryable: true, needsHuman: false },
};

export function backupCause(code: BackupCauseCode, message: string): Cause {
	return { code, message, ...FLAGS[code] };
}
