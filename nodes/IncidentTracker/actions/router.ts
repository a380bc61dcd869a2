import { createRouter } from '../../shared/n8n/router';
import * as event from './event/Event.resource';
import * as incident from './incident/Incident.resource';

const RECOVERY_GATE = 'the Recovery Gate node';
const RECOVERY_REPORT = 'the Recovery Report node';
const ALERT_MESSAGE = 'the Alert Message node';

export const router = createRouter({
	resources: { incident: incident.operations, event: event.operations },
	// Version 0.1 had these operations here; a workflow built then gets told where they went.
	moved: {
		acceptRecovery: `${RECOVERY_GATE} (Manual Recovery: Accept Request)`,
		finishRecovery: `${RECOVERY_GATE} (Manual Recovery: Finish Request)`,
		claimRecovery: `${RECOVERY_GATE} (Lock: Claim)`,
		releaseRecovery: `${RECOVERY_GATE} (Lock: Release)`,
		recoveryLog: `${RECOVERY_REPORT} (History: Recovery Log)`,
		recoveryStats: `${RECOVERY_REPORT} (History: Recovery Stats)`,
		statusPage: `${RECOVERY_REPORT} (Report: Status Page)`,
		dailyReport: `${RECOVERY_REPORT} (Report: Daily Report)`,
		formatAlert: `${ALERT_MESSAGE} (Format Incident Alert)`,
		formatWorkflowError: `${ALERT_MESSAGE} (Format Workflow Error)`,
	},
});
