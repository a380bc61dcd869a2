import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import { commonCause } from '../../../nodes/shared/causes';
import type { CheckResult } from '../../../nodes/shared/contract';
import { validateCheckResult } from '../../../nodes/shared/validate';
import {
	isUsable,
	LlmSelectionError,
	providerOfLlmResult,
	selectLlmProvider,
} from '../../../nodes/LlmDiagnose/providers/selectLlmProvider';

type Shape = 'healthy' | 'rate_limited' | 'low_headroom' | 'slow_degraded' | 'down_auth' | 'down_timeout';

/** A check result of the shape checkLlmProvider produces. */
function result(target: string, shape: Shape): CheckResult {
	const recorder = new CheckRecorder('llm', target);
	recorder.pass('api_key', 'key accepted');
	switch (shape) {
		case 'healthy':
			recorder.pass('completion', 'answered');
			break;
		case 'rate_limited':
			recorder.degrade('completion', commonCause('provider.rate_limited', `${target} is rate limiting (retry after 3 s).`));
			recorder.degrade('rate_limit_headroom', commonCause('provider.rate_limited', 'no tokens left'));
			break;
		case 'low_headroom':
			recorder.pass('completion', 'answered');
			recorder.degrade('rate_limit_headroom', commonCause('provider.rate_limited', '3 of 6000 tokens left'));
			break;
		case 'slow_degraded':
			recorder.degrade('completion', { code: 'llm.slow', message: `${target} took 9 s.`, retryable: true, needsHuman: false });
			break;
		case 'down_auth':
			recorder.fail('completion', commonCause('auth.invalid_credentials', `${target} refused the API key.`));
			break;
		case 'down_timeout':
			recorder.fail('completion', commonCause('net.timeout', `${target} did not answer in time.`));
			break;
	}
	const built = recorder.result({ model: 'm' });
	expect(validateCheckResult(built)).toEqual([]);
	return built;
}

describe('selectLlmProvider', () => {
	test.each([
		[['healthy', 'healthy', 'healthy'], 'groq', false],
		[['rate_limited', 'healthy', 'healthy'], 'groq', false],
		[['low_headroom', 'healthy', 'healthy'], 'groq', false],
		[['down_auth', 'healthy', 'healthy'], 'openai', true],
		[['down_timeout', 'rate_limited', 'healthy'], 'openai', true],
		[['slow_degraded', 'healthy', 'down_auth'], 'openai', true],
		[['down_auth', 'down_timeout', 'healthy'], 'anthropic', true],
		[['down_auth', 'slow_degraded', 'low_headroom'], 'anthropic', true],
		[['down_auth', 'down_timeout', 'slow_degraded'], null, false],
	] as Array<[Shape[], string | null, boolean]>)('chain %j → use %s (fallback %s)', (shapes, use, fallback) => {
		const targets = ['groq', 'openai', 'anthropic'];
		const selection = selectLlmProvider(shapes.map((shape, i) => result(targets[i], shape)));
		expect(selection.use).toBe(use);
		expect(selection.fallback).toBe(fallback);
		expect(selection.reason.length).toBeGreaterThan(10);
	});

	test('the chain order decides, not the provider names', () => {
		expect(selectLlmProvider([result('anthropic', 'healthy'), result('groq', 'healthy')])).toMatchObject({ use: 'anthropic', fallback: false });
		expect(selectLlmProvider([result('anthropic', 'down_auth'), result('groq', 'healthy')])).toMatchObject({ use: 'groq', fallback: true });
	});

	test('a single provider: used when usable, none otherwise (never a fallback)', () => {
		expect(selectLlmProvider([result('openai', 'healthy')])).toEqual({ use: 'openai', fallback: false, reason: 'openai works: keep using it.' });
		expect(selectLlmProvider([result('openai', 'down_timeout')])).toMatchObject({ use: null, fallback: false });
	});

	test('the reason names each skipped provider with its cause, and the one to use', () => {
		const selection = selectLlmProvider([result('groq', 'down_auth'), result('openai', 'down_timeout'), result('anthropic', 'rate_limited')]);
		expect(selection.reason).toBe(
			'groq is down (groq refused the API key.); openai is down (openai did not answer in time.); anthropic works but is rate limited: use it as the fallback.',
		);
	});

	test('when nothing is usable the reason lists every provider and points at the rules', () => {
		const selection = selectLlmProvider([result('groq', 'down_auth'), result('openai', 'slow_degraded')]);
		expect(selection.reason).toMatch(/^No LLM provider is usable: groq \(groq refused the API key\.\); openai \(openai took 9 s\.\)\. Diagnose with the fixed rules\.$/);
	});

	test('targets with a suffix (openai:backup) name their provider', () => {
		expect(selectLlmProvider([result('groq', 'down_auth'), result('openai:backup', 'healthy')])).toMatchObject({ use: 'openai', fallback: true });
	});

	test('bad input is the caller\'s mistake: a clear error naming the entry', () => {
		expect(() => selectLlmProvider([])).toThrow(LlmSelectionError);
		expect(() => selectLlmProvider(undefined as unknown as CheckResult[])).toThrow(/at least one LLM provider/);
		const payments = { ...result('groq', 'healthy'), component: 'payments' as const };
		expect(() => selectLlmProvider([result('groq', 'healthy'), payments])).toThrow(/results\[1\] is not an LLM provider check/);
		expect(() => selectLlmProvider([result('mistral', 'healthy')])).toThrow(/results\[0\]/);
		expect(() => selectLlmProvider([null as unknown as CheckResult])).toThrow(LlmSelectionError);
	});
});

describe('isUsable', () => {
	test('healthy, or degraded only by rate limits', () => {
		expect(isUsable(result('groq', 'healthy'))).toBe(true);
		expect(isUsable(result('groq', 'rate_limited'))).toBe(true);
		expect(isUsable(result('groq', 'low_headroom'))).toBe(true);
		expect(isUsable(result('groq', 'slow_degraded'))).toBe(false);
		expect(isUsable(result('groq', 'down_auth'))).toBe(false);
	});

	test('a degraded result mixing a rate limit with another problem is not usable', () => {
		const recorder = new CheckRecorder('llm', 'groq');
		recorder.degrade('completion', commonCause('provider.rate_limited', 'rate limited'));
		recorder.degrade('latency', { code: 'llm.slow', message: 'slow', retryable: true, needsHuman: false });
		expect(isUsable(recorder.result())).toBe(false);
	});

	test('checks without codes fall back to the item cause', () => {
		const base = result('groq', 'low_headroom');
		const uncoded = { ...base, checks: base.checks.map(({ code: _code, ...rest }) => rest) };
		expect(isUsable(uncoded)).toBe(true);
		expect(isUsable({ ...uncoded, cause: commonCause('provider.server_error', 'boom') })).toBe(false);
	});
});

test('providerOfLlmResult reads llm results only', () => {
	expect(providerOfLlmResult({ component: 'llm', target: 'anthropic' })).toBe('anthropic');
	expect(providerOfLlmResult({ component: 'llm', target: 'groq:eu' })).toBe('groq');
	expect(providerOfLlmResult({ component: 'payments', target: 'groq' })).toBeNull();
	expect(providerOfLlmResult({ component: 'llm', target: 'rules' })).toBeNull();
});
