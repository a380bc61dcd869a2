/**
 * The fixed ids of shipped workflows that nodes need to know, in one place:
 * scripts/workflows/ids.ts builds the shipped workflows with these same constants.
 */

/** The shipped Recover sub-workflow: each of its executions is one recovery. */
export const RECOVER_WORKFLOW_ID = 'arRecover0000001';

/** The shipped Monitor (its Settings are where most fixes of a configuration go). */
export const MONITOR_WORKFLOW_ID = 'arMonitor0000001';

/** The shipped Maintenance: Backup (where a person finds the backups to restore from). */
export const BACKUP_WORKFLOW_ID = 'arBackup00000001';
