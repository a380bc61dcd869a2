/** Pause, Resume, Reset and Status: what a person (or the manual API) does with the tracker. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { numberParameter } from '../../../shared/n8n/parameters';
import { openIncidents, pause, reset, resume } from '../../../shared/incident/controls';
import { readTrackerOptions } from '../../../shared/n8n/trackerOptions';
import { asNodeError, loadState, saveState } from '../../../shared/n8n/trackerState';

export const description: INodeProperties[] = [
	{ displayName: 'Pause For (Minutes)', name: 'pauseMinutes', type: 'number', typeOptions: { minValue: 1 }, default: 30, description: 'Checks keep running and are recorded; alerts and automatic actions stop until then', displayOptions: { show: { operation: ['pause'] } } },
	{ displayName: 'Reason', name: 'reason', type: 'string', default: 'maintenance', displayOptions: { show: { operation: ['pause'] } } },
	{ displayName: 'Scope', name: 'scope', type: 'string', default: '', placeholder: 'whatsapp or whatsapp:evolution:ventas', description: 'A component, or one incident key (component:target): its budget and escalation are cleared so automation may try again', displayOptions: { show: { operation: ['reset'] } } },
	{ displayName: 'By', name: 'by', type: 'string', default: '', description: 'Who did it (recorded)', displayOptions: { show: { operation: ['pause', 'reset'] } } },
];

export async function execute(this: IExecuteFunctions, operation: string): Promise<INodeExecutionData[]> {
	const now = Date.now();
	try {
		let state = loadState(this);
		const by = String(this.getNodeParameter('by', 0, '') ?? '').trim() || undefined;
		if (operation === 'pause') {
			const minutes = numberParameter(this, 'pauseMinutes', 'Pause For (Minutes)', 0, 30, { min: 1, max: 60 * 24 * 30 });
			state = pause(state, now + minutes * 60_000, String(this.getNodeParameter('reason', 0, '') ?? ''), now, by);
		} else if (operation === 'resume') {
			state = resume(state, now);
		} else if (operation === 'reset') {
			const scope = String(this.getNodeParameter('scope', 0, '') ?? '').trim();
			if (scope === '') throw new NodeOperationError(this.getNode(), 'Parameter "Scope" needs a component or an incident key');
			state = reset(state, scope, now, by);
		}
		if (operation !== 'status') saveState(this, state);
		const status = openIncidents(state, now, readTrackerOptions(this));
		return [{ json: { operation, at: new Date(now).toISOString(), ...status } as unknown as IDataObject, pairedItem: { item: 0 } }];
	} catch (error) {
		return asNodeError(this, error);
	}
}
