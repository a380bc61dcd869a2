/** Checks what a caller feeds the tracker; misuse throws TrackerInputError naming the parameter. */
import type { CheckResult, RecoveryResult } from '../contract';
import { validateCheckResult, validateRecoveryResult } from '../validate';
import { TrackerInputError } from './errors';
import { incidentKey } from './keys';

export function checkNow(now: unknown): number {
	if (typeof now !== 'number' || !Number.isFinite(now) || now < 0) {
		throw new TrackerInputError(`now must be a time in epoch milliseconds, got ${JSON.stringify(now)}`);
	}
	return now;
}

/**
 * Every item must be a contract result, and a target may appear once per call: the
 * tracker makes exactly one decision per target and cycle.
 */
function checkList<T extends CheckResult>(values: unknown, name: string, validate: (value: unknown) => string[]): T[] {
	if (!Array.isArray(values)) throw new TrackerInputError(`${name} must be an array of results`);
	const seen = new Set<string>();
	values.forEach((value: unknown, i) => {
		const problems = validate(value);
		if (problems.length > 0) throw new TrackerInputError(`${name}[${i}] is not a valid result: ${problems.join('; ')}`);
		const result = value as T;
		const key = incidentKey(result.component, result.target, result.probe);
		if (seen.has(key)) throw new TrackerInputError(`${name}[${i}] repeats ${key}: one result per target per call`);
		seen.add(key);
	});
	return values as T[];
}

export function checkResults(values: unknown): CheckResult[] {
	return checkList<CheckResult>(values, 'results', validateCheckResult);
}

export function checkRecoveries(values: unknown): RecoveryResult[] {
	return checkList<RecoveryResult>(values, 'recoveries', validateRecoveryResult);
}
