/**
 * The verdict of one Conversation Check run: a pure function from what was observed (the
 * canary's send, the bot's gateway read-backs, the reply) to a contract CheckResult with one
 * entry per step. Each failing step has its own cause, so diagnosis and recovery can tell a
 * deaf session (restart it) from a silent bot (a person fixes the bot; no WhatsApp restart)
 * from a broken canary (the bot is not judged at all).
 */
import type { Cause, CheckEntry, CheckResult, Status } from '../../shared/contract';
import { worstStatus } from '../../shared/contract';
import { OptionError } from '../../shared/optionError';
import { conversationCause, type ConversationCauseCode } from './causes';

/** How long the canary waits for the bot's reply (issue 19: default 60 s). */
export const DEFAULT_REPLY_TIMEOUT_MS = 60_000;
/** A reply later than this is slow (degraded): a customer notices a 20 s pause in a chat. */
export const DEFAULT_SLOW_REPLY_MS = 20_000;
/** Reply text kept in details: enough to see what the bot said, not a whole catalog. */
const MAX_REPLY_TEXT_CHARS = 200;

export interface ConversationTiming {
	replyTimeoutMs: number;
	slowReplyMs: number;
}

/** The timing a person set, checked: both positive, slow below the timeout. Throws OptionError naming the parameter. */
export function resolveConversationTiming(input: Partial<ConversationTiming> = {}): ConversationTiming {
	const replyTimeoutMs = input.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS;
	const slowReplyMs = input.slowReplyMs ?? DEFAULT_SLOW_REPLY_MS;
	if (!Number.isFinite(replyTimeoutMs) || replyTimeoutMs <= 0) {
		throw new OptionError('Reply Timeout', `Parameter "Reply Timeout" must be a positive number of milliseconds, got ${JSON.stringify(replyTimeoutMs)}`);
	}
	if (!Number.isFinite(slowReplyMs) || slowReplyMs <= 0 || slowReplyMs >= replyTimeoutMs) {
		throw new OptionError('Slow Reply After', `Parameter "Slow Reply After" must be positive and shorter than the reply timeout (${replyTimeoutMs} ms), got ${JSON.stringify(slowReplyMs)}`);
	}
	return { replyTimeoutMs, slowReplyMs };
}

/** The canary's own send: sent, or the canary is broken (never the bot's fault). */
export type CanarySend =
	| { ok: true; sentAt: number; messageId?: string; durationMs: number }
	/** `not_connected`: the canary's session is not open, so nothing was sent. */
	| { ok: false; reason: 'not_connected' | 'send_failed'; cause: Cause; durationMs: number };

/** A read-back on the bot's gateway (inbound: the canary's message; outbound: the bot's reply). */
export type GatewayLookup =
	| { kind: 'found'; at?: number; durationMs?: number }
	| { kind: 'not_found'; durationMs?: number }
	/** The gateway has no read-back (Cloud API). */
	| { kind: 'unsupported' }
	/** The read-back call itself failed; `cause` says why (already redacted by the gateway). */
	| { kind: 'failed'; cause: Cause; durationMs?: number };

export type ReplyObservation =
	/** `matched` is undefined when no Expected Reply Pattern is set. */
	| { kind: 'received'; at: number; text: string; matched?: boolean }
	| { kind: 'none' };

export interface ConversationObservations {
	/** The contract target of the bot, e.g. `evolution:ventas`. */
	botTarget: string;
	/** The contract target of the canary, e.g. `evolution:canary`. */
	canaryTarget: string;
	startedAt: number;
	finishedAt: number;
	send: CanarySend;
	inbound: GatewayLookup;
	reply: ReplyObservation;
	outbound: GatewayLookup;
	timing: ConversationTiming;
	/** The Expected Reply Pattern's source, for messages; undefined when none is set. */
	expectedPattern?: string;
}

/** Step names, as they appear in `checks[].name`. */
export const CONVERSATION_STEPS = {
	send: 'canarySend',
	inbound: 'inbound',
	reply: 'reply',
	pattern: 'replyPattern',
	outbound: 'outbound',
} as const;

function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

class Steps {
	readonly entries: Array<{ entry: CheckEntry; cause?: Cause }> = [];

	pass(name: string, message: string, extra: { value?: unknown; durationMs?: number } = {}): void {
		this.entries.push({ entry: { name, status: 'healthy', message, ...extra } });
	}

	fail(name: string, status: Exclude<Status, 'healthy'>, code: ConversationCauseCode, message: string, extra: { value?: unknown; durationMs?: number } = {}): void {
		const cause = conversationCause(code, message);
		this.entries.push({ entry: { name, status, message, code, ...extra }, cause });
	}

	result(target: string, observations: ConversationObservations, details: Record<string, unknown>): CheckResult {
		const status = worstStatus(this.entries.map((e) => e.entry.status));
		const cause = status === 'healthy' ? undefined : this.entries.find((e) => e.entry.status === status)?.cause;
		return {
			component: 'whatsapp',
			target,
			status,
			checks: this.entries.map((e) => e.entry),
			...(cause ? { cause } : {}),
			latencyMs: Math.max(0, observations.finishedAt - observations.startedAt),
			checkedAt: new Date(observations.finishedAt).toISOString(),
			details,
		};
	}
}

const nonNegative = (ms: number): number => Math.max(0, Math.round(ms));

/**
 * The canary could not send: the result is about the canary (its target), and says the bot
 * was not judged, so the incident logic opens nothing against the bot and touches nothing of it.
 */
function canaryBroken(observations: ConversationObservations, send: Extract<CanarySend, { ok: false }>): CheckResult {
	const steps = new Steps();
	const what = send.reason === 'not_connected' ? 'is not connected to WhatsApp' : 'could not send its test message';
	steps.fail(
		CONVERSATION_STEPS.send,
		'down',
		'whatsapp.canary_broken',
		`The canary number (${observations.canaryTarget}) ${what}: ${send.cause.message} The bot (${observations.botTarget}) was not checked; fix the canary.`,
		{ value: send.cause.code, durationMs: nonNegative(send.durationMs) },
	);
	return steps.result(observations.canaryTarget, observations, {
		role: 'canary',
		botTarget: observations.botTarget,
		botJudged: false,
		canaryCause: send.cause.code,
	});
}

/** The verdict of one run. Deterministic: the same observations always give the same result. */
export function conversationVerdict(observations: ConversationObservations): CheckResult {
	const { send, inbound, reply, outbound, timing } = observations;
	if (!send.ok) return canaryBroken(observations, send);

	const steps = new Steps();
	const sentAt = send.sentAt;
	steps.pass(CONVERSATION_STEPS.send, `The canary (${observations.canaryTarget}) sent a test message to the bot${send.messageId ? ` (id ${send.messageId})` : ''}.`, {
		value: send.messageId ?? null,
		durationMs: nonNegative(send.durationMs),
	});

	const latency = reply.kind === 'received' ? reply.at - sentAt : undefined;
	const replied = latency !== undefined;
	const inTime = latency !== undefined && latency <= timing.replyTimeoutMs;
	const waited = seconds(timing.replyTimeoutMs);

	// ---- inbound: did the bot's gateway store the canary's message?
	let inboundKnown: 'delivered' | 'not_delivered' | 'unknown';
	if (inbound.kind === 'found') {
		inboundKnown = 'delivered';
		steps.pass(CONVERSATION_STEPS.inbound, "The bot's gateway received the canary's message.", {
			value: 'found',
			...(inbound.at !== undefined ? { durationMs: nonNegative(inbound.at - sentAt) } : inbound.durationMs !== undefined ? { durationMs: nonNegative(inbound.durationMs) } : {}),
		});
	} else if (replied) {
		// A reply proves the message arrived, whatever the read-back said.
		inboundKnown = 'delivered';
		const why =
			inbound.kind === 'unsupported'
				? "this gateway has no read-back (Cloud API), so delivery is inferred from the bot's reply"
				: inbound.kind === 'failed'
					? `the read-back failed (${inbound.cause.message}), but the bot answered, so it arrived`
					: "the read-back did not find it (is the gateway storing messages?), but the bot answered, so it arrived";
		steps.pass(CONVERSATION_STEPS.inbound, `Inbound inferred: ${why}.`, { value: 'inferred' });
	} else if (inbound.kind === 'not_found') {
		inboundKnown = 'not_delivered';
		steps.fail(
			CONVERSATION_STEPS.inbound,
			'down',
			'whatsapp.inbound_not_delivered',
			`The canary's message never reached the bot's gateway (${observations.botTarget}) although it reports itself connected: customers' messages are not arriving. Restart the bot's WhatsApp session.`,
			{ value: 'not_found', ...(inbound.durationMs !== undefined ? { durationMs: nonNegative(inbound.durationMs) } : {}) },
		);
	} else {
		inboundKnown = 'unknown';
		const why = inbound.kind === 'unsupported' ? "this gateway has no read-back (Cloud API)" : `the read-back failed (${inbound.cause.message})`;
		steps.fail(
			CONVERSATION_STEPS.inbound,
			'down',
			'whatsapp.no_reply',
			`Whether the bot's gateway (${observations.botTarget}) received the canary's message is unknown: ${why}, and no reply came within ${waited}.`,
			{ value: inbound.kind },
		);
	}

	// ---- reply: did the bot answer in time?
	if (reply.kind === 'received' && latency !== undefined) {
		const took = seconds(Math.max(0, latency));
		if (!inTime) {
			steps.fail(CONVERSATION_STEPS.reply, 'down', 'whatsapp.reply_slow', `The bot answered only after ${took}, past the ${waited} reply timeout: customers wait too long.`, {
				value: nonNegative(latency),
				durationMs: nonNegative(latency),
			});
		} else if (latency > timing.slowReplyMs) {
			steps.fail(CONVERSATION_STEPS.reply, 'degraded', 'whatsapp.reply_slow', `The bot answered in ${took}, slower than ${seconds(timing.slowReplyMs)}.`, {
				value: nonNegative(latency),
				durationMs: nonNegative(latency),
			});
		} else {
			steps.pass(CONVERSATION_STEPS.reply, `The bot answered in ${took}.`, { value: nonNegative(latency), durationMs: nonNegative(latency) });
		}
		if (reply.matched !== undefined) {
			if (reply.matched) steps.pass(CONVERSATION_STEPS.pattern, 'The reply matches the Expected Reply Pattern.', { value: true });
			else {
				steps.fail(
					CONVERSATION_STEPS.pattern,
					'down',
					'whatsapp.reply_mismatch',
					`The bot answered, but not as expected: the reply does not match the Expected Reply Pattern${observations.expectedPattern ? ` /${observations.expectedPattern}/` : ''}. Check the bot (an error message?) or the pattern.`,
					{ value: false },
				);
			}
		}
	} else if (inboundKnown === 'delivered') {
		steps.fail(
			CONVERSATION_STEPS.reply,
			'down',
			'whatsapp.bot_silent',
			`The bot's gateway received the canary's message, but the bot did not answer within ${waited}: the bot itself (its workflow or its AI) is not answering customers. WhatsApp is working; do not reconnect it, check the bot.`,
			{ value: null },
		);
	} else if (inboundKnown === 'not_delivered') {
		steps.fail(CONVERSATION_STEPS.reply, 'down', 'whatsapp.inbound_not_delivered', "No reply: the bot never received the canary's message.", { value: null });
	} else {
		steps.fail(CONVERSATION_STEPS.reply, 'down', 'whatsapp.no_reply', `No reply from the bot within ${waited}.`, { value: null });
	}

	// ---- outbound: did the bot's gateway send that reply?
	if (replied) {
		if (outbound.kind === 'found') {
			steps.pass(CONVERSATION_STEPS.outbound, "The bot's gateway sent the reply.", {
				value: 'found',
				...(outbound.durationMs !== undefined ? { durationMs: nonNegative(outbound.durationMs) } : {}),
			});
		} else if (outbound.kind === 'not_found') {
			steps.fail(
				CONVERSATION_STEPS.outbound,
				'degraded',
				'whatsapp.outbound_missing',
				`A reply came from the bot's number, but the bot's gateway (${observations.botTarget}) has no record of sending it: someone answered from the phone or another device, or the gateway does not store sent messages.`,
				{ value: 'not_found', ...(outbound.durationMs !== undefined ? { durationMs: nonNegative(outbound.durationMs) } : {}) },
			);
		} else {
			const why = outbound.kind === 'unsupported' ? 'this gateway has no read-back (Cloud API)' : `the read-back failed (${outbound.cause.message})`;
			steps.pass(CONVERSATION_STEPS.outbound, `Not verified: ${why}; the reply itself shows the bot's number can send.`, { value: 'not_checked' });
		}
	}

	const details: Record<string, unknown> = {
		role: 'bot',
		canaryTarget: observations.canaryTarget,
		messageId: send.messageId ?? null,
		inbound: inbound.kind,
		reply: reply.kind === 'received' ? { latencyMs: nonNegative(reply.at - sentAt), text: clip(reply.text), matched: reply.matched ?? null } : null,
		outbound: replied ? outbound.kind : 'not_applicable',
		replyTimeoutMs: timing.replyTimeoutMs,
		slowReplyMs: timing.slowReplyMs,
		...(observations.expectedPattern ? { expectedPattern: observations.expectedPattern } : {}),
	};
	return steps.result(observations.botTarget, observations, details);
}

function clip(text: string): string {
	return text.length > MAX_REPLY_TEXT_CHARS ? `${text.slice(0, MAX_REPLY_TEXT_CHARS - 1)}…` : text;
}

/**
 * The canary's own result beside a verdict about the bot: when the bot was judged, the canary
 * sent its message and WhatsApp's server acknowledged it, so the canary works. Without it an
 * incident about the canary (canary_broken, on the canary's target) would never see a healthy
 * result and never resolve. Undefined when the verdict is itself about the canary.
 */
export function canaryWorks(verdict: CheckResult, canaryTarget: string): CheckResult | undefined {
	if (verdict.target === canaryTarget || verdict.details?.role !== 'bot') return undefined;
	const send = verdict.checks.find((check) => check.name === CONVERSATION_STEPS.send);
	return {
		component: 'whatsapp',
		target: canaryTarget,
		status: 'healthy',
		checks: [{ name: CONVERSATION_STEPS.send, status: 'healthy', message: 'The canary sent its test message and WhatsApp\'s server acknowledged it.', ...(send?.durationMs !== undefined ? { durationMs: send.durationMs } : {}) }],
		latencyMs: send?.durationMs ?? 0,
		checkedAt: verdict.checkedAt,
		details: { role: 'canary', botTarget: verdict.target, botJudged: true },
	};
}
