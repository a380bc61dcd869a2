/**
 * Accept Manual Recovery / Finish Manual Recovery: the two ends of
 * `POST /webhook/auto-recovery`. Accept reads the raw body, applies the tracker's pause
 * and budget (read-only) and takes the per-component locks; it outputs either the answer
 * to send now (`statusCode` + `body`: 400/409/…) or one item per component to recover.
 * Finish gathers what the recoveries returned, releases the locks and builds the answer.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../../shared/json';
import { numberParameter } from '../../../shared/n8n/parameters';
import { admitRecovery } from '../../manual/admission';
import { acquireLocks, LockFolderError, releaseLocks } from '../../manual/locks';
import { parseRecoveryRequest, RequestRefused } from '../../manual/request';
import { manualRecoveryAnswer, readManualRequest, type ManualRequestRecord } from '../../manual/answer';
import { readTrackerOptions } from '../../../shared/n8n/trackerOptions';
import { loadState } from '../../../shared/n8n/trackerState';

const accept = { operation: ['acceptRecovery'] };
const finish = { operation: ['finishRecovery'] };

export const description: INodeProperties[] = [
	{ displayName: 'Input Binary Field', name: 'binaryPropertyName', type: 'string', default: 'data', description: 'The binary property holding the raw request body (the webhook\'s "Binary Data" option); without it, the item\'s JSON `body` is read', displayOptions: { show: accept } },
	{ displayName: 'Lock Folder', name: 'lockFolder', type: 'string', default: '', placeholder: '/home/node/.n8n/autorecovery-locks', description: 'Where the per-component recovery locks live (empty: the system temp folder). In queue mode, a folder every worker shares.', displayOptions: { show: { operation: ['acceptRecovery', 'finishRecovery', 'claimRecovery', 'releaseRecovery'] } } },
	{ displayName: 'Lock Lease (Minutes)', name: 'leaseMinutes', type: 'number', typeOptions: { minValue: 1 }, default: 15, description: 'A lock older than this is taken over (its execution crashed)', displayOptions: { show: { operation: ['acceptRecovery', 'claimRecovery'] } } },
	{ displayName: 'Request', name: 'manualRequest', type: 'json', default: '={{ $(\'Accept Recovery\').first().json.manualRequest }}', description: 'The request the Accept Manual Recovery node output', displayOptions: { show: finish } },
];

export function lockFolder(ctx: IExecuteFunctions): string {
	const folder = String(ctx.getNodeParameter('lockFolder', 0, '') ?? '').trim();
	if (folder === '') return path.join(os.tmpdir(), 'n8n-autorecovery-locks');
	if (!path.isAbsolute(folder)) throw new NodeOperationError(ctx.getNode(), `Parameter "Lock Folder" must be an absolute path, got ${JSON.stringify(folder)}`);
	return folder;
}

const answer = (statusCode: number, body: Record<string, unknown>): INodeExecutionData => ({ json: { statusCode, body } as unknown as IDataObject, pairedItem: { item: 0 } });

async function rawBody(ctx: IExecuteFunctions): Promise<Buffer | string | undefined> {
	const item = ctx.getInputData()[0];
	if (!item) return undefined;
	const property = String(ctx.getNodeParameter('binaryPropertyName', 0, 'data') ?? 'data');
	if (item.binary?.[property]) return await ctx.helpers.getBinaryDataBuffer(0, property);
	const body = item.json.body;
	// A webhook without the raw body option: n8n already parsed it (or saw none).
	return isRecord(body) && Object.keys(body).length > 0 ? JSON.stringify(body) : undefined;
}

export async function executeAccept(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const folder = lockFolder(this);
	const leaseMs = numberParameter(this, 'leaseMinutes', 'Lock Lease (Minutes)', 0, 15, { min: 1, max: 24 * 60 }) * 60_000;
	const now = Date.now();
	try {
		const request = parseRecoveryRequest(await rawBody(this));
		const admission = admitRecovery(loadState(this), request, readTrackerOptions(this), now);
		const requestId = crypto.randomUUID();
		if (!request.dryRun) {
			const locked = acquireLocks(folder, admission.admitted, { requestId, at: now }, leaseMs);
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
		if (error instanceof RequestRefused) return [answer(error.statusCode, error.body)];
		if (error instanceof LockFolderError) throw new NodeOperationError(this.getNode(), `Parameter "Lock Folder": ${error.message}`);
		throw error;
	}
}

export async function executeFinish(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const folder = lockFolder(this);
	let request: ManualRequestRecord;
	try {
		request = readManualRequest(this.getNodeParameter('manualRequest', 0));
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Parameter "Request": ${(error as Error).message}`);
	}
	try {
		const items = this.getInputData().map((item) => item.json as Record<string, unknown>);
		const { statusCode, body } = manualRecoveryAnswer(request, items);
		return [answer(statusCode, body)];
	} finally {
		releaseLocks(folder, request.components, request.id);
	}
}
