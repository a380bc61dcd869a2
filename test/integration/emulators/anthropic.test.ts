import type { Emulator } from '../../../dev/emulators/core/emulator';
import { call, describeTransportFaults, type RawResult } from './selfTest';
import { countPromptTokens, DEFAULT_DIAGNOSIS, estimateTokens } from '../../../dev/emulators/llm/common';
import { type AnthropicState, createAnthropicEmulator } from '../../../dev/emulators/llm/anthropic';

const KEY = 'sk-ant-test';
const VERSION = '2023-06-01';
const SYSTEM = 'You diagnose a WhatsApp bot. Answer with JSON only.';
const USER = 'Evolution says connection state: close';
const REQUEST = { model: 'claude-haiku-4-5-20251001', max_tokens: 256, system: SYSTEM, messages: [{ role: 'user', content: USER }] };
const LIMITS = ['requests', 'tokens', 'input-tokens', 'output-tokens'];
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

interface AnthropicErrorBody {
	type: 'error';
	error: { type: string; message: string };
	request_id: string;
}

interface Message {
	id: string;
	type: string;
	role: string;
	model: string;
	content: Array<{ type: string; text: string }>;
	stop_reason: string;
	stop_sequence: null;
	usage: { input_tokens: number; output_tokens: number };
}

interface ModelList {
	data: Array<{ type: string; id: string; display_name: string; created_at: string }>;
	has_more: boolean;
	first_id: string | null;
	last_id: string | null;
}

describe('Anthropic emulator', () => {
	let emulator: Emulator<AnthropicState>;
	beforeEach(async () => {
		emulator = await createAnthropicEmulator().start();
	});
	afterEach(async () => {
		await emulator.close();
	});

	const standardHeaders = (): Record<string, string> => ({ 'x-api-key': KEY, 'anthropic-version': VERSION });
	const get = (path: string, headers = standardHeaders()) => call(`${emulator.url}${path}`, { headers });
	const send = (body: Record<string, unknown> = {}, headers = standardHeaders()) =>
		call(`${emulator.url}/v1/messages`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: JSON.stringify({ ...REQUEST, ...body }),
		});
	const errorOf = (result: RawResult) => result.json as AnthropicErrorBody;
	const textOf = (result: RawResult) => (result.json as Message).content[0].text;

	/** Every Anthropic error: the envelope, and the body's request_id matching the header. */
	function expectError(result: RawResult, status: number, type: string, message?: string | RegExp): void {
		expect(result.status).toBe(status);
		const body = errorOf(result);
		expect(body.type).toBe('error');
		expect(body.error.type).toBe(type);
		if (typeof message === 'string') expect(body.error.message).toBe(message);
		else if (message) expect(body.error.message).toMatch(message);
		expect(body.request_id).toMatch(/^req_011C[A-Za-z0-9]{20}$/);
		expect(result.headers.get('request-id')).toBe(body.request_id);
	}

	describe('messages', () => {
		test('answers in the Messages shape with usage consistent with the text', async () => {
			const result = await send();
			expect(result.status).toBe(200);
			const body = result.json as Message;
			expect(body).toEqual({
				id: expect.stringMatching(/^msg_01[A-Za-z0-9]{22}$/) as unknown,
				type: 'message',
				role: 'assistant',
				model: 'claude-haiku-4-5-20251001',
				content: [{ type: 'text', text: DEFAULT_DIAGNOSIS }],
				stop_reason: 'end_turn',
				stop_sequence: null,
				usage: { input_tokens: countPromptTokens([SYSTEM, USER]), output_tokens: estimateTokens(DEFAULT_DIAGNOSIS) },
			});
			expect(result.headers.get('request-id')).toMatch(/^req_/);
			expect(result.headers.get('anthropic-organization-id')).toBe(emulator.state.organizationId);
		});

		test('Authorization: Bearer works as well as x-api-key; content blocks are read', async () => {
			const result = await send(
				{ system: [{ type: 'text', text: SYSTEM }], messages: [{ role: 'user', content: [{ type: 'text', text: USER }] }] },
				{ authorization: `Bearer ${KEY}`, 'anthropic-version': '2026-10-21' },
			);
			expect(result.status).toBe(200);
			expect((result.json as Message).usage.input_tokens).toBe(countPromptTokens([SYSTEM, USER]));
		});

		test('scripted replies are consumed one per message, then the default reply', async () => {
			emulator.patchState({ replies: ['{"rootCause":"a"}', '{"rootCause":"b"}'], defaultReply: '{"rootCause":"c"}' });
			expect([textOf(await send()), textOf(await send()), textOf(await send())]).toEqual([
				'{"rootCause":"a"}',
				'{"rootCause":"b"}',
				'{"rootCause":"c"}',
			]);
		});

		test('max_tokens 1 truncates to one token with stop_reason max_tokens', async () => {
			const body = (await send({ max_tokens: 1 })).json as Message;
			expect(body.content[0].text).toBe(DEFAULT_DIAGNOSIS.slice(0, 4));
			expect(body.stop_reason).toBe('max_tokens');
			expect(body.usage.output_tokens).toBe(1);
		});

		test('anthropic-version is required', async () => {
			expectError(await send({}, { 'x-api-key': KEY }), 400, 'invalid_request_error', 'anthropic-version: header is required');
		});

		test('max_tokens, model and messages are required', async () => {
			expectError(await send({ max_tokens: undefined }), 400, 'invalid_request_error', 'max_tokens: Field required');
			expectError(await send({ model: undefined }), 400, 'invalid_request_error', 'model: Field required');
			expectError(await send({ messages: undefined }), 400, 'invalid_request_error', 'messages: Field required');
			expectError(await send({ max_tokens: 0 }), 400, 'invalid_request_error', /^max_tokens: /);
		});

		test('aliases resolve to the model id; an unknown model is 404 not_found_error', async () => {
			expect(((await send({ model: 'claude-3-5-haiku-latest' })).json as Message).model).toBe('claude-3-5-haiku-20241022');
			expectError(await send({ model: 'claude-nope' }), 404, 'not_found_error', 'model: claude-nope');
		});

		test('the models and aliases are state', async () => {
			emulator.patchState({ models: [{ id: 'claude-next', display_name: 'Claude Next', created_at: '2026-01-01T00:00:00Z' }], aliases: { next: 'claude-next' } });
			expect(((await send({ model: 'next' })).json as Message).model).toBe('claude-next');
			expect((await send()).status).toBe(404);
		});
	});

	describe('authentication', () => {
		test('a missing key and a wrong key are 401 authentication_error', async () => {
			expectError(await send({}, { 'anthropic-version': VERSION }), 401, 'authentication_error', 'x-api-key header is required');
			expectError(await send({}, { 'x-api-key': 'sk-ant-wrong', 'anthropic-version': VERSION }), 401, 'authentication_error', 'invalid x-api-key');
			expectError(await get('/v1/models', { 'x-api-key': 'sk-ant-wrong', 'anthropic-version': VERSION }), 401, 'authentication_error');
		});

		test('apiKeys decides which keys are valid', async () => {
			emulator.patchState({ apiKeys: ['sk-ant-rotated'] });
			expect((await send()).status).toBe(401);
			expect((await send({}, { 'x-api-key': 'sk-ant-rotated', 'anthropic-version': VERSION })).status).toBe(200);
		});
	});

	describe('models', () => {
		test('GET /v1/models uses Anthropic list shape, newest first', async () => {
			const result = await get('/v1/models');
			expect(result.status).toBe(200);
			const body = result.json as ModelList;
			expect(body.data[0]).toEqual({
				type: 'model',
				id: 'claude-haiku-4-5-20251001',
				display_name: 'Claude Haiku 4.5',
				created_at: '2025-10-01T00:00:00Z',
			});
			expect(body.data.map((m) => m.id)).toEqual([
				'claude-haiku-4-5-20251001',
				'claude-sonnet-4-5-20250929',
				'claude-opus-4-1-20250805',
				'claude-3-5-haiku-20241022',
			]);
			expect(body.has_more).toBe(false);
			expect(body.first_id).toBe('claude-haiku-4-5-20251001');
			expect(body.last_id).toBe('claude-3-5-haiku-20241022');
		});

		test('pagination with limit, after_id and before_id', async () => {
			const first = (await get('/v1/models?limit=2')).json as ModelList;
			expect(first.data.map((m) => m.id)).toEqual(['claude-haiku-4-5-20251001', 'claude-sonnet-4-5-20250929']);
			expect(first.has_more).toBe(true);
			const next = (await get(`/v1/models?limit=2&after_id=${first.last_id ?? ''}`)).json as ModelList;
			expect(next.data.map((m) => m.id)).toEqual(['claude-opus-4-1-20250805', 'claude-3-5-haiku-20241022']);
			expect(next.has_more).toBe(false);
			const back = (await get('/v1/models?limit=1&before_id=claude-opus-4-1-20250805')).json as ModelList;
			expect(back.data.map((m) => m.id)).toEqual(['claude-sonnet-4-5-20250929']);
			expect(back.has_more).toBe(true);
			const empty = (await get('/v1/models?after_id=claude-nope')).json as ModelList;
			expect(empty).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
		});

		test('GET /v1/models/:model accepts ids and aliases', async () => {
			expect((await get('/v1/models/claude-sonnet-4-5')).json).toMatchObject({ type: 'model', id: 'claude-sonnet-4-5-20250929' });
			expectError(await get('/v1/models/claude-nope'), 404, 'not_found_error', 'model: claude-nope');
		});
	});

	describe('rate limits', () => {
		test('every response carries anthropic-ratelimit-* headers with RFC 3339 resets; retry-after only on 429', async () => {
			const responses = [await send(), await send({}, { 'anthropic-version': VERSION }), await get('/v1/nope')];
			emulator.setFault('anthropic.messages', { status: 529 });
			responses.push(await send());
			for (const result of responses) {
				for (const limit of LIMITS) {
					expect(result.headers.get(`anthropic-ratelimit-${limit}-limit`)).toMatch(/^\d+$/);
					expect(result.headers.get(`anthropic-ratelimit-${limit}-remaining`)).toMatch(/^\d+$/);
					expect(result.headers.get(`anthropic-ratelimit-${limit}-reset`)).toMatch(RFC3339);
				}
				expect(result.headers.get('request-id')).toMatch(/^req_/);
				expect(result.headers.get('retry-after')).toBeNull();
			}
			const reset = Date.parse(responses[0].headers.get('anthropic-ratelimit-requests-reset') ?? '');
			expect(reset - Date.now()).toBeGreaterThan(0);
			expect(reset - Date.now()).toBeLessThanOrEqual(61_000);
		});

		test('remaining counters count down per message: requests, input, output and total tokens', async () => {
			const result = await send();
			const { usage } = result.json as Message;
			expect(result.headers.get('anthropic-ratelimit-requests-remaining')).toBe('49');
			expect(result.headers.get('anthropic-ratelimit-input-tokens-remaining')).toBe(String(30000 - usage.input_tokens));
			expect(result.headers.get('anthropic-ratelimit-output-tokens-remaining')).toBe(String(8000 - usage.output_tokens));
			expect(result.headers.get('anthropic-ratelimit-tokens-remaining')).toBe(String(38000 - usage.input_tokens - usage.output_tokens));
		});

		test('remaining values can be set low; at 0 a real 429 rate_limit_error with retry-after', async () => {
			emulator.patchState({ replies: ['used', 'kept'], rateLimit: { requests: { remaining: 1 } } });
			const last = await send();
			expect(last.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
			const limited = await send();
			expectError(limited, 429, 'rate_limit_error', /rate limit for your organization .* of 50 requests per minute/);
			expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
			expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
			emulator.patchState({ rateLimit: { requests: { remaining: 5 }, inputTokens: { remaining: 3 } } });
			expectError(await send(), 429, 'rate_limit_error', /of 30,000 input tokens per minute/);
			expect(emulator.state.replies).toEqual(['kept']);
		});
	});

	describe('injected faults use Anthropic bodies', () => {
		test('401', async () => {
			emulator.setFault('anthropic.messages', { status: 401 });
			expectError(await send(), 401, 'authentication_error', 'invalid x-api-key');
		});

		test('429 with the default retry-after of 1 second', async () => {
			emulator.setFault('anthropic.messages', { status: 429 });
			const result = await send();
			expectError(result, 429, 'rate_limit_error', /input tokens per minute/);
			expect(result.headers.get('retry-after')).toBe('1');
			expect(result.headers.get('anthropic-ratelimit-input-tokens-remaining')).toBe('0');
		});

		test('429 with retry-after 30, and without', async () => {
			emulator.setFault('anthropic.messages', { status: 429, retryAfter: 30, times: 1 });
			expect((await send()).headers.get('retry-after')).toBe('30');
			emulator.setFault('anthropic.messages', { status: 429, retryAfter: null });
			const result = await send();
			expectError(result, 429, 'rate_limit_error');
			expect(result.headers.get('retry-after')).toBeNull();
		});

		test('500 api_error', async () => {
			emulator.setFault('anthropic.messages', { status: 500 });
			expectError(await send(), 500, 'api_error', 'Internal server error');
		});

		test('529 overloaded_error', async () => {
			emulator.setFault('anthropic.messages', { status: 529 });
			expectError(await send(), 529, 'overloaded_error', 'Overloaded');
		});

		test.each([
			[400, 'invalid_request_error'],
			[403, 'permission_error'],
			[404, 'not_found_error'],
			[413, 'request_too_large'],
			[503, 'api_error'],
		])('%i has type %s', async (status, type) => {
			emulator.setFault('*', { status });
			expectError(await send(), status, type);
		});
	});

	test('unknown paths get Anthropic 404 not_found_error', async () => {
		expectError(await get('/v1/nope'), 404, 'not_found_error', 'Not Found');
	});

	describeTransportFaults(() => emulator, {
		routeId: 'anthropic.messages',
		path: '/v1/messages',
		init: {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': VERSION },
			body: JSON.stringify(REQUEST),
		},
	});
});
