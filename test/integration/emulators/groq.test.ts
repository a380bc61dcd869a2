import Groq, { AuthenticationError, InternalServerError, RateLimitError } from 'groq-sdk';

import type { Emulator } from '../../../dev/emulators/core/emulator';
import { call, describeTransportFaults, type RawResult } from './selfTest';
import { countPromptTokens, DEFAULT_DIAGNOSIS, estimateTokens } from '../../../dev/emulators/llm/common';
import { createGroqEmulator, type GroqState } from '../../../dev/emulators/llm/groq';

const KEY = 'gsk_test_key';
const COMPLETIONS = '/openai/v1/chat/completions';
const MESSAGES = [
	{ role: 'system', content: 'You diagnose a WhatsApp bot. Reply in JSON.' },
	{ role: 'user', content: 'Evolution says connection state: close' },
];
const RATE_LIMIT_HEADERS = [
	'x-ratelimit-limit-requests',
	'x-ratelimit-limit-tokens',
	'x-ratelimit-remaining-requests',
	'x-ratelimit-remaining-tokens',
	'x-ratelimit-reset-requests',
	'x-ratelimit-reset-tokens',
];
const DURATION = /^(\d+h)?(\d+m)?(\d+(\.\d+)?s|\d+ms)$/;

interface GroqErrorBody {
	error: { message: string; type: string; code?: string; failed_generation?: string };
}

interface Completion {
	id: string;
	object: string;
	model: string;
	system_fingerprint: string;
	service_tier: string;
	choices: Array<{ index: number; message: { role: string; content: string }; logprobs: null; finish_reason: string }>;
	usage: Record<string, number>;
	x_groq: { id: string };
}

interface ModelObject {
	id: string;
	object: string;
	owned_by: string;
	active: boolean;
	context_window: number;
	public_apps: null;
	max_completion_tokens: number;
}

describe('Groq emulator', () => {
	let emulator: Emulator<GroqState>;
	beforeEach(async () => {
		emulator = await createGroqEmulator().start();
	});
	afterEach(async () => {
		await emulator.close();
	});

	const auth = (key = KEY) => ({ authorization: `Bearer ${key}` });
	const get = (path: string, key = KEY) => call(`${emulator.url}${path}`, { headers: auth(key) });
	const complete = (body: Record<string, unknown> = {}, key = KEY) =>
		call(`${emulator.url}${COMPLETIONS}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...auth(key) },
			body: JSON.stringify({ model: 'llama-3.1-8b-instant', messages: MESSAGES, ...body }),
		});
	const errorOf = (result: RawResult) => (result.json as GroqErrorBody).error;
	const contentOf = (result: RawResult) => (result.json as Completion).choices[0].message.content;

	describe('models', () => {
		test('GET /models lists current and Llama ids with Groq extras, without decommissioned ones', async () => {
			const result = await get('/openai/v1/models');
			expect(result.status).toBe(200);
			const body = result.json as { object: string; data: ModelObject[] };
			expect(body.object).toBe('list');
			const ids = body.data.map((m) => m.id);
			expect(ids).toEqual(
				expect.arrayContaining(['openai/gpt-oss-120b', 'openai/gpt-oss-20b', 'llama-3.1-8b-instant', 'llama-3.3-70b-versatile']),
			);
			expect(ids).not.toContain('llama3-70b-8192');
			expect(body.data.find((m) => m.id === 'llama-3.1-8b-instant')).toEqual({
				id: 'llama-3.1-8b-instant',
				object: 'model',
				created: 1693721698,
				owned_by: 'Meta',
				active: true,
				context_window: 131072,
				public_apps: null,
				max_completion_tokens: 131072,
			});
		});

		test('GET /models/:model works for ids with a raw or an encoded slash', async () => {
			const raw = await get('/openai/v1/models/openai/gpt-oss-20b');
			expect(raw.status).toBe(200);
			expect((raw.json as ModelObject).id).toBe('openai/gpt-oss-20b');
			const encoded = await get('/openai/v1/models/openai%2Fgpt-oss-20b');
			expect((encoded.json as ModelObject).id).toBe('openai/gpt-oss-20b');
			const plain = await get('/openai/v1/models/llama-3.3-70b-versatile');
			expect((plain.json as ModelObject).owned_by).toBe('Meta');
			expect(emulator.requests().map((r) => r.routeId)).toEqual(['groq.getNamespacedModel', 'groq.getModel', 'groq.getModel']);
		});

		test('an unknown model id is 404 model_not_found', async () => {
			const result = await get('/openai/v1/models/openai/gpt-nope');
			expect(result.status).toBe(404);
			expect(result.json).toEqual({
				error: {
					message: 'The model `openai/gpt-nope` does not exist or you do not have access to it.',
					type: 'invalid_request_error',
					code: 'model_not_found',
				},
			});
		});
	});

	describe('chat completions', () => {
		test('answers in the OpenAI shape plus Groq extras, with usage consistent with the text', async () => {
			const result = await complete({ temperature: 0.2, response_format: { type: 'json_object' } });
			expect(result.status).toBe(200);
			const body = result.json as Completion;
			expect(body.id).toMatch(/^chatcmpl-/);
			expect(body.object).toBe('chat.completion');
			expect(body.model).toBe('llama-3.1-8b-instant');
			expect(body.system_fingerprint).toMatch(/^fp_/);
			expect(body.service_tier).toBe('on_demand');
			expect(body.choices).toEqual([
				{ index: 0, message: { role: 'assistant', content: DEFAULT_DIAGNOSIS }, logprobs: null, finish_reason: 'stop' },
			]);
			expect(JSON.parse(body.choices[0].message.content)).toMatchObject({
				severity: 'high',
				confidence: 0.8,
				recommendedActions: ['whatsapp.reconnect'],
			});
			const promptTokens = countPromptTokens(MESSAGES.map((m) => m.content));
			const completionTokens = estimateTokens(DEFAULT_DIAGNOSIS);
			expect(body.usage).toMatchObject({
				prompt_tokens: promptTokens,
				completion_tokens: completionTokens,
				total_tokens: promptTokens + completionTokens,
			});
			expect(body.usage.total_time).toBeCloseTo(body.usage.prompt_time + body.usage.completion_time, 5);
			expect(body.x_groq.id).toMatch(/^req_01[0-9a-z]{24}$/);
			expect(result.headers.get('x-request-id')).toBe(body.x_groq.id);
		});

		test('scripted replies are consumed one per completion, then the default reply', async () => {
			emulator.patchState({ replies: ['first', 'second'], defaultReply: '{"rootCause":"fallback"}' });
			expect(contentOf(await complete())).toBe('first');
			expect(contentOf(await complete())).toBe('second');
			expect(contentOf(await complete())).toBe('{"rootCause":"fallback"}');
			expect(emulator.state.replies).toEqual([]);
		});

		test('replies can be scripted over HTTP through the control API', async () => {
			const patched = await call(`${emulator.url}/__emulator/state`, {
				method: 'PATCH',
				body: JSON.stringify({ replies: ['{"rootCause":"over http"}'] }),
			});
			expect(patched.status).toBe(200);
			expect(contentOf(await complete())).toBe('{"rootCause":"over http"}');
		});

		test('service_tier flex is echoed', async () => {
			expect(((await complete({ service_tier: 'flex' })).json as Completion).service_tier).toBe('flex');
		});

		test('max_tokens / max_completion_tokens 1 truncates to one token with finish_reason length', async () => {
			for (const limit of [{ max_tokens: 1 }, { max_completion_tokens: 1 }]) {
				const body = (await complete(limit)).json as Completion;
				expect(body.choices[0].message.content).toBe(DEFAULT_DIAGNOSIS.slice(0, 4));
				expect(body.choices[0].finish_reason).toBe('length');
				expect(body.usage.completion_tokens).toBe(1);
				expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + 1);
			}
		});

		test('JSON mode requires the prompt to mention JSON', async () => {
			const result = await complete({
				messages: [{ role: 'user', content: 'diagnose this' }],
				response_format: { type: 'json_object' },
			});
			expect(result.status).toBe(400);
			expect(result.json).toEqual({
				error: {
					message: "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
					type: 'invalid_request_error',
				},
			});
		});

		test('JSON mode with a non-JSON reply is 400 json_validate_failed unless validateJsonMode is off', async () => {
			emulator.patchState({ replies: ['sorry, no JSON today', 'sorry, no JSON today'] });
			const failed = await complete({ response_format: { type: 'json_object' } });
			expect(failed.status).toBe(400);
			expect(errorOf(failed)).toEqual({
				message: "Failed to generate JSON. Please adjust your prompt. See 'failed_generation' for more details.",
				type: 'invalid_request_error',
				code: 'json_validate_failed',
				failed_generation: 'sorry, no JSON today',
			});
			emulator.patchState({ validateJsonMode: false });
			const passed = await complete({ response_format: { type: 'json_object' } });
			expect(passed.status).toBe(200);
			expect(contentOf(passed)).toBe('sorry, no JSON today');
		});

		test('invalid bodies are 400 invalid_request_error and consume no reply', async () => {
			emulator.patchState({ replies: ['kept'] });
			expect(errorOf(await complete({ messages: [] })).type).toBe('invalid_request_error');
			expect(errorOf(await complete({ model: '' })).message).toBe('you must provide a model parameter');
			expect((await complete({ max_tokens: 0 })).status).toBe(400);
			expect((await complete({ stream: true })).status).toBe(400);
			expect(contentOf(await complete())).toBe('kept');
		});
	});

	describe('authentication', () => {
		const invalidKey = { error: { message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' } };

		test('a wrong or missing key is 401 invalid_api_key on every route', async () => {
			const wrong = await complete({}, 'gsk_wrong_key');
			expect(wrong.status).toBe(401);
			expect(wrong.json).toEqual(invalidKey);
			expect((await get('/openai/v1/models', 'gsk_wrong_key')).json).toEqual(invalidKey);
			const missing = await call(`${emulator.url}/openai/v1/models`);
			expect(missing.status).toBe(401);
			expect(missing.json).toEqual(invalidKey);
		});

		test('apiKeys decides which keys are valid', async () => {
			emulator.patchState({ apiKeys: ['gsk_rotated_key'] });
			expect((await complete()).status).toBe(401);
			expect((await complete({}, 'gsk_rotated_key')).status).toBe(200);
		});
	});

	describe('model availability', () => {
		test('a decommissioned model is 400 model_decommissioned', async () => {
			const result = await complete({ model: 'llama3-70b-8192' });
			expect(result.status).toBe(400);
			expect(result.json).toEqual({
				error: {
					message:
						'The model `llama3-70b-8192` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.',
					type: 'invalid_request_error',
					code: 'model_decommissioned',
				},
			});
		});

		test('decommissioning a Llama model by state removes it from the list and fails completions', async () => {
			emulator.patchState({ decommissioned: ['llama-3.1-8b-instant'] });
			expect(errorOf(await complete()).code).toBe('model_decommissioned');
			const list = (await get('/openai/v1/models')).json as { data: ModelObject[] };
			expect(list.data.map((m) => m.id)).not.toContain('llama-3.1-8b-instant');
			expect((await complete({ model: 'openai/gpt-oss-20b' })).status).toBe(200);
		});

		test('an unknown model is 404 model_not_found; the models list is state', async () => {
			const unknown = await complete({ model: 'llama-9-nope' });
			expect(unknown.status).toBe(404);
			expect(errorOf(unknown).code).toBe('model_not_found');
			emulator.patchState({
				models: [{ id: 'qwen/qwen3.6-27b', owned_by: 'Alibaba Cloud', created: 1, context_window: 131072, max_completion_tokens: 40960, active: true }],
			});
			expect((await complete({ model: 'qwen/qwen3.6-27b' })).status).toBe(200);
			expect((await complete()).status).toBe(404);
		});
	});

	describe('rate limits', () => {
		test('every response carries the rate-limit headers and a request id, retry-after only on 429', async () => {
			const responses = [await complete(), await complete({}, 'gsk_wrong_key'), await get('/openai/v1/nope')];
			emulator.setFault('groq.chatCompletions', { status: 500 });
			responses.push(await complete());
			for (const result of responses) {
				for (const name of RATE_LIMIT_HEADERS) expect(result.headers.get(name)).not.toBeNull();
				expect(result.headers.get('x-ratelimit-reset-requests')).toMatch(DURATION);
				expect(result.headers.get('x-ratelimit-reset-tokens')).toMatch(DURATION);
				expect(result.headers.get('x-request-id')).toMatch(/^req_/);
				expect(result.headers.get('retry-after')).toBeNull();
			}
		});

		test('remaining counters count down per completion from the state limits', async () => {
			const first = await complete();
			const usage = (first.json as Completion).usage;
			expect(first.headers.get('x-ratelimit-limit-requests')).toBe('14400');
			expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('6000');
			expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('14399');
			expect(first.headers.get('x-ratelimit-remaining-tokens')).toBe(String(6000 - usage.total_tokens));
			const second = await complete();
			expect(second.headers.get('x-ratelimit-remaining-requests')).toBe('14398');
		});

		test('remaining values can be set low to show little headroom', async () => {
			emulator.patchState({ rateLimit: { requests: { remaining: 3 }, tokens: { remaining: 500 } } });
			const result = await complete();
			expect(result.status).toBe(200);
			expect(result.headers.get('x-ratelimit-remaining-requests')).toBe('2');
			expect(result.headers.get('x-ratelimit-remaining-tokens')).toBe(String(500 - (result.json as Completion).usage.total_tokens));
		});

		test('no requests left: a real 429 of type requests with retry-after, no reply consumed', async () => {
			emulator.patchState({ replies: ['kept'], rateLimit: { requests: { remaining: 0 } } });
			const result = await complete();
			expect(result.status).toBe(429);
			expect(errorOf(result).type).toBe('requests');
			expect(errorOf(result).code).toBe('rate_limit_exceeded');
			expect(errorOf(result).message).toMatch(
				/^Rate limit reached for model `llama-3\.1-8b-instant` in organization `org_emulator` service tier `on_demand` on requests per day \(RPD\): Limit 14400, Used 14400, Requested 1\. Please try again in \S+\. Visit https:\/\/console\.groq\.com\/docs\/rate-limits for more information\.$/,
			);
			expect(Number(result.headers.get('retry-after'))).toBeGreaterThan(0);
			expect(result.headers.get('x-ratelimit-remaining-requests')).toBe('0');
			expect(emulator.state.replies).toEqual(['kept']);
		});

		test('too few tokens left: a real 429 of type tokens', async () => {
			emulator.patchState({ rateLimit: { tokens: { remaining: 5 } } });
			const result = await complete();
			expect(result.status).toBe(429);
			const promptTokens = countPromptTokens(MESSAGES.map((m) => m.content));
			expect(errorOf(result).type).toBe('tokens');
			expect(errorOf(result).message).toContain(`on tokens per minute (TPM): Limit 6000, Used 5995, Requested ${promptTokens}.`);
			expect(Number(result.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
			expect(Number(result.headers.get('retry-after'))).toBeLessThanOrEqual(60);
		});

		test('a window that has ended refills the budget', async () => {
			emulator.patchState({ rateLimit: { requests: { remaining: 0, resetsAt: 0 } } });
			const result = await complete();
			expect(result.status).toBe(200);
			expect(result.headers.get('x-ratelimit-remaining-requests')).toBe('14399');
		});
	});

	describe('injected faults use Groq bodies', () => {
		test('401', async () => {
			emulator.setFault('groq.chatCompletions', { status: 401 });
			const result = await complete();
			expect(result.status).toBe(401);
			expect(errorOf(result)).toEqual({ message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' });
		});

		test('429 with the default retry-after of 1 second', async () => {
			emulator.setFault('groq.chatCompletions', { status: 429 });
			const result = await complete();
			expect(result.status).toBe(429);
			expect(result.headers.get('retry-after')).toBe('1');
			expect(result.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
			expect(errorOf(result)).toMatchObject({ type: 'tokens', code: 'rate_limit_exceeded' });
			expect(errorOf(result).message).toContain('on tokens per minute (TPM): Limit 6000, Used 6000');
			expect(errorOf(result).message).toContain('Please try again in 1s.');
		});

		test('429 with retry-after 5.289 seconds, like the reference message', async () => {
			emulator.setFault('groq.chatCompletions', { status: 429, retryAfter: 5.289 });
			const result = await complete();
			expect(result.headers.get('retry-after')).toBe('5.289');
			expect(errorOf(result).message).toContain('Please try again in 5.289s.');
		});

		test('429 without retry-after still says when to retry; fault429Type picks the limit', async () => {
			emulator.patchState({ fault429Type: 'requests' });
			emulator.setFault('groq.chatCompletions', { status: 429, retryAfter: null });
			const result = await complete();
			expect(result.status).toBe(429);
			expect(result.headers.get('retry-after')).toBeNull();
			expect(errorOf(result)).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
			expect(errorOf(result).message).toMatch(/requests per day \(RPD\).*Please try again in \S+\./);
		});

		test('500', async () => {
			emulator.setFault('groq.chatCompletions', { status: 500 });
			const result = await complete();
			expect(result.status).toBe(500);
			expect(result.json).toEqual({ error: { message: 'Internal Server Error', type: 'internal_server_error' } });
		});

		test('498 capacity_exceeded (Flex tier)', async () => {
			emulator.setFault('groq.chatCompletions', { status: 498 });
			const result = await complete({ service_tier: 'flex' });
			expect(result.status).toBe(498);
			expect(errorOf(result).code).toBe('capacity_exceeded');
			expect(errorOf(result).message).toMatch(/Flex tier capacity exceeded/);
		});

		test.each([
			[400, 'invalid_request_error', undefined],
			[403, 'permission_error', 'organization_restricted'],
			[404, 'invalid_request_error', 'model_not_found'],
			[413, 'tokens', 'rate_limit_exceeded'],
			[422, 'invalid_request_error', undefined],
			[499, 'invalid_request_error', 'request_cancelled'],
			[502, 'internal_server_error', undefined],
			[503, 'internal_server_error', 'service_unavailable'],
		])('%i has type %s and code %s', async (status, type, code) => {
			emulator.setFault('*', { status });
			const result = await complete();
			expect(result.status).toBe(status);
			expect(errorOf(result).type).toBe(type);
			expect(errorOf(result).code).toBe(code);
			expect(typeof errorOf(result).message).toBe('string');
		});
	});

	test('unknown paths get Groq 404 unknown_url', async () => {
		const result = await get('/openai/v1/nope');
		expect(result.status).toBe(404);
		expect(result.json).toEqual({
			error: {
				message: 'Unknown request URL: GET /openai/v1/nope. Please check the URL for typos, or see the docs at https://console.groq.com/docs/',
				type: 'invalid_request_error',
				code: 'unknown_url',
			},
		});
	});

	test('reset() restores defaults, including overrides given at creation', async () => {
		await emulator.close();
		emulator = await createGroqEmulator({ defaultReply: '{"rootCause":"override"}' }).start();
		emulator.patchState({ defaultReply: 'patched', apiKeys: [] });
		emulator.reset();
		expect(contentOf(await complete())).toBe('{"rootCause":"override"}');
	});

	describeTransportFaults(() => emulator, {
		routeId: 'groq.chatCompletions',
		path: COMPLETIONS,
		init: {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
			body: JSON.stringify({ model: 'llama-3.1-8b-instant', messages: MESSAGES }),
		},
	});

	describe('groq-sdk against the emulator', () => {
		const client = (maxRetries: number) => new Groq({ apiKey: KEY, baseURL: emulator.url, maxRetries });

		test('a completion returns the scripted reply and the headers are readable', async () => {
			emulator.patchState({ replies: ['{"rootCause":"sdk"}'] });
			const { data, response } = await client(0)
				.chat.completions.create({
					model: 'openai/gpt-oss-20b',
					messages: [{ role: 'user', content: 'Reply in JSON: what broke?' }],
					response_format: { type: 'json_object' },
					max_completion_tokens: 256,
				})
				.withResponse();
			expect(data.choices[0].message.content).toBe('{"rootCause":"sdk"}');
			expect(data.choices[0].finish_reason).toBe('stop');
			expect(data.usage?.completion_tokens).toBe(estimateTokens('{"rootCause":"sdk"}'));
			expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('14399');
			const [recorded] = emulator.requests('groq.chatCompletions');
			expect(recorded.headers.authorization).toBe(`Bearer ${KEY}`);
		});

		test('models.retrieve and models.list work, including a model id with a slash', async () => {
			const model = await client(0).models.retrieve('openai/gpt-oss-120b');
			expect(model.id).toBe('openai/gpt-oss-120b');
			const list = await client(0).models.list();
			expect(list.data.map((m) => m.id)).toContain('llama-3.3-70b-versatile');
		});

		test('a 429 throws RateLimitError with the status and Groq body when maxRetries is 0', async () => {
			emulator.setFault('groq.chatCompletions', { status: 429, retryAfter: 3 });
			const error = await client(0)
				.chat.completions.create({ model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: 'hi' }] })
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(RateLimitError);
			const rateLimit = error as RateLimitError;
			expect(rateLimit.status).toBe(429);
			expect(rateLimit.headers?.get('retry-after')).toBe('3');
			expect(rateLimit.error).toMatchObject({ error: { code: 'rate_limit_exceeded', type: 'tokens' } });
			expect(emulator.requests('groq.chatCompletions')).toHaveLength(1);
		});

		test('a bad key throws AuthenticationError', async () => {
			const error = await new Groq({ apiKey: 'gsk_wrong_key', baseURL: emulator.url, maxRetries: 0 }).models
				.list()
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(AuthenticationError);
			expect((error as AuthenticationError).status).toBe(401);
		});

		test('with maxRetries 2 a persistent 500 is tried 3 times', async () => {
			emulator.setFault('groq.chatCompletions', { status: 500 });
			const error = await client(2)
				.chat.completions.create({ model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: 'hi' }] })
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(InternalServerError);
			expect((error as InternalServerError).status).toBe(500);
			const attempts = emulator.requests('groq.chatCompletions');
			expect(attempts).toHaveLength(3);
			expect(attempts.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1', '2']);
		});
	});
});
