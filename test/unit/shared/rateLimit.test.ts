/**
 * The one 429 policy (shared/rateLimit): how the wait is read, and when a rate-limited
 * call is tried again (once, only with a wait, only when the wait leaves the retry a
 * tenth of the budget before the deadline). The HTTP helper, the LLM chain and Groq
 * follow it; their suites check that they do.
 */
import { afterRateLimit, MIN_CALL_MS, parseRetryAfter, retryAfterFact, SDK_MAX_RETRIES } from '../../../nodes/shared/rateLimit';

describe('parseRetryAfter', () => {
	test.each([
		[{ 'retry-after': '3' }, 3_000],
		[{ 'retry-after': '0.5' }, 500],
		[{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
		[{ 'retry-after-ms': 'soon', 'retry-after': '9' }, 9_000],
		[{ 'retry-after': 'Sat, 21 Nov 2026 10:00:05 GMT' }, 5_000],
		[{ 'retry-after': 'Sat, 21 Nov 2026 09:59:00 GMT' }, 0],
		[{ 'retry-after': 'soon' }, null],
		[{ 'retry-after': '-1' }, null],
		[{ 'retry-after': ' ' }, null],
		[{}, null],
	])('%j → %s', (headers, expected) => {
		expect(parseRetryAfter(headers, Date.parse('2026-11-21T10:00:00Z'))).toBe(expected);
	});
});

describe('afterRateLimit', () => {
	const first = { tries: 1, leftMs: 10_000, budgetMs: 10_000 };

	test('a wait that leaves the retry a tenth of the budget: wait, then retry', () => {
		expect(afterRateLimit({ ...first, retryAfterMs: 3_000 })).toEqual({ retry: true, waitMs: 3_000 });
		expect(afterRateLimit({ ...first, retryAfterMs: 9_000 })).toEqual({ retry: true, waitMs: 9_000 });
		expect(afterRateLimit({ ...first, retryAfterMs: 0 })).toEqual({ retry: true, waitMs: 0 });
	});

	test('a wait that does not leave that much: no retry, too long', () => {
		expect(afterRateLimit({ ...first, retryAfterMs: 9_001 })).toEqual({ retry: false, why: 'too_long' });
		// Time already spent counts: 4 s left of 10 s.
		expect(afterRateLimit({ ...first, leftMs: 4_000, retryAfterMs: 3_500 })).toEqual({ retry: false, why: 'too_long' });
	});

	test('a small budget still keeps MIN_CALL_MS for the retry', () => {
		expect(afterRateLimit({ tries: 1, leftMs: 100, budgetMs: 100, retryAfterMs: 100 - MIN_CALL_MS })).toEqual({ retry: true, waitMs: 80 });
		expect(afterRateLimit({ tries: 1, leftMs: 100, budgetMs: 100, retryAfterMs: 81 })).toMatchObject({ retry: false, why: 'too_long' });
	});

	test('no wait given (or not a usable one): no retry', () => {
		for (const retryAfterMs of [null, undefined, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
			expect(afterRateLimit({ ...first, retryAfterMs })).toEqual({ retry: false, why: 'no_wait' });
		}
	});

	test('two tries at the most: a second 429 is final', () => {
		expect(afterRateLimit({ ...first, tries: 2, retryAfterMs: 10 })).toEqual({ retry: false, why: 'tries_spent' });
	});

	test('SDKs make one attempt: the policy decides any retry', () => {
		expect(SDK_MAX_RETRIES).toBe(0);
	});
});

describe('retryAfterFact: one wording of what the reply said, for every classifier', () => {
	test.each([
		[7_000, 'retry after 7 s'],
		[1_200, 'retry after 2 s'],
		[0, 'retry after 0 s'],
		[null, 'no Retry-After sent'],
		[undefined, 'no Retry-After sent'],
		[-5, 'no Retry-After sent'],
		[Number.NaN, 'no Retry-After sent'],
	])('%p → %s', (ms, text) => {
		expect(retryAfterFact(ms)).toBe(text);
	});

	test('it follows the headers through parseRetryAfter', () => {
		expect(retryAfterFact(parseRetryAfter({ 'retry-after': '180' }))).toBe('retry after 180 s');
		expect(retryAfterFact(parseRetryAfter({}))).toBe('no Retry-After sent');
	});
});
