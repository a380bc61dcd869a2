/**
 * The one 429 policy, for every client in the package (the shared HTTP helper, the
 * LLM chain, groq-sdk):
 * - the wait is what the provider asks for in `retry-after-ms` or `Retry-After`
 *   (seconds or an HTTP date). Nothing else is a wait: `x-ratelimit-reset-*` and Meta's
 *   usage header are headroom facts, not a request. No wait given: no retry.
 * - at most two tries of one call, the second after that wait;
 * - only when the wait still leaves the retry a tenth of the budget (at least
 *   MIN_CALL_MS) before the deadline, so the longest wait is 90 % of the budget;
 * - SDKs never retry by themselves (groq-sdk would sleep any retry-after, uncapped).
 */

/** What an SDK client is told: no retries of its own, the policy decides. */
export const SDK_MAX_RETRIES = 0;
/** Tries of one call when it is rate limited: the first, and one retry. */
const MAX_TRIES = 2;
/** Below this much time left a call is not worth starting. */
export const MIN_CALL_MS = 20;
/** The share of the budget a retry keeps for itself. */
const RETRY_SHARE = 0.1;

/** Parses retry-after-ms, else Retry-After (seconds or HTTP date), into milliseconds; null when not said. */
export function parseRetryAfter(headers: Record<string, string>, now: number = Date.now()): number | null {
	const ms = headers['retry-after-ms'];
	if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms)) && Number(ms) >= 0) {
		return Math.round(Number(ms));
	}
	const value = headers['retry-after'];
	if (value === undefined || value.trim() === '') return null;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : null;
	const date = Date.parse(value);
	return Number.isNaN(date) ? null : Math.max(0, date - now);
}

interface RateLimitedTry {
	/** The wait the provider asked for (parseRetryAfter), ms; null or undefined when it did not say. */
	retryAfterMs: number | null | undefined;
	/** Tries made of this call so far, the rate-limited one included. */
	tries: number;
	/** Time left before the deadline, and the whole budget, ms. */
	leftMs: number;
	budgetMs: number;
}

type RateLimitDecision = { retry: true; waitMs: number } | { retry: false; why: 'no_wait' | 'tries_spent' | 'too_long' };

/** Whether a rate-limited call is tried again, and after how long. */
export function afterRateLimit(attempt: RateLimitedTry): RateLimitDecision {
	const wait = attempt.retryAfterMs;
	if (typeof wait !== 'number' || !Number.isFinite(wait) || wait < 0) return { retry: false, why: 'no_wait' };
	if (attempt.tries >= MAX_TRIES) return { retry: false, why: 'tries_spent' };
	const reserve = Math.max(MIN_CALL_MS, attempt.budgetMs * RETRY_SHARE);
	return wait + reserve <= attempt.leftMs ? { retry: true, waitMs: wait } : { retry: false, why: 'too_long' };
}

/**
 * The Retry-After fact of a rate-limited reply, worded once for every classifier, from
 * what that reply's headers said (parseRetryAfter): never from what a provider usually sends.
 */
export function retryAfterFact(retryAfterMs: number | null | undefined): string {
	return typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0
		? `retry after ${Math.ceil(retryAfterMs / 1000)} s`
		: 'no Retry-After sent';
}
