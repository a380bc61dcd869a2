/**
 * checkLlmProvider against the Groq, OpenAI and Anthropic emulators: a healthy provider,
 * each failure as its status and cause code, low rate-limit headroom as degraded, a
 * missing model as down with a suggestion, and the selection of a provider from real
 * check results. Every result passes the contract validator and carries no API key.
 */
import net, { type AddressInfo } from 'node:net';

import {
	causeOfLlmFailure,
	checkLlmProvider,
	isModelListed,
	LlmCheckOptionsError,
	suggestModel,
} from '../../../nodes/LlmDiagnose/providers/checkProvider';
import { createProvider } from '../../../nodes/LlmDiagnose/providers/createProvider';
import { selectLlmProvider } from '../../../nodes/LlmDiagnose/providers/selectLlmProvider';
import type { LlmFailureKind, LlmProvider, LlmProviderConfig, LlmProviderName } from '../../../nodes/LlmDiagnose/providers/types';
import type { CheckEntry, CheckResult } from '../../../nodes/shared/contract';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { defineEmulator, type Emulator } from '../../../dev/emulators/core/emulator';
import { createAnthropicEmulator, type AnthropicState } from '../../../dev/emulators/llm/anthropic';
import { createGroqEmulator, type GroqState } from '../../../dev/emulators/llm/groq';
import { createOpenAiEmulator, type OpenAiState } from '../../../dev/emulators/llm/openai';

const KEYS: Record<LlmProviderName, string> = {
	groq: 'test-groq-key-not-real',
	openai: 'test-openai-key-not-real',
	anthropic: 'test-anthropic-key-not-real',
};
const WRONG_KEY = 'test-wrong-key-not-real';
const MODELS: Record<LlmProviderName, string> = { groq: 'openai/gpt-oss-20b', openai: 'gpt-4o-mini', anthropic: 'claude-haiku-4-5' };
const TIMEOUT_MS = 2_000;
/**
 * The per-call limit of the hang tests. It also bounds the calls that must succeed before
 * the hung one (key, models list), so it leaves a loaded machine room: at 300 ms the
 * models list of a healthy local emulator timed out in a fresh-system run (two cores,
 * load 15), failing "a hung completion".
 */
const SHORT_TIMEOUT_MS = 1_500;
const SLACK_MS = 1_500;
const CHECK_NAMES = ['api_key', 'model_available', 'completion', 'rate_limit_headroom'];

/** Every result: a valid contract item for component llm, timed, with no key anywhere. */
function checked(result: CheckResult, provider: LlmProviderName): CheckResult {
	expect(validateCheckResult(result)).toEqual([]);
	expect(result.component).toBe('llm');
	expect(result.target).toBe(provider);
	const text = JSON.stringify(result);
	for (const secret of [...Object.values(KEYS), WRONG_KEY]) expect(text).not.toContain(secret);
	expect(text).not.toMatch(/bearer\s+\S{6,}/i);
	return result;
}

function checkOf(result: CheckResult, name: string): CheckEntry {
	const check = result.checks.find((entry) => entry.name === name);
	if (!check) throw new Error(`no check '${name}' in ${result.checks.map((entry) => entry.name).join(', ')}`);
	return check;
}

/** A URL nothing listens on: a port that was free a moment ago (not port 1, which fetch refuses outright). */
async function closedPortUrl(): Promise<string> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}`;
}

const statuses = (result: CheckResult) => result.checks.map((check) => [check.name, check.status]);

let groq: Emulator<GroqState>;
let openai: Emulator<OpenAiState>;
let anthropic: Emulator<AnthropicState>;

beforeAll(async () => {
	groq = await createGroqEmulator({ apiKeys: [KEYS.groq] }).start();
	openai = await createOpenAiEmulator({ apiKeys: [KEYS.openai] }).start();
	anthropic = await createAnthropicEmulator({ apiKeys: [KEYS.anthropic] }).start();
});
afterAll(async () => {
	await Promise.all([groq.close(), openai.close(), anthropic.close()]);
});
beforeEach(() => {
	groq.reset();
	openai.reset();
	anthropic.reset();
});

function providerFor(name: LlmProviderName, overrides: Partial<LlmProviderConfig> = {}): LlmProvider {
	const baseUrl = { groq: groq.url, openai: `${openai.url}/v1`, anthropic: anthropic.url }[name];
	return createProvider({ name, apiKey: KEYS[name], baseUrl, model: MODELS[name], ...overrides });
}

const check = async (name: LlmProviderName, overrides: Partial<LlmProviderConfig> = {}, lowHeadroomRatio?: number) =>
	checked(await checkLlmProvider(providerFor(name, overrides), { timeoutMs: TIMEOUT_MS, ...(lowHeadroomRatio !== undefined ? { lowHeadroomRatio } : {}) }), name);

interface Route {
	emulator: () => { setFault(routeId: string, fault: object): void; requests(routeId?: string): unknown[] };
	models: string;
	completion: string;
}
const ROUTES: Record<LlmProviderName, Route> = {
	groq: { emulator: () => groq, models: 'groq.listModels', completion: 'groq.chatCompletions' },
	openai: { emulator: () => openai, models: 'openai.listModels', completion: 'openai.chatCompletions' },
	anthropic: { emulator: () => anthropic, models: 'anthropic.listModels', completion: 'anthropic.messages' },
};

describe.each(['groq', 'openai', 'anthropic'] as const)('%s', (name) => {
	const route = ROUTES[name];

	test('healthy: every check passes, the completion is timed, details carry model and rate limit', async () => {
		const result = await check(name);
		expect(result.status).toBe('healthy');
		expect(result.cause).toBeUndefined();
		expect(statuses(result)).toEqual(CHECK_NAMES.map((n) => [n, 'healthy']));
		expect(checkOf(result, 'completion').durationMs).toEqual(expect.any(Number));
		expect(checkOf(result, 'completion').message).toMatch(/answered a 1-token completion in \d+ ms/);
		expect(result.details).toMatchObject({ model: MODELS[name], rateLimit: { requestsLimit: expect.any(Number), tokensRemaining: expect.any(Number) } });
		expect(checkOf(result, 'rate_limit_headroom').message).toMatch(/rate limit has room: \d+ of \d+ (requests|tokens) left/);
		// One models list (Anthropic adds one alias lookup) and one completion of one token.
		expect(route.emulator().requests(route.completion)).toHaveLength(1);
		const [completion] = route.emulator().requests(route.completion) as Array<{ body: Record<string, unknown> }>;
		expect(completion.body[name === 'anthropic' ? 'max_tokens' : 'max_completion_tokens']).toBe(1);
	});

	test('a wrong key: down auth.invalid_credentials, needs a human, no completion attempted', async () => {
		const result = await check(name, { apiKey: WRONG_KEY });
		expect(result.status).toBe('down');
		expect(result.cause).toMatchObject({ code: 'auth.invalid_credentials', retryable: false, needsHuman: true });
		expect(statuses(result)).toEqual([['api_key', 'down']]);
		expect(route.emulator().requests(route.completion)).toHaveLength(0);
	});

	test('403 on the models list is auth.invalid_credentials too', async () => {
		route.emulator().setFault(route.models, { status: 403 });
		expect((await check(name)).cause?.code).toBe('auth.invalid_credentials');
	});

	test('a hung models list: down net.timeout within the deadline, nothing else tried', async () => {
		route.emulator().setFault(route.models, { hang: true });
		const started = Date.now();
		const result = checked(await checkLlmProvider(providerFor(name), { timeoutMs: SHORT_TIMEOUT_MS }), name);
		expect(Date.now() - started).toBeLessThan(SHORT_TIMEOUT_MS + SLACK_MS);
		expect(result).toMatchObject({ status: 'down', cause: { code: 'net.timeout', retryable: true } });
		expect(route.emulator().requests(route.completion)).toHaveLength(0);
	});

	test('a hung completion: down net.timeout on the completion check, key and model passed', async () => {
		route.emulator().setFault(route.completion, { hang: true });
		const started = Date.now();
		const result = checked(await checkLlmProvider(providerFor(name), { timeoutMs: SHORT_TIMEOUT_MS }), name);
		expect(Date.now() - started).toBeLessThan(2 * SHORT_TIMEOUT_MS + SLACK_MS);
		expect(result.cause?.code).toBe('net.timeout');
		expect(statuses(result)).toEqual([
			['api_key', 'healthy'],
			['model_available', 'healthy'],
			['completion', 'down'],
			['rate_limit_headroom', 'healthy'],
		]);
		expect(checkOf(result, 'completion').durationMs).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 20);
	});

	test.each([
		[{ status: 500 }, 'down', 'provider.server_error'],
		[{ status: 503 }, 'down', 'provider.server_error'],
		[{ status: 429, retryAfter: 4 }, 'degraded', 'provider.rate_limited'],
		[{ status: 401 }, 'down', 'auth.invalid_credentials'],
		[{ status: 400 }, 'down', 'provider.bad_request'],
		[{ reset: true }, 'down', 'net.reset'],
		[{ malformed: true }, 'down', 'provider.malformed_response'],
	])('completion fault %j → %s %s', async (fault, status, code) => {
		route.emulator().setFault(route.completion, fault);
		const result = await check(name);
		expect(result.status).toBe(status);
		expect(result.cause?.code).toBe(code);
		expect(checkOf(result, 'completion')).toMatchObject({ status, code });
	});

	test('a 429 on the completion is retryable and keeps the wait in the check value', async () => {
		route.emulator().setFault(route.completion, { status: 429, retryAfter: 4 });
		const result = await check(name);
		expect(result.cause).toMatchObject({ code: 'provider.rate_limited', retryable: true, needsHuman: false });
		expect(checkOf(result, 'completion').value).toEqual({ kind: 'rate_limited', httpStatus: 429, retryAfterMs: 4000 });
	});

	test('an unreachable provider: down net.unreachable', async () => {
		const result = await check(name, { baseUrl: await closedPortUrl() });
		expect(result).toMatchObject({ status: 'down', cause: { code: 'net.unreachable' } });
	});

	test('the configured model missing: down llm.model_unavailable naming it, with a suggestion; no completion', async () => {
		const result = await check(name, { model: 'retired-model-7' });
		expect(result.status).toBe('down');
		expect(result.cause).toMatchObject({ code: 'llm.model_unavailable', retryable: false, needsHuman: true });
		expect(result.cause?.message).toMatch(/does not offer model retired-model-7 to this key\. Use \S+ instead/);
		expect(statuses(result)).toEqual([
			['api_key', 'healthy'],
			['model_available', 'down'],
		]);
		expect(result.details?.suggestedModel).toEqual(expect.any(String));
		expect(route.emulator().requests(route.completion)).toHaveLength(0);
	});
});

describe('provider specifics', () => {
	test('Groq: a decommissioned model is down with the current default suggested', async () => {
		groq.patchState({ decommissioned: ['llama-3.1-8b-instant'] });
		const result = await check('groq', { model: 'llama-3.1-8b-instant' });
		expect(result.cause).toMatchObject({ code: 'llm.model_unavailable' });
		expect(result.cause?.message).toBe('Groq does not offer model llama-3.1-8b-instant to this key. Use openai/gpt-oss-20b instead (one this key can use).');
		expect(checkOf(result, 'model_available').value).toEqual({ model: 'llama-3.1-8b-instant', suggestion: 'openai/gpt-oss-20b' });
	});

	test('OpenAI: exhausted quota is down llm.quota_exhausted, not retryable, needs a human', async () => {
		openai.patchState({ quotaExhausted: true });
		const result = await check('openai');
		expect(result.status).toBe('down');
		expect(result.cause).toMatchObject({ code: 'llm.quota_exhausted', retryable: false, needsHuman: true });
		expect(result.cause?.message).toMatch(/no quota left/);
	});

	test('Anthropic: 529 overloaded is down provider.server_error', async () => {
		anthropic.setFault('anthropic.messages', { status: 529 });
		const result = await check('anthropic');
		expect(result.cause).toMatchObject({ code: 'provider.server_error', retryable: true });
		expect(result.cause?.message).toMatch(/overloaded/);
	});

	test('Anthropic: an alias is available and its model id is reported', async () => {
		const result = await check('anthropic');
		expect(checkOf(result, 'model_available')).toMatchObject({
			status: 'healthy',
			message: 'Anthropic offers model claude-haiku-4-5 (alias of claude-haiku-4-5-20251001).',
			value: { model: 'claude-haiku-4-5', resolvedModel: 'claude-haiku-4-5-20251001' },
		});
		expect(result.details?.answeredBy).toBe('claude-haiku-4-5-20251001');
	});

	test('Anthropic: an unknown model gets a same-family suggestion', async () => {
		const result = await check('anthropic', { model: 'claude-haiku-9' });
		expect(result.details?.suggestedModel).toBe('claude-haiku-4-5-20251001');
	});
});

describe('rate-limit headroom', () => {
	test('below the ratio: degraded provider.rate_limited with the numbers', async () => {
		groq.patchState({ rateLimit: { tokens: { remaining: 400 } } });
		const result = await check('groq');
		expect(result.status).toBe('degraded');
		expect(result.cause).toMatchObject({ code: 'provider.rate_limited', retryable: true, needsHuman: false });
		const headroom = checkOf(result, 'rate_limit_headroom');
		expect(headroom.status).toBe('degraded');
		expect(headroom.message).toMatch(/^Groq rate limit is nearly used up: \d+ of 6000 tokens left \(\d+(\.\d)?%, resets in \d+ s\)\.$/);
		expect(headroom.value).toMatchObject({ tokensLimit: 6000, tokensRemaining: expect.any(Number), tightest: 'tokens' });
		expect((headroom.value as { ratio: number }).ratio).toBeLessThan(0.1);
		expect(checkOf(result, 'completion').status).toBe('healthy');
	});

	test('the ratio is configurable: the same headroom passes at 1%', async () => {
		groq.patchState({ rateLimit: { tokens: { remaining: 400 } } });
		expect((await check('groq', {}, 0.01)).status).toBe('healthy');
	});

	test('Anthropic requests nearly used up → degraded', async () => {
		anthropic.patchState({ rateLimit: { requests: { remaining: 3 } } });
		const result = await check('anthropic');
		expect(result.status).toBe('degraded');
		expect(checkOf(result, 'rate_limit_headroom').message).toMatch(/2 of 50 requests left \(4%/);
	});

	test('a real 429 from an exhausted budget is degraded, with zero headroom reported', async () => {
		openai.patchState({ rateLimit: { tokens: { remaining: 0 } } });
		const result = await check('openai');
		expect(result.status).toBe('degraded');
		expect(result.cause?.code).toBe('provider.rate_limited');
		expect(statuses(result)).toEqual([
			['api_key', 'healthy'],
			['model_available', 'healthy'],
			['completion', 'degraded'],
			['rate_limit_headroom', 'degraded'],
		]);
		expect(result.details?.rateLimit).toMatchObject({ tokensRemaining: 0 });
	});

	test('a provider that sends no rate-limit headers passes with headroom unknown', async () => {
		const bare = await defineEmulator<Record<string, never>>({
			name: 'openai-bare',
			initialState: () => ({}),
			routes: [
				{ id: 'models', method: 'GET', path: '/v1/models', handler: () => ({ status: 200, body: { object: 'list', data: [{ id: 'gpt-4o-mini' }] } }) },
				{
					id: 'chat',
					method: 'POST',
					path: '/v1/chat/completions',
					handler: () => ({ status: 200, body: { model: 'gpt-4o-mini', choices: [{ message: { role: 'assistant', content: 'ok' }, finish_reason: 'length' }] } }),
				},
			],
			faultReply: (status) => ({ status, body: {} }),
			notFound: () => ({ status: 404, body: {} }),
		}).start();
		try {
			const result = checked(await checkLlmProvider(providerFor('openai', { baseUrl: `${bare.url}/v1` }), { timeoutMs: TIMEOUT_MS }), 'openai');
			expect(result.status).toBe('healthy');
			expect(checkOf(result, 'rate_limit_headroom').message).toBe('OpenAI sent no rate-limit headers; headroom unknown.');
			expect(result.details?.rateLimit).toEqual({});
		} finally {
			await bare.close();
		}
	});
});

test('the chain picks the first usable provider from real check results', async () => {
	const results = [
		await check('groq', { apiKey: WRONG_KEY }),
		await check('openai'),
		await check('anthropic'),
	];
	expect(selectLlmProvider(results)).toMatchObject({ use: 'openai', fallback: true });
	expect(selectLlmProvider(results).reason).toMatch(/^groq is down \(Groq refused the API key/);
	groq.setFault('groq.chatCompletions', { status: 429 });
	expect(selectLlmProvider([await check('groq'), results[1]])).toMatchObject({ use: 'groq', fallback: false });
});

describe('options and helpers', () => {
	test.each([
		['timeoutMs', { timeoutMs: 0 }],
		['timeoutMs', { timeoutMs: Number.NaN }],
		['timeoutMs', {}],
		['lowHeadroomRatio', { timeoutMs: 1000, lowHeadroomRatio: 1.5 }],
		['lowHeadroomRatio', { timeoutMs: 1000, lowHeadroomRatio: -0.1 }],
	])('a bad %s throws LlmCheckOptionsError naming it, before any call', async (parameter, options) => {
		const promise = checkLlmProvider(providerFor('groq'), options as { timeoutMs: number });
		await expect(promise).rejects.toBeInstanceOf(LlmCheckOptionsError);
		await expect(promise).rejects.toMatchObject({ parameter });
		expect(groq.requests()).toHaveLength(0);
	});

	test('causeOfLlmFailure maps every failure kind to a status and cause code', () => {
		const expected: Record<LlmFailureKind, [string, string]> = {
			auth: ['down', 'auth.invalid_credentials'],
			rate_limited: ['degraded', 'provider.rate_limited'],
			quota_exhausted: ['down', 'llm.quota_exhausted'],
			model_unavailable: ['down', 'llm.model_unavailable'],
			timeout: ['down', 'net.timeout'],
			unreachable: ['down', 'net.unreachable'],
			reset: ['down', 'net.reset'],
			server_error: ['down', 'provider.server_error'],
			bad_request: ['down', 'provider.bad_request'],
			malformed: ['down', 'provider.malformed_response'],
		};
		for (const [kind, [status, code]] of Object.entries(expected)) {
			const mapped = causeOfLlmFailure({ ok: false, kind: kind as LlmFailureKind, message: `It failed: ${kind}.`, latencyMs: 1, rateLimit: {} });
			expect([mapped.status, mapped.cause.code, mapped.cause.message]).toEqual([status, code, `It failed: ${kind}.`]);
		}
	});

	test('suggestModel prefers the provider default, then the closest id, never the missing one', () => {
		expect(suggestModel('groq', 'llama-3.1-8b-instant', ['llama-3.3-70b-versatile', 'openai/gpt-oss-20b'])).toBe('openai/gpt-oss-20b');
		expect(suggestModel('groq', 'llama-3.1-8b-instant', ['llama-3.3-70b-versatile', 'openai/gpt-oss-120b'])).toBe('llama-3.3-70b-versatile');
		expect(suggestModel('openai', 'gpt-4o-mini', ['gpt-4o-mini'])).toBeUndefined();
		expect(suggestModel('openai', 'x', [])).toBeUndefined();
	});

	test('isModelListed accepts ids and resolved aliases', () => {
		expect(isModelListed({ models: ['a', 'b'] }, 'b')).toBe(true);
		expect(isModelListed({ models: ['a-2025'], aliases: { a: 'a-2025' } }, 'a')).toBe(true);
		expect(isModelListed({ models: ['a'] }, 'c')).toBe(false);
	});
});
