/**
 * The tracker state as stored in n8n workflow static data: create it, read it back
 * from whatever is stored, copy it, and drop what has expired. The state object is
 * the only memory the tracker has (no module-level caches), so runs on different
 * workers agree.
 */
import { isRecord } from '../json';
import { TRACKER_STATE_VERSION, type TrackerOptions, type TrackerState } from './types';

export function createTrackerState(): TrackerState {
	return { version: TRACKER_STATE_VERSION, incidents: {}, pending: {}, budgets: {} };
}

/** True for a value with the state's shape and this version. */
function isTrackerState(value: unknown): value is TrackerState {
	return (
		isRecord(value) &&
		value.version === TRACKER_STATE_VERSION &&
		isRecord(value.incidents) &&
		isRecord(value.pending) &&
		isRecord(value.budgets) &&
		(value.pause === undefined || isRecord(value.pause))
	);
}

/**
 * The state stored in static data (a copy), or a fresh one when nothing, something
 * else or another version is stored: an unreadable state restarts tracking rather
 * than failing every run.
 */
export function readTrackerState(stored: unknown): TrackerState {
	if (!isTrackerState(stored)) return createTrackerState();
	const state = cloneState(stored);
	// The status page's memory is optional: a malformed one is forgotten, the decisions are kept.
	if (state.memory !== undefined && !isStatusMemory(state.memory)) delete state.memory;
	return state;
}

function isStatusMemory(value: unknown): boolean {
	return isRecord(value) && typeof value.since === 'number' && isRecord(value.observed) && Array.isArray(value.closed);
}

/** A deep copy through JSON: exactly what survives a save to static data. */
export function cloneState<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

export function isPaused(state: TrackerState, now: number): boolean {
	return state.pause !== undefined && now < state.pause.until;
}

/**
 * Drops what no longer matters at `now` (mutates the given copy): an ended pause,
 * re-checks that never came within the confirm window, and budget attempts that
 * left the window — so the state stays small and reads as it is.
 */
export function dropExpired(state: TrackerState, options: TrackerOptions, now: number): void {
	if (state.pause && now >= state.pause.until) delete state.pause;
	for (const [key, pending] of Object.entries(state.pending)) {
		if (now - pending.since > options.confirmWindowMs) delete state.pending[key];
	}
	for (const [component, budget] of Object.entries(state.budgets)) {
		budget.attempts = budget.attempts.filter((at) => now - at < options.budget.windowMs);
		if (budget.attempts.length === 0) delete state.budgets[component];
	}
}
