/**
 * One Conversation Check run over two gateways, as plain logic (the n8n operation only reads
 * parameters): the canary sends the marked message to the bot's number; the bot's gateway is
 * asked whether it stored it (inbound); the canary's chat with the bot is polled for the reply
 * until the reply timeout or the run's bound; the bot's gateway is asked whether it sent that
 * reply (outbound); `conversationVerdict` judges. Every call has the per-call timeout and the
 * run's signal; nothing here throws for a failing gateway.
 */
import type { Cause } from '../../shared/contract';
import type { GatewayCallOptions, WhatsAppGateway } from '../providers/types';
import { findBotReply, type BotReply, type CanaryInboxMessage } from './botReply';
import { conversationCause } from './causes';
import { canaryMessageText, newCanaryNonce, type CanaryLanguage } from './canaryMessage';
import { matchesExpectedReply, type ExpectedReplyPattern } from './expectedReply';
import { canaryWorks, conversationVerdict, type CanarySend, type ConversationTiming, type GatewayLookup, type ReplyObservation } from './verdict';
import type { CheckResult } from '../../shared/contract';
import { redactDeep } from '../../shared/redact';

/** The `probe` of every Conversation Check result. */
export const CONVERSATION_PROBE = 'conversation';

/** How often the canary's chat is read while waiting for the reply. */
export const DEFAULT_POLL_MS = 2000;

/** Causes of a failed send that mean the canary's session is not up (rather than one refused send). */
const NOT_CONNECTED = /^whatsapp\.(disconnected|connecting|qr_required|qr_limit_reached|instance_not_loaded|starting|failed|stopped|scan_qr|unknown_state|unknown_status)/;

export interface ConversationRun {
	bot: WhatsAppGateway;
	canary: WhatsAppGateway;
	/** The bot's number, digits only. */
	botNumber: string;
	/** The canary's number, digits only. */
	canaryNumber: string;
	timing: ConversationTiming;
	pattern?: ExpectedReplyPattern;
	language: CanaryLanguage;
	call: GatewayCallOptions;
	/** The run's bound (ms from now) when shorter than the reply timeout: the node's run deadline. */
	maxWaitMs?: number;
	pollMs?: number;
	now?: () => number;
	nonce?: string;
}

export interface ConversationOutcome {
	result: CheckResult;
	/** The canary's own healthy result, when `result` is about the bot (so the canary could send). */
	canary?: CheckResult;
	/** Gateway calls made, per gateway (the canary's cost per tick). */
	calls: { canary: number; bot: number };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (ms <= 0 || signal?.aborted) return resolve();
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}
		signal?.addEventListener('abort', done, { once: true });
	});
}

export async function runConversationCheck(run: ConversationRun): Promise<ConversationOutcome> {
	const now = run.now ?? Date.now;
	const pollMs = run.pollMs ?? DEFAULT_POLL_MS;
	const calls = { canary: 0, bot: 0 };
	const nonce = run.nonce ?? newCanaryNonce();
	const text = canaryMessageText(nonce, run.language);
	const startedAt = now();
	const signal = run.call.signal;

	const sent = await run.canary.sendText(run.botNumber, text, run.call);
	calls.canary += 1;
	const sentAt = now();
	let send: CanarySend;
	let inbound: GatewayLookup = { kind: 'not_found' };
	let reply: ReplyObservation = { kind: 'none' };
	let outbound: GatewayLookup = { kind: 'not_found' };
	if (!sent.ok) {
		const cause: Cause = sent.result.cause ?? { code: 'whatsapp.unknown_state', message: 'The canary could not send.', retryable: false, needsHuman: true };
		send = { ok: false, reason: NOT_CONNECTED.test(cause.code) ? 'not_connected' : 'send_failed', cause, durationMs: sent.result.latencyMs };
	} else {
		send = { ok: true, sentAt, messageId: sent.message.messageId, durationMs: sent.durationMs };
		const waitMs = Math.min(run.timing.replyTimeoutMs, run.maxWaitMs ?? Infinity);
		const waitUntil = sentAt + waitMs;
		/** The canary's own copy of its message, as last read (its time is on the gateway's clock, like the reply's). */
		let ownCopy: CanaryInboxMessage | undefined;
		let found: BotReply | undefined;
		for (;;) {
			if (inbound.kind !== 'found' && inbound.kind !== 'unsupported') {
				inbound = await run.bot.findMessage({ peer: run.canaryNumber, fromMe: false, messageId: sent.message.messageId, nonce, since: startedAt }, run.call);
				calls.bot += 1;
			}
			const chat = await run.canary.readChat(run.botNumber, run.call);
			calls.canary += 1;
			if (chat.ok) {
				ownCopy = chat.messages.find((m) => m.fromMe && m.text.includes(nonce)) ?? ownCopy;
				found = findBotReply(chat.messages, { botIds: [run.botNumber], sentAt: ownCopy?.timestamp ?? startedAt, nonce });
			}
			if (found || now() >= waitUntil || signal?.aborted) break;
			await sleep(Math.min(pollMs, waitUntil - now()), signal);
		}
		if (found) {
			const latency = Math.max(0, found.at - (ownCopy?.timestamp ?? sentAt));
			reply = { kind: 'received', at: sentAt + latency, text: found.text, ...(run.pattern ? { matched: matchesExpectedReply(run.pattern, found.text) } : {}) };
			outbound = await run.bot.findMessage({ peer: run.canaryNumber, fromMe: true, messageId: found.id, text: found.text, since: startedAt }, run.call);
			calls.bot += 1;
		} else if (inbound.kind !== 'found' && ownCopy?.serverAcked === false) {
			// Accepted by the canary's gateway, never acknowledged by WhatsApp's server: the canary's own
			// session is the zombie, so the bot is not judged (a deaf bot still gets the server ack).
			send = {
				ok: false,
				reason: 'send_failed',
				cause: conversationCause(
					'whatsapp.canary_broken',
					`Its gateway accepted the message, but WhatsApp's server never acknowledged it within ${Math.round(waitMs / 1000)} s: the canary's own session is probably a zombie; restart it.`,
				),
				durationMs: sent.durationMs,
			};
		}
	}
	const result = conversationVerdict({
		botTarget: run.bot.target,
		canaryTarget: run.canary.target,
		startedAt,
		finishedAt: now(),
		send,
		inbound,
		reply,
		outbound,
		timing: run.timing,
		...(run.pattern ? { expectedPattern: run.pattern.source } : {}),
	});
	// Its own incident next to the Check's on the same target (the tracker's key includes it).
	result.probe = CONVERSATION_PROBE;
	result.details = { ...result.details, nonce, calls };
	const canary = canaryWorks(result, run.canary.target);
	if (canary) canary.probe = CONVERSATION_PROBE;
	// Both gateways already redact their own messages; this is the net over the combined result.
	return { result: redactDeep(result, { secrets: [...run.bot.secrets, ...run.canary.secrets] }), ...(canary ? { canary } : {}), calls };
}
