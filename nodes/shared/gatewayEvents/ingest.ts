/**
 * Gateway events into the Incident Tracker's state, inside the state store's atomic
 * update (so an event and a tick at the same moment are applied one after the other, and
 * a replay can never pass twice). Pure: (state, events, options, now) → new state,
 * decisions and what happened to each event.
 *
 *  - duplicate (same id within the dedupe window) or stale (its own time outside the
 *    window) → nothing;
 *  - `outage` → the incident opens now (the gateway is the confirmation) and is decided as
 *    a confirmed failure: recover within the budget, escalate what needs a person; on an
 *    open incident it counts as one more failing observation (the budget's gaps keep a
 *    storm of them from starting more than one recovery per gap);
 *  - `suspect` → a first failure whose re-check comes after the grace time (`confirm`):
 *    the shipped Monitor waits, runs the WhatsApp probe and tracks its result, so an
 *    instance still not `open` then is an incident; an `open` in between clears it. A
 *    suspect for a target already pending or in an incident is absorbed;
 *  - flapping: `flapThreshold` `connecting` transitions within `flapWindowMs` open one
 *    incident (`whatsapp.connecting`), however many more follow: also after a recovery or
 *    a healthy probe resolved it, for as long as the drops go on (the episode ends after a
 *    whole `flapWindowMs` without one), so a session that keeps flapping is not reopened,
 *    re-alerted and re-recovered at every reconnect;
 *  - `healthy` never resolves an incident (a zombie says `open` too): the probe does;
 *  - more than `maxEventsPerMinute` events of one source in a minute → 429, nothing kept.
 */
import type { CheckResult } from '../contract';
import { decideFailing } from '../incident/decide';
import { observe, openIncident } from '../incident/incidents';
import { buildItem } from '../incident/items';
import { incidentKey } from '../incident/keys';
import { finishCall, pausedVerdict, startCall, trackOne } from '../incident/tracker';
import type { CallContext } from '../incident/decide';
import type { GatewayEventMemory, TrackedItem, TrackerOptionsInput, TrackerState } from '../incident/types';
import { isRecord } from '../json';
import { evolutionCause } from '../../WhatsAppProbe/providers/evolutionClassify';
import { EventRefused, type GatewayEvent, type GatewaySource } from './types';

export interface EventOptions {
	/** A `connecting` (or other suspect) is re-checked after this long: not `open` by then is an outage. */
	connectingGraceMs: number;
	/** An event id is remembered this long (a replay within it does nothing). */
	dedupeWindowMs: number;
	/** An event whose own time is further than this from now is refused as stale (sources with a trusted clock only). */
	maxEventAgeMs: number;
	/** This many `connecting` transitions of one target within `flapWindowMs` is flapping: one incident. */
	flapThreshold: number;
	flapWindowMs: number;
	/** Events accepted per source per minute; beyond it the gateway is told 429 and nothing is kept. */
	maxEventsPerMinute: number;
	/** At most this many event ids are remembered (the oldest go first), so the state stays small. */
	maxRememberedIds: number;
}

export const DEFAULT_EVENT_OPTIONS: Readonly<EventOptions> = Object.freeze({
	connectingGraceMs: 5_000,
	dedupeWindowMs: 10 * 60_000,
	maxEventAgeMs: 10 * 60_000,
	flapThreshold: 4,
	flapWindowMs: 60_000,
	maxEventsPerMinute: 600,
	maxRememberedIds: 2_000,
});

export type EventOutcome = 'duplicate' | 'stale' | 'recorded' | 'cleared' | 'confirm' | 'absorbed' | 'opened' | 'observed' | 'flapping';

export interface EventReport {
	id: string;
	name: string;
	target: string;
	signal: GatewayEvent['signal'];
	outcome: EventOutcome;
	/** The tracker's decision, when the event reached it. */
	decision?: TrackedItem['decision'];
	causeCode?: string;
	summary: string;
}

/** A decision for the workflow to carry out: the result the event stands for, with its tracking. */
export interface EventDecision {
	result: CheckResult;
	tracking: TrackedItem;
}

export interface IngestOutcome {
	state: TrackerState;
	reports: EventReport[];
	decisions: EventDecision[];
}

function emptyMemory(): GatewayEventMemory {
	return { seen: {}, connecting: {}, suspects: {}, budget: {} };
}

/** The memory as stored, or a fresh one when it is missing or not readable (events then start over, decisions are kept). */
function memoryOf(state: TrackerState): GatewayEventMemory {
	const stored: unknown = state.gatewayEvents;
	if (!isRecord(stored) || !isRecord(stored.seen) || !isRecord(stored.connecting) || !isRecord(stored.suspects) || !isRecord(stored.budget)) {
		state.gatewayEvents = emptyMemory();
	}
	return state.gatewayEvents as GatewayEventMemory;
}

/** Forgets what left its window (mutates the copy). */
function prune(memory: GatewayEventMemory, state: TrackerState, options: EventOptions, now: number): void {
	for (const [id, at] of Object.entries(memory.seen)) if (now - at > options.dedupeWindowMs) delete memory.seen[id];
	const ids = Object.entries(memory.seen).sort((a, b) => a[1] - b[1]);
	for (const [id] of ids.slice(0, Math.max(0, ids.length - options.maxRememberedIds))) delete memory.seen[id];
	for (const [key, times] of Object.entries(memory.connecting)) {
		const kept = times.filter((at) => now - at < options.flapWindowMs);
		if (kept.length === 0) delete memory.connecting[key];
		else memory.connecting[key] = kept;
	}
	for (const [key, since] of Object.entries(memory.suspects)) if (state.pending[key]?.since !== since) delete memory.suspects[key];
	for (const [key, lastDrop] of Object.entries(memory.flapping ?? {})) if (now - lastDrop >= options.flapWindowMs) delete memory.flapping?.[key];
}

/** Counts the request against its source's minute; false when it would exceed the budget. */
function spendIngestBudget(memory: GatewayEventMemory, source: GatewaySource, count: number, options: EventOptions, now: number): boolean {
	const minute = Math.floor(now / 60_000);
	const current = memory.budget[source]?.minute === minute ? memory.budget[source] : { minute, count: 0 };
	if (current.count + count > options.maxEventsPerMinute) return false;
	memory.budget[source] = { minute, count: current.count + count };
	return true;
}

/** The check result an event stands for (what the tracker records and the Recover workflow receives). */
export function eventResult(event: GatewayEvent, now: number): CheckResult {
	const status = event.signal === 'healthy' || event.signal === 'info' || event.status === undefined ? 'healthy' : event.status;
	const cause = status === 'healthy' ? undefined : event.cause;
	return {
		component: 'whatsapp',
		target: event.target,
		status,
		checks: [{ name: `gateway event ${event.name}`, status, message: cause?.message ?? event.summary, ...(cause ? { code: cause.code } : {}) }],
		...(cause ? { cause } : {}),
		latencyMs: 0,
		checkedAt: new Date(now).toISOString(),
		details: { gatewayEvent: { source: event.source, name: event.name, id: event.id, signal: event.signal, summary: event.summary } },
	};
}

function flappingResult(event: GatewayEvent, transitions: number, windowMs: number, now: number): CheckResult {
	const instance = event.target.slice(event.target.indexOf(':') + 1);
	const cause = evolutionCause('whatsapp.connecting', `WhatsApp "${instance}" dropped and reconnected ${transitions} times within ${Math.round(windowMs / 1000)} s (flapping).`);
	const result = eventResult({ ...event, signal: 'outage', status: 'degraded', cause }, now);
	return { ...result, details: { ...result.details, flapping: { transitions, windowMs } } };
}

/** Opens the incident of a confirmed failure (an outage event, or flapping) and decides it. */
function openNow(ctx: CallContext, result: CheckResult & { status: 'degraded' | 'down' }, firstSeenAt: number | undefined): TrackedItem {
	const { state, now } = ctx;
	const key = incidentKey(result.component, result.target);
	const pending = state.pending[key];
	delete state.pending[key];
	const previous = state.memory?.observed[key];
	const lastOkAt = pending?.lastOkAt ?? (previous?.status === 'healthy' ? previous.at : undefined);
	const incident = openIncident(state, result, Math.min(pending?.since ?? now, firstSeenAt ?? now), 1, now, lastOkAt);
	const verdict = ctx.paused ? pausedVerdict(ctx, result, incident) : decideFailing(ctx, incident);
	return buildItem(ctx, { component: result.component, target: result.target, key, ...verdict });
}

/** One more failing observation of an open incident (never a second incident). */
function observeOpen(ctx: CallContext, result: CheckResult): TrackedItem {
	const key = incidentKey(result.component, result.target);
	const incident = ctx.state.incidents[key];
	observe(incident, result, ctx.now);
	const verdict = ctx.paused ? pausedVerdict(ctx, result, incident) : decideFailing(ctx, incident);
	return buildItem(ctx, { component: result.component, target: result.target, key, ...verdict });
}

/** Read through a function: the compiler's narrowing from an earlier check does not survive the tracker's change. */
const pendingSince = (state: TrackerState, key: string): number | undefined => state.pending[key]?.since;

const isFailingResult = (result: CheckResult): result is CheckResult & { status: 'degraded' | 'down' } => result.status !== 'healthy';

/**
 * Applies one request's events (already authenticated and parsed) to the tracker state.
 * Throws EventRefused(429) when the source's budget for this minute is spent; the state
 * is then left as it was.
 */
export function ingestEvents(state: TrackerState, source: GatewaySource, events: readonly GatewayEvent[], trackerOptions: TrackerOptionsInput, eventOptions: EventOptions, now: number): IngestOutcome {
	const ctx = startCall(state, trackerOptions, now);
	const memory = memoryOf(ctx.state);
	prune(memory, ctx.state, eventOptions, now);
	if (!spendIngestBudget(memory, source, events.length, eventOptions, now)) {
		throw new EventRefused(429, `more than ${eventOptions.maxEventsPerMinute} ${source} events in a minute: try again later`);
	}
	const reports: EventReport[] = [];
	const decisions: EventDecision[] = [];
	const report = (event: GatewayEvent, outcome: EventOutcome, tracking?: TrackedItem) =>
		reports.push({ id: event.id, name: event.name, target: event.target, signal: event.signal, outcome, ...(tracking ? { decision: tracking.decision } : {}), ...(event.cause ? { causeCode: event.cause.code } : {}), summary: event.summary });
	const decide = (event: GatewayEvent, outcome: EventOutcome, result: CheckResult, tracking: TrackedItem) => {
		decisions.push({ result, tracking });
		report(event, outcome, tracking);
	};

	for (const event of events) {
		if (memory.seen[event.id] !== undefined) {
			report(event, 'duplicate');
			continue;
		}
		if (event.at !== undefined && Math.abs(now - event.at) > eventOptions.maxEventAgeMs) {
			report(event, 'stale');
			continue;
		}
		memory.seen[event.id] = now;
		const key = incidentKey('whatsapp', event.target);
		const result = eventResult(event, now);

		if (event.signal === 'info') {
			report(event, 'recorded');
			continue;
		}
		if (event.signal === 'healthy') {
			// Reconnected within the grace time: the suspicion was a blip. Open incidents wait for the probe.
			const since = memory.suspects[key];
			if (since !== undefined && ctx.state.pending[key]?.since === since) {
				delete ctx.state.pending[key];
				delete memory.suspects[key];
				report(event, 'cleared');
			} else {
				report(event, 'recorded');
			}
			continue;
		}
		if (!isFailingResult(result)) {
			report(event, 'recorded');
			continue;
		}

		if (event.connecting) {
			const transitions = [...(memory.connecting[key] ?? []), now];
			memory.connecting[key] = transitions;
			if (transitions.length >= eventOptions.flapThreshold) {
				// One episode, one incident: still open, or resolved while the drops go on.
				const episode = (memory.flapping ??= {});
				const inEpisode = episode[key] !== undefined;
				episode[key] = now;
				if (ctx.state.incidents[key] || inEpisode) {
					report(event, 'absorbed');
					continue;
				}
				const flapping = flappingResult(event, transitions.length, eventOptions.flapWindowMs, now) as CheckResult & { status: 'degraded' };
				delete memory.suspects[key];
				decide(event, 'flapping', flapping, openNow(ctx, flapping, transitions[0]));
				continue;
			}
		}

		if (event.signal === 'outage') {
			if (ctx.state.incidents[key]) decide(event, 'observed', result, observeOpen(ctx, result));
			else {
				delete memory.suspects[key];
				decide(event, 'opened', result, openNow(ctx, result, undefined));
			}
			continue;
		}

		// suspect: a re-check after the grace time decides, unless one is already on its way or an incident tracks it.
		if (ctx.state.incidents[key] || ctx.state.pending[key]) {
			report(event, 'absorbed');
			continue;
		}
		const graceCtx: CallContext = { ...ctx, options: { ...ctx.options, confirmDelayMs: eventOptions.connectingGraceMs } };
		const tracking = trackOne(graceCtx, result);
		const since = pendingSince(ctx.state, key);
		if (since !== undefined) memory.suspects[key] = since;
		decide(event, 'confirm', result, tracking);
	}

	const finished = finishCall(ctx, decisions.map((decision) => decision.tracking));
	return {
		state: finished.state,
		reports,
		decisions: decisions.map((decision, index) => ({ result: decision.result, tracking: finished.items[index] })),
	};
}
