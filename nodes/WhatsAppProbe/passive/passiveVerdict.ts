/**
 * The passive check's decision, for owners without a canary number: from the bot's own
 * gateway history (customers' messages in, the bot's answers out), is the bot deaf?
 *
 * Two signals, each judged against the bot's own past, read from the same history:
 *
 * 1. Silence (`whatsapp.inbound_silent`, degraded). The silence is the time since the last
 *    customer message. The same window (same length, ending at the same time of day) is
 *    looked up on each past day of the history: its count of customer messages. The typical
 *    count λ is the median over those days (a sale day's burst or one dead day do not move
 *    it), lowered to the median over the same weekdays when the history has them (a shop
 *    closed on Sundays has λ = 0 on a Sunday). The silence is an outage when receiving
 *    nothing would be rare under Poisson arrivals, e^-λ < Max Silence Odds (1 %, λ > 4.6),
 *    and, because real traffic is burstier than Poisson, at most one day in ten was silent in
 *    that window. Windows are shifted by whole days of 24 h, so the bot's own rhythm gives the
 *    hours: no time zone setting (a daylight-saving change moves the comparison by one hour
 *    for a day). Quiet hours are quiet because the past days were quiet then.
 * 2. Unanswered (`whatsapp.inbound_unanswered`, down). A conversation opens when a customer
 *    writes in a chat that was silent for Answer Within minutes; it is answered when the bot
 *    writes in that chat within Answer Within. Since the last conversation the bot answered
 *    in time (looking back 6 h), at least Min Unanswered conversations in different chats have
 *    waited Answer Within without an answer, while the bot usually answers (at least 80 % of
 *    at least 10 conversations before): customers are writing and nobody answers. Detected as
 *    soon as two customers have waited, not after a whole window. A bot whose answers usually
 *    come later (a person answering by hand) is not judged.
 *
 * Nothing is judged on a short history (fewer than Min History Days of it, or fewer than 10
 * past conversations): a new bot raises no alarm. Deterministic: same messages, same
 * parameters, same `now` → same verdict.
 */
import type { Cause, CheckEntry } from '../../shared/contract';
import { OptionError } from '../../shared/optionError';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../shared/timeUnits';
import { conversationCause } from '../conversation/causes';

/** One stored message of a direct chat, gateway-neutral. */
export interface HistoryMessage {
	/** The other side of the chat (digits or a gateway id); messages are grouped by it. */
	chat: string;
	/** Sent by the bot's number (an answer), or received (a customer's message). */
	fromMe: boolean;
	/** Epoch ms on the gateway's clock. */
	at: number;
}

export interface PassiveParameters {
	/** How many past days are read and compared. */
	historyDays: number;
	/** Comparable past days needed before a silence is judged. */
	minHistoryDays: number;
	/** A silence shorter than this is never an outage. */
	minSilenceMs: number;
	/** e^-λ below this: receiving nothing is too unlikely to be quiet hours. */
	maxSilenceOdds: number;
	/** The bot's answer must come within this. */
	answerWithinMs: number;
	/** Unanswered conversations (in different chats, none answered) that make an outage. */
	minUnanswered: number;
}

export const DEFAULT_PASSIVE_PARAMETERS: PassiveParameters = {
	historyDays: 14,
	minHistoryDays: 7,
	minSilenceMs: 20 * MINUTE_MS,
	maxSilenceOdds: 0.01,
	answerWithinMs: 10 * MINUTE_MS,
	minUnanswered: 2,
};

/** Share of comparable days that may have been silent in the window (burstiness guard). */
export const MAX_SILENT_DAY_SHARE = 0.1;
/** Conversations opened in this last stretch (and at least Answer Within ago) are judged. */
export const UNANSWERED_LOOKBACK_MS = 6 * HOUR_MS;
/** The bot usually answers: this share of past conversations answered in time ... */
export const USUAL_ANSWER_SHARE = 0.8;
/** ... over at least this many past conversations. */
export const MIN_PAST_CONVERSATIONS = 10;

export const PASSIVE_PARAMETER_NAMES = {
	historyDays: 'History Days',
	minHistoryDays: 'Min History Days',
	minSilenceMs: 'Min Silence (Minutes)',
	maxSilenceOdds: 'Max Silence Odds',
	answerWithinMs: 'Answer Within (Minutes)',
	minUnanswered: 'Min Unanswered',
} as const satisfies Record<keyof PassiveParameters, string>;

/** Checks a person's parameters; an OptionError names the first bad one. */
export function resolvePassiveParameters(input: Partial<PassiveParameters>): PassiveParameters {
	const p = { ...DEFAULT_PASSIVE_PARAMETERS, ...input };
	const bad = (key: keyof PassiveParameters, rule: string) => {
		throw new OptionError(PASSIVE_PARAMETER_NAMES[key], `Parameter "${PASSIVE_PARAMETER_NAMES[key]}" ${rule}, got ${JSON.stringify(input[key])}`);
	};
	const isInt = (n: number) => Number.isInteger(n);
	if (!isInt(p.historyDays) || p.historyDays < 2 || p.historyDays > 60) bad('historyDays', 'must be a whole number of days from 2 to 60');
	if (!isInt(p.minHistoryDays) || p.minHistoryDays < 1 || p.minHistoryDays > p.historyDays) bad('minHistoryDays', `must be a whole number from 1 to History Days (${p.historyDays})`);
	if (!Number.isFinite(p.minSilenceMs) || p.minSilenceMs < MINUTE_MS) bad('minSilenceMs', 'must be at least 1 minute');
	if (!Number.isFinite(p.maxSilenceOdds) || p.maxSilenceOdds <= 0 || p.maxSilenceOdds >= 1) bad('maxSilenceOdds', 'must be between 0 and 1, e.g. 0.01');
	if (!Number.isFinite(p.answerWithinMs) || p.answerWithinMs < MINUTE_MS) bad('answerWithinMs', 'must be at least 1 minute');
	if (!isInt(p.minUnanswered) || p.minUnanswered < 1) bad('minUnanswered', 'must be a whole number, at least 1');
	return p;
}

export type SilenceVerdict =
	| { kind: 'receiving'; silentMs: number }
	| { kind: 'learning'; silentMs: number; comparableDays: number }
	| { kind: 'quiet'; silentMs: number; expected: number; comparableDays: number; weekday?: boolean }
	| { kind: 'outage'; silentMs: number; expected: number; comparableDays: number };

export type AnswerVerdict =
	| { kind: 'none_waiting' }
	| { kind: 'answered'; opened: number; answered: number }
	| { kind: 'learning'; pastConversations: number }
	| { kind: 'not_usual'; usualShare: number }
	| { kind: 'unanswered'; opened: number; chats: number; usualShare: number };

export interface PassiveVerdict {
	silence: SilenceVerdict;
	answers: AnswerVerdict;
	/** Customer messages and bot answers in the history read. */
	inbound: number;
	outbound: number;
}

function median(values: readonly number[]): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Count of `times` (sorted ascending) in [from, to). */
function countIn(times: readonly number[], from: number, to: number): number {
	let lo = 0;
	let hi = times.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (times[mid] < from) lo = mid + 1;
		else hi = mid;
	}
	let n = 0;
	for (let i = lo; i < times.length && times[i] < to; i++) n++;
	return n;
}

/**
 * The silence verdict. `historyStart`: from when the history is complete (the read window's
 * start, or the oldest message when the gateway had less or the read was cut).
 */
export function judgeSilence(inboundTimes: readonly number[], now: number, historyStart: number, p: PassiveParameters): SilenceVerdict {
	const lastInbound = inboundTimes.length > 0 ? inboundTimes[inboundTimes.length - 1] : undefined;
	// A gateway clock ahead of ours stamps messages in our future: that is no silence.
	const silentMs = lastInbound === undefined ? Math.max(0, now - historyStart) : Math.max(0, now - lastInbound);
	if (silentMs < p.minSilenceMs) return { kind: 'receiving', silentMs };
	const counts: number[] = [];
	const weekdayCounts: number[] = [];
	for (let day = 1; day <= p.historyDays; day++) {
		const to = now - day * DAY_MS;
		const from = to - silentMs;
		if (from < historyStart) break;
		const count = countIn(inboundTimes, from, to);
		counts.push(count);
		if (day % 7 === 0) weekdayCounts.push(count);
	}
	const comparableDays = counts.length;
	if (comparableDays < p.minHistoryDays) return { kind: 'learning', silentMs, comparableDays };
	const daily = median(counts);
	const weekday = weekdayCounts.length > 0 ? median(weekdayCounts) : Infinity;
	const expected = round(Math.min(daily, weekday));
	const silentDays = counts.filter((count) => count === 0).length;
	const rare = Math.exp(-expected) < p.maxSilenceOdds && silentDays <= MAX_SILENT_DAY_SHARE * comparableDays;
	if (rare) return { kind: 'outage', silentMs, expected, comparableDays };
	return { kind: 'quiet', silentMs, expected, comparableDays, ...(weekday < daily ? { weekday: true } : {}) };
}

interface Conversation {
	chat: string;
	openedAt: number;
	answeredInTime: boolean;
}

/** Conversations opened by a customer in a chat silent for `answerWithinMs`, and whether the bot answered in time. */
export function conversationsOf(messages: readonly HistoryMessage[], answerWithinMs: number): Conversation[] {
	const byChat = new Map<string, HistoryMessage[]>();
	for (const message of messages) {
		const list = byChat.get(message.chat);
		if (list) list.push(message);
		else byChat.set(message.chat, [message]);
	}
	const conversations: Conversation[] = [];
	for (const [chat, list] of byChat) {
		list.sort((a, b) => a.at - b.at);
		let lastAt = -Infinity;
		for (let i = 0; i < list.length; i++) {
			const message = list[i];
			if (!message.fromMe && message.at - lastAt >= answerWithinMs) {
				// Gateways stamp whole seconds: an answer in the same second counts.
				const answer = list.slice(i + 1).find((next) => next.fromMe);
				const answeredInTime = answer !== undefined && answer.at - message.at <= answerWithinMs;
				conversations.push({ chat, openedAt: message.at, answeredInTime });
			}
			lastAt = message.at;
		}
	}
	return conversations.sort((a, b) => a.openedAt - b.openedAt);
}

/** `historyDays`: how many days the history covers; fewer than Min History Days is learning, as for silences. */
export function judgeAnswers(messages: readonly HistoryMessage[], now: number, p: PassiveParameters, historyDays = Infinity): AnswerVerdict {
	const conversations = conversationsOf(messages, p.answerWithinMs);
	const judgedUntil = now - p.answerWithinMs;
	const judgedFrom = judgedUntil - UNANSWERED_LOOKBACK_MS;
	const recent = conversations.filter((c) => c.openedAt >= judgedFrom && c.openedAt <= judgedUntil);
	// The conversations since the last one the bot answered in time: a bot that answers some still works.
	const lastAnswered = recent.map((c) => c.answeredInTime).lastIndexOf(true);
	const waiting = recent.slice(lastAnswered + 1);
	const chats = new Set(waiting.map((c) => c.chat)).size;
	if (chats < p.minUnanswered) {
		const answered = recent.filter((c) => c.answeredInTime).length;
		return answered > 0 ? { kind: 'answered', opened: recent.length, answered } : { kind: 'none_waiting' };
	}
	const past = conversations.filter((c) => c.openedAt < judgedFrom);
	if (past.length < MIN_PAST_CONVERSATIONS || historyDays < p.minHistoryDays) return { kind: 'learning', pastConversations: past.length };
	const usualShare = round(past.filter((c) => c.answeredInTime).length / past.length);
	if (usualShare < USUAL_ANSWER_SHARE) return { kind: 'not_usual', usualShare };
	return { kind: 'unanswered', opened: waiting.length, chats, usualShare };
}

/** Both signals over one history read. */
export function judgePassive(messages: readonly HistoryMessage[], now: number, historyStart: number, p: PassiveParameters): PassiveVerdict {
	const inboundTimes = messages
		.filter((m) => !m.fromMe)
		.map((m) => m.at)
		.sort((a, b) => a - b);
	return {
		silence: judgeSilence(inboundTimes, now, historyStart, p),
		answers: judgeAnswers(messages, now, p, (now - Math.max(historyStart, inboundTimes[0] ?? now)) / DAY_MS),
		inbound: inboundTimes.length,
		outbound: messages.length - inboundTimes.length,
	};
}

const minutes = (ms: number) => Math.round(ms / MINUTE_MS);

function duration(ms: number): string {
	const m = minutes(ms);
	return m < 120 ? `${m} min` : `${round(m / 60)} h`;
}

/** The check entries (`inboundSilence`, `answers`) and the cause of the worst one. */
export function passiveCheckEntries(verdict: PassiveVerdict, p: PassiveParameters): Array<{ entry: CheckEntry; cause?: Cause }> {
	const s = verdict.silence;
	const silence: { entry: CheckEntry; cause?: Cause } = (() => {
		const name = 'inboundSilence';
		const value = minutes(s.silentMs);
		switch (s.kind) {
			case 'receiving':
				return { entry: { name, status: 'healthy', message: `The last customer message arrived ${duration(s.silentMs)} ago.`, value } };
			case 'learning':
				return {
					entry: {
						name,
						status: 'healthy',
						message: `No customer message for ${duration(s.silentMs)}; the history has ${s.comparableDays} comparable days, ${p.minHistoryDays} are needed before a silence is judged.`,
						value,
					},
				};
			case 'quiet':
				return {
					entry: {
						name,
						status: 'healthy',
						message: `No customer message for ${duration(s.silentMs)}, which is usual at this time${s.weekday ? ' on this weekday' : ''} (typically ${s.expected} in the same window on the past ${s.comparableDays} days).`,
						value,
					},
				};
			case 'outage': {
				const cause = conversationCause(
					'whatsapp.inbound_silent',
					`No customer message has reached the bot for ${duration(s.silentMs)}, although about ${s.expected} usually arrive in that time of day (past ${s.comparableDays} days): its WhatsApp session may be deaf although it reports itself connected.`,
				);
				return { entry: { name, status: 'degraded', message: cause.message, code: cause.code, value }, cause };
			}
		}
	})();
	const a = verdict.answers;
	const answers: { entry: CheckEntry; cause?: Cause } = (() => {
		const name = 'answers';
		const within = duration(p.answerWithinMs);
		switch (a.kind) {
			case 'none_waiting':
				return { entry: { name, status: 'healthy', message: 'No customer conversation waiting for an answer to judge.' } };
			case 'answered':
				return { entry: { name, status: 'healthy', message: `The bot answered ${a.answered} of ${a.opened} recent conversations within ${within}.`, value: a.answered } };
			case 'learning':
				return {
					entry: {
						name,
						status: 'healthy',
						message: `Recent conversations are unanswered, but the history (${a.pastConversations} past conversations; ${MIN_PAST_CONVERSATIONS} over at least ${p.minHistoryDays} days needed) is too short to know how this bot usually answers.`,
					},
				};
			case 'not_usual':
				return { entry: { name, status: 'healthy', message: `Recent conversations are unanswered, but this bot answers only ${Math.round(a.usualShare * 100)} % within ${within} usually, so this is not judged.` } };
			case 'unanswered': {
				const cause = conversationCause(
					'whatsapp.inbound_unanswered',
					`${a.opened} customer conversations in a row (${a.chats} chats) reached the bot and none got an answer within ${within}, although the bot usually answers ${Math.round(a.usualShare * 100)} % in time: customers are writing and nobody answers.`,
				);
				return { entry: { name, status: 'down', message: cause.message, code: cause.code, value: 0 }, cause };
			}
		}
	})();
	return [silence, answers];
}
