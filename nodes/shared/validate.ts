/**
 * Validator for the result contract, used by tests (and by nodes in debug paths)
 * to prove every output item has the shape the workflows branch on. Returns a list
 * of human-readable problems: empty means valid.
 */
import {
	ACTION_IDS,
	ACTIONS_BY_COMPONENT,
	CAUSE_CODE_PATTERN,
	COMPONENTS,
	DIAGNOSIS_SOURCES,
	SEVERITIES,
	STATUSES,
	worstStatus,
	type Component,
	type Status,
} from './contract';
import { isRecord } from './json';

type Problems = string[];


function oneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
	return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function checkNonNegative(value: unknown, path: string, problems: Problems): void {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		problems.push(`${path} must be a non-negative number`);
	}
}

function validateCause(cause: unknown, path: string, problems: Problems): void {
	if (!isRecord(cause)) {
		problems.push(`${path} must be an object`);
		return;
	}
	if (typeof cause.code !== 'string' || !CAUSE_CODE_PATTERN.test(cause.code)) {
		problems.push(`${path}.code must be a dotted id like "net.timeout", got ${JSON.stringify(cause.code)}`);
	}
	if (typeof cause.message !== 'string' || cause.message.trim() === '') {
		problems.push(`${path}.message must be a non-empty sentence`);
	}
	if (typeof cause.retryable !== 'boolean') problems.push(`${path}.retryable must be a boolean`);
	if (typeof cause.needsHuman !== 'boolean') problems.push(`${path}.needsHuman must be a boolean`);
}

export function validateCheckResult(value: unknown): Problems {
	const problems: Problems = [];
	if (!isRecord(value)) return ['result must be an object'];
	if (!oneOf(value.component, COMPONENTS)) {
		problems.push(`component must be one of ${COMPONENTS.join('|')}, got ${JSON.stringify(value.component)}`);
	}
	if (typeof value.target !== 'string' || value.target === '') problems.push('target must be a non-empty string');
	if (value.probe !== undefined && (typeof value.probe !== 'string' || !/^[a-z][a-zA-Z]*$/.test(value.probe))) problems.push('probe must be a word such as "conversation" when present');
	if (!oneOf(value.status, STATUSES)) problems.push(`status must be one of ${STATUSES.join('|')}`);
	if (!Array.isArray(value.checks)) {
		problems.push('checks must be an array');
	} else {
		const statuses: Status[] = [];
		value.checks.forEach((check: unknown, i) => {
			const path = `checks[${i}]`;
			if (!isRecord(check)) {
				problems.push(`${path} must be an object`);
				return;
			}
			if (typeof check.name !== 'string' || check.name === '') problems.push(`${path}.name must be a string`);
			if (!oneOf(check.status, STATUSES)) problems.push(`${path}.status must be a status`);
			else statuses.push(check.status);
			if (typeof check.message !== 'string') problems.push(`${path}.message must be a string`);
			if (check.durationMs !== undefined) checkNonNegative(check.durationMs, `${path}.durationMs`, problems);
		});
		if (oneOf(value.status, STATUSES) && statuses.length === value.checks.length) {
			const worst = worstStatus(statuses);
			if (worst !== value.status) problems.push(`status is ${value.status} but the worst check is ${worst}`);
		}
	}
	if (value.status === 'healthy') {
		if (value.cause !== undefined) problems.push('a healthy result must not carry a cause');
	} else if (value.cause === undefined) {
		problems.push('an unhealthy result must carry a cause');
	} else {
		validateCause(value.cause, 'cause', problems);
	}
	checkNonNegative(value.latencyMs, 'latencyMs', problems);
	if (typeof value.checkedAt !== 'string' || !ISO_UTC.test(value.checkedAt)) {
		problems.push('checkedAt must be an ISO-8601 UTC timestamp');
	}
	if (value.details !== undefined && !isRecord(value.details)) problems.push('details must be an object');
	return problems;
}

export function validateRecoveryResult(value: unknown): Problems {
	const problems = validateCheckResult(value);
	if (!isRecord(value)) return problems;
	const recovery = value.recovery;
	if (!isRecord(recovery)) return [...problems, 'recovery must be an object'];
	if (!oneOf(recovery.action, ACTION_IDS)) problems.push(`recovery.action must be an action id, got ${JSON.stringify(recovery.action)}`);
	for (const flag of ['attempted', 'success'] as const) {
		if (typeof recovery[flag] !== 'boolean') problems.push(`recovery.${flag} must be a boolean`);
	}
	if (recovery.dryRun !== undefined && typeof recovery.dryRun !== 'boolean') problems.push('recovery.dryRun must be a boolean');
	if (!oneOf(recovery.before, STATUSES)) problems.push('recovery.before must be a status');
	if (!oneOf(recovery.after, STATUSES)) problems.push('recovery.after must be a status');
	if (recovery.after !== value.status) problems.push('recovery.after must equal the status of the re-check');
	if (recovery.success === true && recovery.after !== 'healthy') problems.push('recovery.success requires a healthy re-check');
	if (recovery.dryRun === true && recovery.success === true) problems.push('a dry run cannot succeed: nothing was changed');
	if (!Array.isArray(recovery.steps)) {
		problems.push('recovery.steps must be an array');
	} else {
		recovery.steps.forEach((step: unknown, i) => {
			if (!isRecord(step)) return void problems.push(`recovery.steps[${i}] must be an object`);
			if (typeof step.action !== 'string') problems.push(`recovery.steps[${i}].action must be a string`);
			if (typeof step.ok !== 'boolean') problems.push(`recovery.steps[${i}].ok must be a boolean`);
			if (typeof step.message !== 'string') problems.push(`recovery.steps[${i}].message must be a string`);
			checkNonNegative(step.durationMs, `recovery.steps[${i}].durationMs`, problems);
		});
	}
	if (recovery.deadlineMs !== undefined) checkNonNegative(recovery.deadlineMs, 'recovery.deadlineMs', problems);
	if (recovery.deadlineHit !== undefined && typeof recovery.deadlineHit !== 'boolean') problems.push('recovery.deadlineHit must be a boolean');
	if (recovery.changed !== undefined) checkNonNegative(recovery.changed, 'recovery.changed', problems);
	return problems;
}

export function validateDiagnosis(value: unknown, component?: Component): Problems {
	const problems: Problems = [];
	if (!isRecord(value)) return ['diagnosis must be an object'];
	for (const field of ['rootCause', 'summary', 'fingerprint'] as const) {
		if (typeof value[field] !== 'string' || value[field] === '') problems.push(`diagnosis.${field} must be a non-empty string`);
	}
	if (!oneOf(value.severity, SEVERITIES)) problems.push(`diagnosis.severity must be one of ${SEVERITIES.join('|')}`);
	if (typeof value.confidence !== 'number' || value.confidence < 0 || value.confidence > 1) {
		problems.push('diagnosis.confidence must be a number in 0..1');
	}
	if (!oneOf(value.source, DIAGNOSIS_SOURCES)) problems.push(`diagnosis.source must be one of ${DIAGNOSIS_SOURCES.join('|')}`);
	checkNonNegative(value.latencyMs, 'diagnosis.latencyMs', problems);
	const allowed: readonly string[] = component ? ACTIONS_BY_COMPONENT[component] : ACTION_IDS;
	if (!Array.isArray(value.recommendedActions)) {
		problems.push('diagnosis.recommendedActions must be an array');
	} else {
		for (const action of value.recommendedActions) {
			if (typeof action !== 'string' || !allowed.includes(action)) {
				problems.push(`diagnosis.recommendedActions has ${JSON.stringify(action)}, not allowed here`);
			}
		}
	}
	if (!Array.isArray(value.rejected) || value.rejected.some((r) => typeof r !== 'string')) {
		problems.push('diagnosis.rejected must be an array of strings');
	}
	return problems;
}

export function validateDiagnosedResult(value: unknown): Problems {
	const problems = validateCheckResult(value);
	if (!isRecord(value)) return problems;
	const component = oneOf(value.component, COMPONENTS) ? value.component : undefined;
	return [...problems, ...validateDiagnosis(value.diagnosis, component)];
}
