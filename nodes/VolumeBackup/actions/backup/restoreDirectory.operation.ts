/** Restore Directory: unpack a verified folder backup safely into a target folder. */
import path from 'node:path';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { backupErrorToResult, BackupParameterError, restoreBackup, restoreOutcomeToResult } from '../../directory';
import { permittedPathParameter, timeoutOf } from '../fields';

export const description: INodeProperties[] = [
	{ displayName: 'Target Folder', name: 'targetDir', type: 'string', default: '', description: 'Absolute path to restore into', displayOptions: { show: { operation: ['restoreDirectory'] } } },
];

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const file = await permittedPathParameter(this, 'file', 'Backup File', 'file', itemIndex);
	const targetDir = await permittedPathParameter(this, 'targetDir', 'Target Folder', 'tree', itemIndex);
	const target = `dir:${path.basename(targetDir)}`;
	const stallTimeoutMs = timeoutOf(this, itemIndex, 'directory');
	try {
		const outcome = await restoreBackup(file, targetDir, { overwrite: this.getNodeParameter('overwrite', itemIndex, false) as boolean, stallTimeoutMs });
		return restoreOutcomeToResult(outcome, target) as unknown as IDataObject;
	} catch (error) {
		// Misuse is the caller's to fix (the message names the parameter); anything else is this backup's result.
		if (error instanceof BackupParameterError) throw new NodeOperationError(this.getNode(), error.message, { itemIndex });
		return backupErrorToResult(error, target, 'restore') as unknown as IDataObject;
	}
}
