import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { autorecoveryPostgresConnectionTest } from '../shared/n8n/postgres';
import { resourceField } from '../shared/n8n/resource';
import * as logs from './actions/logs/Logs.resource';
import { router } from './actions/router';

export class LogArchive implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Log Archive',
		name: 'logArchive',
		icon: { light: 'file:logArchive.svg', dark: 'file:logArchive.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"archive to " + $parameter["destination"]}}',
		description: 'Moves old system_logs rows to an archive table or a compressed file, in short batches, without losing a line',
		defaults: { name: 'Log Archive' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: 'autorecoveryPostgresApi', required: true, testedBy: 'autorecoveryPostgresConnectionTest' }],
		properties: [
			resourceField([{ name: 'Logs', value: 'logs' }]),
			...logs.description,
		],
	};

	methods = { credentialTest: { autorecoveryPostgresConnectionTest } };

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
