/** The directory half of Volume Backup: plain modules the n8n node calls. */
export { backupDirectory } from './backupDirectory';
export { verifyBackup } from './verifyBackup';
export { restoreBackup } from './restoreBackup';
export { listBackups, pruneBackups } from './pruneBackups';
export {
	backupErrorCause,
	backupErrorToResult,
	backupOutcomeToResult,
	backupTarget,
	pruneOutcomeToResult,
	restoreOutcomeToResult,
	verifyOutcomeToResult,
} from './outcomeToResult';
export { BackupError, BackupParameterError, BACKUP_CAUSE_CODES, type BackupCauseCode } from './errors';
export type * from './types';
