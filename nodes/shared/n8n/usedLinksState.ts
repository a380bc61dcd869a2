/**
 * Where the record of used relink links lives: the state store (as the tracker's state,
 * ./trackerState), under this workflow's `relinkLinks` key, so a link used on one process
 * is refused on every other; a workflow never saved (no id) keeps it in static data.
 * Manual runs read the record but change nothing, as n8n saves no static data for them.
 */
import { createHash } from 'node:crypto';

import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { markLinkUsed, readUsedLinks, type UsedLinks } from '../links/incidentLinkToken';
import { stateStoreFor } from '../stateStore/selectStore';
import { StateStoreError } from '../stateStore/types';

type LinkContext = Pick<IExecuteFunctions, 'getNode' | 'getWorkflowStaticData' | 'getWorkflow' | 'getMode'>;

const KEY = 'relinkLinks';

function storeKey(ctx: LinkContext): string | undefined {
	const workflowId = String(ctx.getWorkflow().id ?? '').trim();
	if (workflowId === '') return undefined;
	const id = /^[A-Za-z0-9_-]{1,64}$/.test(workflowId) ? workflowId : `h${createHash('sha256').update(workflowId).digest('hex').slice(0, 32)}`;
	return `${id}.${KEY}`;
}

function asNodeError(ctx: LinkContext, error: unknown): unknown {
	return error instanceof StateStoreError ? new NodeOperationError(ctx.getNode(), `Relink links: ${error.message}`) : error;
}

export async function readUsedLinksState(ctx: LinkContext): Promise<UsedLinks> {
	const key = storeKey(ctx);
	if (key === undefined) return readUsedLinks(ctx.getWorkflowStaticData('global')[KEY]);
	try {
		return readUsedLinks(await stateStoreFor().read(key));
	} catch (error) {
		throw asNodeError(ctx, error);
	}
}

export async function markLinkUsedState(ctx: LinkContext, incidentId: string, now: number): Promise<void> {
	const key = storeKey(ctx);
	if (key === undefined) {
		const staticData = ctx.getWorkflowStaticData('global');
		staticData[KEY] = markLinkUsed(readUsedLinks(staticData[KEY]), incidentId, now) as unknown as IDataObject;
		return;
	}
	if (ctx.getMode() === 'manual') return;
	try {
		await stateStoreFor().update<UsedLinks, null>(key, (stored) => ({ next: markLinkUsed(readUsedLinks(stored), incidentId, now), result: null }));
	} catch (error) {
		throw asNodeError(ctx, error);
	}
}
