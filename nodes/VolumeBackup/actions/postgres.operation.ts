/** The database operations (Backup Postgres, Verify of a dump, Restore Postgres) over the shared Postgres credential. */
import path from 'node:path';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { numberParameter } from '../../shared/n8n/parameters';
import { POSTGRES_CREDENTIAL, postgresSettingsFrom } from '../../shared/n8n/postgres';
import { backupPostgres } from '../postgres/backupPostgres';
import { dumpOutcomeToResult, restoreOutcomeToResult, verifyOutcomeToResult } from '../postgres/outcomeToResult';
import { restoreDump } from '../postgres/restoreDump';
import { verifyDump } from '../postgres/verifyDump';

export const description: INodeProperties[] = [
	{ displayName: 'Pg_dump Binary', name: 'pgDumpBinary', type: 'string', default: '/usr/bin/pg_dump', description: 'Absolute path of pg_dump, at least as new as the server', displayOptions: { show: { operation: ['backupPostgres'] } } },
	{ displayName: 'Pg_restore Binary', name: 'pgRestoreBinary', type: 'string', default: '/usr/bin/pg_restore', description: 'Absolute path of pg_restore', displayOptions: { show: { operation: ['verify', 'restorePostgres'] } } },
];

const timeout = (ctx: IExecuteFunctions, itemIndex: number) => numberParameter(ctx, 'options.timeoutMs', 'Timeout (Ms)', itemIndex, 600_000, { min: 100 });

export async function backup(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const backupDir = String(this.getNodeParameter('backupDir', itemIndex, '') ?? '').trim();
	if (!path.isAbsolute(backupDir)) throw new NodeOperationError(this.getNode(), 'Parameter "Backup Folder" must be an absolute path', { itemIndex });
	const settings = postgresSettingsFrom(await this.getCredentials(POSTGRES_CREDENTIAL, itemIndex));
	const outcome = await backupPostgres({
		settings,
		pgDumpBinary: String(this.getNodeParameter('pgDumpBinary', itemIndex, '/usr/bin/pg_dump')).trim(),
		backupDir,
		now: new Date(),
		timeoutMs: timeout(this, itemIndex),
	});
	return dumpOutcomeToResult(outcome) as unknown as IDataObject;
}

export async function verifyDatabaseDump(this: IExecuteFunctions, itemIndex: number, file: string): Promise<IDataObject> {
	const outcome = await verifyDump(file, { pgRestoreBinary: String(this.getNodeParameter('pgRestoreBinary', itemIndex, '/usr/bin/pg_restore')).trim(), timeoutMs: timeout(this, itemIndex) });
	return verifyOutcomeToResult(outcome) as unknown as IDataObject;
}

export async function restore(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const file = String(this.getNodeParameter('file', itemIndex, '') ?? '').trim();
	if (!path.isAbsolute(file)) throw new NodeOperationError(this.getNode(), 'Parameter "Backup File" must be an absolute path', { itemIndex });
	const settings = postgresSettingsFrom(await this.getCredentials(POSTGRES_CREDENTIAL, itemIndex));
	const outcome = await restoreDump(file, settings, {
		pgRestoreBinary: String(this.getNodeParameter('pgRestoreBinary', itemIndex, '/usr/bin/pg_restore')).trim(),
		overwrite: this.getNodeParameter('overwrite', itemIndex, false) as boolean,
		timeoutMs: timeout(this, itemIndex),
	});
	return restoreOutcomeToResult(outcome) as unknown as IDataObject;
}
