/**
 * Anthropic emulator (Messages API), after apis.md §7b. A client's base URL is `emulator.url`.
 *
 * Routes (fault ids):
 * - `anthropic.messages`    POST /v1/messages
 * - `anthropic.listModels`  GET  /v1/models          (`?limit=&after_id=&before_id=`, newest first)
 * - `anthropic.getModel`    GET  /v1/models/:model   (ids or aliases)
 *
 * Authentication: `x-api-key: <key>` or `Authorization: Bearer <key>`; `anthropic-version`
 * is required on every call (400 invalid_request_error otherwise; any value is accepted).
 * Errors are `{"type":"error","error":{"type","message"},"request_id":"req_…"}` with the
 * status table of apis.md (529 overloaded_error). Every reply carries
 * `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`
 * (resets as RFC 3339 timestamps), `request-id` and `anthropic-organization-id`;
 * `retry-after` only on 429.
 *
 * State switches (`emulator.patchState` or `PATCH /__emulator/state`):
 * - `replies: string[]`, `defaultReply`: what the model answers (queue, then default);
 *   `answerFromPrompt`: instead of the default, the rule for the prompt's cause (readsPrompt.ts).
 * - `apiKeys` (default `sk-ant-test`).
 * - `models`, `aliases`: what GET /v1/models lists and messages accept; unknown → 404 not_found_error.
 * - `rateLimit.{requests,tokens,inputTokens,outputTokens}`: `{limit, remaining, windowMs, resetsAt}`
 *   per minute. Messages count down `remaining`; patch it low for little headroom, or to 0
 *   for real 429 rate_limit_error replies with retry-after until the window ends.
 */
import { randomUUID } from 'node:crypto';

import { defineEmulator, type Emulator } from '../core/emulator';
import type { EmulatorRequest, FaultContext, Reply } from '../core/types';
import { BASE62, bearerToken, consume, contentText, countPromptTokens, firstExhausted, generate, headerValue, isRecord, msUntilReset, type Parsed, randomId, rateBudget, type RateBudget, readTokenLimit, requestMeta, retryAfterSeconds, rollWindow, scriptedReplyDefaults, type ScriptedReplyState, takeReply } from './common';

export interface AnthropicModel {
	id: string;
	display_name: string;
	created_at: string;
}

export type AnthropicLimitKind = 'requests' | 'tokens' | 'inputTokens' | 'outputTokens';

export interface AnthropicState extends ScriptedReplyState {
	apiKeys: string[];
	organizationId: string;
	models: AnthropicModel[];
	/** Alias → model id, e.g. `claude-sonnet-4-5` → `claude-sonnet-4-5-20250929`. */
	aliases: Record<string, string>;
	rateLimit: Record<AnthropicLimitKind, RateBudget>;
}

type AnthropicRequest = EmulatorRequest<AnthropicState>;

const MINUTE_MS = 60_000;

/** Each limit's words in a 429 message; its header segment is the same with `-` for spaces. */
const LIMIT_NAMES: Record<AnthropicLimitKind, string> = { requests: 'requests', tokens: 'tokens', inputTokens: 'input tokens', outputTokens: 'output tokens' };

/** `anthropic-ratelimit-<segment>` of a limit; then `-limit`, `-remaining`, `-reset`. */
function headerPrefix(kind: AnthropicLimitKind): string {
	return `anthropic-ratelimit-${LIMIT_NAMES[kind].replace(' ', '-')}`;
}

/** Fresh default state: current Claude models and tier-1 per-minute limits. */
export function anthropicDefaults(): AnthropicState {
	return {
		...scriptedReplyDefaults(),
		apiKeys: ['sk-ant-test'],
		organizationId: randomUUID(),
		models: [
			{ id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
			{ id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' },
			{ id: 'claude-opus-4-1-20250805', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z' },
			{ id: 'claude-3-5-haiku-20241022', display_name: 'Claude Haiku 3.5', created_at: '2024-10-22T00:00:00Z' },
		],
		aliases: {
			'claude-sonnet-4-5': 'claude-sonnet-4-5-20250929',
			'claude-haiku-4-5': 'claude-haiku-4-5-20251001',
			'claude-opus-4-1': 'claude-opus-4-1-20250805',
			'claude-3-5-haiku-latest': 'claude-3-5-haiku-20241022',
		},
		rateLimit: {
			requests: rateBudget(50, MINUTE_MS),
			tokens: rateBudget(38_000, MINUTE_MS),
			inputTokens: rateBudget(30_000, MINUTE_MS),
			outputTokens: rateBudget(8_000, MINUTE_MS),
		},
	};
}

// ---------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------

function anthropicRequestId(req: AnthropicRequest): string {
	return requestMeta(req, () => randomId('req_011C', BASE62, 20)).id;
}

function anthropicError(req: AnthropicRequest, status: number, type: string, message: string): Reply {
	return { status, body: { type: 'error', error: { type, message }, request_id: anthropicRequestId(req) } };
}

function invalidRequest(req: AnthropicRequest, message: string): Reply {
	return anthropicError(req, 400, 'invalid_request_error', message);
}

interface RateLimitHit {
	kind: AnthropicLimitKind;
	retryAfter: number | null;
}

function rateLimited(req: AnthropicRequest, hit: RateLimitHit): Reply {
	const state = req.state;
	const limit = state.rateLimit[hit.kind].limit.toLocaleString('en-US');
	const message =
		`This request would exceed the rate limit for your organization (${state.organizationId}) of ${limit} ${LIMIT_NAMES[hit.kind]} per minute. ` +
		'For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. ' +
		'Please reduce the prompt length or the maximum tokens requested, or try again later.';
	const reply = anthropicError(req, 429, 'rate_limit_error', message);
	reply.headers = {
		[`${headerPrefix(hit.kind)}-remaining`]: '0',
		...(hit.retryAfter !== null ? { 'retry-after': String(hit.retryAfter) } : {}),
	};
	return reply;
}

// ---------------------------------------------------------------------------
// Request checks
// ---------------------------------------------------------------------------

function authorize(req: AnthropicRequest): Reply | undefined {
	const key = headerValue(req.headers, 'x-api-key') ?? bearerToken(req.headers);
	if (key === undefined) return anthropicError(req, 401, 'authentication_error', 'x-api-key header is required');
	if (!req.state.apiKeys.includes(key)) return anthropicError(req, 401, 'authentication_error', 'invalid x-api-key');
	if (!headerValue(req.headers, 'anthropic-version')) return invalidRequest(req, 'anthropic-version: header is required');
	return undefined;
}

function resolveModel(state: AnthropicState, idOrAlias: string): AnthropicModel | undefined {
	const id = state.aliases[idOrAlias] ?? idOrAlias;
	return state.models.find((m) => m.id === id);
}

function modelNotFound(req: AnthropicRequest, id: string): Reply {
	return anthropicError(req, 404, 'not_found_error', `model: ${id}`);
}

interface MessagesRequest {
	model: string;
	maxTokens: number;
	promptTexts: string[];
}

/** Validates a Messages body; messages read like the API's pydantic-style errors. */
function parseMessagesRequest(body: unknown): Parsed<MessagesRequest> {
	const fail = (message: string): Parsed<MessagesRequest> => ({ ok: false, problem: { message, param: null, code: null } });
	if (!isRecord(body)) return fail('There was an issue with your request body: expected a JSON object.');
	if (typeof body.model !== 'string' || body.model === '') return fail('model: Field required');
	if (body.max_tokens === undefined) return fail('max_tokens: Field required');
	const maxTokens = readTokenLimit(body, 'max_tokens');
	if (!maxTokens.ok || maxTokens.value === undefined) return fail('max_tokens: Input should be a valid integer greater than or equal to 1');
	if (body.messages === undefined) return fail('messages: Field required');
	if (!Array.isArray(body.messages)) return fail('messages: Input should be a valid list');
	if (body.messages.length === 0) return fail('messages: at least one message is required');
	// Streaming is not emulated: refuse it loudly rather than answer in the wrong format.
	if (body.stream === true) return fail('stream: true is not supported by this emulator.');
	const system = contentText(body.system);
	const messageTexts = body.messages.map((message) => (isRecord(message) ? contentText(message.content) : ''));
	return {
		ok: true,
		value: { model: body.model, maxTokens: maxTokens.value, promptTexts: system === '' ? messageTexts : [system, ...messageTexts] },
	};
}

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

function modelObject(m: AnthropicModel): Record<string, unknown> {
	return { type: 'model', id: m.id, display_name: m.display_name, created_at: m.created_at };
}

function sortedNewestFirst(models: AnthropicModel[]): AnthropicModel[] {
	return [...models].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
}

/** One page of models, cut by `after_id` / `before_id` and `limit` (1–1000, default 20). */
function modelsPage(models: AnthropicModel[], query: Record<string, string>): { page: AnthropicModel[]; hasMore: boolean } {
	const limit = Math.min(1000, Math.max(1, Number.parseInt(query.limit ?? '20', 10) || 20));
	if (query.before_id) {
		const end = models.findIndex((m) => m.id === query.before_id);
		const before = end === -1 ? [] : models.slice(0, end);
		return { page: before.slice(-limit), hasMore: before.length > limit };
	}
	const start = query.after_id ? models.findIndex((m) => m.id === query.after_id) + 1 : 0;
	const after = query.after_id && start === 0 ? [] : models.slice(start);
	return { page: after.slice(0, limit), hasMore: after.length > limit };
}

function listModels(req: AnthropicRequest): Reply {
	const denied = authorize(req);
	if (denied) return denied;
	const { page, hasMore } = modelsPage(sortedNewestFirst(req.state.models), req.query);
	return {
		status: 200,
		body: {
			data: page.map(modelObject),
			has_more: hasMore,
			first_id: page[0]?.id ?? null,
			last_id: page[page.length - 1]?.id ?? null,
		},
	};
}

function getModel(req: AnthropicRequest): Reply {
	const denied = authorize(req);
	if (denied) return denied;
	const found = resolveModel(req.state, req.params.model);
	return found ? { status: 200, body: modelObject(found) } : modelNotFound(req, req.params.model);
}

function messages(req: AnthropicRequest): Reply {
	const denied = authorize(req);
	if (denied) return denied;
	const parsed = parseMessagesRequest(req.body);
	if (!parsed.ok) return invalidRequest(req, parsed.problem.message);
	const request = parsed.value;
	const state = req.state;
	const model = resolveModel(state, request.model);
	if (!model) return modelNotFound(req, request.model);

	const inputTokens = countPromptTokens(request.promptTexts);
	const exhausted = firstExhausted<AnthropicLimitKind>([
		{ kind: 'requests', budget: state.rateLimit.requests, requested: 1 },
		{ kind: 'inputTokens', budget: state.rateLimit.inputTokens, requested: inputTokens },
		{ kind: 'outputTokens', budget: state.rateLimit.outputTokens, requested: 1 },
		{ kind: 'tokens', budget: state.rateLimit.tokens, requested: inputTokens + 1 },
	]);
	if (exhausted) {
		return rateLimited(req, { kind: exhausted.kind, retryAfter: retryAfterSeconds(msUntilReset(exhausted.budget)) });
	}

	const output = generate(takeReply(state, request.promptTexts), request.maxTokens);
	consume(state.rateLimit.requests, 1);
	consume(state.rateLimit.inputTokens, inputTokens);
	consume(state.rateLimit.outputTokens, output.tokens);
	consume(state.rateLimit.tokens, inputTokens + output.tokens);
	return {
		status: 200,
		body: {
			id: randomId('msg_01', BASE62, 22),
			type: 'message',
			role: 'assistant',
			model: model.id,
			content: [{ type: 'text', text: output.text }],
			stop_reason: output.truncated ? 'max_tokens' : 'end_turn',
			stop_sequence: null,
			usage: { input_tokens: inputTokens, output_tokens: output.tokens },
		},
	};
}

// ---------------------------------------------------------------------------
// Faults, unknown paths, headers
// ---------------------------------------------------------------------------

/** The error types of apis.md's status table; other statuses fall back by class. */
const ERROR_TYPES: Record<number, { type: string; message: string }> = {
	400: { type: 'invalid_request_error', message: 'Invalid request.' },
	401: { type: 'authentication_error', message: 'invalid x-api-key' },
	403: { type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' },
	404: { type: 'not_found_error', message: 'Not found' },
	413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
	500: { type: 'api_error', message: 'Internal server error' },
	529: { type: 'overloaded_error', message: 'Overloaded' },
};

function anthropicFaultReply(status: number, ctx: FaultContext<AnthropicState>): Reply {
	if (status === 429) return rateLimited(ctx.request, { kind: 'inputTokens', retryAfter: ctx.retryAfter });
	const known = ERROR_TYPES[status];
	if (known) return anthropicError(ctx.request, status, known.type, known.message);
	return status >= 500
		? anthropicError(ctx.request, status, 'api_error', 'Internal server error')
		: anthropicError(ctx.request, status, 'invalid_request_error', `HTTP ${status}`);
}

function anthropicNotFound(req: AnthropicRequest): Reply {
	return anthropicError(req, 404, 'not_found_error', 'Not Found');
}

/** Reset instants as Anthropic prints them: RFC 3339, whole seconds, UTC. */
function rfc3339(epochMs: number): string {
	return new Date(Math.ceil(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function rateLimitHeaders(state: AnthropicState): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const kind of Object.keys(LIMIT_NAMES) as AnthropicLimitKind[]) {
		const budget = state.rateLimit[kind];
		rollWindow(budget);
		const prefix = headerPrefix(kind);
		headers[`${prefix}-limit`] = String(budget.limit);
		headers[`${prefix}-remaining`] = String(budget.remaining);
		headers[`${prefix}-reset`] = rfc3339(budget.resetsAt);
	}
	return headers;
}

function anthropicCommonHeaders(req: AnthropicRequest): Record<string, string> {
	return {
		...rateLimitHeaders(req.state),
		'request-id': anthropicRequestId(req),
		'anthropic-organization-id': req.state.organizationId,
	};
}

/** An Anthropic emulator; `overrides` replace top-level defaults (and survive `reset()`). */
export function createAnthropicEmulator(overrides: Partial<AnthropicState> = {}): Emulator<AnthropicState> {
	return defineEmulator<AnthropicState>({
		name: 'anthropic',
		initialState: () => ({ ...anthropicDefaults(), ...structuredClone(overrides) }),
		routes: [
			{ id: 'anthropic.messages', method: 'POST', path: '/v1/messages', handler: messages },
			{ id: 'anthropic.listModels', method: 'GET', path: '/v1/models', handler: listModels },
			{ id: 'anthropic.getModel', method: 'GET', path: '/v1/models/:model', handler: getModel },
		],
		faultReply: anthropicFaultReply,
		notFound: anthropicNotFound,
		commonHeaders: anthropicCommonHeaders,
	});
}
