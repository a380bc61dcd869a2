/** Backup Directory: a verified .tar.gz of a folder (consistent SQLite snapshot, sha256, manifest). */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { backupDirectory, backupErrorToResult, backupOutcomeToResult, backupTarget, BackupParameterError } from '../../directory';
import { permittedPathParameter, timeoutOf } from '../fields';

const show = { operation: ['backupDirectory'] };
const globs = (text: string) => text.split(',').map((glob) => glob.trim()).filter((glob) => glob !== '');

export const description: INodeProperties[] = [
	{ displayName: 'Source Folder', name: 'sourceDir', type: 'string', default: '', placeholder: '/home/node/.n8n', description: 'Absolute path of the folder to back up (e.g. the n8n data volume)', displayOptions: { show } },
	{ displayName: 'Include', name: 'include', type: 'string', default: '', placeholder: '**/*.json, database.sqlite', description: 'Comma-separated globs a file must match (empty: everything)', displayOptions: { show } },
	{ displayName: 'Exclude', name: 'exclude', type: 'string', default: 'binaryData/**, *.log', description: 'Comma-separated globs left out', displayOptions: { show } },
	{ displayName: 'SQLite Binary', name: 'sqliteBinary', type: 'string', default: 'sqlite3', description: 'The sqlite3 command used to snapshot n8n\'s live database consistently', displayOptions: { show } },
];

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const sourceDir = await permittedPathParameter(this, 'sourceDir', 'Source Folder', 'tree', itemIndex);
	const backupDir = await permittedPathParameter(this, 'backupDir', 'Backup Folder', 'folder', itemIndex);
	const text = (name: string) => String(this.getNodeParameter(name, itemIndex, '') ?? '');
	const timeoutMs = timeoutOf(this, itemIndex, 'directory');
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
		// Misuse is the caller's to fix (the message names the parameter); anything else is this backup's result.
		if (error instanceof BackupParameterError) throw new NodeOperationError(this.getNode(), error.message, { itemIndex });
		return backupErrorToResult(error, backupTarget(sourceDir)) as unknown as IDataObject;
	}
}
