/** Archive: move (or delete) system_logs rows older than N days, in short batches. */
import path from 'node:path';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { permittedPath } from '../../../shared/n8n/fileAccess';
import { flagParameter, numberParameter } from '../../../shared/n8n/parameters';
import { POSTGRES_CREDENTIAL, postgresSettingsFrom, withPostgres } from '../../../shared/n8n/postgres';
import { redact } from '../../../shared/redact';
import { describePgError } from '../../../shared/sql/describePgError';
import { IdentifierError, quoteIdentifier, quoteQualifiedName } from '../../../shared/sql/identifiers';
import { postgresSecrets } from '../../../shared/sql/postgresConnection';
import { CheckRecorder } from '../../../shared/checkRecorder';
import { archiveLogs } from '../../archive/archiveLogs';
import { ArchiveError } from '../../archive/errors';
import { archiveErrorToResult, archiveOutcomeToResult } from '../../archive/outcomeToResult';
import type { ArchiveDestination, ArchivePlan } from '../../archive/types';
import { optionsCollection } from '../../../shared/n8n/fields';
import { asNodeError } from '../../../shared/n8n/errors';

const show = { operation: ['archive'] };

export const description: INodeProperties[] = [
	{ displayName: 'Table', name: 'table', type: 'string', default: 'system_logs', description: 'The hot log table (table or schema.table)', displayOptions: { show } },
	{ displayName: 'Timestamp Column', name: 'timestampColumn', type: 'string', default: 'created_at', displayOptions: { show } },
	{ displayName: 'Key Column', name: 'keyColumn', type: 'string', default: 'id', description: 'A unique, indexed column used to batch (normally the primary key)', displayOptions: { show } },
	{ displayName: 'Older Than (Days)', name: 'olderThanDays', type: 'number', typeOptions: { minValue: 0 }, default: 30, displayOptions: { show } },
	{
		displayName: 'Destination',
		name: 'destination',
		type: 'options',
		options: [
			{ name: 'Archive Table', value: 'table', description: 'Move rows into an archive table in the same database' },
			{ name: 'Compressed File', value: 'file', description: 'Write a .jsonl.gz file (with sha256), then delete the rows' },
			{ name: 'Delete Only', value: 'delete', description: 'Delete the old rows, keeping no copy' },
		],
		default: 'table',
		displayOptions: { show },
	},
	{
		displayName: 'Archive Table',
		name: 'archiveTable',
		type: 'string',
		default: 'system_logs_archive',
		description: 'Created with the same columns when missing',
		displayOptions: { show: { ...show, destination: ['table'] } },
	},
	{
		displayName: 'Directory',
		name: 'directory',
		type: 'string',
		default: '',
		placeholder: '/backups/logs',
		description: 'Absolute folder the archive files are written to',
		displayOptions: { show: { ...show, destination: ['file'] } },
	},
	{ displayName: 'Dry Run', name: 'dryRun', type: 'boolean', default: false, description: 'Whether to only report how many rows and which time range would move', displayOptions: { show } },
	optionsCollection(show, [
			{ displayName: 'Batch Size', name: 'batchSize', type: 'number', typeOptions: { minValue: 1 }, default: 5000, description: 'About this many rows per batch transaction' },
			{ displayName: 'Connect Timeout (Ms)', name: 'connectTimeoutMs', type: 'number', typeOptions: { minValue: 100 }, default: 10000 },
			{ displayName: 'Max Duration (Ms)', name: 'maxDurationMs', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'Stop starting batches after this long; the next run resumes (0 = no limit)' },
			{ displayName: 'Pause Between Batches (Ms)', name: 'pauseMs', type: 'number', typeOptions: { minValue: 0 }, default: 0 },
			{ displayName: 'Statement Timeout (Ms)', name: 'statementTimeoutMs', type: 'number', typeOptions: { minValue: 100 }, default: 30000 },
		]),
];

function validateNames(ctx: IExecuteFunctions, itemIndex: number, names: Array<[string, string, boolean]>): void {
	try {
		for (const [value, parameter, qualified] of names) {
			if (qualified) quoteQualifiedName(value, `Parameter "${parameter}"`);
			else quoteIdentifier(value, `Parameter "${parameter}"`);
		}
	} catch (error) {
		if (error instanceof IdentifierError) throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex });
		throw asNodeError(ctx, error, itemIndex);
	}
}

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const table = (this.getNodeParameter('table', itemIndex) as string).trim();
	const timestampColumn = (this.getNodeParameter('timestampColumn', itemIndex) as string).trim();
	const keyColumn = (this.getNodeParameter('keyColumn', itemIndex) as string).trim();
	const kind = this.getNodeParameter('destination', itemIndex) as ArchiveDestination['kind'];
	const names: Array<[string, string, boolean]> = [
		[table, 'Table', true],
		[timestampColumn, 'Timestamp Column', false],
		[keyColumn, 'Key Column', false],
	];
	let destination: ArchiveDestination;
	if (kind === 'table') {
		const archiveTable = (this.getNodeParameter('archiveTable', itemIndex) as string).trim();
		names.push([archiveTable, 'Archive Table', true]);
		destination = { kind, table: archiveTable };
	} else if (kind === 'file') {
		const directory = (this.getNodeParameter('directory', itemIndex, '') as string).trim();
		if (!path.isAbsolute(directory)) {
			throw new NodeOperationError(this.getNode(), 'Parameter "Directory" must be an absolute folder path', { itemIndex });
		}
		destination = { kind, directory: await permittedPath(this, itemIndex, directory, 'Directory', 'folder') };
	} else if (kind === 'delete') {
		destination = { kind };
	} else {
		throw new NodeOperationError(this.getNode(), `Parameter "Destination" has an unsupported value: ${String(kind)}`, { itemIndex });
	}
	validateNames(this, itemIndex, names);
	const plan: ArchivePlan = {
		table,
		timestampColumn,
		keyColumn,
		olderThanDays: numberParameter(this, 'olderThanDays', 'Older Than (Days)', itemIndex, 30, { min: 0, max: 36_500 }),
		destination,
		batchSize: numberParameter(this, 'options.batchSize', 'Batch Size', itemIndex, 5000, { min: 1, max: 1_000_000 }),
		pauseMs: numberParameter(this, 'options.pauseMs', 'Pause Between Batches (Ms)', itemIndex, 0, { min: 0, max: 600_000 }),
		dryRun: flagParameter(this, 'dryRun', itemIndex),
		maxDurationMs: numberParameter(this, 'options.maxDurationMs', 'Max Duration (Ms)', itemIndex, 0, { min: 0 }),
		now: new Date(),
	};
	const timeouts = {
		connectTimeoutMs: numberParameter(this, 'options.connectTimeoutMs', 'Connect Timeout (Ms)', itemIndex, 10_000, { min: 100 }),
		statementTimeoutMs: numberParameter(this, 'options.statementTimeoutMs', 'Statement Timeout (Ms)', itemIndex, 30_000, { min: 100 }),
	};
	const settings = postgresSettingsFrom(await this.getCredentials(POSTGRES_CREDENTIAL, itemIndex));
	const target = `postgres:${settings.database ?? 'db'}/${table}`;
	try {
		const outcome = await withPostgres(settings, timeouts, (client) => archiveLogs(client, plan));
		return archiveOutcomeToResult(outcome, target) as unknown as IDataObject;
	} catch (error) {
		// A failing database is a result (down), not an exception; bad parameters were thrown above.
		if (error instanceof ArchiveError) return archiveErrorToResult(error, target) as unknown as IDataObject;
		const { cause } = describePgError(error, 'The log database');
		const detail = error instanceof Error && !('code' in error) ? ` (${redact(error.message, { secrets: postgresSecrets(settings) })})` : '';
		const message = `${cause.message}${detail}`;
		return new CheckRecorder('logs', target).fail('archive', { ...cause, message }).result({ dryRun: plan.dryRun, destination: kind }) as unknown as IDataObject;
	}
}
