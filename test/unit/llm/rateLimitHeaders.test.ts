import {
	msUntil,
	parseAnthropicRateLimitHeaders,
	parseDuration,
	parseXRateLimitHeaders,
	tightestLimit,
} from '../../../nodes/LlmDiagnose/providers/rateLimitHeaders';

describe('parseDuration (Go-style durations of x-ratelimit-reset-*)', () => {
	test.each([
		['12ms', 12],
		['7.66s', 7660],
		['2m59.56s', 179_560],
		['23h59m1s', 86_341_000],
		['1h0m0s', 3_600_000],
		['0s', 0],
		['1m30ms', 60_030],
		['500us', 1],
		['1.5', 1500],
		[' 7.66s ', 7660],
	])('%s → %d ms', (text, ms) => {
		expect(parseDuration(text)).toBe(ms);
	});

	test.each(['', 'soon', '5 minutes', '2m59.56', 's', '-3s', '3x', '3s and more'])('%j is not a duration', (text) => {
		expect(parseDuration(text)).toBeUndefined();
	});
});

describe('parseXRateLimitHeaders (Groq, OpenAI)', () => {
	test('reads every field, resets as durations', () => {
		expect(
			parseXRateLimitHeaders({
				'x-ratelimit-limit-requests': '14400',
				'x-ratelimit-remaining-requests': '14370',
				'x-ratelimit-limit-tokens': '6000',
				'x-ratelimit-remaining-tokens': '5997',
				'x-ratelimit-reset-requests': '2m59.56s',
				'x-ratelimit-reset-tokens': '12ms',
				'x-request-id': 'req_1',
			}),
		).toEqual({
			requestsLimit: 14400,
			requestsRemaining: 14370,
			tokensLimit: 6000,
			tokensRemaining: 5997,
			requestsResetMs: 179_560,
			tokensResetMs: 12,
		});
	});

	test('absent or unreadable values are left out, so no headers give {}', () => {
		expect(parseXRateLimitHeaders({})).toEqual({});
		expect(
			parseXRateLimitHeaders({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-limit-tokens': 'lots', 'x-ratelimit-reset-tokens': 'whenever' }),
		).toEqual({ tokensRemaining: 0 });
	});
});

describe('parseAnthropicRateLimitHeaders', () => {
	const now = Date.parse('2026-03-01T12:00:00Z');

	test('reads requests and combined tokens, resets as RFC 3339 instants relative to now', () => {
		expect(
			parseAnthropicRateLimitHeaders(
				{
					'anthropic-ratelimit-requests-limit': '50',
					'anthropic-ratelimit-requests-remaining': '49',
					'anthropic-ratelimit-requests-reset': '2026-03-01T12:00:30Z',
					'anthropic-ratelimit-tokens-limit': '38000',
					'anthropic-ratelimit-tokens-remaining': '37000',
					'anthropic-ratelimit-tokens-reset': '2026-03-01T12:01:00Z',
					'anthropic-ratelimit-input-tokens-limit': '30000',
					'anthropic-ratelimit-input-tokens-remaining': '1',
				},
				now,
			),
		).toEqual({ requestsLimit: 50, requestsRemaining: 49, requestsResetMs: 30_000, tokensLimit: 38000, tokensRemaining: 37000, tokensResetMs: 60_000 });
	});

	test('falls back to the input-token limit when the combined one is not sent', () => {
		expect(
			parseAnthropicRateLimitHeaders(
				{
					'anthropic-ratelimit-input-tokens-limit': '30000',
					'anthropic-ratelimit-input-tokens-remaining': '120',
					'anthropic-ratelimit-input-tokens-reset': '2026-03-01T12:00:05Z',
				},
				now,
			),
		).toEqual({ tokensLimit: 30000, tokensRemaining: 120, tokensResetMs: 5000 });
	});

	test('a reset in the past is 0 ms; an unreadable one is left out', () => {
		expect(msUntil('2026-03-01T11:00:00Z', now)).toBe(0);
		expect(msUntil('tomorrow-ish', now)).toBeUndefined();
		expect(parseAnthropicRateLimitHeaders({ 'anthropic-ratelimit-requests-reset': 'nope' }, now)).toEqual({});
	});
});

describe('tightestLimit', () => {
	test('picks the limit with the smallest share left', () => {
		expect(tightestLimit({ requestsLimit: 100, requestsRemaining: 50, tokensLimit: 1000, tokensRemaining: 20, tokensResetMs: 900 })).toEqual({
			kind: 'tokens',
			remaining: 20,
			limit: 1000,
			ratio: 0.02,
			resetMs: 900,
		});
		expect(tightestLimit({ requestsLimit: 10, requestsRemaining: 0, tokensLimit: 1000, tokensRemaining: 999 })).toMatchObject({ kind: 'requests', ratio: 0 });
	});

	test('needs both remaining and a positive limit', () => {
		expect(tightestLimit({})).toBeUndefined();
		expect(tightestLimit({ requestsRemaining: 5 })).toBeUndefined();
		expect(tightestLimit({ tokensRemaining: 5, tokensLimit: 0 })).toBeUndefined();
	});
});
