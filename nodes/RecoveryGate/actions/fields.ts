/** Where the per-component recovery locks live and how long one may be held: shared by every Recovery Gate operation. */
import os from 'node:os';
import path from 'node:path';

import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { numberParameter } from '../../shared/n8n/parameters';

const DEFAULT_LEASE_MINUTES = 15;

export const lockFields: INodeProperties[] = [
	{ displayName: 'Lock Folder', name: 'lockFolder', type: 'string', default: '', placeholder: '/home/node/.n8n/autorecovery-locks', description: 'Where the per-component recovery locks live (empty: the system temp folder). In queue mode, a folder every worker shares.', displayOptions: { show: { resource: ['lock', 'manualRecovery'] } } },
	{ displayName: 'Lock Lease (Minutes)', name: 'leaseMinutes', type: 'number', typeOptions: { minValue: 1 }, default: DEFAULT_LEASE_MINUTES, description: 'A lock older than this is taken over (its execution crashed)', displayOptions: { show: { operation: ['accept', 'claim'] } } },
];

export function lockFolder(ctx: IExecuteFunctions): string {
	const folder = String(ctx.getNodeParameter('lockFolder', 0, '') ?? '').trim();
	if (folder === '') return path.join(os.tmpdir(), 'n8n-autorecovery-locks');
	if (!path.isAbsolute(folder)) throw new NodeOperationError(ctx.getNode(), `Parameter "Lock Folder" must be an absolute path, got ${JSON.stringify(folder)}`);
	return folder;
}

export function leaseMs(ctx: IExecuteFunctions): number {
	return numberParameter(ctx, 'leaseMinutes', 'Lock Lease (Minutes)', 0, DEFAULT_LEASE_MINUTES, { min: 1, max: 24 * 60 }) * 60_000;
}
