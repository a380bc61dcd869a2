/**
 * What a person does to the tracker: pause it for maintenance, resume it, reset a
 * component's automation after fixing something, and read the open incidents for a
 * status page. Pure: each returns a new state (or a copy of what it reads).
 */
import { COMPONENTS, type Component } from '../contract';
import { budgetView } from './budget';
import { TrackerInputError } from './errors';
import { resolveTrackerOptions } from './options';
import { cloneState, isPaused } from './state';
import type { BudgetView, IncidentRecord, TrackerOptionsInput, TrackerState } from './types';
import { checkNow } from './validateInputs';

function optionalWho(by: unknown): string | undefined {
	if (by === undefined) return undefined;
	if (typeof by !== 'string' || by.trim() === '') throw new TrackerInputError('by must be a non-empty name when given');
	return by.trim();
}

/** Silences alerts and stops automatic actions until `until` (checks keep being recorded). */
export function pause(state: TrackerState, until: number, reason: string, now: number, by?: string): TrackerState {
	checkNow(now);
	if (typeof until !== 'number' || !Number.isFinite(until) || until <= now) {
		throw new TrackerInputError(`until must be a time after now (${now}), got ${JSON.stringify(until)}`);
	}
	if (typeof reason !== 'string' || reason.trim() === '') throw new TrackerInputError('reason must say why the tracker is paused');
	const next = cloneState(state);
	const setBy = optionalWho(by);
	next.pause = { until, reason: reason.trim(), setAt: now, ...(setBy ? { setBy } : {}) };
	return next;
}

/** Ends a pause now (a pause also ends by itself at its `until`). */
export function resume(state: TrackerState, now: number): TrackerState {
	checkNow(now);
	const next = cloneState(state);
	delete next.pause;
	return next;
}

function parseScope(scope: unknown): { component: Component; key?: string } {
	if (typeof scope !== 'string') throw new TrackerInputError('scope must be a component or a component:target key');
	const separator = scope.indexOf(':');
	const component = separator === -1 ? scope : scope.slice(0, separator);
	if (!(COMPONENTS as readonly string[]).includes(component) || separator === scope.length - 1) {
		throw new TrackerInputError(`scope must be a component (${COMPONENTS.join('|')}) or a component:target key, got ${JSON.stringify(scope)}`);
	}
	return { component: component as Component, ...(separator === -1 ? {} : { key: scope }) };
}

/**
 * A person took over: forgets the component's recovery budget and lifts the escalation
 * of the key's incident (or of every incident of the component), so automation may try
 * again on the next failure. A cause that needs a person escalates again if it persists.
 */
export function reset(state: TrackerState, scope: string, now: number, by?: string): TrackerState {
	checkNow(now);
	const { component, key } = parseScope(scope);
	const resetBy = optionalWho(by);
	const next = cloneState(state);
	delete next.budgets[component];
	for (const incident of Object.values(next.incidents)) {
		if (key ? incident.key !== key : incident.component !== component) continue;
		delete incident.escalatedAt;
		delete incident.escalationReason;
		incident.resetAt = now;
		if (resetBy) incident.resetBy = resetBy;
		else delete incident.resetBy;
	}
	return next;
}

export interface OpenIncidentView {
	incident: IncidentRecord;
	ageMs: number;
	escalated: boolean;
	budget: BudgetView;
}

export interface TrackerStatus {
	paused: boolean;
	pause?: TrackerState['pause'];
	incidents: OpenIncidentView[];
}

/** The open incidents, oldest first, with their age and their component's budget (for a status page). */
export function openIncidents(state: TrackerState, now: number, options: TrackerOptionsInput = {}): TrackerStatus {
	checkNow(now);
	const resolved = resolveTrackerOptions(options);
	const paused = isPaused(state, now);
	const incidents = Object.values(state.incidents)
		.sort((a, b) => a.openedAt - b.openedAt || a.key.localeCompare(b.key))
		.map((incident) => ({
			incident: cloneState(incident),
			ageMs: Math.max(0, now - incident.openedAt),
			escalated: incident.escalatedAt !== undefined,
			budget: budgetView(state, incident.component, resolved.budget, now, incident.openedAt),
		}));
	return { paused, ...(paused && state.pause ? { pause: cloneState(state.pause) } : {}), incidents };
}
