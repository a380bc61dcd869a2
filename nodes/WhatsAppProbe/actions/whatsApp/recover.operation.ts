/**
 * Recover: escalate step by step (reconnect, then relink with a fresh QR; register for
 * the Cloud API), re-checking after each step, all within one deadline. A QR for a human becomes the binary
 * property `qr`, so the next node can send it to the admin.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { flagParameter, numberParameter, recoveryDeadlineField, recoveryDeadlineMs } from '../../../shared/n8n/parameters';
import { runRecovery } from '../../../shared/recovery/runRecovery';
import { awaitingScan } from '../../providers/evolutionClassify';
import type { QrCode } from '../../providers/types';
import { gatewayFor } from '../../transport/gateway';
import { callOptions, concurrencyOf } from '../common';
import { webhookRecoveryLadder, runWebhookCheck } from '../../webhook/webhookCheck';
import { conversationInputs, conversationFields } from './conversationCheck.operation';
import { conversationRecoveryLadder } from '../../conversation/conversationRecovery';
import { runConversationCheck } from '../../conversation/runConversation';
import { canaryGatewayFor, conversationSecrets } from '../../transport/gateway';
import { passiveFields, passiveInputs } from './passiveCheck.operation';
import { runPassiveCheck } from '../../passive/runPassiveCheck';
import { expectedWebhookFor, rememberedWebhook, webhookFields, webhookParameters } from './webhookCheck.operation';
import { QR_BINARY } from '../../../shared/alerts/attachment';

const show = { operation: ['recover'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Recover',
		name: 'recoverWhat',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Connection', value: 'connection', description: 'Reconnect, then relink or re-register, proven by a Check' },
			{
				name: 'Conversation',
				value: 'conversation',
				description: 'What a failing Conversation Check calls for (restart a deaf session; restore a lost webhook), proven by a Conversation Check',
			},
			{
				name: 'Passive',
				value: 'passive',
				description: 'What a failing Passive Check calls for (restart a deaf session; restore a lost webhook behind unanswered customers), proven by a Passive Check',
			},
			{ name: 'Webhook', value: 'webhook', description: 'Restore the expected webhook (whatsapp.restore_webhook), proven by a Webhook Check' },
		],
		default: 'connection',
		description: 'What to repair: the WhatsApp connection, or the webhook that carries customers\' messages to the bot',
		displayOptions: { show },
	},
	...webhookFields({ ...show, recoverWhat: ['webhook', 'conversation', 'passive'] }),
	...conversationFields({ ...show, recoverWhat: ['conversation'] }),
	...passiveFields({ ...show, recoverWhat: ['passive'] }),
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: 'Whether to only report the steps that would be taken, without calling them',
		displayOptions: { show },
	},
	{
		displayName: 'Max Steps',
		name: 'maxSteps',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 5 },
		default: 2,
		description: 'How far to escalate: 1 = reconnect only, 2 = also relink (fresh QR) or register',
		displayOptions: { show },
	},
	recoveryDeadlineField(show),
];

export const runs = 'perItem';
export const concurrency = concurrencyOf;
/** The bot's key and, in Conversation mode, the canary's. */
export const secrets = conversationSecrets;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const options = callOptions(this, itemIndex);
	const dryRun = flagParameter(this, 'dryRun', itemIndex);
	const maxSteps = numberParameter(this, 'maxSteps', 'Max Steps', itemIndex, 2, { min: 0, max: 5 });
	const deadlineMs = recoveryDeadlineMs(this, itemIndex);
	const gateway = await gatewayFor(this, itemIndex);
	const what = this.getNodeParameter('recoverWhat', itemIndex, 'connection');
	if (what === 'conversation') {
		const inputs = conversationInputs(this, itemIndex);
		const canary = await canaryGatewayFor(this, itemIndex);
		const expected = expectedWebhookFor(this, itemIndex, gateway);
		const { result } = await runRecovery({
			// Each check sends one canary message and waits up to the Reply Timeout: set the Deadline to cover two or three of them.
			check: async (signal) => (await runConversationCheck({ bot: gateway, canary, ...inputs, call: { ...options, signal } })).result,
			ladder: (state, signal) => conversationRecoveryLadder(gateway, state, { ...options, signal }, expected ? { expected, secrets: {} } : undefined),
			idleAction: gateway.kind === 'cloudApi' ? 'whatsapp.register' : 'whatsapp.reconnect',
			dryRun,
			maxSteps,
			deadlineMs,
		});
		return [{ json: result as unknown as IDataObject }];
	}
	if (what === 'passive') {
		const parameters = passiveInputs(this, itemIndex);
		const expected = expectedWebhookFor(this, itemIndex, gateway);
		const { result } = await runRecovery({
			// The re-check reads the history again: after a restart, the backlog WhatsApp kept for the deaf session arrives.
			check: async (signal) => (await runPassiveCheck({ gateway, parameters, call: { ...options, signal } })).result,
			ladder: (state, signal) => conversationRecoveryLadder(gateway, state, { ...options, signal }, expected ? { expected, secrets: {} } : undefined),
			idleAction: 'whatsapp.reconnect',
			dryRun,
			maxSteps,
			deadlineMs,
		});
		return [{ json: result as unknown as IDataObject }];
	}
	if (what === 'webhook') {
		const expected = expectedWebhookFor(this, itemIndex, gateway);
		const parameters = webhookParameters(this, itemIndex);
		const remembered = rememberedWebhook(this, gateway.target);
		const { result } = await runRecovery({
			// Re-verified by the Webhook Check itself (never capturing: a broken webhook is not "healthy").
			check: async (signal) => (await runWebhookCheck({ gateway, parameters, remembered, capture: false, call: { ...options, signal } })).result,
			// No secret values are configured for headers/HMAC/verify token: a webhook that needs them is not restored (the step says why).
			ladder: (state, signal) => webhookRecoveryLadder(gateway, state, expected, {}, { ...options, signal }),
			idleAction: 'whatsapp.restore_webhook',
			dryRun,
			maxSteps,
			deadlineMs,
		});
		return [{ json: result as unknown as IDataObject }];
	}
	const { result: recovered, extras } = await runRecovery<{ qr?: QrCode }>({
		check: (signal) => gateway.check({ ...options, signal }),
		ladder: (state, signal) => gateway.recoveryLadder(state, { ...options, signal }),
		// Cloud API's first rung is register; the gateways' is reconnect.
		idleAction: gateway.kind === 'cloudApi' ? 'whatsapp.register' : 'whatsapp.reconnect',
		dryRun,
		maxSteps,
		deadlineMs,
	});
	const qr = extras.map((extra) => extra.qr).filter((q): q is QrCode => q !== undefined).at(-1);
	const instance = recovered.details?.instance;
	const result = qr && typeof instance === 'string' ? awaitingScan(recovered, instance) : recovered;
	const item: INodeExecutionData = { json: result as unknown as IDataObject };
	if (qr?.png) {
		item.binary = { [QR_BINARY]: await this.helpers.prepareBinaryData(qr.png, `whatsapp-qr-${gateway.target.replace(/[^\w-]+/g, '-')}.png`, 'image/png') };
		result.recovery.artifacts = ['qr'];
	}
	if (qr?.pairingCode) item.json.details = { ...((item.json.details as IDataObject | undefined) ?? {}), pairingCode: qr.pairingCode };
	return [item];
}
