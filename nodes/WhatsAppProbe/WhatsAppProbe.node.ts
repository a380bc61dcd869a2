import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import * as check from './actions/check.operation';
import { optionsDescription } from './actions/common';
import * as getQr from './actions/getQr.operation';
import * as recover from './actions/recover.operation';
import { router } from './actions/router';
import * as sendMessage from './actions/sendMessage.operation';

export class WhatsAppProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Probe',
		name: 'whatsAppProbe',
		icon: 'file:whatsAppProbe.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["gateway"]}}',
		description: 'Checks, recovers and relinks the bot\'s WhatsApp connection (Cloud API, Evolution API, WAHA)',
		defaults: { name: 'WhatsApp Probe' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: true,
		credentials: [
			{ name: 'autorecoveryWhatsAppCloudApi', required: true, displayOptions: { show: { gateway: ['cloudApi'] } } },
			{ name: 'autorecoveryEvolutionApi', required: true, displayOptions: { show: { gateway: ['evolution'] } } },
			{ name: 'autorecoveryWahaApi', required: true, displayOptions: { show: { gateway: ['waha'] } } },
		],
		properties: [
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
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Check', value: 'check', description: 'Tell whether customers can reach the bot', action: 'Check the whats app connection' },
					{ name: 'Get QR', value: 'getQr', description: 'Get the pending QR code as a PNG', action: 'Get the pending QR code' },
					{ name: 'Recover', value: 'recover', description: 'Reconnect, relink or re-register, re-checking after each step', action: 'Recover the whats app connection' },
					{ name: 'Send Message', value: 'sendMessage', description: 'Send a text or image, e.g. an alert to the admin', action: 'Send a whats app message' },
				],
				default: 'check',
			},
			{
				displayName: 'Target Override',
				name: 'target',
				type: 'string',
				default: '',
				placeholder: 'ventas',
				description: 'Instance (Evolution), session (WAHA) or phone number ID (Cloud API) to use instead of the credential\'s; use an expression to check many targets, one per item',
			},
			...check.description,
			...recover.description,
			...getQr.description,
			...sendMessage.description,
			optionsDescription,
		],
	};

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
