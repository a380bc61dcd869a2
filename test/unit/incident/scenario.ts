/**
 * A table-driven runner for tracker scenarios: a list of steps (a tick's results, a
 * re-check, recovery results, pause/resume/reset) at given times. Between every step
 * the state goes through JSON (as n8n static data does) and is deep-frozen, so any
 * mutation of the input state throws; every input is checked against the contract.
 */
import type { CheckResult, RecoveryResult } from '../../../nodes/shared/contract';
import { validateCheckResult, validateRecoveryResult } from '../../../nodes/shared/validate';
import { pause, reset, resume } from '../../../nodes/shared/incident/controls';
import { createTrackerState } from '../../../nodes/shared/incident/state';
import { trackRecovery, trackResults } from '../../../nodes/shared/incident/tracker';
import type { TrackedItem, TrackerOptionsInput, TrackerState } from '../../../nodes/shared/incident/types';

export type Step =
	| { at: number; tick: CheckResult[]; expect?: string[] }
	| { at: number; recovery: RecoveryResult[]; expect?: string[] }
	| { at: number; pause: { until: number; reason: string } }
	| { at: number; resume: true }
	| { at: number; reset: string; by?: string };

export interface LoggedItem extends TrackedItem {
	at: number;
	step: number;
}

export interface ScenarioRun {
	state: TrackerState;
	items: LoggedItem[];
	/** Per step with items: the compact decisions, e.g. ['confirm'], ['resolved!']. */
	decisions: string[][];
	alerts: LoggedItem[];
}

/** `decision` plus "!" when the item is an alert to send. */
export function compact(item: TrackedItem): string {
	return `${item.decision}${item.alert ? '!' : ''}`;
}

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null) {
		for (const child of Object.values(value)) deepFreeze(child);
		Object.freeze(value);
	}
	return value;
}

/** Ticks of the same results every `everyMs` from `from` (inclusive) while < `until`. */
export function ticks(from: number, until: number, everyMs: number, results: () => CheckResult[], expect?: string[]): Step[] {
	const steps: Step[] = [];
	for (let at = from; at < until; at += everyMs) steps.push({ at, tick: results(), ...(expect ? { expect } : {}) });
	return steps;
}

export function runScenario(steps: Step[], options: TrackerOptionsInput = {}, initial: TrackerState = createTrackerState()): ScenarioRun {
	let state = initial;
	const items: LoggedItem[] = [];
	const decisions: string[][] = [];
	steps.forEach((step, index) => {
		// What survives a save to workflow static data, frozen so a mutation would throw.
		const input = deepFreeze(JSON.parse(JSON.stringify(state)) as TrackerState);
		const before = JSON.stringify(input);
		let out: TrackedItem[] | undefined;
		if ('tick' in step) {
			for (const result of step.tick) expect(validateCheckResult(result)).toEqual([]);
			({ state, items: out } = trackResults(input, step.tick, options, step.at));
		} else if ('recovery' in step) {
			for (const result of step.recovery) expect(validateRecoveryResult(result)).toEqual([]);
			({ state, items: out } = trackRecovery(input, step.recovery, options, step.at));
		} else if ('pause' in step) {
			state = pause(input, step.pause.until, step.pause.reason, step.at);
		} else if ('resume' in step) {
			state = resume(input, step.at);
		} else {
			state = reset(input, step.reset, step.at, step.by);
		}
		expect(JSON.stringify(input)).toBe(before);
		expect(state).not.toBe(input);
		expect(JSON.parse(JSON.stringify(state))).toEqual(state);
		if (!out) return;
		const got = out.map(compact);
		decisions.push(got);
		if ('expect' in step && step.expect) {
			// The step index in the message makes a failing table row easy to find.
			expect({ step: index, at: step.at, decisions: got }).toEqual({ step: index, at: step.at, decisions: step.expect });
		}
		for (const item of out) items.push({ ...item, at: step.at, step: index });
	});
	return { state, items, decisions, alerts: items.filter((item) => item.alert) };
}
