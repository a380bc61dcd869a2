import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { autorecoveryPostgresConnectionTest } from '../shared/n8n/postgres';
import { backendField } from './actions/fields';
import { resourceField } from '../shared/n8n/resource';
import * as catalog from './actions/catalog/Catalog.resource';
import { router } from './actions/router';

export class DbIntegrity implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DB Integrity',
		name: 'dbIntegrity',
		icon: { light: 'file:dbIntegrity.svg', dark: 'file:dbIntegrity.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + " (" + $parameter["backend"] + ")"}}',
		description: 'Checks the bot\'s product catalog (empty, missing images, duplicates, orphans, prices, custom checks) and the error rate of its logs, and repairs the catalog safely',
		defaults: { name: 'DB Integrity' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{ name: 'autorecoveryPostgresApi', required: true, testedBy: 'autorecoveryPostgresConnectionTest', displayOptions: { show: { backend: ['postgres'] } } },
			{ name: 'autorecoverySupabaseApi', required: true, displayOptions: { show: { backend: ['supabase'] } } },
		],
		properties: [
			resourceField([{ name: 'Catalog', value: 'catalog' }]),
			...catalog.description,
			backendField,
		],
	};

	methods = { credentialTest: { autorecoveryPostgresConnectionTest } };

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
