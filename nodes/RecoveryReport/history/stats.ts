/**
 * Statistics of the recovery log over the last N days: success rates overall and per
 * component, mean time to detect/recover, the most common error and the component that
 * fails most. Dry runs changed nothing, so they are listed in the log but left out here
 * (counted in `excludedDryRuns`). Ratios are rounded to 4 decimals, means to whole ms.
 */
import { COMPONENTS, type Component } from '../../shared/contract';
import { normaliseCauseMessage } from '../../LlmDiagnose/diagnosis/fingerprint';
import { HistoryOptionError } from './errors';
import type { RecoveryLogEntry } from './logEntry';
import { DAY_MS } from '../../shared/timeUnits';

/** The largest time a Date can hold; beyond it the window has no ISO form. */
const MAX_DATE_MS = 8.64e15;
const MAX_DAYS = 36_500;

/** Entries without a known component are counted under this key. */
const UNKNOWN_COMPONENT = 'unknown';
export type ComponentKey = Component | typeof UNKNOWN_COMPONENT;

export interface ComponentStats {
	total: number;
	succeeded: number;
	successRate: number | null;
	meanDetectMs: number | null;
	meanRecoverMs: number | null;
}

export interface RecoveryStats {
	/** The window, ISO-8601 UTC: entries with from <= timestamp <= to. */
	from: string;
	to: string;
	days: number;
	total: number;
	succeeded: number;
	/** 0..1; null when there was no recovery. */
	successRate: number | null;
	/** Dry runs inside the window, not counted anywhere else. */
	excludedDryRuns: number;
	/** Components with at least one recovery, in contract order (unknown last). */
	byComponent: Partial<Record<ComponentKey, ComponentStats>>;
	meanTimeToDetectMs: number | null;
	meanTimeToRecoverMs: number | null;
	/**
	 * Over every counted recovery, failed or not (the cause that triggered it): `text` is the
	 * newest message of the group (already redacted), `normalised` what the group shares.
	 */
	mostCommonError: { text: string; normalised: string; count: number } | null;
	/** The known component with the most failed recoveries; null when none failed. */
	mostProblematicComponent: { component: Component; failures: number; total: number } | null;
	automaticShare: number | null;
	escalatedShare: number | null;
}

interface StatsOptions {
	/** Epoch ms the window ends at. */
	now: number;
	/** Window length in days (the webhook allows 1..90). */
	days: number;
}

function ratio(part: number, whole: number): number | null {
	return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

function mean(values: Array<number | null>): number | null {
	const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
	return known.length === 0 ? null : Math.round(known.reduce((sum, v) => sum + v, 0) / known.length);
}

function componentStats(entries: RecoveryLogEntry[]): ComponentStats {
	const succeeded = entries.filter((e) => e.success).length;
	return {
		total: entries.length,
		succeeded,
		successRate: ratio(succeeded, entries.length),
		meanDetectMs: mean(entries.map((e) => e.detectMs)),
		meanRecoverMs: mean(entries.map((e) => e.recoverMs)),
	};
}

interface ErrorGroup {
	normalised: string;
	text: string;
	count: number;
	newestAt: number;
}

/** Most occurrences; then the group seen most recently; then by text, so the answer is deterministic. */
function mostCommonError(entries: Array<{ entry: RecoveryLogEntry; at: number }>): RecoveryStats['mostCommonError'] {
	const groups = new Map<string, ErrorGroup>();
	for (const { entry, at } of entries) {
		if (entry.error.trim() === '') continue;
		const normalised = normaliseCauseMessage(entry.error);
		const group = groups.get(normalised) ?? { normalised, text: entry.error, count: 0, newestAt: -Infinity };
		group.count += 1;
		if (at > group.newestAt) Object.assign(group, { newestAt: at, text: entry.error });
		groups.set(normalised, group);
	}
	const [best] = [...groups.values()].sort((a, b) => b.count - a.count || b.newestAt - a.newestAt || a.normalised.localeCompare(b.normalised));
	return best ? { text: best.text, normalised: best.normalised, count: best.count } : null;
}

/** Most failures; then most recoveries; then by name. */
function mostProblematic(byComponent: Map<ComponentKey, RecoveryLogEntry[]>): RecoveryStats['mostProblematicComponent'] {
	const candidates = COMPONENTS.flatMap((component) => {
		const entries = byComponent.get(component) ?? [];
		const failures = entries.filter((e) => !e.success).length;
		return failures > 0 ? [{ component, failures, total: entries.length }] : [];
	});
	candidates.sort((a, b) => b.failures - a.failures || b.total - a.total || a.component.localeCompare(b.component));
	return candidates[0] ?? null;
}

function checkOptions(entries: unknown, options: StatsOptions): void {
	if (!Array.isArray(entries)) throw new HistoryOptionError('entries', 'entries must be an array of recovery log entries');
	if (typeof options.now !== 'number' || !Number.isFinite(options.now) || options.now < 0 || options.now > MAX_DATE_MS) {
		throw new HistoryOptionError('now', `now must be an epoch time in ms, got ${String(options.now)}`);
	}
	if (typeof options.days !== 'number' || !Number.isInteger(options.days) || options.days < 1 || options.days > MAX_DAYS) {
		throw new HistoryOptionError('days', `days must be a whole number from 1 to ${MAX_DAYS}, got ${String(options.days)}`);
	}
}

export function recoveryStats(entries: RecoveryLogEntry[], options: StatsOptions): RecoveryStats {
	checkOptions(entries, options);
	const { now, days } = options;
	const from = now - days * DAY_MS;
	const inWindow = entries
		.map((entry) => ({ entry, at: Date.parse(entry.timestamp) }))
		.filter(({ at }) => Number.isFinite(at) && at >= from && at <= now);
	// Dry runs and Recovers that found the target healthy fixed nothing and failed nothing.
	const counted = inWindow.filter(({ entry }) => !entry.dryRun && !entry.notNeeded);
	const recoveries = counted.map(({ entry }) => entry);

	const byComponent = new Map<ComponentKey, RecoveryLogEntry[]>();
	for (const entry of recoveries) {
		const key: ComponentKey = entry.component ?? UNKNOWN_COMPONENT;
		byComponent.set(key, [...(byComponent.get(key) ?? []), entry]);
	}
	const componentTable: RecoveryStats['byComponent'] = {};
	for (const key of [...COMPONENTS, UNKNOWN_COMPONENT] as const) {
		const group = byComponent.get(key);
		if (group) componentTable[key] = componentStats(group);
	}

	const overall = componentStats(recoveries);
	return {
		from: new Date(from).toISOString(),
		to: new Date(now).toISOString(),
		days,
		total: overall.total,
		succeeded: overall.succeeded,
		successRate: overall.successRate,
		excludedDryRuns: inWindow.length - counted.length,
		byComponent: componentTable,
		meanTimeToDetectMs: overall.meanDetectMs,
		meanTimeToRecoverMs: overall.meanRecoverMs,
		mostCommonError: mostCommonError(counted),
		mostProblematicComponent: mostProblematic(byComponent),
		automaticShare: ratio(recoveries.filter((e) => e.automatic).length, recoveries.length),
		escalatedShare: ratio(recoveries.filter((e) => e.escalated).length, recoveries.length),
	};
}
