import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { autorecoveryPostgresConnectionTest } from '../shared/n8n/postgres';
import { resourceField } from '../shared/n8n/resource';
import * as backup from './actions/backup/Backup.resource';
import { router } from './actions/router';

export class VolumeBackup implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Volume Backup',
		name: 'volumeBackup',
		icon: { light: 'file:volumeBackup.svg', dark: 'file:volumeBackup.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Verified backups of the n8n data folder (consistent SQLite snapshot) and of Postgres, with restore and retention',
		defaults: { name: 'Volume Backup' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'autorecoveryPostgresApi', required: true, testedBy: 'autorecoveryPostgresConnectionTest', displayOptions: { show: { operation: ['backupPostgres', 'restorePostgres'] } } }],
		properties: [resourceField([{ name: 'Backup', value: 'backup' }]), ...backup.description],
	};

	methods = { credentialTest: { autorecoveryPostgresConnectionTest } };

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
