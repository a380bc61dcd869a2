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

/**
 * Node names of the Recover sub-workflow that nodes read (scripts/workflows/recover.ts builds
 * it with these): the log readers and Collect Results read its saved executions by them, and
 * the Error Handler leaves the deliberate stop to the Monitor's own alert.
 */
export const RECOVER_NODES = {
	trigger: 'When Called',
	/** The recovery result with the diagnosis and tracking it acted on: the log entry. */
	logEntry: 'Recovery Log Entry',
	/** The log entry with its outcome (recovery/outcome): what the Recover answers its caller. */
	outcome: 'Record Outcome',
	/** Stops the execution in error when the recovery did not fix its target. */
	didNotFixIt: 'Recovery Did Not Fix It',
} as const;

/**
 * The Recover sub-workflow's nodes that act, one per repair (scripts/workflows/recover.ts
 * names them with these): the recovery log reads an action from them when no log entry was
 * written. WhatsApp's connection is repaired through the gateway its target names.
 */
export const RECOVER_FIX_NODES = {
	conversation: 'Recover Conversation',
	webhook: 'Restore Webhook',
	passive: 'Recover Passive',
	reconnectEvolution: 'Reconnect WhatsApp',
	reconnectWaha: 'Reconnect WhatsApp (WAHA)',
	registerCloudApi: 'Re-register WhatsApp (Cloud API)',
	catalog: 'Repair Catalog',
	payments: 'Switch Payment Provider',
	llm: 'Switch LLM Provider',
	escalate: 'Escalate',
} as const;
