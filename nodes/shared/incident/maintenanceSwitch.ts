/**
 * The maintenance switch a person sets in the Monitor's Settings ("paused until …"):
 * applied before each tracking call, so editing one field pauses alerts and actions and
 * clearing it (or passing the time) resumes. A pause set another way (the Pause
 * operation, the manual API) is left alone.
 */
import { pause, resume } from './controls';
import { TrackerOptionError } from './errors';
import { isPaused } from './state';
import type { TrackerState } from './types';

export const SETTINGS_PAUSER = 'settings';

/** '' → no switch; otherwise an ISO-8601 time (or anything Date parses). */
export function parseMaintenanceUntil(text: string): number | null {
	const trimmed = text.trim();
	if (trimmed === '') return null;
	const at = Date.parse(trimmed);
	if (!Number.isFinite(at)) throw new TrackerOptionError(`Parameter "Maintenance Until" must be a date and time (e.g. 2026-11-22T18:00:00Z), got ${JSON.stringify(text)}`);
	return at;
}

export function applyMaintenanceSwitch(state: TrackerState, until: number | null, now: number): TrackerState {
	const setBySwitch = state.pause?.setBy === SETTINGS_PAUSER;
	if (until !== null && until > now) {
		if (setBySwitch && state.pause?.until === until) return state;
		return pause(state, until, 'maintenance window set in Settings', now, SETTINGS_PAUSER);
	}
	return setBySwitch && isPaused(state, now) ? resume(state, now) : state;
}
