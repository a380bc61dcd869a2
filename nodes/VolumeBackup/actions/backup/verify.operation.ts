/** Verify: re-read either kind of backup — a folder archive (.tar.gz) or a database dump (.dump). */
import path from 'node:path';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { backupErrorToResult, BackupParameterError, verifyBackup, verifyOutcomeToResult } from '../../directory';
import { verifyOutcomeToResult as dumpVerifyOutcomeToResult } from '../../postgres/outcomeToResult';
import { verifyDump } from '../../postgres/verifyDump';
import { permittedPath } from '../../../shared/n8n/fileAccess';
import { absolutePath, pgRestoreBinary, timeoutOf } from '../fields';

export const description: INodeProperties[] = [];

export const runs = 'perItem';

async function verifyArchive(ctx: IExecuteFunctions, itemIndex: number, file: string): Promise<IDataObject> {
	const target = `file:${path.basename(file)}`;
	try {
		return verifyOutcomeToResult(await verifyBackup(file, { stallTimeoutMs: timeoutOf(ctx, itemIndex, 'directory') }), target) as unknown as IDataObject;
	} catch (error) {
		// Misuse is the caller's to fix (the message names the parameter); anything else is this backup's result.
		if (error instanceof BackupParameterError) throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex });
		return backupErrorToResult(error, target, 'verify') as unknown as IDataObject;
	}
}

async function verifyDatabaseDump(ctx: IExecuteFunctions, itemIndex: number, file: string): Promise<IDataObject> {
	const outcome = await verifyDump(file, { pgRestoreBinary: pgRestoreBinary(ctx, itemIndex), timeoutMs: timeoutOf(ctx, itemIndex, 'postgres') });
	return dumpVerifyOutcomeToResult(outcome) as unknown as IDataObject;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const given = absolutePath(this, 'file', 'Backup File', itemIndex);
	// Its kind by the name given; the file read is where that name really leads.
	const verifyKind = given.endsWith('.tar.gz') ? verifyArchive : given.endsWith('.dump') ? verifyDatabaseDump : undefined;
	if (!verifyKind) throw new NodeOperationError(this.getNode(), 'Parameter "Backup File" must be a .tar.gz (folder) or .dump (database) backup', { itemIndex });
	return await verifyKind(this, itemIndex, await permittedPath(this, itemIndex, given, 'Backup File', 'file'));
}
