/**
 * The passive check for owners without a spare number: learn how many messages the bot
 * usually receives in each hour of the week, and decide whether "nothing received for N
 * minutes" is an outage or quiet hours.
 *
 * Model: per hour-of-week bucket (168, UTC) an exponentially weighted mean of the hourly count
 * and how many hours fed it; the same per hour of day (24) as a fallback while the week is
 * still being learned. Decay (weight ALPHA per new hour) rather than a fixed window: it keeps
 * two numbers per bucket instead of weeks of history (small static data) and follows a shop
 * whose traffic changes over weeks. Only fully observed hours are learned, so a Monitor that
 * was down for a night does not teach "nights are silent".
 *
 * Judgement: the expected number of messages in the silent window is the sum of the learned
 * hourly means; if receiving none would be very unlikely under a Poisson arrival model
 * (P(0) = e^-expected below MAX_SILENCE_PROBABILITY), the silence is an outage. Nothing is
 * judged until every hour of the window has MIN_SAMPLES learned hours (day fallback: at least
 * three days of history), so a new install raises no false alarms.
 */
import type { CheckEntry, Cause } from '../../shared/contract';
import { OptionError } from '../../shared/optionError';
import { conversationCause } from './causes';
import { HOUR_MS } from '../../shared/timeUnits';

const WEEK_HOURS = 168;
/** Weight of the newest hour: about the last four weeks of one hour-of-week dominate. */
export const ALPHA = 0.25;
/** Learned hours a bucket needs before it is trusted. */
export const MIN_SAMPLES = 3;
/** An hour is learned when at least this share of it was observed. */
const MIN_COVERAGE = 0.9;
/** Silence this unlikely for a bot this busy is an outage (1 %). */
export const MAX_SILENCE_PROBABILITY = 0.01;
/** Longer silences are judged over their last day: enough evidence, bounded work. */
const MAX_WINDOW_MS = 24 * HOUR_MS;
export const DEFAULT_SILENCE_MS = 60 * 60_000;
export const SILENCE_PARAMETER = 'Silence Threshold';

/** [mean per hour, learned hours], rounded for small JSON. */
type Bucket = [number, number];

export interface InboundRateModel {
	v: 1;
	week: Bucket[];
	day: Bucket[];
	/** The hour being observed: its start, observed ms so far, messages counted. */
	current: { hourStart: number; coveredMs: number; count: number } | null;
	/** The newest inbound message seen, epoch ms. */
	lastInboundAt: number | null;
	/** When observation started, epoch ms. */
	since: number | null;
}

export function emptyInboundRateModel(): InboundRateModel {
	return { v: 1, week: Array.from({ length: WEEK_HOURS }, () => [0, 0]), day: Array.from({ length: 24 }, () => [0, 0]), current: null, lastInboundAt: null, since: null };
}

function validBuckets(value: unknown, length: number): value is Bucket[] {
	return Array.isArray(value) && value.length === length && value.every((b) => Array.isArray(b) && b.length === 2 && b.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0));
}

/** A stored model, or a fresh one when missing, corrupt or another version (it learns again; it never throws). */
export function readInboundRateModel(value: unknown): InboundRateModel {
	if (typeof value !== 'object' || value === null) return emptyInboundRateModel();
	const m = value as Partial<InboundRateModel>;
	if (m.v !== 1 || !validBuckets(m.week, WEEK_HOURS) || !validBuckets(m.day, 24)) return emptyInboundRateModel();
	const current = m.current && typeof m.current.hourStart === 'number' && typeof m.current.coveredMs === 'number' && typeof m.current.count === 'number' ? m.current : null;
	return { v: 1, week: m.week, day: m.day, current, lastInboundAt: typeof m.lastInboundAt === 'number' ? m.lastInboundAt : null, since: typeof m.since === 'number' ? m.since : null };
}

const hourStartOf = (t: number) => Math.floor(t / HOUR_MS) * HOUR_MS;
/** Hour of the week, Monday 00:00 UTC = 0. (UTC: a daylight-saving shift moves one hour, which the decay absorbs.) */
const hourOfWeek = (t: number) => ((new Date(t).getUTCDay() + 6) % 7) * 24 + new Date(t).getUTCHours();
const hourOfDay = (t: number) => new Date(t).getUTCHours();
const round = (n: number) => Math.round(n * 1000) / 1000;

function learn(bucket: Bucket, count: number): Bucket {
	const [mean, n] = bucket;
	// The first hours average plainly, so early estimates are not dragged towards zero.
	const weight = Math.max(ALPHA, 1 / (n + 1));
	return [round(mean + weight * (count - mean)), n + 1];
}

function fold(model: InboundRateModel): InboundRateModel {
	const current = model.current;
	if (!current || current.coveredMs < MIN_COVERAGE * HOUR_MS) return model;
	const week = model.week.slice();
	const day = model.day.slice();
	week[hourOfWeek(current.hourStart)] = learn(week[hourOfWeek(current.hourStart)], current.count);
	day[hourOfDay(current.hourStart)] = learn(day[hourOfDay(current.hourStart)], current.count);
	return { ...model, week, day };
}

/**
 * One observation: between `from` and `to` the bot's gateway showed these inbound messages
 * (their timestamps; those outside the interval are ignored). Returns the new model.
 */
export function observeInbound(model: InboundRateModel, from: number, to: number, messageTimes: readonly number[]): InboundRateModel {
	if (!(to > from)) return model;
	let next: InboundRateModel = { ...model, since: model.since ?? from };
	const inside = messageTimes.filter((t) => t >= from && t < to);
	for (let start = hourStartOf(from); start < to; start += HOUR_MS) {
		const covered = Math.min(to, start + HOUR_MS) - Math.max(from, start);
		const count = inside.filter((t) => t >= start && t < start + HOUR_MS).length;
		if (next.current && next.current.hourStart === start) {
			next = { ...next, current: { hourStart: start, coveredMs: next.current.coveredMs + covered, count: next.current.count + count } };
		} else {
			// A new hour: learn the finished one (if fully observed), forget it otherwise.
			next = { ...fold(next), current: { hourStart: start, coveredMs: covered, count } };
		}
	}
	const newest = inside.length > 0 ? Math.max(...inside) : undefined;
	if (newest !== undefined && (next.lastInboundAt === null || newest > next.lastInboundAt)) next = { ...next, lastInboundAt: newest };
	return next;
}

export type SilenceVerdict =
	| { kind: 'receiving'; silentMs: number }
	| { kind: 'learning'; silentMs: number; expected?: undefined }
	| { kind: 'quiet'; silentMs: number; expected: number }
	| { kind: 'outage'; silentMs: number; expected: number };

/** The silence threshold a person set: a positive number of ms. Throws OptionError naming it. */
export function resolveSilenceThreshold(value: unknown = DEFAULT_SILENCE_MS): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 60_000) {
		throw new OptionError(SILENCE_PARAMETER, `Parameter "${SILENCE_PARAMETER}" must be at least one minute (60000 ms), got ${JSON.stringify(value)}`);
	}
	return value;
}

/** Whether the current silence is an outage, quiet hours, or not yet judgeable. */
export function judgeSilence(model: InboundRateModel, now: number, silenceThresholdMs: number): SilenceVerdict {
	const lastSeen = model.lastInboundAt ?? model.since ?? now;
	const silentMs = Math.max(0, now - lastSeen);
	if (silentMs < silenceThresholdMs) return { kind: 'receiving', silentMs };
	const windowStart = Math.max(lastSeen, now - MAX_WINDOW_MS);
	let expected = 0;
	for (let start = hourStartOf(windowStart); start < now; start += HOUR_MS) {
		const share = (Math.min(now, start + HOUR_MS) - Math.max(windowStart, start)) / HOUR_MS;
		const week = model.week[hourOfWeek(start)];
		const day = model.day[hourOfDay(start)];
		const bucket = week[1] >= MIN_SAMPLES ? week : day[1] >= MIN_SAMPLES ? day : undefined;
		if (!bucket) return { kind: 'learning', silentMs };
		expected += bucket[0] * share;
	}
	expected = round(expected);
	return Math.exp(-expected) < MAX_SILENCE_PROBABILITY ? { kind: 'outage', silentMs, expected } : { kind: 'quiet', silentMs, expected };
}

/** The check entry of a verdict: degraded with `whatsapp.inbound_silent` on an outage, healthy otherwise. */
export function inboundRateCheckEntry(verdict: SilenceVerdict): { entry: CheckEntry; cause?: Cause } {
	const minutes = Math.round(verdict.silentMs / 60_000);
	const name = 'inboundRate';
	switch (verdict.kind) {
		case 'receiving':
			return { entry: { name, status: 'healthy', message: `The bot received a message ${minutes} min ago.`, value: minutes } };
		case 'learning':
			return { entry: { name, status: 'healthy', message: `No message for ${minutes} min; the usual rate for these hours is still being learned, so this is not judged yet.`, value: minutes } };
		case 'quiet':
			return { entry: { name, status: 'healthy', message: `No message for ${minutes} min, which is normal at these hours (about ${verdict.expected} expected).`, value: minutes } };
		case 'outage': {
			const cause = conversationCause(
				'whatsapp.inbound_silent',
				`The bot has received no message for ${minutes} min, although about ${verdict.expected} usually arrive in that time: its WhatsApp session may be deaf.`,
			);
			return { entry: { name, status: 'degraded', message: cause.message, code: cause.code, value: minutes }, cause };
		}
	}
}
