import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import * as controls from './actions/incident/pause.operation';
import * as formatAlert from '../AlertMessage/actions/alert/formatAlert.operation';
import * as history from '../RecoveryReport/actions/history/log.operation';
import { HISTORY_OPERATIONS, historyFields } from '../RecoveryReport/actions/fields';
import * as manualRecovery from '../RecoveryGate/actions/manualRecovery/accept.operation';
import * as statusPage from '../RecoveryReport/actions/report/statusPage.operation';
import { trackerOptionsField } from '../shared/n8n/trackerOptions';
import * as track from './actions/incident/track.operation';
import { router } from './actions/router';
import { stateKeyField } from '../shared/n8n/trackerState';

export class IncidentTracker implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Incident Tracker',
		name: 'incidentTracker',
		icon: 'file:incidentTracker.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Turns check results into decisions (confirm, recover, escalate, resolve) and alerts only on state changes, with a recovery budget and a pause',
		defaults: { name: 'Incident Tracker' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{
				// n8n's own API credential: the recovery log is n8n's execution history.
				name: 'n8nApi',
				required: true,
				displayOptions: { show: { operation: HISTORY_OPERATIONS } },
			},
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Accept Manual Recovery', value: 'acceptRecovery', description: 'Check a manual recovery request (body, pause, budget, running recoveries) and take its locks', action: 'Accept a manual recovery request' },
					{ name: 'Claim Recovery Lock', value: 'claimRecovery', description: 'Take each item\'s component lock before an automatic recovery; items whose component is being recovered are left out', action: 'Claim recovery locks' },
					{ name: 'Daily Report', value: 'dailyReport', description: 'Yesterday\'s recovery statistics as an alert message', action: 'Build the daily report' },
					{ name: 'Escalate', value: 'escalate', description: 'A recovery result saying no automatic action applies', action: 'Escalate to a person' },
					{ name: 'Finish Manual Recovery', value: 'finishRecovery', description: 'Gather the results of a manual recovery, release its locks and build the answer', action: 'Finish a manual recovery' },
					{ name: 'Format Alert', value: 'formatAlert', description: 'The alert text of each item to announce', action: 'Format the alerts' },
					{ name: 'Format Workflow Error', value: 'formatWorkflowError', description: 'The alert text of a failed run, from an Error Trigger', action: 'Format a workflow error alert' },
					{ name: 'Pause', value: 'pause', description: 'Silence alerts and automatic actions for a while', action: 'Pause alerts and actions' },
					{ name: 'Recovery Log', value: 'recoveryLog', description: 'The last recoveries, from n8n\'s execution history', action: 'Get the recovery log' },
					{ name: 'Recovery Stats', value: 'recoveryStats', description: 'Success rates, MTTD/MTTR and the most common error over N days', action: 'Get the recovery statistics' },
					{ name: 'Release Recovery Lock', value: 'releaseRecovery', description: 'Release the locks Claim Recovery Lock took in this execution', action: 'Release recovery locks' },
					{ name: 'Reset', value: 'reset', description: 'Clear a component\'s recovery budget and escalation', action: 'Reset a component' },
					{ name: 'Resume', value: 'resume', description: 'End a pause now', action: 'Resume alerts and actions' },
					{ name: 'Status', value: 'status', description: 'The open incidents and the pause', action: 'Get the open incidents' },
					{ name: 'Status Page', value: 'statusPage', description: 'An HTML page with each component\'s status, open incidents, availability and the last recoveries', action: 'Render the status page' },
					{ name: 'Track Recovery', value: 'trackRecovery', description: 'Record what a recovery did', action: 'Track recovery results' },
					{ name: 'Track Results', value: 'track', description: 'Decide what each check result means', action: 'Track check results' },
				],
				default: 'track',
			},
			...track.description,
			...formatAlert.description,
			...controls.description,
			...manualRecovery.description,
			...history.description,
			...statusPage.description,
			...historyFields,
			trackerOptionsField({ operation: ['track', 'trackRecovery', 'status', 'pause', 'resume', 'reset', 'acceptRecovery', 'statusPage'] }),
			stateKeyField,
		],
	};

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
