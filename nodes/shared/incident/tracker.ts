/**
 * The Incident Tracker's state machine: a stream of check results in, one decision per
 * result out. Pure functions of (state, input, options, now): the input state is never
 * changed; a new state comes back with the items.
 *
 * Per target (`component:target`):
 *  - healthy, no incident → `ok` (a healthy re-check of a first failure drops it: a blip);
 *  - a first failure → `confirm`: the workflow waits `recheckInMs` and feeds the re-check
 *    back. How a re-check is told apart: a failure of a target that has a pending first
 *    failure from an EARLIER call (within `confirmWindowMs`) confirms it. No flag is
 *    needed, and a lost re-check is confirmed by the next tick instead;
 *  - confirmed (or any failure of an open incident) → `escalated` when the cause needs a
 *    person or the component's recovery budget is spent; `recover` when the budget allows
 *    an action now (the action counts against the budget at this moment, so two targets
 *    in one cycle or a lost callback cannot exceed it); else `opened` if nobody was told
 *    yet, `reminder` after `reminderIntervalMs` since the last alert, or `ongoing`;
 *  - after the action, `trackRecovery`: healthy → `resolved` (with duration and the
 *    action that fixed it); still failing → `escalated` (notify.escalate, needs a person,
 *    budget spent), `opened` (first alert) or `ongoing`;
 *  - `successThreshold` healthy results in a row resolve an incident (`ongoing` until then).
 * Paused (maintenance): every item is `paused`; results are still recorded (incidents
 * open, update and resolve silently), but there are no alerts, escalations or actions.
 * After the pause, an incident nobody was told about goes through the steps above on
 * its next failure, so it is announced (or recovered) once.
 */
import type { CheckResult, RecoveryResult } from '../contract';
import { decideFailedRecovery, decideFailing, decideHealthy, type CallContext, type Verdict } from './decide';
import { groupNetworkAlerts } from './grouping';
import { closeIncident, isFailing, observe, openIncident, recordAction } from './incidents';
import { buildItem } from './items';
import { incidentKey } from './keys';
import { resolveTrackerOptions } from './options';
import { cloneState, dropExpired, isPaused } from './state';
import { pruneMemory, rememberObservation } from './statusMemory';
import type { IncidentRecord, TrackedItem, TrackerOptionsInput, TrackerOutcome, TrackerState } from './types';
import { checkNow, checkRecoveries, checkResults } from './validateInputs';

export function startCall(state: TrackerState, optionsInput: TrackerOptionsInput, now: number): CallContext {
	const options = resolveTrackerOptions(optionsInput);
	checkNow(now);
	const copy = cloneState(state);
	dropExpired(copy, options, now);
	pruneMemory(copy, now);
	return { state: copy, options, now, paused: isPaused(copy, now) };
}

export function finishCall(ctx: CallContext, items: TrackedItem[]): TrackerOutcome {
	return { state: ctx.state, items: ctx.options.groupNetworkCauses ? groupNetworkAlerts(items, ctx.now) : items };
}

const pauseNote = (ctx: CallContext): string => `paused for maintenance until ${new Date(ctx.state.pause?.until ?? ctx.now).toISOString()}`;

/** During a pause: record, resolve silently at the threshold, decide nothing else. */
export function pausedVerdict(ctx: CallContext, result: CheckResult, incident: IncidentRecord): Verdict {
	if (!isFailing(result) && incident.consecutiveSuccesses >= ctx.options.successThreshold) {
		return { decision: 'paused', reason: `${pauseNote(ctx)}; healthy again, incident resolved silently`, incident: closeIncident(ctx.state, incident, ctx.now) };
	}
	return { decision: 'paused', reason: `${pauseNote(ctx)}; recorded ${result.status}, no alert, no action`, incident };
}

export function trackOne(ctx: CallContext, result: CheckResult): TrackedItem {
	const { state, options, now } = ctx;
	const key = incidentKey(result.component, result.target, result.probe);
	const base = { component: result.component, target: result.target, key };
	const existing = state.incidents[key];
	// Read before this observation replaces it: a first failure keeps when the target was last seen healthy.
	const previous = state.memory?.observed[key];
	const lastOkAt = previous?.status === 'healthy' ? previous.at : undefined;
	rememberObservation(state, key, result, now);

	if (existing) {
		observe(existing, result, now);
		const verdict = ctx.paused ? pausedVerdict(ctx, result, existing) : isFailing(result) ? decideFailing(ctx, existing) : decideHealthy(ctx, existing);
		return buildItem(ctx, { ...base, ...verdict });
	}

	const pending = state.pending[key];
	if (!isFailing(result)) {
		delete state.pending[key];
		const reason = pending ? 'healthy on re-check: the first failure was a blip, no incident' : 'healthy';
		return buildItem(ctx, { ...base, decision: ctx.paused ? 'paused' : 'ok', reason: ctx.paused ? `${pauseNote(ctx)}; ${reason}` : reason });
	}

	if (!pending) {
		state.pending[key] = { since: now, status: result.status, causeCode: result.cause?.code ?? 'unknown', ...(lastOkAt !== undefined ? { lastOkAt } : {}) };
		if (ctx.paused) return buildItem(ctx, { ...base, decision: 'paused', reason: `${pauseNote(ctx)}; first failure recorded, no re-check` });
		return buildItem(ctx, {
			...base,
			decision: 'confirm',
			reason: `first failure (${result.cause?.code}): re-check in ${options.confirmDelayMs} ms before opening an incident`,
			recheckInMs: options.confirmDelayMs,
		});
	}

	// A second failure in a row: the incident opens, dated from the first failure.
	delete state.pending[key];
	const incident = openIncident(state, result, pending.since, 2, now, pending.lastOkAt);
	const verdict = ctx.paused ? pausedVerdict(ctx, result, incident) : decideFailing(ctx, incident);
	return buildItem(ctx, { ...base, ...verdict });
}

/** A tick's probe results, or the re-check results of `confirm` items: the same function for both. */
export function trackResults(state: TrackerState, results: readonly CheckResult[], options: TrackerOptionsInput, now: number): TrackerOutcome {
	const ctx = startCall(state, options, now);
	const items = checkResults(results).map((result) => trackOne(ctx, result));
	return finishCall(ctx, items);
}

function trackOneRecovery(ctx: CallContext, result: RecoveryResult): TrackedItem {
	const { state, now } = ctx;
	const key = incidentKey(result.component, result.target, result.probe);
	const base = { component: result.component, target: result.target, key };
	let incident = state.incidents[key];
	rememberObservation(state, key, result, now);
	if (!incident) {
		if (!isFailing(result)) return buildItem(ctx, { ...base, decision: ctx.paused ? 'paused' : 'ok', reason: `healthy after ${result.recovery.action}; there was no open incident` });
		// An action the tracker did not ask for (e.g. run by hand) left it failing: track it from here.
		// It is not counted against the budget, which limits automatic actions only.
		const pending = state.pending[key];
		delete state.pending[key];
		incident = openIncident(state, result, pending?.since ?? now, 0, now, pending?.lastOkAt);
	}
	observe(incident, result, now);
	recordAction(incident, result.recovery, now);
	const verdict = ctx.paused
		? pausedVerdict(ctx, result, incident)
		: isFailing(result)
			? decideFailedRecovery(ctx, incident, result.recovery)
			: decideHealthy(ctx, incident);
	return buildItem(ctx, { ...base, ...verdict });
}

/**
 * The results of the actions the workflow ran for `recover` decisions (contract recovery
 * results: the re-check after the action plus `recovery`). The attempt was already
 * counted when `recover` was decided; here its outcome is recorded.
 */
export function trackRecovery(state: TrackerState, recoveries: readonly RecoveryResult[], options: TrackerOptionsInput, now: number): TrackerOutcome {
	const ctx = startCall(state, options, now);
	const items = checkRecoveries(recoveries).map((result) => trackOneRecovery(ctx, result));
	return finishCall(ctx, items);
}
