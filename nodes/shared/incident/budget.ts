/**
 * The recovery budget of a component: at most `maxActions` automatic actions per
 * window, with growing gaps between them (first after `firstGapMs` from the incident's
 * first failure, then `gapMs`, `gapMs × gapFactor`, ...), shared by all its targets.
 */
import type { Component } from '../contract';
import type { BudgetOptions, BudgetView, TrackerState } from './types';

/** Attempts of the component still inside the window at `now`, oldest first. */
function attemptsInWindow(state: TrackerState, component: Component, options: BudgetOptions, now: number): number[] {
	return (state.budgets[component]?.attempts ?? []).filter((at) => now - at < options.windowMs).sort((a, b) => a - b);
}

/**
 * The budget as seen by an incident opened at `openedAt` (the first gap counts from
 * there); without an incident the first action is allowed at once.
 */
export function budgetView(state: TrackerState, component: Component, options: BudgetOptions, now: number, openedAt?: number): BudgetView {
	const attempts = attemptsInWindow(state, component, options, now);
	const used = attempts.length;
	const max = options.maxActions;
	if (used >= max) return { used, max, spent: true };
	const nextAllowedAt =
		used === 0
			? (openedAt ?? now) + options.firstGapMs
			: attempts[used - 1] + options.gapMs * Math.pow(options.gapFactor, used - 1);
	return { used, max, spent: false, nextAllowedAt };
}

/** Records an authorised action (mutates the given state copy). */
export function spendBudget(state: TrackerState, component: Component, now: number): void {
	const budget = (state.budgets[component] ??= { attempts: [] });
	budget.attempts.push(now);
}
