import { type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import * as check from './actions/check.operation';
import { router } from './actions/router';

export class HostResources implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Host Resources',
		name: 'hostResources',
		icon: 'file:hostResources.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Checks the server the bot runs on: memory, load, disk space, inodes and n8n health',
		defaults: { name: 'Host Resources' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: true,
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Check',
						value: 'check',
						description: 'Check memory, load, disks and n8n health against thresholds',
						action: 'Check host resources',
					},
				],
				default: 'check',
			},
			...check.description,
		],
	};

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
