/**
 * Accept Manual Recovery: the start of `POST /webhook/auto-recovery`. Reads the raw body,
 * applies the tracker's pause and budget (read-only) and takes the per-component locks;
 * outputs either the answer to send now (`statusCode` + `body`: 400/409/…) or one item
 * per component to recover.
 */
import crypto from 'node:crypto';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../../shared/json';
import { readTrackerOptions } from '../../../shared/n8n/trackerOptions';
import { readState } from '../../../shared/n8n/trackerState';
import { acquireLocks, LockFolderError } from '../../lock/locks';
import { admitRecovery } from '../../manual/admission';
import type { ManualRequestRecord } from '../../manual/answer';
import { parseRecoveryRequest, RequestRefused } from '../../manual/request';
import { leaseMs, lockFolder } from '../fields';
import { webhookAnswer } from './webhookAnswer';
import { asNodeError } from '../../../shared/n8n/errors';

export const description: INodeProperties[] = [
	{ displayName: 'Input Binary Field', name: 'binaryPropertyName', type: 'string', default: 'data', description: 'The binary property holding the raw request body (the webhook\'s "Binary Data" option); without it, the item\'s JSON `body` is read', displayOptions: { show: { operation: ['accept'] } } },
];

/** One request, whatever the number of input items. */
export const runs = 'wholeInput';

async function rawBody(ctx: IExecuteFunctions): Promise<Buffer | string | undefined> {
	const item = ctx.getInputData()[0];
	if (!item) return undefined;
	const property = String(ctx.getNodeParameter('binaryPropertyName', 0, 'data') ?? 'data');
	if (item.binary?.[property]) return await ctx.helpers.getBinaryDataBuffer(0, property);
	const body = item.json.body;
	// A webhook without the raw body option: n8n already parsed it (or saw none).
	return isRecord(body) && Object.keys(body).length > 0 ? JSON.stringify(body) : undefined;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const folder = lockFolder(this);
	const lease = leaseMs(this);
	const now = Date.now();
	try {
		const request = parseRecoveryRequest(await rawBody(this));
		const admission = admitRecovery(await readState(this), request, readTrackerOptions(this), now);
		const requestId = crypto.randomUUID();
		if (!request.dryRun) {
			const locked = acquireLocks(folder, admission.admitted, { requestId, at: now }, lease);
			if (!locked.acquired) {
				const since = locked.busy.heldBy ? new Date(locked.busy.heldBy.at).toISOString() : 'an unknown time';
				throw new RequestRefused(409, `a recovery of ${locked.busy.component} is already running (since ${since})`, ['wait for it to finish and try again'], { busy: locked.busy.component });
			}
		}
		const record: ManualRequestRecord = {
			id: requestId,
			scope: request.scope,
			dryRun: request.dryRun,
			force: request.force,
			components: admission.admitted,
			skipped: admission.skipped,
			receivedAt: new Date(now).toISOString(),
		};
		return admission.admitted.map((component) => ({
			json: { component, manual: true, dryRun: request.dryRun, forced: request.force, manualRequest: record } as unknown as IDataObject,
			pairedItem: { item: 0 },
		}));
	} catch (error) {
		if (error instanceof RequestRefused) return [webhookAnswer(error.statusCode, error.body)];
		if (error instanceof LockFolderError) throw new NodeOperationError(this.getNode(), `Parameter "Lock Folder": ${error.message}`);
		throw asNodeError(this, error);
	}
}
