/** Classifies a failure to write the dump file into a backup cause. */
import type { Cause } from '../../shared/contract';
import { backupCause } from './causes';

function errnoCode(error: unknown): string | undefined {
	if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
	return undefined;
}

export function writeFailureCause(error: unknown, target: string): Cause {
	const code = errnoCode(error);
	if (code === 'ENOSPC' || code === 'EDQUOT') {
		return backupCause('backup.disk_full', `No space left to write the backup ${target} (${code}); the partial file was removed, earlier backups are untouched.`);
	}
	if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR') {
		return backupCause('backup.unwritable', `The backup folder cannot be written: ${target} (${code}); check the backupDir parameter and its permissions.`);
	}
	return backupCause('backup.write_failed', `Writing the backup ${target} failed${code ? ` (${code})` : ''}; the partial file was removed.`);
}
