/**
 * llm.use_fallback as a recovery result, from the chain's provider checks: primary
 * usable (healthy, or only rate limited), fallback to the first usable provider (healthy
 * or rate limited), none usable, a single provider, dry runs, the steps, and the
 * parameter errors. Every result passes the contract validator.
 */
import { commonCause } from '../../../nodes/shared/causes';
import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import type { CheckResult, RecoveryResult } from '../../../nodes/shared/contract';
import { validateRecoveryResult } from '../../../nodes/shared/validate';
import { llmFallbackResult, LlmFallbackError, recoverLlm, type LlmProviderCheck } from '../../../nodes/LlmDiagnose/providers/fallbackRecovery';
import { createProvider } from '../../../nodes/LlmDiagnose/providers/createProvider';
import type { LlmProviderName } from '../../../nodes/LlmDiagnose/providers/types';

type Shape = 'healthy' | 'rate_limited' | 'slow_degraded' | 'down_server' | 'down_auth';
const AT = Date.UTC(2026, 0, 15, 10, 0, 0);

/** A check result of the shape checkLlmProvider produces. */
function result(name: LlmProviderName, shape: Shape): CheckResult {
	const recorder = new CheckRecorder('llm', name, () => AT);
	recorder.pass('api_key', `${name} accepted the key.`);
	if (shape === 'healthy') recorder.pass('completion', `${name} answered.`);
	if (shape === 'rate_limited') recorder.degrade('completion', commonCause('provider.rate_limited', `${name} is rate limiting (retry after 3 s).`));
	if (shape === 'slow_degraded') recorder.degrade('completion', { code: 'llm.slow', message: `${name} took 9 s.`, retryable: true, needsHuman: false });
	if (shape === 'down_server') recorder.fail('completion', commonCause('provider.server_error', `${name} answered HTTP 500.`));
	if (shape === 'down_auth') recorder.fail('api_key', commonCause('auth.invalid_credentials', `${name} refused the API key.`));
	return recorder.result({ model: `${name}-model` });
}

const chain = (...shapes: Array<[LlmProviderName, Shape]>): LlmProviderCheck[] => shapes.map(([name, shape], i) => ({ result: result(name, shape), durationMs: 10 * (i + 1) }));

function valid(recovery: RecoveryResult): RecoveryResult {
	expect(validateRecoveryResult(recovery)).toEqual([]);
	expect(recovery.component).toBe('llm');
	return recovery;
}

const run = (checks: LlmProviderCheck[], dryRun = false) => valid(llmFallbackResult(checks, { dryRun }));

describe('llmFallbackResult', () => {
	test('primary healthy: kept, nothing attempted, the item is the primary check', () => {
		const out = run(chain(['groq', 'healthy'], ['openai', 'down_server']));
		expect(out).toMatchObject({ target: 'groq', status: 'healthy', details: { model: 'groq-model', selection: { use: 'groq', fallback: false } } });
		expect(out.recovery).toEqual({
			action: 'llm.use_fallback',
			attempted: false,
			success: false,
			before: 'healthy',
			after: 'healthy',
			steps: [
				{ action: 'check', ok: true, message: 'primary groq: healthy', durationMs: 10 },
				{ action: 'check', ok: false, message: 'fallback 1 openai: down (provider.server_error: openai answered HTTP 500.)', durationMs: 20 },
				{ action: 'select', ok: true, message: 'primary works: nothing to switch. groq works: keep using it.', durationMs: 0 },
			],
		});
	});

	test('primary only rate limited: still usable, kept; the item stays degraded', () => {
		const out = run(chain(['groq', 'rate_limited'], ['openai', 'healthy']));
		expect(out).toMatchObject({ target: 'groq', status: 'degraded', cause: { code: 'provider.rate_limited' } });
		expect(out.recovery).toMatchObject({ action: 'llm.use_fallback', attempted: false, success: false, before: 'degraded', after: 'degraded' });
		expect(out.recovery.steps.at(-1)?.message).toMatch(/groq works but is rate limited: keep using it/);
	});

	test('Groq down (500), OpenAI healthy: fallback to OpenAI, success, the item is the OpenAI check', () => {
		const out = run(chain(['groq', 'down_server'], ['openai', 'healthy'], ['anthropic', 'healthy']));
		expect(out).toMatchObject({ target: 'openai', status: 'healthy', details: { model: 'openai-model', selection: { use: 'openai', fallback: true } } });
		expect(out.cause).toBeUndefined();
		expect(out.recovery).toMatchObject({ action: 'llm.use_fallback', attempted: true, success: true, before: 'down', after: 'healthy' });
		expect(out.recovery.dryRun).toBeUndefined();
		expect(out.recovery.steps.map((step) => [step.action, step.ok])).toEqual([['check', false], ['check', true], ['check', true], ['select', true]]);
		expect(out.recovery.steps[3].message).toMatch(/^groq is down \(groq answered HTTP 500\.\); openai works: use it as the fallback\. Nothing is changed here: .*details\.selection\.use \(openai\)\.$/);
	});

	test('primary degraded for another reason (slow) is not usable: fallback', () => {
		const out = run(chain(['groq', 'slow_degraded'], ['openai', 'healthy']));
		expect(out.recovery).toMatchObject({ action: 'llm.use_fallback', attempted: true, success: true, before: 'degraded', after: 'healthy' });
	});

	test('the first usable fallback is rate limited: used, but no success (not healthy)', () => {
		const out = run(chain(['groq', 'down_auth'], ['openai', 'rate_limited'], ['anthropic', 'healthy']));
		expect(out).toMatchObject({ target: 'openai', status: 'degraded', cause: { code: 'provider.rate_limited' } });
		expect(out.recovery).toMatchObject({ action: 'llm.use_fallback', attempted: true, success: false, before: 'down', after: 'degraded' });
	});

	test('none usable: notify.escalate, nothing attempted, the item is the primary check', () => {
		const out = run(chain(['groq', 'down_server'], ['openai', 'down_auth'], ['anthropic', 'slow_degraded']));
		expect(out).toMatchObject({ target: 'groq', status: 'down', cause: { code: 'provider.server_error' } });
		expect(out.recovery).toMatchObject({ action: 'notify.escalate', attempted: false, success: false, before: 'down', after: 'down' });
		expect(out.recovery.steps.at(-1)).toMatchObject({ action: 'select', ok: false, message: expect.stringMatching(/^No LLM provider is usable: .*fixed rules\. Nothing to switch to: escalate to a person\.$/) });
		expect(out.details?.selection).toMatchObject({ use: null, fallback: false });
	});

	test('a single provider: kept when it works, escalated when it does not', () => {
		expect(run(chain(['openai', 'healthy'])).recovery).toMatchObject({ action: 'llm.use_fallback', attempted: false, steps: [{ message: 'primary openai: healthy' }, { action: 'select' }] });
		expect(run(chain(['openai', 'down_auth'])).recovery).toMatchObject({ action: 'notify.escalate', attempted: false, before: 'down', after: 'down' });
	});

	test('dry run of a fallback: the same decision, marked dry, never a success', () => {
		const out = run(chain(['groq', 'down_server'], ['openai', 'healthy']), true);
		expect(out).toMatchObject({ target: 'openai', status: 'healthy' });
		expect(out.recovery).toMatchObject({ action: 'llm.use_fallback', attempted: true, success: false, dryRun: true });
		expect(out.recovery.steps.at(-1)?.message).toMatch(/^dry run: would switch to openai\. .*Nothing is changed either way/);
	});

	test('dry run when nothing needs switching or nothing works: dryRun set, nothing attempted', () => {
		expect(run(chain(['groq', 'healthy']), true).recovery).toMatchObject({ action: 'llm.use_fallback', attempted: false, success: false, dryRun: true });
		expect(run(chain(['groq', 'down_auth']), true).recovery).toMatchObject({ action: 'notify.escalate', attempted: false, success: false, dryRun: true });
	});

	test('a custom chain order: the first listed is the primary', () => {
		const out = run(chain(['anthropic', 'down_server'], ['groq', 'healthy']));
		expect(out).toMatchObject({ target: 'groq', recovery: { before: 'down', steps: [{ message: expect.stringMatching(/^primary anthropic/) }, { message: expect.stringMatching(/^fallback 1 groq/) }, {}] } });
	});

	describe('the caller\'s mistakes', () => {
		test('no checks: LlmFallbackError naming checks', () => {
			expect(() => llmFallbackResult([], { dryRun: false })).toThrow(new LlmFallbackError('checks', 'checks must list the check of at least one LLM provider, in chain order.'));
		});
		test('a check that is not an LLM provider check, or has no duration', () => {
			const notLlm = { result: { ...result('groq', 'healthy'), component: 'payments' as const }, durationMs: 1 };
			expect(() => llmFallbackResult([notLlm], { dryRun: false })).toThrow(/checks\[0\]\.result must be an LLM provider check/);
			expect(() => llmFallbackResult([{ result: result('groq', 'healthy'), durationMs: Number.POSITIVE_INFINITY }], { dryRun: false })).toThrow(/checks\[0\]\.durationMs/);
			expect(() => llmFallbackResult(chain(['groq', 'healthy']), { dryRun: 1 as unknown as boolean })).toThrow(LlmFallbackError);
		});
		test('errors name their parameter', () => {
			const caught = (fn: () => unknown): unknown => {
				try {
					fn();
				} catch (error) {
					return error;
				}
				return undefined;
			};
			expect(caught(() => llmFallbackResult([], { dryRun: false }))).toMatchObject({ name: 'LlmFallbackError', parameter: 'checks' });
			expect(caught(() => llmFallbackResult(chain(['groq', 'healthy']), { dryRun: 'no' as unknown as boolean }))).toMatchObject({ parameter: 'dryRun' });
		});
		test('recoverLlm refuses an empty provider list and a non-boolean dryRun before any call', async () => {
			await expect(recoverLlm({ providers: [], checkOptions: { timeoutMs: 1000 }, dryRun: false, deadlineMs: 5000 })).rejects.toMatchObject({ parameter: 'providers', message: expect.stringMatching(/providers must list at least one/) });
			// A real client pointed nowhere: the plan is refused before it could be called.
			const groq = createProvider({ name: 'groq', apiKey: 'test-groq-key-not-real', baseUrl: 'http://127.0.0.1:9', model: 'openai/gpt-oss-20b' });
			await expect(recoverLlm({ providers: [groq], checkOptions: { timeoutMs: 1000 }, dryRun: undefined as unknown as boolean, deadlineMs: 5000 })).rejects.toMatchObject({ parameter: 'dryRun' });
		});
	});
});
