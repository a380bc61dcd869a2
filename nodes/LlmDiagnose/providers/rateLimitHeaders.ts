/**
 * Rate-limit headroom from LLM response headers, as pure functions. Groq and OpenAI send
 * `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` with Go-style durations as
 * resets (`2m59.56s`, `7.66s`, `12ms`); Anthropic sends
 * `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`
 * with RFC 3339 instants as resets. Headers are a lower-cased name → value record.
 */
import type { RateLimitHeadroom } from './types';

const DURATION_UNIT_MS: Record<string, number> = {
	h: 3_600_000,
	m: 60_000,
	s: 1000,
	ms: 1,
	us: 0.001,
	'µs': 0.001,
	ns: 0.000001,
};

/** One `<number><unit>` part; `ms` is tried before `m` and `s`. */
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;

/** Go-style duration (`1h2m3.5s`, `12ms`, `0s`) in ms, rounded; undefined when not one. */
export function parseDuration(text: string): number | undefined {
	const value = text.trim();
	if (value === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000); // bare seconds
	DURATION_PART.lastIndex = 0;
	let total = 0;
	let consumed = 0;
	for (let match = DURATION_PART.exec(value); match !== null; match = DURATION_PART.exec(value)) {
		total += Number(match[1]) * DURATION_UNIT_MS[match[2]];
		consumed = DURATION_PART.lastIndex;
	}
	return consumed === value.length ? Math.round(total) : undefined;
}

/** A non-negative integer count, or undefined. */
function count(value: string | undefined): number | undefined {
	if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
	return Math.floor(Number(value));
}

/** Ms from `now` until an RFC 3339 instant (0 when already past), or undefined. */
export function msUntil(instant: string | undefined, now: number): number | undefined {
	if (instant === undefined) return undefined;
	const at = Date.parse(instant.trim());
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Drops the fields that were not sent, so `{}` means "no rate-limit headers". */
function compact(headroom: RateLimitHeadroom): RateLimitHeadroom {
	return Object.fromEntries(Object.entries(headroom).filter(([, v]) => v !== undefined)) as RateLimitHeadroom;
}

/** Groq and OpenAI: `x-ratelimit-*`. */
export function parseXRateLimitHeaders(headers: Record<string, string>): RateLimitHeadroom {
	const duration = (name: string) => {
		const value = headers[name];
		return value === undefined ? undefined : parseDuration(value);
	};
	return compact({
		requestsLimit: count(headers['x-ratelimit-limit-requests']),
		requestsRemaining: count(headers['x-ratelimit-remaining-requests']),
		tokensLimit: count(headers['x-ratelimit-limit-tokens']),
		tokensRemaining: count(headers['x-ratelimit-remaining-tokens']),
		requestsResetMs: duration('x-ratelimit-reset-requests'),
		tokensResetMs: duration('x-ratelimit-reset-tokens'),
	});
}

/**
 * Anthropic: `anthropic-ratelimit-*`. Tokens are the combined `tokens-*` limit when sent,
 * else the input-token limit (the one a diagnosis prompt spends most of).
 */
export function parseAnthropicRateLimitHeaders(headers: Record<string, string>, now: number = Date.now()): RateLimitHeadroom {
	const tokenPrefix = headers['anthropic-ratelimit-tokens-limit'] !== undefined ? 'anthropic-ratelimit-tokens' : 'anthropic-ratelimit-input-tokens';
	return compact({
		requestsLimit: count(headers['anthropic-ratelimit-requests-limit']),
		requestsRemaining: count(headers['anthropic-ratelimit-requests-remaining']),
		tokensLimit: count(headers[`${tokenPrefix}-limit`]),
		tokensRemaining: count(headers[`${tokenPrefix}-remaining`]),
		requestsResetMs: msUntil(headers['anthropic-ratelimit-requests-reset'], now),
		tokensResetMs: msUntil(headers[`${tokenPrefix}-reset`], now),
	});
}

interface TightestLimit {
	kind: 'requests' | 'tokens';
	remaining: number;
	limit: number;
	/** remaining / limit, 0..1. */
	ratio: number;
	resetMs?: number;
}

/** The limit with the least headroom left (by ratio), or undefined when none was reported. */
export function tightestLimit(headroom: RateLimitHeadroom): TightestLimit | undefined {
	const candidates: TightestLimit[] = [];
	const add = (kind: TightestLimit['kind'], remaining?: number, limit?: number, resetMs?: number) => {
		if (remaining === undefined || limit === undefined || limit <= 0) return;
		const ratio = Math.min(1, Math.max(0, remaining / limit));
		candidates.push({ kind, remaining, limit, ratio, ...(resetMs !== undefined ? { resetMs } : {}) });
	};
	add('requests', headroom.requestsRemaining, headroom.requestsLimit, headroom.requestsResetMs);
	add('tokens', headroom.tokensRemaining, headroom.tokensLimit, headroom.tokensResetMs);
	return candidates.sort((a, b) => a.ratio - b.ratio)[0];
}
