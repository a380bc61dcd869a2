/**
 * The Incident Tracker's vocabulary: the state it keeps between scheduled runs, the
 * incident record, the options and the decision it outputs per item. Plain
 * JSON-serialisable data (times are epoch ms numbers), so the node can keep the state
 * in n8n workflow static data and any worker can pick it up.
 */
import type { ActionId, Component, Status } from '../contract';

export const TRACKER_STATE_VERSION = 1;

/** What the workflow does with an item. */
export const DECISIONS = ['ok', 'confirm', 'opened', 'ongoing', 'recover', 'escalated', 'resolved', 'reminder', 'paused'] as const;
export type Decision = (typeof DECISIONS)[number];

/** The decisions that are also an alert to a person. */
export const ALERT_KINDS = ['opened', 'escalated', 'resolved', 'reminder'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Why automation stopped and a person was told. */
export type EscalationReason = 'needs_human' | 'budget_spent' | 'no_automatic_action';

interface IncidentCause {
	code: string;
	message: string;
	needsHuman: boolean;
	retryable: boolean;
}

export interface IncidentRecord {
	/** Deterministic: `${key}@${ISO time of the first failure}`. */
	id: string;
	/** `${component}:${target}`. */
	key: string;
	component: Component;
	target: string;
	/** The first failing observation (before confirmation), so durations include the confirm delay. */
	openedAt: number;
	/**
	 * The last healthy observation before `openedAt`, when the tracker saw one: the failure
	 * began between the two, so an alert can say how long it lasted at most. Absent in
	 * states saved before it existed.
	 */
	lastOkAt?: number;
	lastSeenAt: number;
	/** The status of the last observation (healthy while it counts successes towards resolving). */
	status: Status;
	/** The worst status seen during the incident. */
	worstStatus: Exclude<Status, 'healthy'>;
	/** The cause of the last failing observation. */
	cause: IncidentCause;
	/** Automatic actions authorised for this incident (each `recover` decision counts one). */
	attempts: number;
	lastAction?: ActionId;
	lastActionAt?: number;
	/** Whether the last action fixed it: its re-check came back healthy and no failure followed. */
	lastActionOk?: boolean;
	/** Set once: no more automatic actions for this incident until it resolves or a person resets it. */
	escalatedAt?: number;
	escalationReason?: EscalationReason;
	lastAlertAt?: number;
	lastAlertKind?: AlertKind;
	/** Healthy observations in a row (resolves at `successThreshold`). */
	consecutiveSuccesses: number;
	/** Observations recorded for this incident, the confirming ones included. */
	checks: number;
	resetAt?: number;
	resetBy?: string;
	/** Only on the snapshot of a resolved incident. */
	resolvedAt?: number;
}

/** A first failure waiting for its re-check. */
interface PendingConfirmation {
	since: number;
	status: Exclude<Status, 'healthy'>;
	causeCode: string;
	/** The target's last healthy observation before `since` (absent when unknown or in older states). */
	lastOkAt?: number;
}

/** Automatic actions taken on one component (all its targets share it). */
interface ComponentBudget {
	/** Epoch ms of each authorised action inside the window, oldest first. */
	attempts: number[];
}

/** The maintenance switch. */
interface PauseWindow {
	/** Paused while now < until. */
	until: number;
	reason: string;
	setAt: number;
	setBy?: string;
}

/** The last observation of one target (for the status page). */
export interface ObservedStatus {
	component: Component;
	target: string;
	status: Status;
	at: number;
}

/** A resolved incident, kept a week for the availability figures. */
export interface ClosedIncidentSpan {
	key: string;
	component: Component;
	target: string;
	openedAt: number;
	resolvedAt: number;
	worstStatus: Exclude<Status, 'healthy'>;
}

/** What the status page needs beyond the open incidents; never read by the decisions. */
export interface StatusMemory {
	/** When the tracker first ran: availability before it is unknown. */
	since: number;
	/** By incident key. */
	observed: Record<string, ObservedStatus>;
	/** Oldest first. */
	closed: ClosedIncidentSpan[];
}

export interface TrackerState {
	version: typeof TRACKER_STATE_VERSION;
	/** Open incidents by key. */
	incidents: Record<string, IncidentRecord>;
	/** First failures waiting for their re-check, by key. */
	pending: Record<string, PendingConfirmation>;
	/** Recovery budget by component. */
	budgets: Record<string, ComponentBudget>;
	pause?: PauseWindow;
	memory?: StatusMemory;
	/** What the gateways' webhook events left (deduplication, flapping, the ingest budget); absent until the first event. */
	gatewayEvents?: GatewayEventMemory;
}

/** The gateway events' memory (nodes/shared/gatewayEvents/ingest.ts); never read by the tick's decisions. */
export interface GatewayEventMemory {
	/** Event id → when it was accepted (kept for the dedupe window). */
	seen: Record<string, number>;
	/** Incident key → times of its recent `connecting` transitions (kept for the flap window). */
	connecting: Record<string, number[]>;
	/** Incident key → `since` of the pending confirmation an event created (an `open` event may clear it). */
	suspects: Record<string, number>;
	/** Events accepted per source in the current minute (the ingest budget). */
	budget: Record<string, { minute: number; count: number }>;
	/** Incident key → its last drop, while a flapping episode that opened an incident goes on (absent in states saved before it existed). */
	flapping?: Record<string, number>;
}

export interface BudgetOptions {
	/** At most this many automatic actions per component per window. */
	maxActions: number;
	windowMs: number;
	/** Wait after the incident opened before the first action (0: at once). */
	firstGapMs: number;
	/** Wait after the first action before the second; grows by `gapFactor` for each further one. */
	gapMs: number;
	gapFactor: number;
}

export interface TrackerOptions {
	/** How long the workflow waits before re-checking a first failure (the item says so in `recheckInMs`). */
	confirmDelayMs: number;
	/** A re-check confirms a first failure only within this time; an older one starts over. */
	confirmWindowMs: number;
	/** Healthy observations in a row that resolve an incident. */
	successThreshold: number;
	/** An open incident is announced again when this long passed since its last alert. */
	reminderIntervalMs: number;
	budget: BudgetOptions;
	/** Several `net.*` alerts of one kind in one call become one grouped alert. */
	groupNetworkCauses: boolean;
	/** Allow one automatic action (e.g. `whatsapp.relink`, which produces a QR for a person) when the cause needs a human. */
	allowOneActionWhenNeedsHuman: boolean;
}

/** What a caller passes: any option may be left out. */
export type TrackerOptionsInput = Partial<Omit<TrackerOptions, 'budget'>> & { budget?: Partial<BudgetOptions> };

export interface BudgetView {
	used: number;
	max: number;
	spent: boolean;
	/** When the next automatic action may run (absent when the budget is spent). */
	nextAllowedAt?: number;
}

interface AlertGroup {
	id: string;
	size: number;
	/** Keys of every member, the leader first. */
	members: string[];
}

export interface TrackedItem {
	key: string;
	component: Component;
	target: string;
	decision: Decision;
	/** Send an alert for this item (false for the non-leading members of a group, which keep `alertKind` and `group`). */
	alert: boolean;
	alertKind?: AlertKind;
	/** A copy of the incident as it is after this item (resolved ones carry `resolvedAt`). */
	incident?: IncidentRecord;
	/** One sentence: why this decision. */
	reason: string;
	group?: AlertGroup;
	budget: BudgetView;
	/** `confirm`: wait this long, re-check the target and feed the result back. */
	recheckInMs?: number;
	/** The same wait in whole seconds, at least 1 (what n8n's Wait node takes). */
	recheckInSeconds?: number;
	/** `resolved`: how long the incident lasted. */
	durationMs?: number;
	/** `resolved`: the action whose re-check came back healthy (absent when it healed by itself). */
	fixedBy?: ActionId;
	/** `paused`: until when. */
	pausedUntil?: number;
}

export interface TrackerOutcome {
	/** A new state object; the input state is never changed. */
	state: TrackerState;
	/** One per input result, in input order. */
	items: TrackedItem[];
}
