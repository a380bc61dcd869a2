/**
 * The three LLM provider clients against their emulators: what each provider receives
 * (JSON mode, headers, one attempt only), success with rate-limit headroom, every
 * failure kind (auth, 429 with retry-after, quota, 5xx/498/529, hang, reset, malformed,
 * unknown and decommissioned models), the models list, and no API key in any outcome.
 */
import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';

import { createAnthropicProvider, ANTHROPIC_JSON_INSTRUCTION } from '../../../nodes/LlmDiagnose/providers/anthropic';
import { createProvider } from '../../../nodes/LlmDiagnose/providers/createProvider';
import { createGroqProvider } from '../../../nodes/LlmDiagnose/providers/groq';
import { createOpenAiProvider } from '../../../nodes/LlmDiagnose/providers/openai';
import {
	LlmProviderConfigError,
	validateProviderConfig,
	type CompletionRequest,
	type LlmFailure,
	type LlmOutcome,
	type LlmProvider,
	type LlmProviderConfig,
	type LlmProviderName,
	type LlmSuccess,
	type ModelList,
} from '../../../nodes/LlmDiagnose/providers/types';
import { defineEmulator, type Emulator } from '../../../dev/emulators/core/emulator';
import type { FaultSpec, RecordedRequest, Reply } from '../../../dev/emulators/core/types';
import { DEFAULT_DIAGNOSIS } from '../../../dev/emulators/llm/common';
import { createAnthropicEmulator, type AnthropicState } from '../../../dev/emulators/llm/anthropic';
import { createGroqEmulator, type GroqState } from '../../../dev/emulators/llm/groq';
import { createOpenAiEmulator, type OpenAiState } from '../../../dev/emulators/llm/openai';

const KEYS: Record<LlmProviderName, string> = {
	groq: 'test-groq-key-not-real',
	openai: 'test-openai-key-not-real',
	anthropic: 'test-anthropic-key-not-real',
};
const WRONG_KEY = 'test-wrong-key-not-real';
const ALL_SECRETS = [...Object.values(KEYS), WRONG_KEY];
const MODELS: Record<LlmProviderName, string> = { groq: 'openai/gpt-oss-20b', openai: 'gpt-4o-mini', anthropic: 'claude-haiku-4-5' };
const TIMEOUT_MS = 2_000;
/** Hang tests: the deadline, and how late past it an answer may still count as on time. */
const SHORT_TIMEOUT_MS = 300;
const SLACK_MS = 700;

const DIAGNOSE: CompletionRequest = {
	system: 'You diagnose a WhatsApp sales bot. Answer in JSON with rootCause and summary.',
	messages: [{ role: 'user', content: 'Evolution says connection state: close' }],
	maxTokens: 300,
	json: true,
	temperature: 0.2,
	timeoutMs: TIMEOUT_MS,
};

/** Every outcome passes through here: it never contains any API key, in any field. */
function safe<T extends LlmOutcome | ModelList | LlmFailure>(outcome: T): T {
	const text = JSON.stringify(outcome);
	for (const secret of ALL_SECRETS) expect(text).not.toContain(secret);
	return outcome;
}

function success(outcome: LlmOutcome): LlmSuccess {
	safe(outcome);
	if (!outcome.ok) throw new Error(`expected success, got ${outcome.kind}: ${outcome.message}`);
	return outcome;
}

function failure(outcome: LlmOutcome | ModelList | LlmFailure): LlmFailure {
	safe(outcome);
	if (outcome.ok) throw new Error('expected a failure, got success');
	expect(outcome.message.trim()).not.toBe('');
	expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
	return outcome;
}

function models(outcome: ModelList | LlmFailure): ModelList {
	safe(outcome);
	if (!outcome.ok) throw new Error(`expected a models list, got ${outcome.kind}: ${outcome.message}`);
	return outcome;
}

/** A URL nothing listens on: a port that was free a moment ago (not port 1, which fetch refuses outright). */
async function closedPortUrl(): Promise<string> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}`;
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
	const started = Date.now();
	const value = await run();
	return { value, elapsedMs: Date.now() - started };
}

/** What the generic fault tests need of any emulator. */
interface FaultableEmulator {
	url: string;
	setFault(routeId: string, fault: FaultSpec): void;
	requests(routeId?: string): RecordedRequest[];
}

interface Subject {
	name: LlmProviderName;
	emulator: () => FaultableEmulator;
	make: (overrides?: Partial<LlmProviderConfig>) => LlmProvider;
	completionRoute: string;
	modelsRoute: string;
}

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

const groqProvider = (overrides: Partial<LlmProviderConfig> = {}) =>
	createGroqProvider({ name: 'groq', apiKey: KEYS.groq, baseUrl: groq.url, model: MODELS.groq, ...overrides });
const openAiProvider = (overrides: Partial<LlmProviderConfig> = {}) =>
	createOpenAiProvider({ name: 'openai', apiKey: KEYS.openai, baseUrl: `${openai.url}/v1`, model: MODELS.openai, ...overrides });
const anthropicProvider = (overrides: Partial<LlmProviderConfig> = {}) =>
	createAnthropicProvider({ name: 'anthropic', apiKey: KEYS.anthropic, baseUrl: anthropic.url, model: MODELS.anthropic, ...overrides });

const SUBJECTS: Subject[] = [
	{ name: 'groq', emulator: () => groq, make: groqProvider, completionRoute: 'groq.chatCompletions', modelsRoute: 'groq.listModels' },
	{ name: 'openai', emulator: () => openai, make: openAiProvider, completionRoute: 'openai.chatCompletions', modelsRoute: 'openai.listModels' },
	{ name: 'anthropic', emulator: () => anthropic, make: anthropicProvider, completionRoute: 'anthropic.messages', modelsRoute: 'anthropic.listModels' },
];

describe.each(SUBJECTS)('$name: failures every provider classifies alike', (subject) => {
	const emulator = () => subject.emulator();

	test('a wrong key is auth (401), and the key is not in the outcome', async () => {
		const outcome = failure(await subject.make({ apiKey: WRONG_KEY }).complete(DIAGNOSE));
		expect(outcome).toMatchObject({ kind: 'auth', status: 401 });
		expect(outcome.message).toMatch(/API key/);
	});

	test('403 is auth too', async () => {
		emulator().setFault(subject.completionRoute, { status: 403 });
		expect(failure(await subject.make().complete(DIAGNOSE))).toMatchObject({ kind: 'auth', status: 403 });
	});

	test('429 with retry-after is rate_limited with retryAfterMs, after exactly one request (no SDK retries)', async () => {
		emulator().setFault(subject.completionRoute, { status: 429, retryAfter: 30 });
		const { value, elapsedMs } = await timed(() => subject.make().complete(DIAGNOSE));
		const outcome = failure(value);
		expect(outcome).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 30_000 });
		expect(outcome.message).toMatch(/retry after 30 s/);
		expect(emulator().requests(subject.completionRoute)).toHaveLength(1);
		// Nobody slept the 30 s the provider asked for.
		expect(elapsedMs).toBeLessThan(TIMEOUT_MS);
	});

	test('429 without retry-after has no retryAfterMs', async () => {
		emulator().setFault(subject.completionRoute, { status: 429, retryAfter: null });
		const outcome = failure(await subject.make().complete(DIAGNOSE));
		expect(outcome.kind).toBe('rate_limited');
		expect(outcome.retryAfterMs).toBeUndefined();
	});

	test.each([500, 502, 503])('HTTP %d is server_error after one request', async (status) => {
		emulator().setFault(subject.completionRoute, { status });
		expect(failure(await subject.make().complete(DIAGNOSE))).toMatchObject({ kind: 'server_error', status });
		expect(emulator().requests(subject.completionRoute)).toHaveLength(1);
	});

	test('other 4xx are bad_request', async () => {
		emulator().setFault(subject.completionRoute, { status: 400 });
		expect(failure(await subject.make().complete(DIAGNOSE))).toMatchObject({ kind: 'bad_request', status: 400 });
	});

	test('a hung provider is a timeout within the deadline, one request only', async () => {
		emulator().setFault(subject.completionRoute, { hang: true });
		const { value, elapsedMs } = await timed(() => subject.make().complete({ ...DIAGNOSE, timeoutMs: SHORT_TIMEOUT_MS }));
		expect(failure(value).kind).toBe('timeout');
		expect(elapsedMs).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 20);
		expect(elapsedMs).toBeLessThan(SHORT_TIMEOUT_MS + SLACK_MS);
		expect(emulator().requests(subject.completionRoute)).toHaveLength(1);
	});

	test('a hung models list is a timeout within the deadline', async () => {
		emulator().setFault(subject.modelsRoute, { hang: true });
		const { value, elapsedMs } = await timed(() => subject.make().listModels(SHORT_TIMEOUT_MS));
		expect(failure(value).kind).toBe('timeout');
		expect(elapsedMs).toBeLessThan(SHORT_TIMEOUT_MS + SLACK_MS);
	});

	test('a dropped connection is reset, one request only', async () => {
		emulator().setFault(subject.completionRoute, { reset: true });
		expect(failure(await subject.make().complete(DIAGNOSE)).kind).toBe('reset');
		expect(emulator().requests(subject.completionRoute)).toHaveLength(1);
	});

	test('a truncated JSON body is malformed', async () => {
		emulator().setFault(subject.completionRoute, { malformed: true });
		expect(failure(await subject.make().complete(DIAGNOSE)).kind).toBe('malformed');
	});

	test('a closed port is unreachable', async () => {
		const outcome = failure(await subject.make({ baseUrl: await closedPortUrl() }).complete(DIAGNOSE));
		expect(outcome.kind).toBe('unreachable');
		expect(outcome.message).toMatch(/cannot be reached \(.*ECONNREFUSED/);
	});

	test('an unknown model is model_unavailable', async () => {
		const outcome = failure(await subject.make({ model: 'no-such-model-1' }).complete(DIAGNOSE));
		expect(outcome).toMatchObject({ kind: 'model_unavailable', status: 404 });
		expect(outcome.message).toContain('no-such-model-1');
	});

	test('listModels: ok with the models, auth with a wrong key', async () => {
		const list = models(await subject.make().listModels(TIMEOUT_MS));
		expect(list.models.length).toBeGreaterThan(2);
		expect(list.latencyMs).toBeGreaterThanOrEqual(0);
		expect(failure(await subject.make({ apiKey: WRONG_KEY }).listModels(TIMEOUT_MS))).toMatchObject({ kind: 'auth', status: 401 });
	});

	test('every request carries the key in its auth header only, never in the URL or body', async () => {
		success(await subject.make().complete(DIAGNOSE));
		for (const request of emulator().requests()) {
			expect(request.path + JSON.stringify(request.query) + request.bodyText).not.toContain(KEYS[subject.name]);
		}
	});
});

describe('groq (groq-sdk)', () => {
	test('JSON mode: response_format json_object, the answer, rate-limit headroom, one attempt', async () => {
		groq.patchState({ rateLimit: { tokens: { remaining: 5_000 } } });
		const outcome = success(await groqProvider().complete(DIAGNOSE));
		expect(outcome.text).toBe(DEFAULT_DIAGNOSIS);
		expect(outcome.model).toBe(MODELS.groq);
		expect(outcome.finishReason).toBe('stop');
		expect(outcome.rateLimit).toMatchObject({ requestsLimit: 14_400, requestsRemaining: 14_399, tokensLimit: 6_000 });
		expect(outcome.rateLimit.tokensRemaining).toBeLessThan(5_000);
		expect(outcome.rateLimit.tokensResetMs).toBeGreaterThan(0);
		expect(outcome.rateLimit.requestsResetMs).toBeGreaterThan(60_000);

		const [request] = groq.requests('groq.chatCompletions');
		expect(request.body).toMatchObject({
			model: MODELS.groq,
			response_format: { type: 'json_object' },
			max_completion_tokens: 300,
			temperature: 0.2,
			messages: [
				{ role: 'system', content: DIAGNOSE.system },
				{ role: 'user', content: DIAGNOSE.messages[0].content },
			],
		});
		expect(request.headers.authorization).toBe(`Bearer ${KEYS.groq}`);
		expect(request.headers['x-stainless-retry-count']).toBe('0');
	});

	test('JSON mode with a prompt that never says JSON: a reminder is added, so Groq accepts it', async () => {
		const outcome = success(await groqProvider().complete({ ...DIAGNOSE, system: 'You diagnose a bot.' }));
		expect(outcome.text).toBe(DEFAULT_DIAGNOSIS);
		const body = groq.requests('groq.chatCompletions')[0].body as { messages: Array<{ content: string }> };
		expect(body.messages[0].content).toMatch(/^You diagnose a bot\.\n\n.*JSON/);
	});

	test('without JSON mode no response_format is sent', async () => {
		success(await groqProvider().complete({ ...DIAGNOSE, json: false }));
		expect(groq.requests('groq.chatCompletions')[0].body).not.toHaveProperty('response_format');
	});

	test('a real 429 from exhausted tokens: retry-after until the window ends, remaining 0 in the headroom', async () => {
		groq.patchState({ rateLimit: { tokens: { remaining: 0, resetsAt: Date.now() + 7_500 } } });
		const outcome = failure(await groqProvider().complete(DIAGNOSE));
		expect(outcome.kind).toBe('rate_limited');
		expect(outcome.retryAfterMs).toBe(8_000);
		expect(outcome.rateLimit.tokensRemaining).toBe(0);
		expect(outcome.message).toMatch(/^Groq is rate limiting the completion \(retry after 8 s\): Rate limit reached/);
	});

	test('a decommissioned model is model_unavailable, named as decommissioned', async () => {
		const outcome = failure(await groqProvider({ model: 'llama3-8b-8192' }).complete(DIAGNOSE));
		expect(outcome).toMatchObject({ kind: 'model_unavailable', status: 400 });
		expect(outcome.message).toBe('Groq has decommissioned model llama3-8b-8192: configure a current model.');
	});

	test('498 capacity_exceeded (Flex tier) is server_error', async () => {
		groq.setFault('groq.chatCompletions', { status: 498 });
		const outcome = failure(await groqProvider().complete(DIAGNOSE));
		expect(outcome).toMatchObject({ kind: 'server_error', status: 498 });
		expect(outcome.message).toMatch(/capacity/);
		expect(groq.requests('groq.chatCompletions')).toHaveLength(1);
	});

	test('listModels lists the current ids and not the decommissioned ones', async () => {
		groq.patchState({ decommissioned: ['llama-3.1-8b-instant'] });
		const list = models(await groqProvider().listModels(TIMEOUT_MS));
		expect(list.models).toEqual(expect.arrayContaining(['openai/gpt-oss-20b', 'openai/gpt-oss-120b']));
		expect(list.models).not.toContain('llama-3.1-8b-instant');
		expect(list.rateLimit.requestsLimit).toBe(14_400);
	});
});

describe('openai', () => {
	test('JSON mode: response_format json_object, the answer, rate-limit headroom', async () => {
		const outcome = success(await openAiProvider().complete(DIAGNOSE));
		expect(outcome).toMatchObject({ text: DEFAULT_DIAGNOSIS, model: MODELS.openai, finishReason: 'stop' });
		expect(outcome.rateLimit).toMatchObject({ requestsLimit: 500, requestsRemaining: 499, tokensLimit: 200_000 });
		expect(outcome.rateLimit.tokensRemaining).toBeLessThan(200_000);
		expect(outcome.rateLimit.requestsResetMs).toBeGreaterThan(0);
		const [request] = openai.requests('openai.chatCompletions');
		expect(request.body).toMatchObject({ model: MODELS.openai, response_format: { type: 'json_object' }, max_completion_tokens: 300 });
		expect(request.headers.authorization).toBe(`Bearer ${KEYS.openai}`);
		expect(request.headers['openai-organization']).toBeUndefined();
	});

	test('the organization is sent when configured; a wrong one is auth with advice on the field', async () => {
		success(await openAiProvider({ organization: 'org-test' }).complete(DIAGNOSE));
		expect(openai.requests('openai.chatCompletions')[0].headers['openai-organization']).toBe('org-test');
		const outcome = failure(await openAiProvider({ organization: 'org-someone-else' }).complete(DIAGNOSE));
		expect(outcome).toMatchObject({ kind: 'auth', status: 401 });
		expect(outcome.message).toMatch(/organization/i);
	});

	test('insufficient_quota is quota_exhausted (not retryable: no retryAfterMs)', async () => {
		openai.patchState({ quotaExhausted: true });
		const outcome = failure(await openAiProvider().complete(DIAGNOSE));
		expect(outcome).toMatchObject({ kind: 'quota_exhausted', status: 429 });
		expect(outcome.retryAfterMs).toBeUndefined();
		expect(outcome.message).toMatch(/no quota left \(insufficient_quota\)/);
	});

	test('an injected insufficient_quota 429 is quota_exhausted even with a retry-after', async () => {
		openai.patchState({ fault429Kind: 'insufficient_quota' });
		openai.setFault('openai.chatCompletions', { status: 429, retryAfter: 5 });
		expect(failure(await openAiProvider().complete(DIAGNOSE)).kind).toBe('quota_exhausted');
	});

	test('a real RPM 429: rate_limited with the wait, remaining requests 0', async () => {
		openai.patchState({ rateLimit: { requests: { remaining: 0, resetsAt: Date.now() + 12_000 } } });
		const outcome = failure(await openAiProvider().complete(DIAGNOSE));
		expect(outcome).toMatchObject({ kind: 'rate_limited', retryAfterMs: 12_000 });
		expect(outcome.rateLimit.requestsRemaining).toBe(0);
	});

	test('the 401 names neither the key nor OpenAI\'s masked echo of it', async () => {
		const outcome = failure(await openAiProvider({ apiKey: WRONG_KEY }).complete(DIAGNOSE));
		expect(outcome.message).toBe('OpenAI refused the API key (HTTP 401 invalid_api_key): check the API key of the credential.');
	});
});

describe('anthropic', () => {
	test('JSON wish as a system instruction, no prefill; alias resolves; headroom parsed', async () => {
		const outcome = success(await anthropicProvider().complete(DIAGNOSE));
		expect(outcome).toMatchObject({ text: DEFAULT_DIAGNOSIS, model: 'claude-haiku-4-5-20251001', finishReason: 'end_turn' });
		expect(outcome.rateLimit).toMatchObject({ requestsLimit: 50, requestsRemaining: 49, tokensLimit: 38_000 });
		expect(outcome.rateLimit.tokensRemaining).toBeLessThan(38_000);
		expect(outcome.rateLimit.requestsResetMs).toBeGreaterThanOrEqual(0);

		const [request] = anthropic.requests('anthropic.messages');
		expect(request.body).toEqual({
			model: MODELS.anthropic,
			max_tokens: 300,
			system: `${DIAGNOSE.system}\n\n${ANTHROPIC_JSON_INSTRUCTION}`,
			messages: [{ role: 'user', content: DIAGNOSE.messages[0].content }],
			temperature: 0.2,
		});
		expect(request.headers['x-api-key']).toBe(KEYS.anthropic);
		expect(request.headers['anthropic-version']).toBe('2023-06-01');
		expect(request.headers.authorization).toBeUndefined();
	});

	test('without JSON the system prompt is sent as given', async () => {
		success(await anthropicProvider().complete({ ...DIAGNOSE, json: false }));
		expect((anthropic.requests('anthropic.messages')[0].body as { system: string }).system).toBe(DIAGNOSE.system);
	});

	test('529 overloaded is server_error', async () => {
		anthropic.setFault('anthropic.messages', { status: 529 });
		const outcome = failure(await anthropicProvider().complete(DIAGNOSE));
		expect(outcome).toMatchObject({ kind: 'server_error', status: 529 });
		expect(outcome.message).toMatch(/overloaded/);
		expect(anthropic.requests('anthropic.messages')).toHaveLength(1);
	});

	test('a real 429: rate_limited with retry-after until the window ends', async () => {
		anthropic.patchState({ rateLimit: { requests: { remaining: 0, resetsAt: Date.now() + 20_000 } } });
		const outcome = failure(await anthropicProvider().complete(DIAGNOSE));
		expect(outcome).toMatchObject({ kind: 'rate_limited', retryAfterMs: 20_000 });
		expect(outcome.rateLimit.requestsRemaining).toBe(0);
	});

	test('listModels pages with after_id through every model, newest first', async () => {
		const many = Array.from({ length: 150 }, (_, i) => ({
			id: `claude-test-${String(i).padStart(3, '0')}`,
			display_name: `Test ${i}`,
			created_at: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
		}));
		anthropic.patchState({ models: many, aliases: {} });
		const list = models(await anthropicProvider({ model: 'claude-test-000' }).listModels(TIMEOUT_MS));
		expect(list.models).toHaveLength(150);
		expect(new Set(list.models).size).toBe(150);
		const pages = anthropic.requests('anthropic.listModels');
		expect(pages.map((p) => p.query)).toEqual([{ limit: '100' }, { limit: '100', after_id: 'claude-test-050' }]);
		expect(anthropic.requests('anthropic.getModel')).toHaveLength(0);
	});

	test('listModels resolves a configured alias and lists it; an unknown model is simply not listed', async () => {
		const aliased = models(await anthropicProvider().listModels(TIMEOUT_MS));
		expect(aliased.models).toEqual(expect.arrayContaining(['claude-haiku-4-5-20251001', 'claude-haiku-4-5']));
		expect(aliased.aliases).toEqual({ 'claude-haiku-4-5': 'claude-haiku-4-5-20251001' });
		const unknown = models(await anthropicProvider({ model: 'claude-nope' }).listModels(TIMEOUT_MS));
		expect(unknown.models).not.toContain('claude-nope');
		expect(unknown.aliases).toBeUndefined();
	});

	test('a failing alias lookup (not 404) is a failure of the list', async () => {
		anthropic.setFault('anthropic.getModel', { status: 500 });
		expect(failure(await anthropicProvider().listModels(TIMEOUT_MS))).toMatchObject({ kind: 'server_error', status: 500 });
	});
});

/** Bodies the emulators never send: 2xx without the answer, spend limits, multi-block replies. */
describe('scripted replies', () => {
	interface Script {
		chat: Reply;
		messages: Reply;
	}
	let scripted: Emulator<Script>;
	beforeAll(async () => {
		scripted = await defineEmulator<Script>({
			name: 'llm-scripted',
			initialState: () => ({ chat: { status: 200, body: {} }, messages: { status: 200, body: {} } }),
			routes: [
				{ id: 'groqChat', method: 'POST', path: '/openai/v1/chat/completions', handler: (req) => req.state.chat },
				{ id: 'openaiChat', method: 'POST', path: '/v1/chat/completions', handler: (req) => req.state.chat },
				{ id: 'messages', method: 'POST', path: '/v1/messages', handler: (req) => req.state.messages },
			],
			faultReply: (status) => ({ status, body: {} }),
			notFound: () => ({ status: 404, body: {} }),
		}).start();
	});
	afterAll(async () => {
		await scripted.close();
	});

	/** Replaces (not merges) the scripted replies. */
	const script = (replies: Partial<Script>) => Object.assign(scripted.state, replies);
	const groqHere = () => groqProvider({ baseUrl: scripted.url });
	const openAiHere = () => openAiProvider({ baseUrl: `${scripted.url}/v1` });
	const anthropicHere = () => anthropicProvider({ baseUrl: scripted.url });

	test.each([
		['no choices', { id: 'x', choices: [] }],
		['a choice without a message', { choices: [{ index: 0, finish_reason: 'stop' }] }],
		['a null content that was not cut off', { choices: [{ message: { role: 'assistant', content: null }, finish_reason: 'stop' }] }],
		['not an object', ['hello']],
	])('a 2xx with %s is malformed (Groq and OpenAI)', async (_label, body) => {
		script({ chat: { status: 200, body } });
		expect(failure(await groqHere().complete(DIAGNOSE)).kind).toBe('malformed');
		expect(failure(await openAiHere().complete(DIAGNOSE)).kind).toBe('malformed');
	});

	test('a null content cut off by the token limit is an empty answer, not malformed', async () => {
		script({ chat: { status: 200, body: { model: 'm', choices: [{ message: { role: 'assistant', content: null }, finish_reason: 'length' }] } } });
		expect(success(await groqHere().complete(DIAGNOSE))).toMatchObject({ text: '', finishReason: 'length', rateLimit: {} });
		expect(success(await openAiHere().complete(DIAGNOSE))).toMatchObject({ text: '', finishReason: 'length' });
	});

	test('OpenAI credit_balance_exhausted is quota_exhausted', async () => {
		script({ chat: { status: 429, body: { error: { message: 'Your credit balance is exhausted.', type: 'insufficient_quota', code: 'credit_balance_exhausted' } } } });
		expect(failure(await openAiHere().complete(DIAGNOSE)).kind).toBe('quota_exhausted');
	});

	test('an error that echoes the key is quoted with the key masked', async () => {
		const echoing = (key: string): Reply => ({ status: 400, body: { error: { message: `Bad request for key ${key}.`, type: 'invalid_request_error' } } });
		script({ chat: echoing(KEYS.openai) });
		expect(failure(await openAiHere().complete(DIAGNOSE)).message).toBe('OpenAI rejected the completion (HTTP 400): Bad request for key [REDACTED].');
		script({ chat: echoing(KEYS.groq) });
		expect(failure(await groqHere().complete(DIAGNOSE)).message).toBe('Groq rejected the completion (HTTP 400): Bad request for key [REDACTED].');
		script({ messages: { status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: `Bad key ${KEYS.anthropic}` } } } });
		expect(failure(await anthropicHere().complete(DIAGNOSE)).message).toBe('Anthropic rejected the completion (HTTP 400 invalid_request_error): Bad key [REDACTED]');
	});

	test('Anthropic: text blocks are concatenated, other blocks skipped', async () => {
		script({
			messages: {
				status: 200,
				body: {
					type: 'message',
					model: 'claude-haiku-4-5-20251001',
					content: [
						{ type: 'text', text: '{"rootCause":' },
						{ type: 'tool_use', id: 't', name: 'x', input: {} },
						{ type: 'text', text: '"x"}' },
					],
					stop_reason: 'end_turn',
				},
			},
		});
		expect(success(await anthropicHere().complete(DIAGNOSE)).text).toBe('{"rootCause":"x"}');
	});

	test('Anthropic: a 2xx without a content list is malformed; the spend limit is quota_exhausted', async () => {
		script({ messages: { status: 200, body: { type: 'message' } } });
		expect(failure(await anthropicHere().complete(DIAGNOSE)).kind).toBe('malformed');
		script({
			messages: {
				status: 400,
				body: { type: 'error', error: { type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API.' } },
			},
		});
		expect(failure(await anthropicHere().complete(DIAGNOSE))).toMatchObject({ kind: 'quota_exhausted', status: 400 });
	});

	test('Anthropic: a 404 that does not name a model (wrong base URL) is bad_request, not model_unavailable', async () => {
		script({ messages: { status: 404, body: { type: 'error', error: { type: 'not_found_error', message: 'Not Found' } } } });
		expect(failure(await anthropicHere().complete(DIAGNOSE))).toMatchObject({ kind: 'bad_request', status: 404 });
	});
});

/** A server that sends the headers and half a body, then stalls: the deadline must cover the body too. */
describe('a body that stalls after the headers', () => {
	let server: http.Server;
	let url: string;
	const sockets = new Set<Socket>();
	beforeAll(async () => {
		server = http.createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.write('{"id":"chatcmpl-1","choices":[');
		});
		server.on('connection', (socket) => {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});

	test.each([
		['groq', () => groqProvider({ baseUrl: url })],
		['openai', () => openAiProvider({ baseUrl: `${url}/v1` })],
		['anthropic', () => anthropicProvider({ baseUrl: url })],
	] as const)('%s: timeout within the deadline', async (_name, make) => {
		const { value, elapsedMs } = await timed(() => make().complete({ ...DIAGNOSE, timeoutMs: SHORT_TIMEOUT_MS }));
		expect(failure(value).kind).toBe('timeout');
		expect(elapsedMs).toBeLessThan(SHORT_TIMEOUT_MS + SLACK_MS);
	});
});

describe('configuration', () => {
	const base: LlmProviderConfig = { name: 'openai', apiKey: KEYS.openai, baseUrl: '', model: 'gpt-4o-mini' };

	test('createProvider builds the provider of the name', () => {
		for (const name of ['groq', 'openai', 'anthropic'] as const) {
			const provider = createProvider({ ...base, name, apiKey: KEYS[name], model: MODELS[name] });
			expect(provider.name).toBe(name);
			expect(provider.model).toBe(MODELS[name]);
		}
	});

	test('an empty base URL is the public endpoint; values are trimmed, trailing slashes dropped', () => {
		expect(validateProviderConfig(base, 'openai').baseUrl).toBe('https://api.openai.com/v1');
		expect(validateProviderConfig({ ...base, name: 'groq' }, 'groq').baseUrl).toBe('https://api.groq.com');
		expect(validateProviderConfig({ ...base, apiKey: ` ${KEYS.openai}\n`, baseUrl: 'http://proxy.local/v1//', model: ' gpt-4o ', organization: ' ' }, 'openai')).toEqual({
			name: 'openai',
			apiKey: KEYS.openai,
			baseUrl: 'http://proxy.local/v1',
			model: 'gpt-4o',
		});
	});

	test.each([
		['name', { name: 'mistral' }],
		['apiKey', { apiKey: '  ' }],
		['apiKey', { apiKey: 'two words' }],
		['model', { model: '' }],
		['baseUrl', { baseUrl: 'ftp://api.openai.com' }],
		['baseUrl', { baseUrl: 'not a url' }],
		['baseUrl', { baseUrl: 'https://user:pw@api.openai.com/v1' }],
		['organization', { organization: 42 }],
	])('a bad %s throws LlmProviderConfigError naming it, without the key', (parameter, patch) => {
		let caught: unknown;
		try {
			createProvider({ ...base, ...(patch as Partial<LlmProviderConfig>) });
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(LlmProviderConfigError);
		expect((caught as LlmProviderConfigError).parameter).toBe(parameter);
		expect((caught as Error).message).not.toContain(KEYS.openai);
	});

	test('each factory refuses a config of another provider', () => {
		expect(() => createGroqProvider({ ...base, name: 'openai' })).toThrow(/config.name must be 'groq'/);
	});
});
