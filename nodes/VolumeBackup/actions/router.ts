import path from 'node:path';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { POSTGRES_CREDENTIAL, postgresSettingsFrom } from '../../shared/n8n/postgres';
import { runPerItem } from '../../shared/n8n/runPerItem';
import { postgresSecrets } from '../../shared/sql/postgresConnection';
import { BackupParameterError } from '../parameterError';
import * as directory from './directory.operation';
import * as postgres from './postgres.operation';

/** Verify reads either kind of backup: a directory archive or a database dump. */
async function verify(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const file = String(this.getNodeParameter('file', itemIndex, '') ?? '').trim();
	if (!path.isAbsolute(file)) throw new NodeOperationError(this.getNode(), 'Parameter "Backup File" must be an absolute path', { itemIndex });
	if (file.endsWith('.tar.gz')) return directory.verifyDirectoryBackup.call(this, itemIndex, file);
	if (file.endsWith('.dump')) return postgres.verifyDatabaseDump.call(this, itemIndex, file);
	throw new NodeOperationError(this.getNode(), 'Parameter "Backup File" must be a .tar.gz (folder) or .dump (database) backup', { itemIndex });
}

const operations: Record<string, (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject>> = {
	backupDirectory: directory.backup,
	backupPostgres: postgres.backup,
	verify,
	restoreDirectory: directory.restore,
	restorePostgres: postgres.restore,
	prune: directory.prune,
};

/** Both engines throw BackupParameterError for misuse: one place turns it into an error naming the parameter. */
async function named(ctx: IExecuteFunctions, itemIndex: number, run: () => Promise<IDataObject>): Promise<IDataObject> {
	try {
		return await run();
	} catch (error) {
		if (error instanceof BackupParameterError) throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex });
		throw error;
	}
}

const USES_POSTGRES = new Set(['backupPostgres', 'restorePostgres']);

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = operations[operation];
	if (!handler) throw new NodeOperationError(this.getNode(), `Parameter "Operation" has an unsupported value: ${operation}`);
	return [
		await runPerItem(this, (itemIndex) => named(this, itemIndex, () => handler.call(this, itemIndex)), {
			secrets: async (itemIndex) => (USES_POSTGRES.has(operation) ? postgresSecrets(postgresSettingsFrom(await this.getCredentials(POSTGRES_CREDENTIAL, itemIndex))) : []),
		}),
	];
}
