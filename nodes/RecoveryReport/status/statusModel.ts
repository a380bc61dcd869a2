/**
 * Everything the status page shows, as plain data: per component (contract order) its
 * status — the worst of its targets' last checks, `unknown` when a check is too old —
 * its open incidents with their age and a short safe cause, its 24 h / 7 d
 * availability; the pause; an overall banner; the last recoveries. Every text taken
 * from the state or the history is redacted and shortened here, so the renderer only
 * has to escape.
 */
import { COMPONENTS, STATUSES, type Component, type Status } from '../../shared/contract';
import { formatDuration } from '../../shared/alerts/duration';
import { LANGUAGES, type Language } from '../../shared/alerts/phrases';
import type { RecoveryLogEntry } from '../history/logEntry';
import type { OpenIncidentView, TrackerStatus } from '../../shared/incident/controls';
import { DAY_MS, MINUTE_MS, WEEK_MS } from '../../shared/timeUnits';
import { availability } from './availability';
import { targetName, type TargetNames } from './targetNames';
import { StatusParameterError } from './errors';
import { PAGE_PHRASES } from './pagePhrases';
import { safeCauseMessage, safeLine } from './safeText';
import type { ClosedIncidentSpan, ComponentView, IncidentView, ObservedStatus, PageStatus, PauseView, RecoveryView, StatusPageModel, TargetView } from './types';
import { checkTimezone, localClock } from './zonedTime';

const DEFAULT_STALE_AFTER_MS = 15 * MINUTE_MS;
const MAX_RECOVERIES = 10;

export interface StatusModelInput {
	now: number;
	language: Language;
	/** The last observation of each target. */
	observed: ObservedStatus[];
	/** `openIncidents(state, now)`. */
	status: TrackerStatus;
	/** Resolved incidents of the last 7 days. */
	closed: ClosedIncidentSpan[];
	/** When the tracker first ran (availability before it is unknown). */
	trackingSince?: number;
	/** null: the history could not be read. */
	recoveries: RecoveryLogEntry[] | null;
	/** Why the history is missing or partial (shown as is, redacted). */
	recoveriesNote?: string;
	title?: string;
	/** IANA timezone of the times shown; default UTC. */
	timezone?: string;
	/** A check older than this makes its target `unknown`; default 15 min. */
	staleAfterMs?: number;
	/** Secret values to mask wherever they appear. */
	secrets?: string[];
	/** The owner's names for targets (parseTargetNames). */
	targetNames?: TargetNames;
}

/** `unknown` ranks above healthy (it cannot be called healthy) and below a known failure. */
const RANK: Record<PageStatus, number> = { healthy: 0, unknown: 1, degraded: 2, down: 3 };

export function worstPageStatus(statuses: Iterable<PageStatus>): PageStatus | undefined {
	let worst: PageStatus | undefined;
	for (const status of statuses) if (worst === undefined || RANK[status] > RANK[worst]) worst = status;
	return worst;
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isComponent = (value: unknown): value is Component => typeof value === 'string' && (COMPONENTS as readonly string[]).includes(value);
const isStatus = (value: unknown): value is Status => typeof value === 'string' && (STATUSES as readonly string[]).includes(value);

function checkInput(input: StatusModelInput): { timezone: string; staleAfterMs: number; secrets: string[] } {
	if (!isTime(input.now)) throw new StatusParameterError('now', `now must be an epoch time in ms, got ${String(input.now)}`);
	if (!(LANGUAGES as readonly string[]).includes(input.language)) {
		throw new StatusParameterError('language', `language must be one of ${LANGUAGES.join('|')}, got ${JSON.stringify(input.language)}`);
	}
	if (!Array.isArray(input.observed)) throw new StatusParameterError('observed', 'observed must be an array of last observations');
	if (!input.status || !Array.isArray(input.status.incidents)) throw new StatusParameterError('status', 'status must be what openIncidents returns');
	if (!Array.isArray(input.closed)) throw new StatusParameterError('closed', 'closed must be an array of resolved incident spans');
	if (input.recoveries !== null && !Array.isArray(input.recoveries)) throw new StatusParameterError('recoveries', 'recoveries must be an array of log entries or null');
	const staleAfterMs = input.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
	if (!isTime(staleAfterMs) || staleAfterMs <= 0) throw new StatusParameterError('staleAfterMs', `staleAfterMs must be a positive number of ms, got ${String(staleAfterMs)}`);
	const timezone = checkTimezone(input.timezone ?? 'UTC');
	const secrets = input.secrets ?? [];
	if (!Array.isArray(secrets) || secrets.some((s) => typeof s !== 'string')) throw new StatusParameterError('secrets', 'secrets must be an array of strings');
	return { timezone, staleAfterMs, secrets };
}

interface Context {
	now: number;
	language: Language;
	timezone: string;
	staleAfterMs: number;
	secrets: string[];
	targetNames: TargetNames | undefined;
}

/** The newest observation per target; an incident's last check stands in for a target never observed. */
function lastChecks(observed: ObservedStatus[], incidents: OpenIncidentView[]): Map<string, ObservedStatus> {
	const byKey = new Map<string, ObservedStatus>();
	for (const item of observed) {
		// State read back from storage: a malformed entry is skipped, not fatal.
		if (!item || !isComponent(item.component) || typeof item.target !== 'string' || !isStatus(item.status) || !isTime(item.at)) continue;
		const key = `${item.component}:${item.target}`;
		const known = byKey.get(key);
		if (!known || item.at > known.at) byKey.set(key, item);
	}
	for (const { incident } of incidents) {
		if (!byKey.has(incident.key)) byKey.set(incident.key, { component: incident.component, target: incident.target, status: incident.status, at: incident.lastSeenAt });
	}
	return byKey;
}

function targetView(check: ObservedStatus, context: Context): TargetView {
	const stale = context.now - check.at > context.staleAfterMs;
	return {
		target: safeLine(check.target, context.secrets),
		name: safeLine(targetName(check.target, context.targetNames), context.secrets),
		status: stale ? 'unknown' : check.status,
		lastStatus: check.status,
		checkedAt: new Date(check.at).toISOString(),
		checkedAgo: formatDuration(context.now - check.at),
		stale,
	};
}

function incidentView(view: OpenIncidentView, context: Context): IncidentView {
	const { incident } = view;
	return {
		id: safeLine(incident.id, context.secrets, 200),
		target: safeLine(incident.target, context.secrets),
		name: safeLine(targetName(incident.target, context.targetNames), context.secrets),
		status: incident.worstStatus,
		openedAt: new Date(incident.openedAt).toISOString(),
		openedAtText: localClock(incident.openedAt, context.timezone),
		ageMs: view.ageMs,
		age: formatDuration(view.ageMs),
		escalated: view.escalated,
		...(view.escalated && incident.escalationReason ? { escalationReason: incident.escalationReason } : {}),
		attempts: incident.attempts,
		causeCode: safeLine(incident.cause.code, context.secrets, 80),
		causeMessage: safeCauseMessage(incident.cause.message, context.secrets),
		needsHuman: incident.cause.needsHuman,
	};
}

function componentView(component: Component, checks: ObservedStatus[], input: StatusModelInput, context: Context): ComponentView {
	const targets = checks.sort((a, b) => a.target.localeCompare(b.target)).map((check) => targetView(check, context));
	const newest = checks.reduce<number | null>((latest, check) => (latest === null || check.at > latest ? check.at : latest), null);
	const open = input.status.incidents.filter((view) => view.incident.component === component);
	const spans = input.status.incidents.map(({ incident }) => ({ component: incident.component, openedAt: incident.openedAt, worstStatus: incident.worstStatus }));
	const windowOf = (windowMs: number) =>
		availability({ component, now: context.now, windowMs, trackingSince: input.trackingSince, closed: input.closed, open: spans });
	return {
		component,
		status: worstPageStatus(targets.map((t) => t.status)) ?? 'unknown',
		targets,
		lastCheckedAt: newest === null ? null : new Date(newest).toISOString(),
		lastCheckedAgo: newest === null ? null : formatDuration(context.now - newest),
		incidents: open.map((view) => incidentView(view, context)),
		availability: { day: windowOf(DAY_MS), week: windowOf(WEEK_MS) },
	};
}

function recoveryView(entry: RecoveryLogEntry, at: number, context: Context): RecoveryView {
	const url = typeof entry.executionUrl === 'string' ? entry.executionUrl.trim() : '';
	return {
		at: new Date(at).toISOString(),
		atText: localClock(at, context.timezone),
		component: isComponent(entry.component) ? entry.component : null,
		target: typeof entry.target === 'string' ? safeLine(entry.target, context.secrets) : null,
		name: typeof entry.target === 'string' ? safeLine(targetName(entry.target, context.targetNames), context.secrets) : null,
		action: entry.action,
		outcome: entry.notNeeded ? 'not_needed' : entry.dryRun ? 'dry_run' : entry.success ? 'success' : entry.action === 'notify.escalate' ? 'escalated' : 'failed',
		duration: isTime(entry.durationMs) ? formatDuration(entry.durationMs) : null,
		manual: entry.manual === true,
		// Only web links become links (a "javascript:" URL is dropped).
		link: /^https?:\/\//i.test(url) ? safeLine(url, context.secrets, 500) : null,
	};
}

function recoveryViews(entries: RecoveryLogEntry[], context: Context): RecoveryView[] {
	return entries
		.map((entry) => ({ entry, at: entry && typeof entry.timestamp === 'string' ? Date.parse(entry.timestamp) : NaN }))
		.filter(({ at }) => Number.isFinite(at))
		.sort((a, b) => b.at - a.at)
		.slice(0, MAX_RECOVERIES)
		.map(({ entry, at }) => recoveryView(entry, at, context));
}

function pauseView(status: TrackerStatus, context: Context): PauseView | undefined {
	const pause = status.pause;
	if (!status.paused || !pause || !isTime(pause.until)) return undefined;
	return {
		until: new Date(pause.until).toISOString(),
		untilText: localClock(pause.until, context.timezone),
		remaining: formatDuration(pause.until - context.now),
		reason: safeLine(String(pause.reason ?? ''), context.secrets),
		...(typeof pause.setBy === 'string' && pause.setBy.trim() !== '' ? { setBy: safeLine(pause.setBy, context.secrets, 60) } : {}),
	};
}

export function buildStatusModel(input: StatusModelInput): StatusPageModel {
	const checked = checkInput(input);
	const context: Context = { now: input.now, language: input.language, ...checked, targetNames: input.targetNames };
	const byComponent = new Map<Component, ObservedStatus[]>();
	for (const check of lastChecks(input.observed, input.status.incidents).values()) {
		byComponent.set(check.component, [...(byComponent.get(check.component) ?? []), check]);
	}
	const components = COMPONENTS.filter((c) => byComponent.has(c)).map((c) => componentView(c, byComponent.get(c) ?? [], input, context));
	const pause = pauseView(input.status, context);
	const title = typeof input.title === 'string' && input.title.trim() !== '' ? safeLine(input.title, context.secrets, 80) : PAGE_PHRASES[input.language].defaultTitle;
	const note = typeof input.recoveriesNote === 'string' && input.recoveriesNote.trim() !== '' ? safeCauseMessage(input.recoveriesNote, context.secrets) : '';
	return {
		language: input.language,
		title,
		timezone: context.timezone,
		generatedAt: new Date(input.now).toISOString(),
		generatedAtText: localClock(input.now, context.timezone),
		overall: worstPageStatus(components.map((c) => c.status)) ?? 'unknown',
		components,
		withoutData: COMPONENTS.filter((c) => !byComponent.has(c)),
		...(pause ? { pause } : {}),
		recoveries: input.recoveries === null ? null : recoveryViews(input.recoveries, context),
		...(note ? { recoveriesNote: note } : {}),
	};
}
