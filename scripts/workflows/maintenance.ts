/**
 * What every maintenance workflow (Backup, Log Archive) shares: it starts on a schedule
 * or Run Now, reads everything a user edits from Settings, and ends with Summary (Alert
 * Message's Format Maintenance Alert reads each step's result) → Any Failure? → Send
 * Alert (the shipped Alert sub-workflow).
 */
import { assignments, condition, filter, setting, WorkflowBuilder, type Json, type LaneSpec } from './builder';
import { WORKFLOW_IDS } from './ids';
import { callWorkflow } from './monitorParts';

/** Settings every maintenance workflow has for its alert (after its own). */
const MAINTENANCE_ALERT_SETTINGS: Array<[string, Json, 'string']> = [
	// The alert's language (es | en).
	['language', 'es', 'string'],
	// The n8n editor URL, for the alert's link to this run ('' = the alert names the execution id).
	['executionBaseUrl', '', 'string'],
];

export interface MaintenanceStart {
	id: string;
	name: string;
	/** The schedule trigger's name and cron expression. */
	schedule: [string, string];
	settings: Array<[string, Json, 'string' | 'number' | 'boolean']>;
	/** What the Settings node's note tells a user. */
	notes: string;
	/** The workflow's one lane: what it does, on the canvas. */
	lane: LaneSpec;
}

/** A maintenance workflow's start: schedule and Run Now → Settings (the alert's settings included). */
export function startMaintenance(start: MaintenanceStart): { wf: WorkflowBuilder; settings: string } {
	const wf = new WorkflowBuilder(start.id, start.name, {
		executionOrder: 'v1',
		saveDataSuccessExecution: 'all',
		saveDataErrorExecution: 'all',
		saveManualExecutions: true,
		errorWorkflow: WORKFLOW_IDS.errorHandler,
	});
	wf.lane(start.lane);
	const [triggerName, cron] = start.schedule;
	const scheduled = wf.add({ name: triggerName, type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, parameters: { rule: { interval: [{ field: 'cronExpression', expression: cron }] } } }, 0, 0);
	// `n8n execute` and the editor's button start here (a schedule trigger cannot be run on demand).
	const runNow = wf.add({ name: 'Run Now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }, 0, 1);
	const settings = wf.add(
		{
			name: 'Settings',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			notes: start.notes,
			parameters: { assignments: assignments([...start.settings, ...MAINTENANCE_ALERT_SETTINGS]), options: {} },
		},
		1,
		0,
	);
	wf.connect(scheduled, settings).connect(runNow, settings);
	return { wf, settings };
}

export interface MaintenanceAlert {
	task: 'backup' | 'logArchive';
	/** What was maintained, for the title ('' = the first result's target). */
	target: string;
	/** [node name, the earlier step it needs ('' = none)], in order. */
	steps: Array<[string, string]>;
}

/** Adds Summary → Any Failure? → Send Alert after `after`, from grid column `column`. */
export function addMaintenanceAlert(wf: WorkflowBuilder, after: string, alert: MaintenanceAlert, column: number): void {
	const summary = wf.add(
		{
			name: 'Summary',
			type: 'n8n-nodes-autorecovery.alertMessage',
			typeVersion: 1,
			parameters: {
				operation: 'formatMaintenanceAlert',
				task: alert.task,
				target: alert.target,
				steps: { step: alert.steps.map(([name, needs]) => ({ name, result: `={{ $('${name}').first().json }}`, needs })) },
				executionBaseUrl: setting('executionBaseUrl'),
				language: setting('language'),
			},
		},
		column,
		0,
	);
	const anyFailed = wf.add(
		{ name: 'Any Failure?', type: 'n8n-nodes-base.if', typeVersion: 2.2, parameters: { conditions: filter(condition('={{ $json.alert }}', 'true', '', 'boolean')), options: {} } },
		column + 1,
		0,
	);
	const send = wf.add(callWorkflow('Send Alert', WORKFLOW_IDS.alert), column + 2, 0);
	wf.connect(after, summary).connect(summary, anyFailed).connect(anyFailed, send, 0);
}
