/**
 * The query parameters of `GET /webhook/auto-recovery` (`limit`) and
 * `GET /webhook/auto-recovery/stats` (`days`). Webhook query values arrive as strings
 * (or arrays when repeated); anything but a whole number in range is a QueryError,
 * which the webhook answers with a 400 and its `{ error, allowed }`.
 */
import { isRecord } from '../../shared/json';
import { redact } from '../../shared/redact';
import { QueryError } from './errors';

interface IntegerRange {
	min: number;
	max: number;
	fallback: number;
}

const STATS_DAYS: IntegerRange = { min: 1, max: 90, fallback: 7 };
const LOG_LIMIT: IntegerRange = { min: 1, max: 200, fallback: 20 };

/** The value as the caller sent it, for the error message: redacted and short. */
function shown(value: unknown): string {
	// A repeated parameter (?days=1&days=2) arrives as a list.
	if (Array.isArray(value)) return 'a list (give it once)';
	if (typeof value === 'string' || typeof value === 'number') return JSON.stringify(redact(String(value)).slice(0, 40));
	return typeof value;
}

function integerParameter(query: Record<string, unknown>, name: string, range: IntegerRange): number {
	const allowed = `a whole number from ${range.min} to ${range.max} (default ${range.fallback})`;
	const value = query[name];
	if (value === undefined || value === null) return range.fallback;
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : null;
	const parsed = text !== null && /^\d+$/.test(text) ? Number(text) : Number.NaN;
	if (!Number.isSafeInteger(parsed) || parsed < range.min || parsed > range.max) {
		throw new QueryError(name, `${name} must be ${allowed}, got ${shown(value)}`, allowed);
	}
	return parsed;
}

/** A missing query object (a webhook without parameters) reads as an empty one. */
function queryObject(query: unknown): Record<string, unknown> {
	return isRecord(query) ? query : {};
}

export function parseStatsQuery(query: Record<string, unknown>): { days: number } {
	return { days: integerParameter(queryObject(query), 'days', STATS_DAYS) };
}

export function parseLogQuery(query: Record<string, unknown>): { limit: number } {
	return { limit: integerParameter(queryObject(query), 'limit', LOG_LIMIT) };
}
