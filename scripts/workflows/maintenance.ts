/**
 * What every maintenance workflow (Backup, Log Archive) ends with: Summary (Alert
 * Message's Format Maintenance Alert reads each step's result) → Any Failure? → Send
 * Alert (the shipped Alert sub-workflow), and the two settings that alert reads.
 */
import { condition, filter, setting, type Json, type WorkflowBuilder } from './builder';
import { WORKFLOW_IDS } from './ids';
import { callWorkflow } from './monitorParts';

/** Settings every maintenance workflow has for its alert. */
export const MAINTENANCE_ALERT_SETTINGS: Array<[string, Json, 'string']> = [
	// The alert's language (es | en).
	['language', 'es', 'string'],
	// The n8n editor URL, for the alert's link to this run ('' = the alert names the execution id).
	['executionBaseUrl', '', 'string'],
];

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
