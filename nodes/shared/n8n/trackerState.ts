/**
 * Where the tracker keeps its state, and the one way to change it.
 *
 * The state lives in a state store outside the workflow (../stateStore: files in n8n's
 * folder on SQLite, a table in n8n's database on Postgres), keyed by workflow and State
 * Key, and every change is an atomic read-modify-write: a tick, a webhook event and a
 * manual recovery running at the same time, on one process or on several workers, are
 * applied one after the other, each deciding on the state the previous one left.
 * Static data, which n8n loads when a run starts and saves when it ends (the last run
 * to end wins), is no longer the memory: it keeps a copy of the state for people and
 * for a downgrade, and it is where a state saved by an earlier version is taken from the
 * first time (the migration).
 *
 * Manual runs (the editor's Execute Workflow, test webhooks) decide on the stored state
 * but change nothing, as n8n does not save static data for them either.
 */
import { createHash } from 'node:crypto';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { readTrackerState } from '../incident/state';
import type { TrackerState } from '../incident/types';
import { stateStoreFor } from '../stateStore/selectStore';
import { StateStoreError } from '../stateStore/types';

export const stateKeyField: INodeProperties = {
	displayName: 'State Key',
	name: 'stateKey',
	type: 'string',
	default: 'incidentTracker',
	description: 'Name of the tracker\'s state in this workflow; nodes with the same key share incidents, budgets and the pause',
};

type StateContext = Pick<IExecuteFunctions, 'getNodeParameter' | 'getNode' | 'getWorkflowStaticData' | 'getWorkflow' | 'getMode'>;

function stateKey(ctx: StateContext): string {
	const key = String(ctx.getNodeParameter('stateKey', 0, 'incidentTracker') ?? '').trim();
	if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key)) throw new NodeOperationError(ctx.getNode(), `Parameter "State Key" must be a plain name (letters, digits, _), got ${JSON.stringify(key)}`);
	return key;
}

/** The store's key: this workflow's state of that name (static data was per workflow too). */
function storeKey(workflowId: string, key: string): string {
	const id = /^[A-Za-z0-9_-]{1,64}$/.test(workflowId) ? workflowId : `h${createHash('sha256').update(workflowId).digest('hex').slice(0, 32)}`;
	return `${id}.${key}`;
}

interface Place {
	key: string;
	staticData: IDataObject;
	/** Undefined for a workflow that was never saved (no id): static data alone, as before. */
	storeKey?: string;
	readOnly: boolean;
}

function placeOf(ctx: StateContext): Place {
	const key = stateKey(ctx);
	const workflowId = String(ctx.getWorkflow().id ?? '').trim();
	return { key, staticData: ctx.getWorkflowStaticData('global'), storeKey: workflowId === '' ? undefined : storeKey(workflowId, key), readOnly: ctx.getMode() === 'manual' };
}

/** The stored state; nothing stored yet: the one in static data (saved by an earlier version), read once. */
const fromStored = (place: Place, stored: unknown): TrackerState => readTrackerState(stored === undefined ? place.staticData[place.key] : stored);

function asNodeError(ctx: StateContext, error: unknown): unknown {
	if (!(error instanceof StateStoreError)) return error;
	return new NodeOperationError(ctx.getNode(), `Incident state: ${error.message}`, {
		description: error.problem === 'busy' ? 'Another run was changing the same state; this run changed nothing. The next one will try again.' : undefined,
	});
}

/** The freshest state (read only: the status, the status page, the manual API's admission). */
export async function readState(ctx: StateContext): Promise<TrackerState> {
	const place = placeOf(ctx);
	if (place.storeKey === undefined) return readTrackerState(place.staticData[place.key]);
	try {
		return fromStored(place, await stateStoreFor().read(place.storeKey));
	} catch (error) {
		throw asNodeError(ctx, error);
	}
}

/**
 * Applies `change` to the freshest state atomically and returns what it returned. It
 * may be called more than once (only the committed call counts), so it must be pure:
 * take the time and compute, no side effects.
 */
export async function updateState<R>(ctx: StateContext, change: (state: TrackerState) => { state: TrackerState; result: R }): Promise<{ state: TrackerState; result: R }> {
	const place = placeOf(ctx);
	if (place.storeKey === undefined || place.readOnly) {
		const outcome = change(place.storeKey === undefined ? readTrackerState(place.staticData[place.key]) : await readState(ctx));
		if (place.storeKey === undefined) place.staticData[place.key] = outcome.state as unknown as IDataObject;
		return outcome;
	}
	try {
		const committed = await stateStoreFor().update<TrackerState, R>(place.storeKey, (stored) => {
			const outcome = change(fromStored(place, stored));
			return { next: outcome.state, result: outcome.result };
		});
		// The readable copy; n8n saves it when the run ends, so it may lag behind the store.
		place.staticData[place.key] = committed.value as unknown as IDataObject;
		return { state: committed.value, result: committed.result };
	} catch (error) {
		throw asNodeError(ctx, error);
	}
}
