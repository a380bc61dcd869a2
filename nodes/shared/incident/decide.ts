/**
 * The decisions for an open incident, outside a pause. Each function records what it
 * decided on the incident and the state copy (alerts, escalations, authorised actions)
 * and returns the decision with one sentence saying why.
 */
import type { Recovery } from '../contract';
import { budgetView, spendBudget } from './budget';
import { closeIncident, recordAlert, recordEscalation } from './incidents';
import type { AlertKind, Decision, EscalationReason, IncidentRecord, TrackerOptions, TrackerState } from './types';

export interface CallContext {
	state: TrackerState;
	options: TrackerOptions;
	now: number;
	paused: boolean;
}

export interface Verdict {
	decision: Decision;
	reason: string;
	/** The incident after the decision (the closed snapshot for `resolved`). */
	incident: IncidentRecord;
}

const iso = (at: number): string => new Date(at).toISOString();

function alertWith(ctx: CallContext, incident: IncidentRecord, kind: AlertKind, reason: string): Verdict {
	recordAlert(incident, kind, ctx.now);
	return { decision: kind, reason, incident };
}

function escalateWith(ctx: CallContext, incident: IncidentRecord, why: EscalationReason, reason: string): Verdict {
	recordEscalation(incident, why, ctx.now);
	return alertWith(ctx, incident, 'escalated', reason);
}

/** Announces an incident nobody heard of yet, reminds after the interval, or stays quiet. */
function announceOrWait(ctx: CallContext, incident: IncidentRecord, quietReason: string): Verdict {
	if (incident.lastAlertAt === undefined) {
		return alertWith(ctx, incident, 'opened', `${incident.cause.code} persists and nobody was told yet: ${quietReason}`);
	}
	if (ctx.now - incident.lastAlertAt >= ctx.options.reminderIntervalMs) {
		return alertWith(ctx, incident, 'reminder', `still open since ${iso(incident.openedAt)}; the last alert was at ${iso(incident.lastAlertAt)}`);
	}
	return { decision: 'ongoing', reason: quietReason, incident };
}

/** Whether the incident's cause forbids (further) automatic actions. */
function blockedByHuman(ctx: CallContext, incident: IncidentRecord): boolean {
	return incident.cause.needsHuman && !(ctx.options.allowOneActionWhenNeedsHuman && incident.attempts === 0);
}

/** A failing observation of an open incident (also the one that confirms it). */
export function decideFailing(ctx: CallContext, incident: IncidentRecord): Verdict {
	const { state, options, now } = ctx;
	if (incident.escalatedAt !== undefined) {
		return announceOrWait(ctx, incident, `escalated at ${iso(incident.escalatedAt)}: waiting for a person, no automatic actions`);
	}
	if (blockedByHuman(ctx, incident)) {
		return escalateWith(ctx, incident, 'needs_human', `${incident.cause.code} needs a person: no automatic action can fix it`);
	}
	const budget = budgetView(state, incident.component, options.budget, now, incident.openedAt);
	if (budget.spent) {
		return escalateWith(ctx, incident, 'budget_spent', `the ${incident.component} recovery budget is spent (${budget.used} of ${budget.max} actions in the window)`);
	}
	const nextAllowedAt = budget.nextAllowedAt ?? now;
	if (now >= nextAllowedAt) {
		spendBudget(state, incident.component, now);
		incident.attempts += 1;
		return { decision: 'recover', reason: `automatic action ${budget.used + 1} of ${budget.max} for ${incident.cause.code}`, incident };
	}
	return announceOrWait(ctx, incident, `waiting for the next automatic action at ${iso(nextAllowedAt)}`);
}

/** The re-check after an action came back unhealthy. */
export function decideFailedRecovery(ctx: CallContext, incident: IncidentRecord, recovery: Recovery): Verdict {
	if (incident.escalatedAt === undefined) {
		if (recovery.action === 'notify.escalate') {
			return escalateWith(ctx, incident, 'no_automatic_action', `no automatic action applies to ${incident.cause.code}: a person must act`);
		}
		if (incident.cause.needsHuman) {
			return escalateWith(ctx, incident, 'needs_human', `${incident.cause.code} needs a person after ${recovery.action}`);
		}
		const budget = budgetView(ctx.state, incident.component, ctx.options.budget, ctx.now, incident.openedAt);
		if (budget.spent) {
			return escalateWith(ctx, incident, 'budget_spent', `${recovery.action} did not fix it and the ${incident.component} recovery budget is spent (${budget.used} of ${budget.max})`);
		}
	}
	return announceOrWait(ctx, incident, `${recovery.action} did not fix ${incident.cause.code}`);
}

/** A healthy observation of an open incident: resolves it at `successThreshold` in a row. */
export function decideHealthy(ctx: CallContext, incident: IncidentRecord): Verdict {
	const needed = ctx.options.successThreshold;
	if (incident.consecutiveSuccesses < needed) {
		return { decision: 'ongoing', reason: `healthy ${incident.consecutiveSuccesses} of ${needed} times in a row needed to resolve`, incident };
	}
	const closed = closeIncident(ctx.state, incident, ctx.now);
	const how = closed.lastActionOk && closed.lastAction ? `after ${closed.lastAction}` : 'by itself';
	return alertWith(ctx, closed, 'resolved', `healthy again ${how}, ${Math.round((ctx.now - closed.openedAt) / 1000)} s after the first failure`);
}
