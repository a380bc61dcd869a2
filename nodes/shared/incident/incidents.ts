/**
 * Operations on incident records inside a state copy: open one from a confirmed
 * failure, record an observation, an action, an alert or an escalation, and resolve.
 */
import type { CheckResult, Recovery } from '../contract';
import { worstStatus } from '../contract';
import { redact } from '../redact';
import { TrackerInputError } from './errors';
import { incidentId, incidentKey } from './keys';
import type { AlertKind, EscalationReason, IncidentRecord, TrackerState } from './types';
import { rememberClosed } from './statusMemory';

type FailingResult = CheckResult & { status: 'degraded' | 'down' };

export function isFailing(result: CheckResult): result is FailingResult {
	return result.status !== 'healthy';
}

function causeOf(result: FailingResult): IncidentRecord['cause'] {
	const cause = result.cause;
	// Inputs are validated first, so this only guards against a caller skipping that.
	if (!cause) throw new TrackerInputError(`result ${result.component}:${result.target} is ${result.status} but has no cause`);
	// Contract messages carry no secrets; the shared redaction is the safety net for state and output.
	return { code: cause.code, message: redact(cause.message), needsHuman: cause.needsHuman, retryable: cause.retryable };
}

/** Opens an incident whose first failure was at `firstSeenAt` (last healthy at `lastOkAt`, when known); `observations` counts the checks that confirmed it. */
export function openIncident(state: TrackerState, result: FailingResult, firstSeenAt: number, observations: number, now: number, lastOkAt?: number): IncidentRecord {
	const key = incidentKey(result.component, result.target, result.probe);
	const incident: IncidentRecord = {
		id: incidentId(key, firstSeenAt),
		key,
		component: result.component,
		target: result.target,
		openedAt: firstSeenAt,
		...(lastOkAt !== undefined && lastOkAt < firstSeenAt ? { lastOkAt } : {}),
		lastSeenAt: now,
		status: result.status,
		worstStatus: result.status,
		cause: causeOf(result),
		attempts: 0,
		consecutiveSuccesses: 0,
		checks: observations,
	};
	state.incidents[key] = incident;
	return incident;
}

/** Records one observation of the incident's target. */
export function observe(incident: IncidentRecord, result: CheckResult, now: number): void {
	incident.lastSeenAt = now;
	incident.status = result.status;
	incident.checks += 1;
	if (isFailing(result)) {
		incident.cause = causeOf(result);
		incident.worstStatus = worstStatus([incident.worstStatus, result.status]) as IncidentRecord['worstStatus'];
		incident.consecutiveSuccesses = 0;
		// The last action did not hold: a later resolution is not credited to it.
		if (incident.lastActionOk) incident.lastActionOk = false;
	} else {
		incident.consecutiveSuccesses += 1;
	}
}

export function recordAction(incident: IncidentRecord, recovery: Recovery, now: number): void {
	incident.lastAction = recovery.action;
	incident.lastActionAt = now;
	incident.lastActionOk = recovery.success;
}

export function recordAlert(incident: IncidentRecord, kind: AlertKind, now: number): void {
	incident.lastAlertAt = now;
	incident.lastAlertKind = kind;
}

export function recordEscalation(incident: IncidentRecord, reason: EscalationReason, now: number): void {
	incident.escalatedAt = now;
	incident.escalationReason = reason;
}

/** Removes the incident from the state and returns its final snapshot. */
export function closeIncident(state: TrackerState, incident: IncidentRecord, now: number): IncidentRecord {
	delete state.incidents[incident.key];
	rememberClosed(state, incident, now);
	return { ...incident, resolvedAt: now };
}
