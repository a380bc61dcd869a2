/** Prune: delete old folder backups by retention rules, never the only verified one. */
import path from 'node:path';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { flagParameter, numberParameter } from '../../../shared/n8n/parameters';
import { backupErrorToResult, BackupParameterError, pruneBackups, pruneOutcomeToResult } from '../../directory';
import { permittedPathParameter } from '../fields';

const show = { operation: ['prune'] };

export const description: INodeProperties[] = [
	{ displayName: 'Keep Last', name: 'keepLast', type: 'number', typeOptions: { minValue: 0 }, default: 7, description: 'Keep the newest N backups (0: no count rule)', displayOptions: { show } },
	{ displayName: 'Keep Days', name: 'keepDays', type: 'number', typeOptions: { minValue: 0 }, default: 30, description: 'Keep every backup newer than D days (0: no age rule)', displayOptions: { show } },
	{ displayName: 'Dry Run', name: 'dryRun', type: 'boolean', default: false, description: 'Whether to only list what would be deleted', displayOptions: { show } },
];

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const backupDir = await permittedPathParameter(this, 'backupDir', 'Backup Folder', 'folder', itemIndex);
	const keepLast = numberParameter(this, 'keepLast', 'Keep Last', itemIndex, 7, { min: 0 });
	const keepDays = numberParameter(this, 'keepDays', 'Keep Days', itemIndex, 30, { min: 0 });
	if (keepLast === 0 && keepDays === 0) throw new NodeOperationError(this.getNode(), 'Parameters "Keep Last" and "Keep Days" cannot both be 0: nothing would be kept', { itemIndex });
	const target = `dir:${path.basename(backupDir)}`;
	try {
		const outcome = await pruneBackups(backupDir, {
			...(keepLast > 0 ? { keepLast } : {}),
			...(keepDays > 0 ? { keepDays } : {}),
			dryRun: flagParameter(this, 'dryRun', itemIndex),
		});
		return pruneOutcomeToResult(outcome, target) as unknown as IDataObject;
	} catch (error) {
		// Misuse is the caller's to fix (the message names the parameter); anything else is this backup's result.
		if (error instanceof BackupParameterError) throw new NodeOperationError(this.getNode(), error.message, { itemIndex });
		return backupErrorToResult(error, target, 'prune') as unknown as IDataObject;
	}
}
