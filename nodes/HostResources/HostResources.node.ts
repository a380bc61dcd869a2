import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { resourceField } from '../shared/n8n/resource';
import * as host from './actions/host/Host.resource';
import { router } from './actions/router';

export class HostResources implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Host Resources',
		name: 'hostResources',
		icon: { light: 'file:hostResources.svg', dark: 'file:hostResources.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Checks the server the bot runs on: memory, load, disk space, inodes and n8n health',
		defaults: { name: 'Host Resources' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [
			resourceField([{ name: 'Host', value: 'host' }]),
			...host.description,
		],
	};

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
