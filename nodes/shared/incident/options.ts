/** The tracker's defaults and the check of what a caller passes. */
import { TrackerOptionError } from './errors';
import type { BudgetOptions, TrackerOptions, TrackerOptionsInput } from './types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const DEFAULT_BUDGET: Readonly<BudgetOptions> = Object.freeze({
	maxActions: 3,
	windowMs: HOUR,
	firstGapMs: 0,
	gapMs: 5 * MINUTE,
	gapFactor: 2,
});

const DEFAULT_TRACKER_OPTIONS: Readonly<TrackerOptions> = Object.freeze({
	confirmDelayMs: 20_000,
	// Two 5-minute ticks: a lost re-check is confirmed by the next tick instead.
	confirmWindowMs: 10 * MINUTE,
	successThreshold: 1,
	reminderIntervalMs: 4 * HOUR,
	budget: DEFAULT_BUDGET,
	groupNetworkCauses: true,
	allowOneActionWhenNeedsHuman: false,
});

function number(value: unknown, name: string, { min, integer = false, above = false }: { min: number; integer?: boolean; above?: boolean }): number {
	const ok =
		typeof value === 'number' &&
		Number.isFinite(value) &&
		(above ? value > min : value >= min) &&
		(!integer || Number.isInteger(value));
	if (!ok) {
		const kind = integer ? 'an integer' : 'a number';
		throw new TrackerOptionError(`${name} must be ${kind} ${above ? '>' : '≥'} ${min}, got ${JSON.stringify(value)}`);
	}
	return value as number;
}

function flag(value: unknown, name: string): boolean {
	if (typeof value !== 'boolean') throw new TrackerOptionError(`${name} must be true or false, got ${JSON.stringify(value)}`);
	return value;
}

/** Fills defaults and checks every option; throws TrackerOptionError naming the first bad one. */
export function resolveTrackerOptions(input: TrackerOptionsInput = {}): TrackerOptions {
	const merged = { ...DEFAULT_TRACKER_OPTIONS, ...input, budget: { ...DEFAULT_BUDGET, ...(input.budget ?? {}) } };
	const options: TrackerOptions = {
		confirmDelayMs: number(merged.confirmDelayMs, 'confirmDelayMs', { min: 0 }),
		confirmWindowMs: number(merged.confirmWindowMs, 'confirmWindowMs', { min: 0, above: true }),
		successThreshold: number(merged.successThreshold, 'successThreshold', { min: 1, integer: true }),
		reminderIntervalMs: number(merged.reminderIntervalMs, 'reminderIntervalMs', { min: 0, above: true }),
		budget: {
			maxActions: number(merged.budget.maxActions, 'budget.maxActions', { min: 0, integer: true }),
			windowMs: number(merged.budget.windowMs, 'budget.windowMs', { min: 0, above: true }),
			firstGapMs: number(merged.budget.firstGapMs, 'budget.firstGapMs', { min: 0 }),
			gapMs: number(merged.budget.gapMs, 'budget.gapMs', { min: 0 }),
			gapFactor: number(merged.budget.gapFactor, 'budget.gapFactor', { min: 1 }),
		},
		groupNetworkCauses: flag(merged.groupNetworkCauses, 'groupNetworkCauses'),
		allowOneActionWhenNeedsHuman: flag(merged.allowOneActionWhenNeedsHuman, 'allowOneActionWhenNeedsHuman'),
	};
	// A re-check arriving after the window would always start over: no incident could ever open.
	if (options.confirmWindowMs <= options.confirmDelayMs) {
		throw new TrackerOptionError(
			`confirmWindowMs (${options.confirmWindowMs}) must be longer than confirmDelayMs (${options.confirmDelayMs}), or no re-check could confirm a failure`,
		);
	}
	return options;
}
