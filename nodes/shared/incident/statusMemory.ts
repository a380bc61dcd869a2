/**
 * The tracker's memory for the status page: the last observation of each target and
 * the incidents resolved in the last week. Kept apart from the decision state (nothing
 * here changes a decision) and bounded, so static data stays small.
 */
import type { CheckResult } from '../contract';
import type { IncidentRecord, StatusMemory, TrackerState } from './types';

/** Availability is shown for 24 h and 7 d; a little more is kept so the 7-day figure has a full window. */
const MEMORY_KEEP_MS = 8 * 24 * 60 * 60 * 1000;
/** A flapping target must not grow the state without bound. */
const MAX_CLOSED_SPANS = 500;

function memoryOf(state: TrackerState, now: number): StatusMemory {
	return (state.memory ??= { since: now, observed: {}, closed: [] });
}

export function rememberObservation(state: TrackerState, key: string, result: CheckResult, now: number): void {
	memoryOf(state, now).observed[key] = { component: result.component, target: result.target, status: result.status, at: now };
}

export function rememberClosed(state: TrackerState, incident: IncidentRecord, now: number): void {
	const memory = memoryOf(state, now);
	memory.closed.push({ key: incident.key, component: incident.component, target: incident.target, openedAt: incident.openedAt, resolvedAt: now, worstStatus: incident.worstStatus });
	if (memory.closed.length > MAX_CLOSED_SPANS) memory.closed.splice(0, memory.closed.length - MAX_CLOSED_SPANS);
}

/** Drops what left the week (mutates the given copy). */
export function pruneMemory(state: TrackerState, now: number): void {
	const memory = state.memory;
	if (!memory) return;
	memory.closed = memory.closed.filter((span) => now - span.resolvedAt < MEMORY_KEEP_MS);
	for (const [key, observed] of Object.entries(memory.observed)) {
		if (now - observed.at >= MEMORY_KEEP_MS) delete memory.observed[key];
	}
}
