import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { resourceField } from '../shared/n8n/resource';
import * as event from './actions/event/Event.resource';
import { GATEWAY_EVENTS_CREDENTIAL } from './actions/event/request';
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
		// Only the gateway events need it: their webhooks are authenticated with these secrets.
		credentials: [{ name: GATEWAY_EVENTS_CREDENTIAL, required: true, displayOptions: { show: { resource: ['event'] } } }],
		properties: [
			resourceField([
				{ name: 'Incident', value: 'incident' },
				{ name: 'Gateway Event', value: 'event' },
			]),
			...incident.description,
			...event.description,
		],
	};

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
