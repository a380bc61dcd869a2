/**
 * The status page's vocabulary: what the tracker remembers for it (the last
 * observation of each target, resolved incidents kept for availability) and the plain
 * model the page is rendered from. JSON-serialisable data; times are epoch ms in the
 * state and ISO-8601 plus display text in the model.
 */
import type { ActionId, Component, Status } from '../../shared/contract';
import type { Language } from '../../shared/alerts/phrases';
import type { EscalationReason } from '../../shared/incident/types';

// What the tracker remembers for the page is defined once, with the tracker's state.
export type { ClosedIncidentSpan, ObservedStatus } from '../../shared/incident/types';

/** A status as the page shows it: `unknown` when the last check is too old (or there is none). */
export type PageStatus = Status | 'unknown';

export interface Availability {
	/** 0..1 rounded to 4 decimals; null when nothing of the window was tracked. */
	ratio: number | null;
	downMs: number;
	/** Degraded but not down. */
	degradedMs: number;
	/** The part of the window the tracker was running. */
	coveredMs: number;
}

export interface TargetView {
	target: string;
	/** The owner's name for it (Target Names), else the id. */
	name: string;
	status: PageStatus;
	/** What the last check said, even when it is stale. */
	lastStatus: Status;
	checkedAt: string;
	checkedAgo: string;
	stale: boolean;
}

export interface IncidentView {
	id: string;
	target: string;
	/** The owner's name for the target, else its id. */
	name: string;
	/** The worst status seen during the incident. */
	status: 'degraded' | 'down';
	openedAt: string;
	openedAtText: string;
	ageMs: number;
	age: string;
	escalated: boolean;
	escalationReason?: EscalationReason;
	attempts: number;
	causeCode: string;
	/** Redacted, one line, at most ~140 characters; '' when the message was only a raw body. */
	causeMessage: string;
	needsHuman: boolean;
}

export interface ComponentView {
	component: Component;
	status: PageStatus;
	targets: TargetView[];
	/** The newest check of any of its targets. */
	lastCheckedAt: string | null;
	lastCheckedAgo: string | null;
	incidents: IncidentView[];
	availability: { day: Availability; week: Availability };
}

/**
 * `escalated`: the action was to tell a person (notify.escalate), which fixes nothing by itself;
 * `not_needed`: the target was already healthy, nothing was attempted.
 */
export type RecoveryOutcome = 'success' | 'failed' | 'escalated' | 'dry_run' | 'not_needed';

export interface RecoveryView {
	at: string;
	atText: string;
	component: Component | null;
	target: string | null;
	/** The owner's name for the target, else its id (null with the target). */
	name: string | null;
	action: ActionId | null;
	outcome: RecoveryOutcome;
	/** formatDuration of the execution; null when unknown. */
	duration: string | null;
	manual: boolean;
	/** Only http(s) execution links. */
	link: string | null;
}

export interface PauseView {
	until: string;
	untilText: string;
	remaining: string;
	reason: string;
	setBy?: string;
}

export interface StatusPageModel {
	language: Language;
	title: string;
	/** IANA timezone the *Text times are in. */
	timezone: string;
	generatedAt: string;
	generatedAtText: string;
	/** Worst of the components (unknown ranks between healthy and degraded); unknown when none has data. */
	overall: PageStatus;
	/** Components observed or with open incidents, in contract order; empty: "no data yet". */
	components: ComponentView[];
	/** Components without observations or incidents (the page says "no data"). */
	withoutData: Component[];
	pause?: PauseView;
	/** The newest first, at most 10; null when the history could not be read. */
	recoveries: RecoveryView[] | null;
	recoveriesNote?: string;
}
