/**
 * Where the tracker keeps its state: the workflow's global static data, so every
 * Incident Tracker node of a workflow (track, track recovery, pause, status) shares one
 * state, n8n saves it after each production run, and a run on another worker reads it.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { readTrackerState } from '../incident/state';
import type { TrackerState } from '../incident/types';

export const stateKeyField: INodeProperties = {
	displayName: 'State Key',
	name: 'stateKey',
	type: 'string',
	default: 'incidentTracker',
	description: 'Name of the state in the workflow\'s static data; nodes with the same key share incidents, budgets and the pause',
};

function stateKey(ctx: IExecuteFunctions): string {
	const key = String(ctx.getNodeParameter('stateKey', 0, 'incidentTracker') ?? '').trim();
	if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key)) throw new NodeOperationError(ctx.getNode(), `Parameter "State Key" must be a plain name (letters, digits, _), got ${JSON.stringify(key)}`);
	return key;
}

export function loadState(ctx: IExecuteFunctions): TrackerState {
	return readTrackerState(ctx.getWorkflowStaticData('global')[stateKey(ctx)]);
}

export function saveState(ctx: IExecuteFunctions, state: TrackerState): void {
	ctx.getWorkflowStaticData('global')[stateKey(ctx)] = state as unknown as IDataObject;
}
