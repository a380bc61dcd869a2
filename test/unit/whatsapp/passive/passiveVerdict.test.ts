import {
	conversationsOf,
	DEFAULT_PASSIVE_PARAMETERS,
	judgeAnswers,
	judgePassive,
	judgeSilence,
	passiveCheckEntries,
	resolvePassiveParameters,
	type HistoryMessage,
	type PassiveParameters,
} from '../../../../nodes/WhatsAppProbe/passive/passiveVerdict';
import { passiveFields } from '../../../../nodes/WhatsAppProbe/actions/whatsApp/passiveCheck.operation';
import { CONVERSATION_CAUSES } from '../../../../nodes/WhatsAppProbe/conversation/causes';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../../../nodes/shared/timeUnits';

const P = DEFAULT_PASSIVE_PARAMETERS;
/** Wednesday 2026-03-11 00:00 UTC. */
const WED = Date.UTC(2026, 2, 11);

interface Shop {
	/** Local business hours [open, close), e.g. [9, 21]. */
	hours: [number, number];
	/** Customer conversations per business hour. */
	perHour: number;
	/** UTC offset of the shop's time zone in hours (Mexico City: -6). */
	utcOffset?: number;
	/** Weekdays (0 = Sunday, local) the shop is closed. */
	closed?: number[];
	/** Seconds until the bot answers; null: never. */
	answerAfterS?: number | null;
}

/** Every customer gets a new chat, across calls. */
let customers = 0;

/** Deterministic traffic: `perHour` customers spread over each business hour, each answered. */
function traffic(shop: Shop, from: number, to: number): HistoryMessage[] {
	const offset = (shop.utcOffset ?? 0) * HOUR_MS;
	const messages: HistoryMessage[] = [];
	for (let hour = Math.floor(from / HOUR_MS) * HOUR_MS; hour < to; hour += HOUR_MS) {
		const local = new Date(hour + offset);
		if (local.getUTCHours() < shop.hours[0] || local.getUTCHours() >= shop.hours[1]) continue;
		if (shop.closed?.includes(local.getUTCDay())) continue;
		for (let i = 0; i < shop.perHour; i++) {
			const at = hour + Math.floor(((i + 0.5) * HOUR_MS) / shop.perHour);
			if (at < from || at >= to) continue;
			const chat = `52155${String(customers++).padStart(8, '0')}@s.whatsapp.net`;
			messages.push({ chat, fromMe: false, at });
			const answerAfter = shop.answerAfterS === undefined ? 20 : shop.answerAfterS;
			if (answerAfter !== null && at + answerAfter * 1000 < to) messages.push({ chat, fromMe: true, at: at + answerAfter * 1000 });
		}
	}
	return messages;
}

function inboundTimes(messages: HistoryMessage[]): number[] {
	return messages.filter((m) => !m.fromMe).map((m) => m.at).sort((a, b) => a - b);
}

const historyStartFor = (now: number, p: PassiveParameters = P) => now - (p.historyDays + 1) * DAY_MS;

/** A bot with full history until `deafSince`, then nothing at all (a zombie: nothing arrives). */
function zombieAt(shop: Shop, now: number, deafSince: number, p: PassiveParameters = P) {
	const start = historyStartFor(now, p);
	return judgeSilence(inboundTimes(traffic(shop, start, deafSince)), now, start, p);
}

describe('passive check: silence (the zombie, quiet hours)', () => {
	// A shop in Mexico City (UTC-6), open 9:00-21:00 local, 8 customers an hour.
	const shop: Shop = { hours: [9, 21], perHour: 8, utcOffset: -6 };

	test('deaf at local noon: 40 min without customers where ~5 usually come is an outage', () => {
		const noon = WED + 18 * HOUR_MS; // 12:00 in Mexico City
		const verdict = zombieAt(shop, noon, noon - 40 * MINUTE_MS);
		expect(verdict).toMatchObject({ kind: 'outage', comparableDays: 14 });
		expect(verdict.kind === 'outage' && verdict.expected).toBeGreaterThanOrEqual(5);
	});

	test('quiet night: the same shop silent since closing (21:00) is not an outage at 03:00 local', () => {
		const closing = WED + 27 * HOUR_MS; // 21:00 local, Wednesday
		const night = closing + 6 * HOUR_MS;
		const verdict = zombieAt(shop, night, closing);
		expect(verdict.kind).toBe('quiet');
		// Only the last customer before closing falls in the same window on past days.
		expect(verdict.kind === 'quiet' && verdict.expected).toBeLessThanOrEqual(1);
	});

	test('the night silence turns into an outage once the usual morning customers do not come', () => {
		const closing = WED + 27 * HOUR_MS;
		// 10:00 local the next morning: an hour of opening with nobody.
		const morning = closing + 13 * HOUR_MS;
		expect(zombieAt(shop, morning, closing).kind).toBe('outage');
		// 09:05 local: five minutes of opening is not enough evidence yet.
		expect(zombieAt(shop, closing + 12 * HOUR_MS + 5 * MINUTE_MS, closing).kind).toBe('quiet');
	});

	test('a silence shorter than Min Silence is never judged, however busy the bot', () => {
		const busy: Shop = { hours: [0, 24], perHour: 120 };
		const now = WED + 12 * HOUR_MS;
		expect(zombieAt(busy, now, now - 19 * MINUTE_MS)).toMatchObject({ kind: 'receiving' });
		expect(zombieAt(busy, now, now - 21 * MINUTE_MS)).toMatchObject({ kind: 'outage' });
		const eager = resolvePassiveParameters({ minSilenceMs: 2 * MINUTE_MS });
		expect(zombieAt(busy, now, now - 3 * MINUTE_MS, eager)).toMatchObject({ kind: 'outage' });
	});

	test('a quiet bot (2 customers an hour) needs a longer silence than a busy one', () => {
		const slow: Shop = { hours: [0, 24], perHour: 2 };
		const now = WED + 12 * HOUR_MS;
		expect(zombieAt(slow, now, now - 60 * MINUTE_MS).kind).toBe('quiet');
		expect(zombieAt(slow, now, now - 3 * HOUR_MS).kind).toBe('outage');
	});

	test('history too short: a new bot is learning, not alarming', () => {
		const now = WED + 18 * HOUR_MS;
		const start = now - 3 * DAY_MS;
		const verdict = judgeSilence(inboundTimes(traffic(shop, start, now - 2 * HOUR_MS)), now, start, P);
		expect(verdict).toMatchObject({ kind: 'learning', comparableDays: 2 });
		// No message at all in the history: nothing to compare with.
		expect(judgeSilence([], now, historyStartFor(now), P)).toMatchObject({ kind: 'learning', comparableDays: 0 });
	});

	test('Min History Days is the boundary', () => {
		const now = WED + 18 * HOUR_MS;
		const start = now - 7 * DAY_MS - 2 * HOUR_MS;
		const times = inboundTimes(traffic(shop, start, now - HOUR_MS));
		expect(judgeSilence(times, now, start, P)).toMatchObject({ kind: 'outage', comparableDays: 7 });
		expect(judgeSilence(times, now, start, resolvePassiveParameters({ minHistoryDays: 8 }))).toMatchObject({ kind: 'learning', comparableDays: 7 });
	});

	test('closed on Sundays: a silent Sunday noon is quiet, because past Sundays were silent', () => {
		const sundays: Shop = { hours: [9, 21], perHour: 8, closed: [0] };
		const sundayNoon = Date.UTC(2026, 2, 15, 12); // Sunday
		const verdict = zombieAt(sundays, sundayNoon, Date.UTC(2026, 2, 14, 21));
		expect(verdict).toMatchObject({ kind: 'quiet', weekday: true });
		// Monday noon with nobody since Saturday evening: an outage.
		expect(zombieAt(sundays, Date.UTC(2026, 2, 16, 12), Date.UTC(2026, 2, 14, 21)).kind).toBe('outage');
	});

	test('a burst day does not make a quiet hour look busy (median, not mean)', () => {
		const now = WED + 3 * HOUR_MS; // 03:00 UTC, a quiet hour for a shop open 9-21 UTC
		const start = historyStartFor(now);
		const normal = traffic({ hours: [9, 21], perHour: 8 }, start, now - 5 * HOUR_MS);
		// One night a campaign brought 300 messages between 02:00 and 03:00.
		const burst = Array.from({ length: 300 }, (_, i): HistoryMessage => ({ chat: `c${i}@s.whatsapp.net`, fromMe: false, at: now - 3 * DAY_MS - HOUR_MS + i * 10_000 }));
		const verdict = judgeSilence(inboundTimes([...normal, ...burst]), now, start, P);
		expect(verdict.kind).toBe('quiet');
		expect(verdict.kind === 'quiet' && verdict.expected).toBeLessThanOrEqual(1);
	});

	test('burstiness guard: a window empty on more than one day in ten is not an outage', () => {
		// Customers come in clusters: in the last 36 minutes' window, busy on 12 of 14 past days and
		// empty on 2 (Poisson on the median alone would say outage).
		const now = WED + 14 * HOUR_MS;
		const start = historyStartFor(now);
		const days = (skip: (day: number) => boolean) => {
			const times: number[] = [];
			for (let day = 0; day <= 15; day++) {
				if (skip(day)) continue;
				for (let i = 0; i < 10; i++) times.push(now - day * DAY_MS - 90 * MINUTE_MS + i * 6 * MINUTE_MS);
				if (day > 0) for (let i = 0; i < 10; i++) times.push(now - day * DAY_MS - 30 * MINUTE_MS + i * 3 * MINUTE_MS);
			}
			return times.sort((a, b) => a - b);
		};
		expect(judgeSilence(days((day) => day > 0 && day % 5 === 0), now, start, P)).toMatchObject({ kind: 'quiet', expected: 11 });
		// The same traffic on every past day: outage.
		expect(judgeSilence(days(() => false), now, start, P)).toMatchObject({ kind: 'outage', expected: 11 });
	});

	test('a stricter Max Silence Odds waits for more evidence', () => {
		const now = WED + 18 * HOUR_MS;
		const loose = zombieAt(shop, now, now - 40 * MINUTE_MS, resolvePassiveParameters({ maxSilenceOdds: 0.05 }));
		const strict = zombieAt(shop, now, now - 40 * MINUTE_MS, resolvePassiveParameters({ maxSilenceOdds: 0.0001 }));
		expect(loose.kind).toBe('outage');
		expect(strict.kind).toBe('quiet');
	});

	test('clock: a gateway clock ahead of ours (a message stamped in our future) is no silence', () => {
		const now = WED + 18 * HOUR_MS;
		const start = historyStartFor(now);
		const times = [...inboundTimes(traffic(shop, start, now - 2 * HOUR_MS)), now + 90_000];
		expect(judgeSilence(times, now, start, P)).toMatchObject({ kind: 'receiving', silentMs: 0 });
	});

	test('time zone: no setting needed, the bot\'s own rhythm places the hours (a shop in UTC+9 at its noon and its night)', () => {
		const tokyo: Shop = { hours: [9, 21], perHour: 8, utcOffset: 9 };
		const tokyoNoon = WED + 3 * HOUR_MS; // 12:00 in Tokyo
		expect(zombieAt(tokyo, tokyoNoon, tokyoNoon - 45 * MINUTE_MS).kind).toBe('outage');
		// 12:00 UTC is 21:00 in Tokyo: closing time; silent since 21:00 at 02:00 Tokyo is quiet.
		const tokyoClose = WED + 12 * HOUR_MS;
		expect(zombieAt(tokyo, tokyoClose + 5 * HOUR_MS, tokyoClose).kind).toBe('quiet');
	});

	test('daylight saving: after the clocks moved one hour, a deaf noon is still an outage', () => {
		// Until 5 days ago the shop opened at 9:00 UTC-6 (15:00 UTC); since then at 9:00 UTC-5 (14:00 UTC).
		const now = WED + 19 * HOUR_MS; // 14:00 local after the change
		const start = historyStartFor(now);
		const change = now - 5 * DAY_MS;
		const before = traffic({ hours: [9, 21], perHour: 8, utcOffset: -6 }, start, change);
		const after = traffic({ hours: [9, 21], perHour: 8, utcOffset: -5 }, change, now - HOUR_MS);
		expect(judgeSilence(inboundTimes([...before, ...after]), now, start, P).kind).toBe('outage');
	});
});

describe('passive check: answers (the deaf bot)', () => {
	const now = WED + 15 * HOUR_MS;
	const start = historyStartFor(now);
	const shop: Shop = { hours: [8, 22], perHour: 6 };
	const history = traffic(shop, start, now - 45 * MINUTE_MS);
	/** Customers that wrote in the last 45 minutes and got no answer. */
	const unanswered = traffic({ ...shop, answerAfterS: null }, now - 45 * MINUTE_MS, now);
	/** The same bot with nothing in the last 7 hours (outside the 6-hour look-back). */
	const oldHistory = traffic(shop, start, now - 7 * HOUR_MS);

	test('customers write and nobody answers: unanswered (down)', () => {
		const verdict = judgeAnswers([...history, ...unanswered], now, P);
		expect(verdict).toMatchObject({ kind: 'unanswered', usualShare: 1 });
		expect(verdict.kind === 'unanswered' && verdict.chats).toBeGreaterThanOrEqual(2);
	});

	test('one answered conversation among the recent ones: the bot still answers (a person may have taken some chats)', () => {
		const chat = 'answered@s.whatsapp.net';
		const answeredOne: HistoryMessage[] = [
			{ chat, fromMe: false, at: now - 20 * MINUTE_MS },
			{ chat, fromMe: true, at: now - 20 * MINUTE_MS + 30_000 },
		];
		expect(judgeAnswers([...history, ...unanswered, ...answeredOne], now, P).kind).toBe('answered');
	});

	test('messages younger than Answer Within are not judged yet', () => {
		const fresh = traffic({ ...shop, answerAfterS: null }, now - 9 * MINUTE_MS, now);
		expect(judgeAnswers([...oldHistory, ...fresh], now, P)).toEqual({ kind: 'none_waiting' });
		expect(judgeAnswers([...history, ...fresh], now, P).kind).toBe('answered');
	});

	test('a single customer unanswered is below Min Unanswered (2 chats)', () => {
		const one: HistoryMessage[] = [{ chat: 'lone@s.whatsapp.net', fromMe: false, at: now - 20 * MINUTE_MS }];
		expect(judgeAnswers([...oldHistory, ...one], now, P)).toEqual({ kind: 'none_waiting' });
		expect(judgeAnswers([...oldHistory, ...one], now, resolvePassiveParameters({ minUnanswered: 1 })).kind).toBe('unanswered');
	});

	test('a bot answered by a person hours later is not judged (it does not usually answer in time)', () => {
		const slowHistory = traffic({ ...shop, answerAfterS: 3 * 3600 }, start, now - 45 * MINUTE_MS);
		expect(judgeAnswers([...slowHistory, ...unanswered], now, P)).toMatchObject({ kind: 'not_usual', usualShare: 0 });
	});

	test('history too short to know how the bot answers: learning', () => {
		const shortHistory = traffic(shop, now - 2 * HOUR_MS, now - 45 * MINUTE_MS);
		expect(judgeAnswers([...shortHistory, ...unanswered], now, P)).toMatchObject({ kind: 'learning' });
	});

	test('a late answer (after Answer Within) leaves the conversation unanswered in time', () => {
		const late = unanswered.filter((m) => !m.fromMe).map((m) => ({ chat: m.chat, fromMe: true, at: m.at + 11 * MINUTE_MS })).filter((m) => m.at < now);
		expect(judgeAnswers([...history, ...unanswered, ...late], now, P).kind).toBe('unanswered');
	});

	test('a new bot (three days of history) is learning even when nobody answers now', () => {
		const young = traffic(shop, now - 3 * DAY_MS, now - 45 * MINUTE_MS);
		expect(judgePassive([...young, ...unanswered], now, start, P).answers.kind).toBe('learning');
		expect(judgePassive([...young, ...unanswered], now, start, resolvePassiveParameters({ minHistoryDays: 2 })).answers.kind).toBe('unanswered');
	});

	test('conversations: a customer\'s follow-up after the answer is not a new conversation; an answer in the same second counts', () => {
		const chat = 'x@s.whatsapp.net';
		const t = WED;
		const list = conversationsOf(
			[
				{ chat, fromMe: false, at: t },
				{ chat, fromMe: true, at: t },
				{ chat, fromMe: false, at: t + 60_000 }, // "gracias"
				{ chat, fromMe: false, at: t + 2 * HOUR_MS }, // comes back later: new conversation, unanswered
			],
			10 * MINUTE_MS,
		);
		expect(list).toEqual([
			{ chat, openedAt: t, answeredInTime: true },
			{ chat, openedAt: t + 2 * HOUR_MS, answeredInTime: false },
		]);
	});

	test('a deaf bot still receives: silence says receiving, answers say unanswered', () => {
		const verdict = judgePassive([...history, ...unanswered], now, start, P);
		expect(verdict.silence.kind).toBe('receiving');
		expect(verdict.answers.kind).toBe('unanswered');
	});
});

describe('passive check: entries, causes and parameters', () => {
	test('an outage is degraded with whatsapp.inbound_silent; unanswered is down with whatsapp.inbound_unanswered', () => {
		const entries = passiveCheckEntries(
			{ silence: { kind: 'outage', silentMs: 40 * MINUTE_MS, expected: 5, comparableDays: 14 }, answers: { kind: 'unanswered', opened: 4, chats: 4, usualShare: 0.95 }, inbound: 100, outbound: 100 },
			P,
		);
		expect(entries[0].entry).toMatchObject({ name: 'inboundSilence', status: 'degraded', code: 'whatsapp.inbound_silent', value: 40 });
		expect(entries[0].cause).toMatchObject({ code: 'whatsapp.inbound_silent', ...CONVERSATION_CAUSES['whatsapp.inbound_silent'] });
		expect(entries[1].entry).toMatchObject({ name: 'answers', status: 'down', code: 'whatsapp.inbound_unanswered' });
		expect(entries[1].cause?.message).toMatch(/none got an answer within 10 min/);
		expect(CONVERSATION_CAUSES['whatsapp.inbound_unanswered']).toEqual({ retryable: false, needsHuman: true });
	});

	test.each([
		[{ kind: 'receiving', silentMs: 60_000 }, /arrived 1 min ago/],
		[{ kind: 'learning', silentMs: 3 * HOUR_MS, comparableDays: 2 }, /2 comparable days, 7 are needed/],
		[{ kind: 'quiet', silentMs: 5 * HOUR_MS, expected: 0, comparableDays: 14, weekday: true }, /usual at this time on this weekday/],
	] as const)('healthy silence %#: %p', (silence, message) => {
		const [entry] = passiveCheckEntries({ silence, answers: { kind: 'none_waiting' }, inbound: 0, outbound: 0 }, P);
		expect(entry.entry.status).toBe('healthy');
		expect(entry.cause).toBeUndefined();
		expect(entry.entry.message).toMatch(message);
	});

	test.each([
		[{ historyDays: 1 }, 'History Days'],
		[{ historyDays: 10, minHistoryDays: 11 }, 'Min History Days'],
		[{ minSilenceMs: 30_000 }, 'Min Silence (Minutes)'],
		[{ maxSilenceOdds: 1 }, 'Max Silence Odds'],
		[{ maxSilenceOdds: 0 }, 'Max Silence Odds'],
		[{ answerWithinMs: Number.NaN }, 'Answer Within (Minutes)'],
		[{ minUnanswered: 0.5 }, 'Min Unanswered'],
	] as Array<[Partial<PassiveParameters>, string]>)('bad parameter %p names %s', (input, name) => {
		expect(() => resolvePassiveParameters(input)).toThrow(expect.objectContaining({ parameter: name, message: expect.stringContaining(`"${name}"`) }));
	});

	test('the defaults are valid', () => {
		expect(resolvePassiveParameters({})).toEqual(DEFAULT_PASSIVE_PARAMETERS);
	});
});

describe('Passive Check node parameters', () => {
	test('their defaults are DEFAULT_PASSIVE_PARAMETERS', () => {
		const defaults = Object.fromEntries(passiveFields({}).map((field) => [field.name, field.default]));
		expect(defaults).toEqual({
			historyDays: P.historyDays,
			minHistoryDays: P.minHistoryDays,
			minSilenceMinutes: P.minSilenceMs / MINUTE_MS,
			maxSilenceOdds: P.maxSilenceOdds,
			answerWithinMinutes: P.answerWithinMs / MINUTE_MS,
			minUnanswered: P.minUnanswered,
		});
	});
});
