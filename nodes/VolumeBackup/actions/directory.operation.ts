/**
 * The directory operations (Backup Directory, Verify, Restore Directory, Prune): node
 * parameters → the plain engine in ../directory → a contract result. Misuse (relative
 * paths, bad rules) is a NodeOperationError naming the parameter; a failing disk or a
 * damaged archive is a `down` result.
 */
import path from 'node:path';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { numberParameter } from '../../shared/n8n/parameters';
import {
	backupDirectory,
	backupErrorToResult,
	backupOutcomeToResult,
	backupTarget,
	BackupParameterError,
	pruneBackups,
	pruneOutcomeToResult,
	restoreBackup,
	restoreOutcomeToResult,
	verifyBackup,
	verifyOutcomeToResult,
} from '../directory';

const globs = (text: string) => text.split(',').map((glob) => glob.trim()).filter((glob) => glob !== '');

export const description: INodeProperties[] = [
	{ displayName: 'Source Folder', name: 'sourceDir', type: 'string', default: '', placeholder: '/home/node/.n8n', description: 'Absolute path of the folder to back up (e.g. the n8n data volume)', displayOptions: { show: { operation: ['backupDirectory'] } } },
	{ displayName: 'Backup Folder', name: 'backupDir', type: 'string', default: '', placeholder: '/backups', description: 'Absolute path of the folder that keeps the backups', displayOptions: { show: { operation: ['backupDirectory', 'backupPostgres', 'prune'] } } },
	{ displayName: 'Include', name: 'include', type: 'string', default: '', placeholder: '**/*.json, database.sqlite', description: 'Comma-separated globs a file must match (empty: everything)', displayOptions: { show: { operation: ['backupDirectory'] } } },
	{ displayName: 'Exclude', name: 'exclude', type: 'string', default: 'binaryData/**, *.log', description: 'Comma-separated globs left out', displayOptions: { show: { operation: ['backupDirectory'] } } },
	{ displayName: 'SQLite Binary', name: 'sqliteBinary', type: 'string', default: 'sqlite3', description: 'The sqlite3 command used to snapshot n8n\'s live database consistently', displayOptions: { show: { operation: ['backupDirectory'] } } },
	{ displayName: 'Backup File', name: 'file', type: 'string', default: '', placeholder: '/backups/n8n-20261122T020000Z.tar.gz', description: 'Absolute path of a .tar.gz or .dump backup', displayOptions: { show: { operation: ['verify', 'restoreDirectory', 'restorePostgres'] } } },
	{ displayName: 'Target Folder', name: 'targetDir', type: 'string', default: '', description: 'Absolute path to restore into', displayOptions: { show: { operation: ['restoreDirectory'] } } },
	{ displayName: 'Overwrite', name: 'overwrite', type: 'boolean', default: false, description: 'Whether to restore into a target that is not empty', displayOptions: { show: { operation: ['restoreDirectory', 'restorePostgres'] } } },
	{ displayName: 'Keep Last', name: 'keepLast', type: 'number', typeOptions: { minValue: 0 }, default: 7, description: 'Keep the newest N backups (0: no count rule)', displayOptions: { show: { operation: ['prune'] } } },
	{ displayName: 'Keep Days', name: 'keepDays', type: 'number', typeOptions: { minValue: 0 }, default: 30, description: 'Keep every backup newer than D days (0: no age rule)', displayOptions: { show: { operation: ['prune'] } } },
	{ displayName: 'Dry Run', name: 'dryRun', type: 'boolean', default: false, description: 'Whether to only list what would be deleted', displayOptions: { show: { operation: ['prune'] } } },
];

function absolute(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!path.isAbsolute(value)) throw new NodeOperationError(ctx.getNode(), `Parameter "${label}" must be an absolute path`, { itemIndex });
	return value;
}

/** One limit for each sqlite3 run and for any stretch without progress reading or writing files (a hung mount). */
const timeoutOf = (ctx: IExecuteFunctions, itemIndex: number): number =>
	numberParameter(ctx, 'options.timeoutMs', 'Timeout (Ms)', itemIndex, 60_000, { min: 100 });

export async function backup(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const sourceDir = absolute(this, 'sourceDir', 'Source Folder', itemIndex);
	const backupDir = absolute(this, 'backupDir', 'Backup Folder', itemIndex);
	const text = (name: string) => String(this.getNodeParameter(name, itemIndex, '') ?? '');
	const timeoutMs = timeoutOf(this, itemIndex);
	try {
		const outcome = await backupDirectory({
			sourceDir,
			backupDir,
			include: globs(text('include')),
			exclude: globs(text('exclude')),
			sqliteBinary: text('sqliteBinary').trim() || 'sqlite3',
			timeoutMs,
			stallTimeoutMs: timeoutMs,
		});
		return { ...backupOutcomeToResult(outcome) } as unknown as IDataObject;
	} catch (error) {
		// Misuse goes up to the router, which names the parameter.
		if (error instanceof BackupParameterError) throw error;
		return backupErrorToResult(error, backupTarget(sourceDir)) as unknown as IDataObject;
	}
}

export async function verifyDirectoryBackup(this: IExecuteFunctions, itemIndex: number, file: string): Promise<IDataObject> {
	const target = `file:${path.basename(file)}`;
	const stallTimeoutMs = timeoutOf(this, itemIndex);
	try {
		return verifyOutcomeToResult(await verifyBackup(file, { stallTimeoutMs }), target) as unknown as IDataObject;
	} catch (error) {
		// Misuse goes up to the router, which names the parameter.
		if (error instanceof BackupParameterError) throw error;
		return backupErrorToResult(error, target, 'verify') as unknown as IDataObject;
	}
}

export async function restore(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const file = absolute(this, 'file', 'Backup File', itemIndex);
	const targetDir = absolute(this, 'targetDir', 'Target Folder', itemIndex);
	const target = `dir:${path.basename(targetDir)}`;
	const stallTimeoutMs = timeoutOf(this, itemIndex);
	try {
		const outcome = await restoreBackup(file, targetDir, { overwrite: this.getNodeParameter('overwrite', itemIndex, false) as boolean, stallTimeoutMs });
		return restoreOutcomeToResult(outcome, target) as unknown as IDataObject;
	} catch (error) {
		// Misuse goes up to the router, which names the parameter.
		if (error instanceof BackupParameterError) throw error;
		return backupErrorToResult(error, target, 'restore') as unknown as IDataObject;
	}
}

export async function prune(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const backupDir = absolute(this, 'backupDir', 'Backup Folder', itemIndex);
	const keepLast = numberParameter(this, 'keepLast', 'Keep Last', itemIndex, 7, { min: 0 });
	const keepDays = numberParameter(this, 'keepDays', 'Keep Days', itemIndex, 30, { min: 0 });
	if (keepLast === 0 && keepDays === 0) throw new NodeOperationError(this.getNode(), 'Parameters "Keep Last" and "Keep Days" cannot both be 0: nothing would be kept', { itemIndex });
	const target = `dir:${path.basename(backupDir)}`;
	try {
		const outcome = await pruneBackups(backupDir, {
			...(keepLast > 0 ? { keepLast } : {}),
			...(keepDays > 0 ? { keepDays } : {}),
			dryRun: this.getNodeParameter('dryRun', itemIndex, false) as boolean,
		});
		return pruneOutcomeToResult(outcome, target) as unknown as IDataObject;
	} catch (error) {
		// Misuse goes up to the router, which names the parameter.
		if (error instanceof BackupParameterError) throw error;
		return backupErrorToResult(error, target, 'prune') as unknown as IDataObject;
	}
}
