/**
 * Webhook Check: is the gateway's webhook (what carries customers' messages to the bot) as
 * expected? Expected from the parameters, or remembered from a healthy reading in the node's
 * static data (parameters win, field by field). The logic is in webhook/webhookCheck.ts.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { OptionError } from '../../../shared/optionError';
import type { WhatsAppGateway } from '../../providers/types';
import { WEBHOOK_URL_PARAMETER, type ExpectedWebhook, type WebhookParameters } from '../../webhook/expectedWebhook';
import { expectedWebhookOf, runWebhookCheck } from '../../webhook/webhookCheck';
import { gatewayFor } from '../../transport/gateway';
import { callOptions, concurrencyOf } from '../common';

/** The expected-webhook parameters, shown for the operations that compare or restore. */
export function webhookFields(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: WEBHOOK_URL_PARAMETER,
			name: 'webhookUrl',
			type: 'string',
			default: '',
			placeholder: 'https://n8n.example.com/webhook/bot',
			description: 'Where the gateway must send customers\' messages (the bot\'s webhook). Empty: the URL remembered from a healthy check.',
			displayOptions: { show },
		},
		{
			displayName: 'Webhook Events',
			name: 'webhookEvents',
			type: 'string',
			default: '',
			placeholder: 'MESSAGES_UPSERT',
			description: 'Comma-separated events the webhook must send (Evolution: MESSAGES_UPSERT; WAHA: message). Empty: the remembered ones, or the message events.',
			displayOptions: { show },
		},
		{
			displayName: 'Meta App ID',
			name: 'webhookAppId',
			type: 'string',
			default: '',
			description: 'Cloud API: the app that must be subscribed to the WhatsApp Business Account. Empty: the remembered one, or any app.',
			displayOptions: { show: { ...show, gateway: ['cloudApi'] } },
		},
	];
}

const show = { operation: ['webhookCheck'] };

export const description: INodeProperties[] = [
	...webhookFields(show),
	{
		displayName: 'Remember Healthy Webhook',
		name: 'rememberWebhook',
		type: 'boolean',
		default: true,
		description: 'Whether to remember the current webhook as the expected one when nothing is expected yet and it looks healthy (no secret is stored: header names, not values)',
		displayOptions: { show },
	},
];

export const runs = 'perItem';
export const concurrency = concurrencyOf;

export function webhookParameters(ctx: IExecuteFunctions, itemIndex: number): WebhookParameters {
	const events = String(ctx.getNodeParameter('webhookEvents', itemIndex, '') ?? '')
		.split(',')
		.map((event) => event.trim())
		.filter((event) => event !== '');
	return {
		url: String(ctx.getNodeParameter('webhookUrl', itemIndex, '') ?? ''),
		events,
		appId: String(ctx.getNodeParameter('webhookAppId', itemIndex, '') ?? ''),
	};
}

/** Remembered configurations live in the node's static data, one per target. */
function rememberedStore(ctx: IExecuteFunctions): IDataObject {
	const data = ctx.getWorkflowStaticData('node');
	if (typeof data.expectedWebhooks !== 'object' || data.expectedWebhooks === null) data.expectedWebhooks = {};
	return data.expectedWebhooks as IDataObject;
}

export function rememberedWebhook(ctx: IExecuteFunctions, target: string): unknown {
	return rememberedStore(ctx)[target];
}

/** The expected configuration for a gateway (parameters over remembered); a bad Webhook URL is a NodeOperationError. */
export function expectedWebhookFor(ctx: IExecuteFunctions, itemIndex: number, gateway: WhatsAppGateway): ExpectedWebhook | undefined {
	try {
		return expectedWebhookOf(gateway, webhookParameters(ctx, itemIndex), rememberedWebhook(ctx, gateway.target));
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error instanceof OptionError ? error.message : String(error), { itemIndex });
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const call = callOptions(this, itemIndex);
	const gateway = await gatewayFor(this, itemIndex);
	// Validates the parameters before any call.
	expectedWebhookFor(this, itemIndex, gateway);
	const outcome = await runWebhookCheck({
		gateway,
		parameters: webhookParameters(this, itemIndex),
		remembered: rememberedWebhook(this, gateway.target),
		capture: this.getNodeParameter('rememberWebhook', itemIndex, true) === true,
		call,
	});
	if (outcome.captured) rememberedStore(this)[gateway.target] = outcome.captured as unknown as IDataObject;
	return outcome.result as unknown as IDataObject;
}
