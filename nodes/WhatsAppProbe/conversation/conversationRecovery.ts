/**
 * The recovery ladder for a failing Conversation Check, as plain logic. Each cause gets only
 * what can fix it (issue 19 §3): a deaf session is restarted (then, on WAHA, a relink that never
 * logs out a WORKING session); a bot that received the message but stays silent gets its webhook
 * restored only when the webhook is in fact not as expected; a broken canary, a wrong answer or a
 * slow bot get nothing on the bot's side. runRecovery re-runs the Conversation Check after each
 * rung, so success means the conversation works again, not only a status endpoint.
 */
import type { CheckResult } from '../../shared/contract';
import type { GatewayCallOptions, RecoveryRung, WhatsAppGateway } from '../providers/types';
import { WEBHOOK_CAUSES } from '../webhook/causes';
import type { ExpectedWebhook } from '../webhook/expectedWebhook';
import type { RestoreSecrets } from '../webhook/restoreWebhook';
import { runWebhookCheck } from '../webhook/webhookCheck';
import { SESSION_RESTART_MAY_FIX } from './causes';

/** Silence that a lost webhook explains: the gateway has (or may have) the message, the bot never heard of it. */
const WEBHOOK_MAY_EXPLAIN: ReadonlySet<string> = new Set(['whatsapp.bot_silent', 'whatsapp.no_reply', 'whatsapp.inbound_unanswered']);

export function conversationRecoveryLadder(
	bot: WhatsAppGateway,
	state: CheckResult,
	options: GatewayCallOptions,
	webhook?: { expected: ExpectedWebhook; secrets: RestoreSecrets },
): RecoveryRung[] {
	const code = state.cause?.code;
	// A result about the canary never leads to an action on the bot.
	if (state.status === 'healthy' || code === undefined || state.target !== bot.target || state.details?.role === 'canary') return [];
	if (SESSION_RESTART_MAY_FIX.has(code)) return bot.recoveryLadder(state, options);
	if (WEBHOOK_MAY_EXPLAIN.has(code) && webhook) {
		return [
			{
				action: 'whatsapp.restore_webhook',
				description: `check the ${bot.target} webhook and restore it if it is not as expected (a silent bot is often a deaf one)`,
				run: async () => {
					const { result } = await runWebhookCheck({ gateway: bot, parameters: {}, remembered: webhook.expected, capture: false, call: options });
					if (result.status === 'healthy') {
						return { ok: false, message: 'the webhook is as expected, so it is not why the bot is silent; a person must check the bot' };
					}
					if (!(result.cause && result.cause.code in WEBHOOK_CAUSES)) {
						return { ok: false, message: `the webhook could not be read (${result.cause?.message ?? 'unknown'}); nothing restored` };
					}
					const restored = await bot.restoreWebhook(webhook.expected, webhook.secrets, options);
					return { ok: restored.ok, message: restored.message };
				},
			},
		];
	}
	return [];
}
