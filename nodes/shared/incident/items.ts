/** Builds the output item of one decision: alert flag, incident copy and budget view. */
import type { Component } from '../contract';
import { budgetView } from './budget';
import type { CallContext } from './decide';
import { cloneState } from './state';
import { ALERT_KINDS, type AlertKind, type Decision, type IncidentRecord, type TrackedItem } from './types';

function isAlertKind(decision: Decision): decision is AlertKind {
	return (ALERT_KINDS as readonly string[]).includes(decision);
}

interface ItemFacts {
	component: Component;
	target: string;
	key: string;
	decision: Decision;
	reason: string;
	incident?: IncidentRecord;
	recheckInMs?: number;
}

export function buildItem(ctx: CallContext, facts: ItemFacts): TrackedItem {
	const { component, target, key, decision, reason, incident } = facts;
	const alertKind = isAlertKind(decision) ? decision : undefined;
	const item: TrackedItem = {
		key,
		component,
		target,
		decision,
		alert: alertKind !== undefined,
		...(alertKind ? { alertKind } : {}),
		// A copy: the caller may keep or change it without touching the state.
		...(incident ? { incident: cloneState(incident) } : {}),
		reason,
		budget: budgetView(ctx.state, component, ctx.options.budget, ctx.now, incident?.openedAt),
	};
	if (facts.recheckInMs !== undefined) {
		item.recheckInMs = facts.recheckInMs;
		item.recheckInSeconds = Math.max(1, Math.round(facts.recheckInMs / 1000));
	}
	if (decision === 'resolved' && incident) {
		item.durationMs = ctx.now - incident.openedAt;
		if (incident.lastActionOk && incident.lastAction) item.fixedBy = incident.lastAction;
	}
	if (decision === 'paused' && ctx.state.pause) item.pausedUntil = ctx.state.pause.until;
	return item;
}
