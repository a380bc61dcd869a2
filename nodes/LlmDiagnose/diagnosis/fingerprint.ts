/**
 * The diagnosis fingerprint: a stable hash of component + cause code + the cause
 * message with everything that changes between two occurrences of the same failure
 * (timestamps, latencies, ids, urls, counts) replaced by placeholders. The cache keys
 * on it, so a storm of identical failures costs one LLM call. The target is not part
 * of it (contract: component + normalised cause).
 */
import { createHash } from 'node:crypto';
import type { Cause, CheckResult } from '../../shared/contract';

/** A result the diagnosis cannot work on (healthy, or unhealthy without a cause). */
export class UndiagnosableResultError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UndiagnosableResultError';
	}
}

/** The cause of an unhealthy result; throws for a healthy one or one missing its cause. */
export function causeToDiagnose(result: CheckResult): Cause {
	if (result.status === 'healthy') {
		throw new UndiagnosableResultError(`result: ${result.component} ${result.target} is healthy; only unhealthy results are diagnosed`);
	}
	const cause = result.cause;
	if (!cause || typeof cause.code !== 'string' || typeof cause.message !== 'string') {
		throw new UndiagnosableResultError(`result: ${result.component} ${result.target} is ${result.status} but carries no cause (code and message)`);
	}
	return cause;
}

// Order matters: whole shapes (urls, timestamps, uuids, ids) before bare numbers.
const NORMALISERS: Array<[RegExp, string]> = [
	[/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/g, '<url>'],
	[/\b\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?/g, '<time>'],
	[/\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\b/g, '<time>'],
	[/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<id>'],
	[/\b0x[0-9a-f]+\b/g, '<id>'],
	[/\b\d+(?:\.\d+)?\s*(?:ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)\b/g, '<duration>'],
	// Hex ids and request ids: a long token that mixes letters and digits.
	[/\b(?=[a-z0-9_-]*\d)(?=[a-z0-9_-]*[a-z])[a-z0-9_-]{8,}\b/g, '<id>'],
	[/\d+(?:[.,]\d+)*/g, '<n>'],
];

/** The cause message with its volatile parts replaced: lowercase, one space between words. */
export function normaliseCauseMessage(message: string): string {
	let text = message.toLowerCase();
	for (const [pattern, placeholder] of NORMALISERS) text = text.replace(pattern, placeholder);
	return text.replace(/\s+/g, ' ').trim();
}

/** sha256 of component, cause code and normalised message; the first 16 hex digits. */
export function diagnosisFingerprint(result: CheckResult): string {
	const cause = causeToDiagnose(result);
	const material = [result.component, cause.code, normaliseCauseMessage(cause.message)].join('\n');
	return createHash('sha256').update(material, 'utf8').digest('hex').slice(0, 16);
}
