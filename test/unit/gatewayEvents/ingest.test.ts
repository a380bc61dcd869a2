/** Issue 20: events into the tracker state — dedupe, staleness, confirmation, flapping, the budgets, ticks alongside. */
import { DEFAULT_EVENT_OPTIONS, ingestEvents, type EventOptions } from '../../../nodes/shared/gatewayEvents/ingest';
import { parseEvents } from '../../../nodes/shared/gatewayEvents/parse';
import { EventRefused, type GatewayEvent } from '../../../nodes/shared/gatewayEvents/types';
import { createTrackerState } from '../../../nodes/shared/incident/state';
import { trackResults } from '../../../nodes/shared/incident/tracker';
import type { TrackerOptionsInput, TrackerState } from '../../../nodes/shared/incident/types';
import { evolutionClosed, healthy, MIN, SEC, T0 } from '../incident/results';

const TRACKER: TrackerOptionsInput = { confirmDelayMs: 20 * SEC, budget: { maxActions: 3, gapMs: 5 * MIN } };
const OPTIONS: EventOptions = { ...DEFAULT_EVENT_OPTIONS };

let counter = 0;
function evolution(state: string, statusReason = 200): GatewayEvent[] {
	counter += 1;
	return parseEvents('evolution', { event: 'connection.update', instance: 'ventas', data: { state, statusReason }, date_time: `t${counter}` });
}

function ingest(state: TrackerState, events: GatewayEvent[], now: number, options: EventOptions = OPTIONS) {
	return ingestEvents(state, 'evolution', events, TRACKER, options, now);
}

describe('outage events open the incident at once', () => {
	it('close (needs a QR) → one escalation, no recovery; the next tick is the same incident, no second alert', () => {
		const first = ingest(createTrackerState(), evolution('close', 401), T0);
		expect(first.reports[0]).toMatchObject({ outcome: 'opened', decision: 'escalated', causeCode: 'whatsapp.qr_required' });
		expect(first.decisions).toHaveLength(1);
		expect(first.decisions[0].tracking).toMatchObject({ alert: true, alertKind: 'escalated' });
		expect(Object.keys(first.state.incidents)).toEqual(['whatsapp:evolution:ventas']);
		const tick = trackResults(first.state, [evolutionClosed()], TRACKER, T0 + 5 * SEC);
		expect(tick.items[0]).toMatchObject({ decision: 'ongoing', alert: false });
		expect(tick.items[0].incident?.id).toBe(first.decisions[0].tracking.incident?.id);
	});

	it('a WAHA FAILED → recover at once (the budget allows it), spending one action', () => {
		const events = parseEvents('waha', { id: 'evt_A', timestamp: T0, event: 'session.status', session: 'default', payload: { status: 'FAILED' } });
		const outcome = ingestEvents(createTrackerState(), 'waha', events, TRACKER, OPTIONS, T0);
		expect(outcome.decisions[0].tracking).toMatchObject({ decision: 'recover', budget: { used: 1 } });
		expect(outcome.decisions[0].result).toMatchObject({ component: 'whatsapp', target: 'waha:default', status: 'down', cause: { code: 'whatsapp.disconnected' } });
	});

	it('a storm of distinct outage events on one target: one incident, recoveries only as the budget gaps allow', () => {
		let state = createTrackerState();
		let recovers = 0;
		for (let i = 0; i < 200; i++) {
			const events = parseEvents('waha', { id: `evt_${i}`, timestamp: T0 + i * 100, event: 'session.status', session: 'default', payload: { status: 'FAILED' } });
			const outcome = ingestEvents(state, 'waha', events, TRACKER, OPTIONS, T0 + i * 100);
			state = outcome.state;
			recovers += outcome.decisions.filter((decision) => decision.tracking.decision === 'recover').length;
		}
		expect(Object.keys(state.incidents)).toHaveLength(1);
		expect(recovers).toBe(1);
	});
});

describe('replays and stale events do nothing', () => {
	it('the same event twice: the second is a duplicate and changes no decision', () => {
		const events = evolution('close', 401);
		const first = ingest(createTrackerState(), events, T0);
		const again = ingest(first.state, events, T0 + SEC);
		expect(again.reports[0].outcome).toBe('duplicate');
		expect(again.decisions).toEqual([]);
		expect(again.state.incidents).toEqual(first.state.incidents);
	});

	it('a replay after the dedupe window is stale when the source has a trusted clock', () => {
		const events = parseEvents('waha', { id: 'evt_old', timestamp: T0, event: 'session.status', session: 'default', payload: { status: 'FAILED' } });
		const late = ingestEvents(createTrackerState(), 'waha', events, TRACKER, OPTIONS, T0 + 11 * MIN);
		expect(late.reports[0].outcome).toBe('stale');
		expect(late.state.incidents).toEqual({});
	});
});

describe('connecting: an outage only when not open within the grace time', () => {
	it('connecting → confirm after the grace time (the Monitor re-checks with the probe); a second connecting is absorbed', () => {
		const first = ingest(createTrackerState(), evolution('connecting', 408), T0);
		expect(first.decisions[0].tracking).toMatchObject({ decision: 'confirm', recheckInMs: OPTIONS.connectingGraceMs, recheckInSeconds: 5 });
		const second = ingest(first.state, evolution('connecting', 408), T0 + SEC);
		expect(second.reports[0].outcome).toBe('absorbed');
		expect(second.decisions).toEqual([]);
		// The probe's re-check still failing opens the incident (the tick's own rule).
		const recheck = trackResults(second.state, [evolutionClosed()], TRACKER, T0 + 6 * SEC);
		expect(recheck.items[0].decision).toBe('recover');
		expect(recheck.items[0].incident?.openedAt).toBe(T0);
	});

	it('connecting then open within the grace time: cleared, the re-check finds nothing to confirm', () => {
		const first = ingest(createTrackerState(), evolution('connecting', 408), T0);
		const open = ingest(first.state, evolution('open'), T0 + 2 * SEC);
		expect(open.reports[0].outcome).toBe('cleared');
		expect(open.state.pending).toEqual({});
		const recheck = trackResults(open.state, [healthy()], TRACKER, T0 + 5 * SEC);
		expect(recheck.items[0].decision).toBe('ok');
	});

	it('open never resolves an open incident (a zombie says open too): the probe does', () => {
		const opened = ingest(createTrackerState(), evolution('close', 401), T0);
		const open = ingest(opened.state, evolution('open'), T0 + SEC);
		expect(open.reports[0].outcome).toBe('recorded');
		expect(Object.keys(open.state.incidents)).toHaveLength(1);
	});

	it('flapping (20 drops in a minute): one incident, at most one recovery', () => {
		let state = createTrackerState();
		const decisions: string[] = [];
		for (let i = 0; i < 20; i++) {
			for (const [event, at] of [[evolution('connecting', 428), T0 + i * 3 * SEC], [evolution('open'), T0 + i * 3 * SEC + SEC]] as const) {
				const outcome = ingest(state, event, at);
				state = outcome.state;
				decisions.push(...outcome.decisions.map((decision) => decision.tracking.decision));
			}
		}
		expect(Object.keys(state.incidents)).toEqual(['whatsapp:evolution:ventas']);
		expect(state.incidents['whatsapp:evolution:ventas'].cause.message).toMatch(/flapping/);
		expect(decisions.filter((decision) => decision === 'recover')).toHaveLength(1);
		// The first drops were re-checked (confirm) until the threshold; none after the incident opened.
		expect(decisions.filter((decision) => decision === 'confirm').length).toBeLessThan(OPTIONS.flapThreshold);
	});

	it('flapping that goes on after the recovery resolved its incident: still one incident, no second recovery or alert; a new episode after a quiet window opens a new one', () => {
		const budget = { maxActions: 3, gapMs: SEC };
		const key = 'whatsapp:evolution:ventas';
		let state = createTrackerState();
		const decisions: string[] = [];
		const drop = (at: number) => {
			for (const [event, when] of [[evolution('connecting', 408), at], [evolution('open'), at + 500]] as const) {
				const outcome = ingestEvents(state, 'evolution', event, { ...TRACKER, budget }, OPTIONS, when);
				state = outcome.state;
				decisions.push(...outcome.decisions.map((decision) => decision.tracking.decision));
			}
		};
		for (let i = 0; i < 5; i++) drop(T0 + i * 2 * SEC);
		expect(decisions.filter((decision) => decision === 'recover')).toHaveLength(1);
		// The recovery's re-check (or a probe) finds the session open: the incident resolves.
		const resolved = trackResults(state, [healthy('whatsapp', 'evolution:ventas')], { ...TRACKER, budget }, T0 + 11 * SEC);
		expect(resolved.items[0].decision).toBe('resolved');
		state = resolved.state;
		// 15 more drops, each under the window from the last: absorbed, nothing decided.
		decisions.length = 0;
		for (let i = 0; i < 15; i++) drop(T0 + 12 * SEC + i * 3 * SEC);
		expect(decisions).toEqual([]);
		expect(state.incidents[key]).toBeUndefined();
		// Quiet for a whole window, then flapping again: a new episode, a new incident.
		const later = T0 + 12 * SEC + 14 * 3 * SEC + OPTIONS.flapWindowMs + SEC;
		for (let i = 0; i < OPTIONS.flapThreshold; i++) drop(later + i * 2 * SEC);
		expect(Object.keys(state.incidents)).toEqual([key]);
		expect(state.incidents[key].openedAt).toBeGreaterThanOrEqual(later);
		expect(decisions.filter((decision) => decision === 'recover')).toHaveLength(1);
	});
});

describe('the ingest budget', () => {
	it('more events in a minute than allowed → 429 and nothing kept', () => {
		const options = { ...OPTIONS, maxEventsPerMinute: 3 };
		let state = createTrackerState();
		for (let i = 0; i < 3; i++) state = ingest(state, evolution('open'), T0 + i, options).state;
		expect(() => ingest(state, evolution('close', 401), T0 + 10, options)).toThrow(EventRefused);
		// The next minute has a fresh budget.
		expect(ingest(state, evolution('close', 401), T0 + MIN, options).reports[0].outcome).toBe('opened');
	});

	it('the remembered ids stay bounded', () => {
		let state = createTrackerState();
		for (let i = 0; i < 50; i++) state = ingest(state, evolution('open'), T0 + i, { ...OPTIONS, maxRememberedIds: 10 }).state;
		expect(Object.keys(state.gatewayEvents?.seen ?? {}).length).toBeLessThanOrEqual(11);
	});
});

describe('the input state is never changed', () => {
	it('returns a new state', () => {
		const state = createTrackerState();
		const before = JSON.stringify(state);
		ingest(state, evolution('close', 401), T0);
		expect(JSON.stringify(state)).toBe(before);
	});
});

describe('a burst of 1,000 events within 10 s', () => {
	it('one incident per failing target, recoveries within the budget, replays duplicates, the rest over the intake budget refused', () => {
		let state = createTrackerState();
		const sent: GatewayEvent[][] = [];
		let recovers = 0;
		const outcomes: Record<string, number> = {};
		for (let i = 0; i < 1_000; i++) {
			const instance = `bot${i % 10}`;
			const replay = i % 7 === 6 && sent.length > 0;
			const state_ = ['close', 'connecting', 'open', 'refused'][i % 4];
			const events = replay ? sent[i % sent.length] : parseEvents('evolution', { event: 'connection.update', instance, data: { state: state_ }, date_time: `burst-${i}` });
			if (!replay) sent.push(events);
			let outcome;
			try {
				outcome = ingest(state, events, T0 + i * 10);
			} catch (error) {
				expect(error).toBeInstanceOf(EventRefused);
				outcomes.refused = (outcomes.refused ?? 0) + 1;
				continue;
			}
			state = outcome.state;
			recovers += outcome.decisions.filter((decision) => decision.tracking.decision === 'recover').length;
			for (const report of outcome.reports) outcomes[report.outcome] = (outcomes[report.outcome] ?? 0) + 1;
		}
		expect(Object.keys(state.incidents).length).toBeLessThanOrEqual(10);
		expect(recovers).toBeLessThanOrEqual(3);
		expect(outcomes.duplicate).toBeGreaterThan(50);
		// 600 per minute are taken in; the rest is answered 429 and leaves the state as it was.
		expect(outcomes.refused).toBe(400);
		expect(Object.keys(state.gatewayEvents?.seen ?? {}).length).toBeLessThanOrEqual(DEFAULT_EVENT_OPTIONS.maxRememberedIds);
	});
});
