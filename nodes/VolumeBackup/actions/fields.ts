/**
 * Parameters several Volume Backup operations share: where backups live, which file,
 * whether to overwrite, pg_restore, the timeouts. Each is declared once, shown for the
 * operations that read it.
 */
import path from 'node:path';

import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { PathUse } from '../../shared/files/fileAccess';
import { permittedPath } from '../../shared/n8n/fileAccess';
import { numberParameter } from '../../shared/n8n/parameters';
import { optionsCollection } from '../../shared/n8n/fields';

/** Folder backups, verifies and restores: the longest stretch without progress (a hung mount), and each sqlite3 run. */
const DIRECTORY_TIMEOUT_MS = 60_000;
/** Database backups, verifies and restores: each pg_dump/pg_restore run. */
const POSTGRES_TIMEOUT_MS = 600_000;
const PG_RESTORE_BINARY = '/usr/bin/pg_restore';

const DIRECTORY_OPERATIONS = ['backupDirectory', 'restoreDirectory', 'prune'];
const POSTGRES_OPERATIONS = ['backupPostgres', 'restorePostgres'];

export const sharedFields: INodeProperties[] = [
	{ displayName: 'Backup Folder', name: 'backupDir', type: 'string', default: '', placeholder: '/backups', description: 'Absolute path of the folder that keeps the backups', displayOptions: { show: { operation: ['backupDirectory', 'backupPostgres', 'prune'] } } },
	{ displayName: 'Backup File', name: 'file', type: 'string', default: '', placeholder: '/backups/n8n-20261122T020000Z.tar.gz', description: 'Absolute path of a .tar.gz or .dump backup', displayOptions: { show: { operation: ['verify', 'restoreDirectory', 'restorePostgres'] } } },
	{ displayName: 'Overwrite', name: 'overwrite', type: 'boolean', default: false, description: 'Whether to restore into a target that is not empty', displayOptions: { show: { operation: ['restoreDirectory', 'restorePostgres'] } } },
	{ displayName: 'Pg_restore Binary', name: 'pgRestoreBinary', type: 'string', default: PG_RESTORE_BINARY, description: 'Absolute path of pg_restore', displayOptions: { show: { operation: ['verify', 'restorePostgres'] } } },
	optionsCollection({ operation: DIRECTORY_OPERATIONS }, [{ displayName: 'Timeout (Ms)', name: 'timeoutMs', type: 'number', typeOptions: { minValue: 100 }, default: DIRECTORY_TIMEOUT_MS, description: 'Limit for each sqlite3 run and for the longest stretch without progress reading or writing files (a hung mount)' }]),
	optionsCollection({ operation: POSTGRES_OPERATIONS }, [{ displayName: 'Timeout (Ms)', name: 'timeoutMs', type: 'number', typeOptions: { minValue: 100 }, default: POSTGRES_TIMEOUT_MS, description: 'Limit for each pg_dump or pg_restore run' }]),
	optionsCollection({ operation: ['verify'] }, [
			{ displayName: 'Timeout (Ms)', name: 'timeoutMs', type: 'number', typeOptions: { minValue: 100 }, default: 0, description: `Folder archives: the longest stretch without progress reading the file (0: ${DIRECTORY_TIMEOUT_MS} ms). Database dumps: the pg_restore run (0: ${POSTGRES_TIMEOUT_MS} ms).` },
		]),
];

/** An absolute path parameter, or a NodeOperationError naming it. */
export function absolutePath(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!path.isAbsolute(value)) throw new NodeOperationError(ctx.getNode(), `Parameter "${label}" must be an absolute path`, { itemIndex });
	return value;
}

/** An absolute path parameter that n8n's file-access rules let the operation use as `use` says: the path to use. */
export async function permittedPathParameter(ctx: IExecuteFunctions, name: string, label: string, use: PathUse, itemIndex: number): Promise<string> {
	return await permittedPath(ctx, itemIndex, absolutePath(ctx, name, label, itemIndex), label, use);
}

/** The operation's timeout: the Options value, or the default of its kind of backup when unset (or 0 on Verify). */
export function timeoutOf(ctx: IExecuteFunctions, itemIndex: number, kind: 'directory' | 'postgres'): number {
	const fallback = kind === 'directory' ? DIRECTORY_TIMEOUT_MS : POSTGRES_TIMEOUT_MS;
	const value = numberParameter(ctx, 'options.timeoutMs', 'Timeout (Ms)', itemIndex, fallback, { min: 0 });
	if (value === 0) return fallback;
	if (value < 100) throw new NodeOperationError(ctx.getNode(), `Parameter "Timeout (Ms)" must be at least 100, got ${value}`, { itemIndex });
	return value;
}

export function pgRestoreBinary(ctx: IExecuteFunctions, itemIndex: number): string {
	return String(ctx.getNodeParameter('pgRestoreBinary', itemIndex, PG_RESTORE_BINARY)).trim();
}
