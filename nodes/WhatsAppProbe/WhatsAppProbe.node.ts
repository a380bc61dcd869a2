import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { optionsDescription } from './actions/common';
import { resourceField } from '../shared/n8n/resource';
import * as whatsApp from './actions/whatsApp/WhatsApp.resource';
import { router } from './actions/router';
import { autorecoveryRelinkLinkTest } from '../shared/n8n/relinkLinkTest';

export class WhatsAppProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Probe',
		name: 'whatsAppProbe',
		icon: { light: 'file:whatsAppProbe.svg', dark: 'file:whatsAppProbe.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["gateway"]}}',
		description: 'Checks, recovers and relinks the bot\'s WhatsApp connection (Cloud API, Evolution API, WAHA)',
		defaults: { name: 'WhatsApp Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{ name: 'autorecoveryWhatsAppCloudApi', required: true, displayOptions: { show: { gateway: ['cloudApi'] } } },
			{ name: 'autorecoveryEvolutionApi', required: true, displayOptions: { show: { gateway: ['evolution'] } } },
			{ name: 'autorecoveryWahaApi', required: true, displayOptions: { show: { gateway: ['waha'] } } },
			// The key relink links are signed with (the Relink Page checks it).
			{ name: 'autorecoveryRelinkLinkApi', required: true, testedBy: 'autorecoveryRelinkLinkTest', displayOptions: { show: { operation: ['relinkPage'] } } },
			// The canary's own credential: separate types, since a node holds one credential per type.
			// Recover shows them only in its Conversation mode.
			{
				name: 'autorecoveryCanaryEvolutionApi',
				required: true,
				displayOptions: { show: { operation: ['conversationCheck', 'recover'], canaryGateway: ['evolution'] }, hide: { recoverWhat: ['connection', 'webhook', 'passive'] } },
			},
			{
				name: 'autorecoveryCanaryWahaApi',
				required: true,
				displayOptions: { show: { operation: ['conversationCheck', 'recover'], canaryGateway: ['waha'] }, hide: { recoverWhat: ['connection', 'webhook', 'passive'] } },
			},
		],
		properties: [
			resourceField([{ name: 'WhatsApp', value: 'whatsApp' }]),
			{
				displayName: 'Gateway',
				name: 'gateway',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Evolution API', value: 'evolution' },
					{ name: 'WAHA', value: 'waha' },
					{ name: 'WhatsApp Cloud API (Meta)', value: 'cloudApi' },
				],
				default: 'evolution',
			},
			...whatsApp.description,
			{
				displayName: 'Target Override',
				name: 'target',
				type: 'string',
				default: '',
				placeholder: 'ventas',
				description: 'Instance (Evolution), session (WAHA) or phone number ID (Cloud API) to use instead of the credential\'s; use an expression to check many targets, one per item',
			},
			optionsDescription,
		],
	};

	methods = { credentialTest: { autorecoveryRelinkLinkTest } };

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
