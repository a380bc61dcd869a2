/**
 * Whether a manual recovery may run now, by the Incident Tracker's rules: not during a
 * pause (a dry run may: it changes nothing), and not on a component whose automatic
 * budget is spent or whose incident was escalated to a person, unless the caller says
 * `"force": true` (recorded in the recovery log). Reads the state, never changes it: a
 * manual run is not charged to the automatic budget.
 */
import { budgetView } from '../../shared/incident/budget';
import { resolveTrackerOptions } from '../../shared/incident/options';
import { isPaused } from '../../shared/incident/state';
import type { TrackerOptionsInput, TrackerState } from '../../shared/incident/types';
import { RequestRefused, type ManualRecoveryRequest, type RecoverableComponent } from './request';

export interface RefusedComponent {
	component: RecoverableComponent;
	reason: string;
}

interface Admission {
	admitted: RecoverableComponent[];
	/** Left out of a full recovery (a single-component request is refused with a 409 instead). */
	skipped: RefusedComponent[];
}

function refusal(state: TrackerState, component: RecoverableComponent, options: TrackerOptionsInput, now: number): string | null {
	const open = Object.values(state.incidents).filter((incident) => incident.component === component);
	const escalated = open.find((incident) => incident.escalatedAt !== undefined);
	if (escalated) return `its incident (${escalated.key}) was escalated to a person at ${new Date(escalated.escalatedAt ?? now).toISOString()}`;
	const openedAt = open.length > 0 ? Math.min(...open.map((incident) => incident.openedAt)) : undefined;
	const budget = budgetView(state, component, resolveTrackerOptions(options).budget, now, openedAt);
	if (budget.spent) return `its recovery budget is spent (${budget.used} of ${budget.max} actions in the window)`;
	return null;
}

export function admitRecovery(state: TrackerState, request: ManualRecoveryRequest, options: TrackerOptionsInput, now: number): Admission {
	if (isPaused(state, now) && !request.dryRun) {
		const pause = state.pause;
		throw new RequestRefused(409, `automation is paused until ${new Date(pause?.until ?? now).toISOString()}${pause?.reason ? ` (${pause.reason})` : ''}`, ['"dryRun": true', 'resume the Incident Tracker first'], {
			pausedUntil: new Date(pause?.until ?? now).toISOString(),
		});
	}
	// A dry run changes nothing, so neither the budget nor an escalation stands in its way.
	if (request.force || request.dryRun) return { admitted: [...request.components], skipped: [] };
	const admitted: RecoverableComponent[] = [];
	const skipped: RefusedComponent[] = [];
	for (const component of request.components) {
		const reason = refusal(state, component, options, now);
		if (reason === null) admitted.push(component);
		else skipped.push({ component, reason });
	}
	if (admitted.length === 0) {
		const message = skipped.length === 1 ? `${skipped[0].component}: ${skipped[0].reason}` : `no component may be recovered now: ${skipped.map((s) => `${s.component}: ${s.reason}`).join('; ')}`;
		throw new RequestRefused(409, message, ['"force": true (recorded in the recovery log)', '"dryRun": true'], { skipped });
	}
	return { admitted, skipped };
}
