/** The directory half of Volume Backup: plain modules the n8n node calls. */
export { backupDirectory } from './backupDirectory';
export { verifyBackup } from './verifyBackup';
export { restoreBackup } from './restoreBackup';
export { pruneBackups } from './pruneBackups';
export { backupErrorToResult, backupOutcomeToResult, backupTarget, pruneOutcomeToResult, restoreOutcomeToResult, verifyOutcomeToResult } from './outcomeToResult';
export { BackupParameterError } from './errors';
