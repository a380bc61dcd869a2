/** Backup Postgres: a pg_dump (custom format) with sha256, over the shared Postgres credential. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { POSTGRES_CREDENTIAL, postgresSettingsFrom } from '../../../shared/n8n/postgres';
import { backupPostgres } from '../../postgres/backupPostgres';
import { dumpOutcomeToResult } from '../../postgres/outcomeToResult';
import { permittedPathParameter, timeoutOf } from '../fields';

const PG_DUMP_BINARY = '/usr/bin/pg_dump';

export const description: INodeProperties[] = [
	{ displayName: 'Pg_dump Binary', name: 'pgDumpBinary', type: 'string', default: PG_DUMP_BINARY, description: 'Absolute path of pg_dump, at least as new as the server', displayOptions: { show: { operation: ['backupPostgres'] } } },
];

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const backupDir = await permittedPathParameter(this, 'backupDir', 'Backup Folder', 'folder', itemIndex);
	const settings = postgresSettingsFrom(await this.getCredentials(POSTGRES_CREDENTIAL, itemIndex));
	const outcome = await backupPostgres({
		settings,
		pgDumpBinary: String(this.getNodeParameter('pgDumpBinary', itemIndex, PG_DUMP_BINARY)).trim(),
		backupDir,
		now: new Date(),
		timeoutMs: timeoutOf(this, itemIndex, 'postgres'),
	});
	return dumpOutcomeToResult(outcome) as unknown as IDataObject;
}
