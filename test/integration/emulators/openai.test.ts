import type { Emulator } from '../../../dev/emulators/core/emulator';
import { call, describeTransportFaults, type RawResult } from './selfTest';
import { countPromptTokens, DEFAULT_DIAGNOSIS, estimateTokens } from '../../../dev/emulators/llm/common';
import { createOpenAiEmulator, maskApiKey, type OpenAiState } from '../../../dev/emulators/llm/openai';

const KEY = 'sk-test-openai';
const COMPLETIONS = '/v1/chat/completions';
const MESSAGES = [
	{ role: 'system', content: 'You diagnose a WhatsApp bot. Answer with a JSON object.' },
	{ role: 'user', content: [{ type: 'text', text: 'Evolution says connection state: close' }] },
];
const PROMPT_TEXTS = ['You diagnose a WhatsApp bot. Answer with a JSON object.', 'Evolution says connection state: close'];
const RATE_LIMIT_HEADERS = [
	'x-ratelimit-limit-requests',
	'x-ratelimit-limit-tokens',
	'x-ratelimit-remaining-requests',
	'x-ratelimit-remaining-tokens',
	'x-ratelimit-reset-requests',
	'x-ratelimit-reset-tokens',
];
const DURATION = /^(\d+h)?(\d+m)?(\d+(\.\d+)?s|\d+ms)$/;

interface OpenAiErrorBody {
	error: { message: string; type: string; param: string | null; code: string | null };
}

interface Completion {
	id: string;
	object: string;
	created: number;
	model: string;
	choices: Array<{ index: number; message: { role: string; content: string; refusal: null }; logprobs: null; finish_reason: string }>;
	usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
	system_fingerprint: string;
	service_tier: string;
}

describe('OpenAI emulator', () => {
	let emulator: Emulator<OpenAiState>;
	beforeEach(async () => {
		emulator = await createOpenAiEmulator().start();
	});
	afterEach(async () => {
		await emulator.close();
	});

	const auth = (key = KEY): Record<string, string> => ({ authorization: `Bearer ${key}` });
	const get = (path: string, headers: Record<string, string> = auth()) => call(`${emulator.url}${path}`, { headers });
	const complete = (body: Record<string, unknown> = {}, headers: Record<string, string> = auth()) =>
		call(`${emulator.url}${COMPLETIONS}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: JSON.stringify({ model: 'gpt-4o-mini', messages: MESSAGES, ...body }),
		});
	const errorOf = (result: RawResult) => (result.json as OpenAiErrorBody).error;
	const contentOf = (result: RawResult) => (result.json as Completion).choices[0].message.content;

	describe('models', () => {
		test('GET /v1/models lists the state models', async () => {
			const result = await get('/v1/models');
			expect(result.status).toBe(200);
			const body = result.json as { object: string; data: Array<Record<string, unknown>> };
			expect(body.object).toBe('list');
			expect(body.data).toContainEqual({ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' });
		});

		test('GET /v1/models/:model returns one model, or 404 model_not_found', async () => {
			expect((await get('/v1/models/gpt-4o')).json).toMatchObject({ id: 'gpt-4o', object: 'model' });
			const missing = await get('/v1/models/gpt-nope');
			expect(missing.status).toBe(404);
			expect(missing.json).toEqual({
				error: { message: "The model 'gpt-nope' does not exist", type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
			});
		});
	});

	describe('chat completions', () => {
		test('answers in the OpenAI shape with usage consistent with the text', async () => {
			const result = await complete({ response_format: { type: 'json_object' } });
			expect(result.status).toBe(200);
			const body = result.json as Completion;
			expect(body.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
			expect(body.object).toBe('chat.completion');
			expect(body.model).toBe('gpt-4o-mini');
			expect(body.system_fingerprint).toMatch(/^fp_[0-9a-f]{10}$/);
			expect(body.service_tier).toBe('default');
			expect(Math.abs(body.created - Date.now() / 1000)).toBeLessThan(5);
			expect(body.choices).toEqual([
				{ index: 0, message: { role: 'assistant', content: DEFAULT_DIAGNOSIS, refusal: null }, logprobs: null, finish_reason: 'stop' },
			]);
			const promptTokens = countPromptTokens(PROMPT_TEXTS);
			const completionTokens = estimateTokens(DEFAULT_DIAGNOSIS);
			expect(body.usage).toEqual({
				prompt_tokens: promptTokens,
				completion_tokens: completionTokens,
				total_tokens: promptTokens + completionTokens,
			});
			expect(result.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
			expect(Number(result.headers.get('openai-processing-ms'))).toBeGreaterThanOrEqual(1);
			expect(result.headers.get('openai-organization')).toBe('org-test');
			expect(result.headers.get('openai-version')).toBe('2020-10-01');
		});

		test('scripted replies are consumed one per completion, then the default reply', async () => {
			emulator.patchState({ replies: ['one', 'two'], defaultReply: 'three' });
			expect([contentOf(await complete()), contentOf(await complete()), contentOf(await complete())]).toEqual(['one', 'two', 'three']);
		});

		test('max_tokens / max_completion_tokens 1 truncates to one token with finish_reason length', async () => {
			for (const limit of [{ max_tokens: 1 }, { max_completion_tokens: 1 }]) {
				const body = (await complete(limit)).json as Completion;
				expect(body.choices[0].message.content).toBe(DEFAULT_DIAGNOSIS.slice(0, 4));
				expect(body.choices[0].finish_reason).toBe('length');
				expect(body.usage.completion_tokens).toBe(1);
			}
		});

		test('JSON mode requires the prompt to mention JSON', async () => {
			const result = await complete({ messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_object' } });
			expect(result.status).toBe(400);
			expect(result.json).toEqual({
				error: {
					message: "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
					type: 'invalid_request_error',
					param: 'messages',
					code: null,
				},
			});
		});

		test('JSON mode passes a non-JSON reply through (OpenAI does not validate it)', async () => {
			emulator.patchState({ replies: ['not json'] });
			expect(contentOf(await complete({ response_format: { type: 'json_object' } }))).toBe('not json');
		});

		test('invalid bodies are 400 with param and code', async () => {
			expect(errorOf(await complete({ messages: undefined }))).toEqual({
				message: "Missing required parameter: 'messages'.",
				type: 'invalid_request_error',
				param: 'messages',
				code: 'missing_required_parameter',
			});
			expect(errorOf(await complete({ max_tokens: 0 }))).toMatchObject({ param: 'max_tokens', code: 'integer_below_min_value' });
		});

		test('an unknown model is 404 model_not_found', async () => {
			const result = await complete({ model: 'gpt-nope' });
			expect(result.status).toBe(404);
			expect(errorOf(result)).toEqual({
				message: 'The model `gpt-nope` does not exist or you do not have access to it.',
				type: 'invalid_request_error',
				param: null,
				code: 'model_not_found',
			});
		});
	});

	describe('authentication', () => {
		test('a wrong key is 401 invalid_api_key with the key masked to its first and last 4 characters', async () => {
			const wrongKey = 'sk-test-wrong-openai';
			const result = await complete({}, auth(wrongKey));
			expect(result.status).toBe(401);
			expect(result.json).toEqual({
				error: {
					message: 'Incorrect API key provided: sk-t************enai. You can find your API key at https://platform.openai.com/account/api-keys.',
					type: 'invalid_request_error',
					param: null,
					code: 'invalid_api_key',
				},
			});
			expect(result.text).not.toContain(wrongKey);
		});

		test('short keys are masked completely; a missing key says so', async () => {
			expect(maskApiKey('sk-short')).toBe('********');
			expect(errorOf(await get('/v1/models', auth('sk-short'))).message).toContain('provided: ********.');
			const missing = await get('/v1/models', {});
			expect(missing.status).toBe(401);
			expect(errorOf(missing)).toMatchObject({ type: 'invalid_request_error', code: null });
			expect(errorOf(missing).message).toMatch(/^You didn't provide an API key/);
		});

		test('apiKeys decides which keys are valid', async () => {
			emulator.patchState({ apiKeys: ['sk-test-rotated'] });
			expect((await complete()).status).toBe(401);
			expect((await complete({}, auth('sk-test-rotated'))).status).toBe(200);
		});

		test('OpenAI-Organization is optional; an unknown one is 401 mismatched_organization', async () => {
			const known = await complete({}, { ...auth(), 'OpenAI-Organization': 'org-test' });
			expect(known.status).toBe(200);
			expect(known.headers.get('openai-organization')).toBe('org-test');
			const unknown = await get('/v1/models', { ...auth(), 'OpenAI-Organization': 'org-other' });
			expect(unknown.status).toBe(401);
			expect(unknown.json).toEqual({
				error: {
					message: 'OpenAI-Organization header should match organization for API key',
					type: 'invalid_request_error',
					param: null,
					code: 'mismatched_organization',
				},
			});
			emulator.patchState({ organizations: ['org-test', 'org-other'] });
			expect((await get('/v1/models', { ...auth(), 'OpenAI-Organization': 'org-other' })).status).toBe(200);
		});
	});

	describe('rate limits and quota', () => {
		test('every response carries the rate-limit headers and a request id, retry-after only on 429', async () => {
			const responses = [await complete(), await complete({}, auth('sk-test-wrong-openai')), await get('/v1/nope')];
			emulator.setFault('openai.chatCompletions', { status: 503 });
			responses.push(await complete());
			for (const result of responses) {
				for (const name of RATE_LIMIT_HEADERS) expect(result.headers.get(name)).not.toBeNull();
				expect(result.headers.get('x-ratelimit-reset-requests')).toMatch(DURATION);
				expect(result.headers.get('x-ratelimit-reset-tokens')).toMatch(DURATION);
				expect(result.headers.get('x-request-id')).toMatch(/^req_/);
				expect(result.headers.get('openai-processing-ms')).toMatch(/^\d+$/);
				expect(result.headers.get('retry-after')).toBeNull();
			}
		});

		test('remaining counters count down per completion from the state limits', async () => {
			const result = await complete();
			expect(result.headers.get('x-ratelimit-limit-requests')).toBe('500');
			expect(result.headers.get('x-ratelimit-remaining-requests')).toBe('499');
			expect(result.headers.get('x-ratelimit-limit-tokens')).toBe('200000');
			expect(result.headers.get('x-ratelimit-remaining-tokens')).toBe(String(200000 - (result.json as Completion).usage.total_tokens));
		});

		test('remaining values can be set low; at 0 a real 429 rate_limit_exceeded with retry-after', async () => {
			emulator.patchState({ rateLimit: { requests: { remaining: 1 } } });
			const last = await complete();
			expect(last.status).toBe(200);
			expect(last.headers.get('x-ratelimit-remaining-requests')).toBe('0');
			const limited = await complete();
			expect(limited.status).toBe(429);
			expect(errorOf(limited)).toMatchObject({ type: 'requests', param: null, code: 'rate_limit_exceeded' });
			expect(errorOf(limited).message).toMatch(
				/^Rate limit reached for gpt-4o-mini in organization org-test on requests per min \(RPM\): Limit 500, Used 500, Requested 1\. Please try again in \S+\. Visit https:\/\/platform\.openai\.com\/account\/rate-limits to learn more\.$/,
			);
			expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		});

		test('quotaExhausted makes completions 429 insufficient_quota without retry-after', async () => {
			emulator.patchState({ quotaExhausted: true, replies: ['kept'] });
			const result = await complete();
			expect(result.status).toBe(429);
			expect(result.json).toEqual({
				error: {
					message:
						'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
					type: 'insufficient_quota',
					param: null,
					code: 'insufficient_quota',
				},
			});
			expect(result.headers.get('retry-after')).toBeNull();
			expect((await get('/v1/models')).status).toBe(200);
			expect(emulator.state.replies).toEqual(['kept']);
		});
	});

	describe('injected faults use OpenAI bodies', () => {
		test('401 masks the key that was sent', async () => {
			emulator.setFault('openai.chatCompletions', { status: 401 });
			const result = await complete();
			expect(result.status).toBe(401);
			expect(errorOf(result)).toMatchObject({ code: 'invalid_api_key', param: null });
			expect(errorOf(result).message).toContain('Incorrect API key provided: sk-t******enai.');
		});

		test('429 rate_limit_exceeded with the default retry-after of 1 second', async () => {
			emulator.setFault('openai.chatCompletions', { status: 429 });
			const result = await complete();
			expect(result.status).toBe(429);
			expect(result.headers.get('retry-after')).toBe('1');
			expect(result.headers.get('x-ratelimit-remaining-requests')).toBe('0');
			expect(errorOf(result)).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
			expect(errorOf(result).message).toContain('Please try again in 1s.');
		});

		test('429 with retry-after 20 and type tokens', async () => {
			emulator.patchState({ fault429Kind: 'tokens' });
			emulator.setFault('openai.chatCompletions', { status: 429, retryAfter: 20 });
			const result = await complete();
			expect(result.headers.get('retry-after')).toBe('20');
			expect(errorOf(result)).toMatchObject({ type: 'tokens', code: 'rate_limit_exceeded' });
			expect(errorOf(result).message).toContain('on tokens per min (TPM)');
			expect(errorOf(result).message).toContain('Please try again in 20s.');
		});

		test('429 without retry-after', async () => {
			emulator.setFault('openai.chatCompletions', { status: 429, retryAfter: null });
			const result = await complete();
			expect(result.status).toBe(429);
			expect(result.headers.get('retry-after')).toBeNull();
			expect(errorOf(result).code).toBe('rate_limit_exceeded');
		});

		test('429 insufficient_quota never carries retry-after', async () => {
			emulator.patchState({ fault429Kind: 'insufficient_quota' });
			emulator.setFault('openai.chatCompletions', { status: 429, retryAfter: 5 });
			const result = await complete();
			expect(result.status).toBe(429);
			expect(errorOf(result)).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
			expect(result.headers.get('retry-after')).toBeNull();
		});

		test('500', async () => {
			emulator.setFault('openai.chatCompletions', { status: 500 });
			const result = await complete();
			expect(result.status).toBe(500);
			expect(result.json).toEqual({
				error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null },
			});
		});

		test.each([
			[400, 'invalid_request_error', null],
			[403, 'request_forbidden', 'unsupported_country_region_territory'],
			[404, 'invalid_request_error', 'model_not_found'],
			[502, 'server_error', null],
			[503, 'server_error', null],
		])('%i has type %s and code %s', async (status, type, code) => {
			emulator.setFault('*', { status });
			const result = await complete();
			expect(result.status).toBe(status);
			expect(errorOf(result)).toMatchObject({ type, code, param: null });
			expect(typeof errorOf(result).message).toBe('string');
		});
	});

	test('unknown paths get OpenAI 404 Invalid URL', async () => {
		const result = await get('/v1/nope');
		expect(result.status).toBe(404);
		expect(result.json).toEqual({ error: { message: 'Invalid URL (GET /v1/nope)', type: 'invalid_request_error', param: null, code: null } });
	});

	describeTransportFaults(() => emulator, {
		routeId: 'openai.chatCompletions',
		path: COMPLETIONS,
		init: {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
			body: JSON.stringify({ model: 'gpt-4o-mini', messages: MESSAGES }),
		},
	});
});
