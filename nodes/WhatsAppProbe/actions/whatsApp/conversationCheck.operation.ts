/**
 * Conversation Check: the customer's path end to end. A canary number (a second WhatsApp
 * number the owner holds, on its own credential) sends a marked message to the bot; the bot's
 * gateway must store it, the bot must answer in time, and its gateway must have sent the answer.
 * The run and the verdict are plain logic (conversation/); this file reads parameters.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { numberParameter, withinRun } from '../../../shared/n8n/parameters';
import { OptionError } from '../../../shared/optionError';
import type { CanaryLanguage } from '../../conversation/canaryMessage';
import { compileExpectedReplyPattern, EXPECTED_REPLY_PARAMETER, type ExpectedReplyPattern } from '../../conversation/expectedReply';
import { conversationDue, intervalMs } from '../../conversation/interval';
import { runConversationCheck } from '../../conversation/runConversation';
import { DEFAULT_REPLY_TIMEOUT_MS, DEFAULT_SLOW_REPLY_MS, resolveConversationTiming, type ConversationTiming } from '../../conversation/verdict';
import { canaryGatewayFor, conversationSecrets, gatewayFor } from '../../transport/gateway';
import { callOptions, concurrencyOf, phoneDigits } from '../common';

/** The Conversation Check's parameters, shown for the operations that run one (Conversation Check, Recover → Conversation). */
export function conversationFields(show: Record<string, string[]>): INodeProperties[] {
	return [
	{
		displayName: 'Canary Gateway',
		name: 'canaryGateway',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Evolution API', value: 'evolution' },
			{ name: 'WAHA', value: 'waha' },
		],
		default: 'evolution',
		description: 'The gateway of the canary number, whose own credential is selected above. The Cloud API cannot be the canary (it cannot read its own inbox); it can be the bot.',
		displayOptions: { show },
	},
	{
		displayName: 'Bot Number',
		name: 'botNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: '5215512345678',
		description: 'The number customers write to, in international format; the canary sends its test message there',
		displayOptions: { show },
	},
	{
		displayName: 'Canary Number',
		name: 'canaryNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: '5215599990000',
		description: 'The canary\'s own number, in international format: the bot\'s gateway is searched for the message from it, and it must not be the bot\'s number',
		displayOptions: { show },
	},
	{
		displayName: 'Reply Timeout',
		name: 'replyTimeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 600 },
		default: 60,
		description: 'Seconds to wait for the bot\'s reply; no reply by then is a failure',
		displayOptions: { show },
	},
	{
		displayName: 'Slow Reply After',
		name: 'slowReplySeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 600 },
		default: 20,
		description: 'Seconds after which a reply counts as slow (degraded); must be shorter than the reply timeout',
		displayOptions: { show },
	},
	{
		displayName: EXPECTED_REPLY_PARAMETER,
		name: 'expectedReplyPattern',
		type: 'string',
		default: '',
		placeholder: 'hola|catálogo',
		description: 'Optional regular expression (case-insensitive) the reply must match, e.g. to tell a real answer from an error message; empty: any reply counts',
		displayOptions: { show },
	},
	{
		displayName: 'Language',
		name: 'canaryLanguage',
		type: 'options',
		options: [
			{ name: 'Español', value: 'es' },
			{ name: 'English', value: 'en' },
		],
		default: 'es',
		description: 'Language of the human-readable line of the canary message (the marker is the same)',
		displayOptions: { show },
	},
	];
}

export const description: INodeProperties[] = [
	...conversationFields({ operation: ['conversationCheck'] }),
	{
		displayName: 'Run At Most Every (Minutes)',
		name: 'everyMinutes',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1440 },
		default: 0,
		description:
			'When the node runs more often than this (e.g. every Monitor tick), the runs in between send no canary message and output no item. 0: every run.',
		displayOptions: { show: { operation: ['conversationCheck'] } },
	},
];

/** When each bot target last had a canary run, in the node's static data. */
function lastRuns(ctx: IExecuteFunctions): IDataObject {
	const data = ctx.getWorkflowStaticData('node');
	if (typeof data.conversationRunAt !== 'object' || data.conversationRunAt === null) data.conversationRunAt = {};
	return data.conversationRunAt as IDataObject;
}

export const runs = 'perItem';
export const concurrency = concurrencyOf;
export const secrets = conversationSecrets;

function numberOf(ctx: IExecuteFunctions, name: string, displayName: string, itemIndex: number): string {
	const raw = String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	const digits = phoneDigits(raw);
	if (!digits) throw new NodeOperationError(ctx.getNode(), `Parameter "${displayName}" must be a phone number in international format`, { itemIndex });
	return digits;
}

/** Runs an OptionError-throwing reader and turns its error into a NodeOperationError naming the parameter. */
function checked<T>(ctx: IExecuteFunctions, itemIndex: number, read: () => T): T {
	try {
		return read();
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error instanceof OptionError ? error.message : String(error), { itemIndex });
	}
}

export interface ConversationInputs {
	botNumber: string;
	canaryNumber: string;
	timing: ConversationTiming;
	pattern?: ExpectedReplyPattern;
	language: CanaryLanguage;
}

/** The Conversation Check's parameters, checked: a NodeOperationError names the first bad one. */
export function conversationInputs(ctx: IExecuteFunctions, itemIndex: number): ConversationInputs {
	const botNumber = numberOf(ctx, 'botNumber', 'Bot Number', itemIndex);
	const canaryNumber = numberOf(ctx, 'canaryNumber', 'Canary Number', itemIndex);
	if (botNumber === canaryNumber) {
		throw new NodeOperationError(ctx.getNode(), 'Parameter "Canary Number" must be another number than the bot\'s: the canary is a second WhatsApp number that writes to the bot', { itemIndex });
	}
	const replyTimeoutMs = 1000 * numberParameter(ctx, 'replyTimeoutSeconds', 'Reply Timeout', itemIndex, DEFAULT_REPLY_TIMEOUT_MS / 1000, { min: 1, max: 600 });
	const slowReplyMs = 1000 * numberParameter(ctx, 'slowReplySeconds', 'Slow Reply After', itemIndex, DEFAULT_SLOW_REPLY_MS / 1000, { min: 1, max: 600 });
	const timing = checked(ctx, itemIndex, () => resolveConversationTiming({ replyTimeoutMs, slowReplyMs }));
	const pattern = checked(ctx, itemIndex, () => compileExpectedReplyPattern(ctx.getNodeParameter('expectedReplyPattern', itemIndex, '')));
	const language = ctx.getNodeParameter('canaryLanguage', itemIndex, 'es') as string;
	if (language !== 'es' && language !== 'en') throw new NodeOperationError(ctx.getNode(), `Parameter "Language" must be es or en, got ${language}`, { itemIndex });
	return { botNumber, canaryNumber, timing, ...(pattern ? { pattern } : {}), language };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]> {
	const call = callOptions(this, itemIndex);
	const inputs = conversationInputs(this, itemIndex);
	const everyMs = intervalMs(numberParameter(this, 'everyMinutes', 'Run At Most Every (Minutes)', itemIndex, 0, { min: 0, max: 1440 }));
	const canary = await canaryGatewayFor(this, itemIndex);
	const bot = await gatewayFor(this, itemIndex);
	if (everyMs > 0) {
		const runs = lastRuns(this);
		const now = Date.now();
		// Not due: no message, no item (the Incident Tracker then decides nothing for it this time).
		if (!conversationDue(runs[bot.target], now, everyMs)) return [];
		runs[bot.target] = now;
	}
	const { result, canary: canaryResult } = await runConversationCheck({
		bot,
		canary,
		...inputs,
		call,
		// The node's run deadline (Options) bounds the wait as well as the reply timeout.
		maxWaitMs: withinRun(this, itemIndex, inputs.timing.replyTimeoutMs),
	});
	// Two items when the bot was judged: the bot's path, and the canary that worked (its own incident resolves).
	return canaryResult ? [result as unknown as IDataObject, canaryResult as unknown as IDataObject] : (result as unknown as IDataObject);
}
