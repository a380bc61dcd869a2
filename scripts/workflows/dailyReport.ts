/**
 * Daily Report: at 08:00 (the workflow's timezone: n8n's GENERIC_TIMEZONE unless the
 * workflow settings say otherwise) yesterday's recovery statistics, computed from n8n's
 * execution history, go to the same channels as the alerts.
 */
import { assignments, setting, WorkflowBuilder, type WorkflowJson } from './builder';
import { CREDENTIALS, WORKFLOW_IDS } from './ids';
import { callWorkflow } from './monitorParts';

const DAILY_REPORT_SETTINGS: Array<[string, string, 'string']> = [
	['language', 'es', 'string'],
	['executionBaseUrl', '', 'string'],
];

export function dailyReportWorkflow(): WorkflowJson {
	const wf = new WorkflowBuilder(WORKFLOW_IDS.dailyReport, 'Autorecovery: Daily Report', {
		executionOrder: 'v1',
		saveDataSuccessExecution: 'all',
		saveDataErrorExecution: 'all',
		saveManualExecutions: true,
		errorWorkflow: WORKFLOW_IDS.errorHandler,
	});
	wf.lane({ title: 'Daily report', text: 'Every day at 08:00, or **Run Now**: yesterday\'s recoveries from the execution history, sent through **Autorecovery: Alert**.', color: 5 });
	const cron = wf.add({ name: 'Every Day at 08:00', type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, parameters: { rule: { interval: [{ field: 'days', daysInterval: 1, triggerAtHour: 8, triggerAtMinute: 0 }] } } }, 0, 0);
	const runNow = wf.add({ name: 'Run Now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }, 0, 1);
	const settings = wf.add({ name: 'Settings', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { assignments: assignments(DAILY_REPORT_SETTINGS), options: {} } }, 1, 0);
	const report = wf.add(
		{
			name: 'Build Report',
			type: 'n8n-nodes-autorecovery.recoveryReport',
			typeVersion: 1,
			// $now is in the workflow's timezone, so "yesterday" is the reader's yesterday.
			parameters: { resource: 'report', operation: 'dailyReport', language: setting('language'), timezone: '={{ $now.zoneName }}', executionBaseUrl: setting('executionBaseUrl'), recoverWorkflowId: WORKFLOW_IDS.recover },
			credentials: { n8nApi: CREDENTIALS.n8nApi },
		},
		2,
		0,
	);
	const send = wf.add(callWorkflow('Send Report', WORKFLOW_IDS.alert), 3, 0);
	wf.connect(cron, settings).connect(runNow, settings).connect(settings, report).connect(report, send);
	return wf.build(true);
}
