/** Fixed ids the shipped workflows use for each other and for the credentials `npm start` creates from `.env`. */
import { SHIPPED_CREDENTIALS } from '../../nodes/shared/shippedCredentials';
import { BACKUP_WORKFLOW_ID, MONITOR_WORKFLOW_ID, RECOVER_WORKFLOW_ID } from '../../nodes/shared/workflowIds';

export const WORKFLOW_IDS = {
	monitor: MONITOR_WORKFLOW_ID,
	/** The schedule and every webhook that start the Monitor (its own button runs Run Now). */
	triggers: 'arTriggers000001',
	recover: RECOVER_WORKFLOW_ID,
	alert: 'arAlert000000001',
	errorHandler: 'arErrorHandler01',
	backup: BACKUP_WORKFLOW_ID,
	dailyReport: 'arDailyReport001',
	logArchive: 'arMaintLogArch01',
	demoSalesBot: 'arDemoSalesBot01',
} as const;

/** The monitor loop's entry points, in the order they are published: the Monitor, then Autorecovery: Triggers, which calls it (n8n refuses to publish a caller of an unpublished workflow). */
export const MONITOR_LOOP = [WORKFLOW_IDS.monitor, WORKFLOW_IDS.triggers] as const;

/** The same objects the alerts name (nodes/shared/shippedCredentials.ts): one list. */
export const CREDENTIALS = SHIPPED_CREDENTIALS;

/** Fixed webhook ids (n8n wants UUIDs) of the Monitor's API endpoints. */
export const WEBHOOK_IDS = {
	recoveryRequest: '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a61',
	recoveryLog: '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a62',
	recoveryStats: '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a63',
	statusPage: '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a64',
	demoSalesBot: '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a71',
	relinkPage: '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a65',
} as const;
