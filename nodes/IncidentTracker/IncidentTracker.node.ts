import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { resourceField } from '../shared/n8n/resource';
import * as incident from './actions/incident/Incident.resource';
import { router } from './actions/router';

export class IncidentTracker implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Incident Tracker',
		name: 'incidentTracker',
		icon: { light: 'file:incidentTracker.svg', dark: 'file:incidentTracker.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Turns check results into decisions (confirm, recover, escalate, resolve) and alerts only on state changes, with a recovery budget and a pause',
		defaults: { name: 'Incident Tracker' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [resourceField([{ name: 'Incident', value: 'incident' }]), ...incident.description],
	};

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
