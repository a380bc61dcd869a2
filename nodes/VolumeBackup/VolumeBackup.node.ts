import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { timeoutOptionField } from '../shared/n8n/parameters';
import { autorecoveryPostgresConnectionTest } from '../shared/n8n/postgres';
import * as directory from './actions/directory.operation';
import * as postgres from './actions/postgres.operation';
import { router } from './actions/router';

export class VolumeBackup implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Volume Backup',
		name: 'volumeBackup',
		icon: 'file:volumeBackup.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Verified backups of the n8n data folder (consistent SQLite snapshot) and of Postgres, with restore and retention',
		defaults: { name: 'Volume Backup' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: true,
		credentials: [{ name: 'autorecoveryPostgresApi', required: true, testedBy: 'autorecoveryPostgresConnectionTest', displayOptions: { show: { operation: ['backupPostgres', 'restorePostgres'] } } }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Backup Directory', value: 'backupDirectory', description: 'A .tar.gz of a folder with sha256 and manifest', action: 'Back up a folder' },
					{ name: 'Backup Postgres', value: 'backupPostgres', description: 'A pg_dump (custom format) with sha256', action: 'Back up a postgres database' },
					{ name: 'Prune', value: 'prune', description: 'Delete old folder backups by retention rules, never the only verified one', action: 'Prune old backups' },
					{ name: 'Restore Directory', value: 'restoreDirectory', description: 'Unpack a folder backup safely into a target folder', action: 'Restore a folder backup' },
					{ name: 'Restore Postgres', value: 'restorePostgres', description: 'Restore a dump into a database, in one transaction', action: 'Restore a postgres dump' },
					{ name: 'Verify', value: 'verify', description: 'Re-read a backup: checksum and listing', action: 'Verify a backup' },
				],
				default: 'backupDirectory',
			},
			...directory.description,
			...postgres.description,
			{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [timeoutOptionField('Limit for each external tool run (sqlite3, pg_dump, pg_restore); for folder backups, verifies and restores also the longest stretch without progress reading or writing files (a hung mount)')] },
		],
	};

	methods = { credentialTest: { autorecoveryPostgresConnectionTest } };

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
