import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { autorecoveryPostgresConnectionTest } from '../shared/n8n/postgres';
import * as check from './actions/check.operation';
import * as checkErrorRate from './actions/checkErrorRate.operation';
import { backendField } from './actions/fields';
import * as repair from './actions/repair.operation';
import { router } from './actions/router';

export class DbIntegrity implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DB Integrity',
		name: 'dbIntegrity',
		icon: 'file:dbIntegrity.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + " (" + $parameter["backend"] + ")"}}',
		description: 'Checks the bot\'s product catalog (empty, missing images, duplicates, orphans, prices, custom checks) and the error rate of its logs, and repairs the catalog safely',
		defaults: { name: 'DB Integrity' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: true,
		credentials: [
			{ name: 'autorecoveryPostgresApi', required: true, testedBy: 'autorecoveryPostgresConnectionTest', displayOptions: { show: { backend: ['postgres'] } } },
			{ name: 'autorecoverySupabaseApi', required: true, displayOptions: { show: { backend: ['supabase'] } } },
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Check', value: 'check', description: 'Check the catalog: connectivity, empty, missing images, duplicates, orphans, prices, custom checks', action: 'Check the product catalog' },
					{ name: 'Check Error Rate', value: 'checkErrorRate', description: 'Compare recent errors in the bot\'s log table with their usual rate (Postgres)', action: 'Check the error rate of the bot logs' },
					{ name: 'Repair', value: 'repair', description: 'Restore images, import an empty catalog or reconnect, safely and in batches', action: 'Repair the product catalog' },
				],
				default: 'check',
			},
			backendField,
			...check.description,
			...checkErrorRate.description,
			...repair.description,
		],
	};

	methods = { credentialTest: { autorecoveryPostgresConnectionTest } };

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
