/**
 * Groq emulator (OpenAI-compatible API under `/openai/v1`), after apis.md §6.
 * Point groq-sdk at it with `new Groq({ apiKey: 'gsk_test_key', baseURL: emulator.url })`.
 *
 * Routes (fault ids):
 * - `groq.listModels`          GET  /openai/v1/models
 * - `groq.getModel`            GET  /openai/v1/models/:model        (also `openai%2Fgpt-oss-20b`, as groq-sdk sends it)
 * - `groq.getNamespacedModel`  GET  /openai/v1/models/:owner/:name  (`openai/gpt-oss-20b` with a raw slash)
 * - `groq.chatCompletions`     POST /openai/v1/chat/completions
 *
 * Every reply carries `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` and
 * `x-request-id`; `retry-after` only on 429. Injected statuses get Groq's own bodies,
 * including 498 `capacity_exceeded` (Flex tier).
 *
 * State switches (`emulator.patchState` or `PATCH /__emulator/state`):
 * - `replies: string[]`, `defaultReply`: what the model answers (queue, then default).
 * - `apiKeys`: accepted bearer tokens (default `gsk_test_key`); anything else → 401 invalid_api_key.
 * - `models`: what GET /models lists and completions accept; unknown model → 404 model_not_found.
 * - `decommissioned`: model ids that answer 400 model_decommissioned (and vanish from the list),
 *   e.g. `["llama-3.1-8b-instant"]` to play the 16 Aug 2026 shutdown.
 * - `rateLimit.requests` (RPD) / `rateLimit.tokens` (TPM): `{limit, remaining, windowMs, resetsAt}`.
 *   Completions count down `remaining`; patch `remaining` low to show little headroom, or to 0
 *   to get real 429s (`type` requests|tokens, retry-after until the window ends).
 * - `fault429Type`: `tokens` | `requests`, the `type` of an injected 429.
 * - `validateJsonMode`: with JSON mode, a scripted reply that is not JSON → 400 json_validate_failed.
 */
import { randomUUID } from 'node:crypto';

import { defineEmulator, type Emulator } from '../core/emulator';
import type { EmulatorRequest, FaultContext, Reply } from '../core/types';
import {
	bearerToken,
	consume,
	countPromptTokens,
	CROCKFORD32,
	firstExhausted,
	formatDuration,
	generate,
	HEX,
	isRecord,
	isValidJson,
	jsonModeProblem,
	msUntilReset,
	nowSeconds,
	parseChatRequest,
	randomId,
	rateBudget,
	type RateBudget,
	requestMeta,
	type RequestProblem,
	retryAfterSeconds,
	scriptedReplyDefaults,
	type ScriptedReplyState,
	takeReply,
	xRateLimitHeaders,
} from './common';

export interface GroqModel {
	id: string;
	owned_by: string;
	created: number;
	context_window: number;
	max_completion_tokens: number;
	active: boolean;
}

export type GroqLimitKind = 'requests' | 'tokens';

export interface GroqState extends ScriptedReplyState {
	apiKeys: string[];
	/** Shown in rate-limit messages, like Groq's `org_…`. */
	organization: string;
	models: GroqModel[];
	decommissioned: string[];
	rateLimit: Record<GroqLimitKind, RateBudget>;
	fault429Type: GroqLimitKind;
	validateJsonMode: boolean;
	systemFingerprint: string;
}

type GroqRequest = EmulatorRequest<GroqState>;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

function model(id: string, owner: string, created: number, maxCompletionTokens: number): GroqModel {
	return { id, owned_by: owner, created, context_window: 131_072, max_completion_tokens: maxCompletionTokens, active: true };
}

/** Fresh default state: current gpt-oss ids, the Llama 3.x ids, free-tier limits. */
export function groqDefaults(): GroqState {
	return {
		...scriptedReplyDefaults(),
		apiKeys: ['gsk_test_key'],
		organization: 'org_emulator',
		models: [
			model('openai/gpt-oss-120b', 'OpenAI', 1754408224, 65_536),
			model('openai/gpt-oss-20b', 'OpenAI', 1754407957, 65_536),
			model('llama-3.1-8b-instant', 'Meta', 1693721698, 131_072),
			model('llama-3.3-70b-versatile', 'Meta', 1733447754, 32_768),
		],
		// Ids Groq really retired; the Llama 3.x ids join them on 16 Aug 2026 [3P].
		decommissioned: ['llama3-70b-8192', 'llama3-8b-8192', 'gemma2-9b-it', 'mixtral-8x7b-32768'],
		rateLimit: {
			requests: rateBudget(14_400, DAY_MS),
			tokens: rateBudget(6_000, MINUTE_MS),
		},
		fault429Type: 'tokens',
		validateJsonMode: true,
		systemFingerprint: randomId('fp_', HEX, 10),
	};
}

// ---------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------

function groqRequestId(req: GroqRequest): string {
	return requestMeta(req, () => randomId('req_01', CROCKFORD32, 24)).id;
}

function groqError(status: number, message: string, type: string, code?: string, extra: Record<string, unknown> = {}): Reply {
	return { status, body: { error: { message, type, ...(code ? { code } : {}), ...extra } } };
}

function invalidRequest(problem: RequestProblem): Reply {
	return groqError(400, problem.message, 'invalid_request_error', problem.code ?? undefined);
}

function invalidApiKey(): Reply {
	return groqError(401, 'Invalid API Key', 'invalid_request_error', 'invalid_api_key');
}

function modelNotFound(id: string): Reply {
	return groqError(404, `The model \`${id}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
}

function modelDecommissioned(id: string): Reply {
	return groqError(
		400,
		`The model \`${id}\` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.`,
		'invalid_request_error',
		'model_decommissioned',
	);
}

const LIMIT_NAMES: Record<GroqLimitKind, string> = {
	requests: 'requests per day (RPD)',
	tokens: 'tokens per minute (TPM)',
};

interface RateLimitHit {
	kind: GroqLimitKind;
	model: string;
	used: number;
	requested: number;
	tryAgainMs: number;
	retryAfter: number | null;
}

/** Groq's 429: the limit, usage and wait are spelled out in the message. */
function rateLimited(state: GroqState, hit: RateLimitHit): Reply {
	const budget = state.rateLimit[hit.kind];
	const message =
		`Rate limit reached for model \`${hit.model}\` in organization \`${state.organization}\` service tier \`on_demand\` ` +
		`on ${LIMIT_NAMES[hit.kind]}: Limit ${budget.limit}, Used ${hit.used}, Requested ${hit.requested}. ` +
		`Please try again in ${formatDuration(hit.tryAgainMs)}. Visit https://console.groq.com/docs/rate-limits for more information.`;
	const reply = groqError(429, message, hit.kind, 'rate_limit_exceeded');
	reply.headers = {
		[`x-ratelimit-remaining-${hit.kind}`]: '0',
		...(hit.retryAfter !== null ? { 'retry-after': String(hit.retryAfter) } : {}),
	};
	return reply;
}

// ---------------------------------------------------------------------------
// Request checks
// ---------------------------------------------------------------------------

function authorize(req: GroqRequest): Reply | undefined {
	const key = bearerToken(req.headers);
	return key !== undefined && req.state.apiKeys.includes(key) ? undefined : invalidApiKey();
}

function listedModels(state: GroqState): GroqModel[] {
	return state.models.filter((m) => !state.decommissioned.includes(m.id));
}

function modelUnavailable(state: GroqState, id: string): Reply | undefined {
	if (state.decommissioned.includes(id)) return modelDecommissioned(id);
	return listedModels(state).some((m) => m.id === id) ? undefined : modelNotFound(id);
}

function requestedModel(req: GroqRequest): string {
	const body = req.body;
	if (isRecord(body) && typeof body.model === 'string') return body.model;
	return req.state.models[0]?.id ?? 'llama-3.1-8b-instant';
}

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

function modelObject(m: GroqModel): Record<string, unknown> {
	return {
		id: m.id,
		object: 'model',
		created: m.created,
		owned_by: m.owned_by,
		active: m.active,
		context_window: m.context_window,
		public_apps: null,
		max_completion_tokens: m.max_completion_tokens,
	};
}

function listModels(req: GroqRequest): Reply {
	return authorize(req) ?? { status: 200, body: { object: 'list', data: listedModels(req.state).map(modelObject) } };
}

function getModel(id: string, req: GroqRequest): Reply {
	const denied = authorize(req);
	if (denied) return denied;
	const found = listedModels(req.state).find((m) => m.id === id);
	return found ? { status: 200, body: modelObject(found) } : modelNotFound(id);
}

/** Groq reports inference timings in seconds; roughly its published speeds. */
function usageTimings(promptTokens: number, completionTokens: number): Record<string, number> {
	const round = (n: number) => Number(n.toFixed(6));
	const promptTime = round(promptTokens / 50_000);
	const completionTime = round(completionTokens / 500);
	return {
		queue_time: 0.01,
		prompt_time: promptTime,
		completion_time: completionTime,
		total_time: round(promptTime + completionTime),
	};
}

function jsonValidateFailed(generation: string): Reply {
	return groqError(
		400,
		"Failed to generate JSON. Please adjust your prompt. See 'failed_generation' for more details.",
		'invalid_request_error',
		'json_validate_failed',
		{ failed_generation: generation },
	);
}

function chatCompletions(req: GroqRequest): Reply {
	const denied = authorize(req);
	if (denied) return denied;
	const parsed = parseChatRequest(req.body);
	if (!parsed.ok) return invalidRequest(parsed.problem);
	const chat = parsed.value;
	const state = req.state;
	const unavailable = modelUnavailable(state, chat.model);
	if (unavailable) return unavailable;
	const jsonProblem = jsonModeProblem(chat);
	if (jsonProblem) return invalidRequest(jsonProblem);

	const promptTokens = countPromptTokens(chat.messageTexts);
	const exhausted = firstExhausted<GroqLimitKind>([
		{ kind: 'requests', budget: state.rateLimit.requests, requested: 1 },
		{ kind: 'tokens', budget: state.rateLimit.tokens, requested: promptTokens },
	]);
	if (exhausted) {
		const wait = msUntilReset(exhausted.budget);
		return rateLimited(state, {
			kind: exhausted.kind,
			model: chat.model,
			used: exhausted.budget.limit - exhausted.budget.remaining,
			requested: exhausted.requested,
			tryAgainMs: wait,
			retryAfter: retryAfterSeconds(wait),
		});
	}

	const reply = takeReply(state);
	consume(state.rateLimit.requests, 1);
	if (chat.responseFormat === 'json_object' && state.validateJsonMode && !isValidJson(reply)) {
		consume(state.rateLimit.tokens, promptTokens);
		return jsonValidateFailed(reply);
	}
	const output = generate(reply, chat.maxTokens);
	consume(state.rateLimit.tokens, promptTokens + output.tokens);
	const requestId = groqRequestId(req);
	return {
		status: 200,
		body: {
			id: `chatcmpl-${randomUUID()}`,
			object: 'chat.completion',
			created: nowSeconds(),
			model: chat.model,
			system_fingerprint: state.systemFingerprint,
			service_tier: chat.serviceTier === 'flex' || chat.serviceTier === 'performance' ? chat.serviceTier : 'on_demand',
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content: output.text },
					logprobs: null,
					finish_reason: output.truncated ? 'length' : 'stop',
				},
			],
			usage: {
				prompt_tokens: promptTokens,
				completion_tokens: output.tokens,
				total_tokens: promptTokens + output.tokens,
				...usageTimings(promptTokens, output.tokens),
			},
			x_groq: { id: requestId },
		},
	};
}

// ---------------------------------------------------------------------------
// Faults and unknown paths
// ---------------------------------------------------------------------------

function injectedRateLimit(ctx: FaultContext<GroqState>): Reply {
	const state = ctx.request.state;
	const kind = state.fault429Type;
	const budget = state.rateLimit[kind];
	return rateLimited(state, {
		kind,
		model: requestedModel(ctx.request),
		used: budget.limit,
		requested: kind === 'requests' ? 1 : 500,
		tryAgainMs: ctx.retryAfter !== null ? ctx.retryAfter * 1000 : msUntilReset(budget),
		retryAfter: ctx.retryAfter,
	});
}

/** Groq's body for an injected status (exact texts beyond 401/429 are best guesses). */
function groqFaultReply(status: number, ctx: FaultContext<GroqState>): Reply {
	switch (status) {
		case 400:
			return groqError(400, 'Bad request', 'invalid_request_error');
		case 401:
			return invalidApiKey();
		case 403:
			return groqError(403, 'Organization has been restricted. Please reach out to support if you believe this was in error.', 'permission_error', 'organization_restricted');
		case 404:
			return modelNotFound(requestedModel(ctx.request));
		case 413: {
			const reply = groqError(413, `Request too large for model \`${requestedModel(ctx.request)}\` on tokens per minute (TPM): Limit ${ctx.request.state.rateLimit.tokens.limit}, please reduce your message size and try again.`, 'tokens', 'rate_limit_exceeded');
			if (ctx.retryAfter !== null) reply.headers = { 'retry-after': String(ctx.retryAfter) };
			return reply;
		}
		case 422:
			return groqError(422, 'Unprocessable Entity', 'invalid_request_error');
		case 429:
			return injectedRateLimit(ctx);
		case 498:
			return groqError(498, 'Flex tier capacity exceeded. Please try again later or use the on_demand service tier.', 'capacity_exceeded', 'capacity_exceeded');
		case 499:
			return groqError(499, 'Request cancelled', 'invalid_request_error', 'request_cancelled');
		case 500:
			return groqError(500, 'Internal Server Error', 'internal_server_error');
		case 502:
			return groqError(502, 'Bad Gateway', 'internal_server_error');
		case 503:
			return groqError(503, 'Service Unavailable', 'internal_server_error', 'service_unavailable');
		default:
			return groqError(status, `HTTP ${status}`, status >= 500 ? 'internal_server_error' : 'invalid_request_error');
	}
}

function groqNotFound(req: GroqRequest): Reply {
	return groqError(
		404,
		`Unknown request URL: ${req.method} ${req.path}. Please check the URL for typos, or see the docs at https://console.groq.com/docs/`,
		'invalid_request_error',
		'unknown_url',
	);
}

function groqCommonHeaders(req: GroqRequest): Record<string, string> {
	return {
		...xRateLimitHeaders(req.state.rateLimit.requests, req.state.rateLimit.tokens),
		'x-request-id': groqRequestId(req),
		'x-groq-region': 'emulator',
	};
}

/** A Groq emulator; `overrides` replace top-level defaults (and survive `reset()`). */
export function createGroqEmulator(overrides: Partial<GroqState> = {}): Emulator<GroqState> {
	return defineEmulator<GroqState>({
		name: 'groq',
		initialState: () => ({ ...groqDefaults(), ...structuredClone(overrides) }),
		routes: [
			{ id: 'groq.listModels', method: 'GET', path: '/openai/v1/models', handler: listModels },
			{ id: 'groq.getModel', method: 'GET', path: '/openai/v1/models/:model', handler: (req) => getModel(req.params.model, req) },
			{
				id: 'groq.getNamespacedModel',
				method: 'GET',
				path: '/openai/v1/models/:owner/:name',
				handler: (req) => getModel(`${req.params.owner}/${req.params.name}`, req),
			},
			{ id: 'groq.chatCompletions', method: 'POST', path: '/openai/v1/chat/completions', handler: chatCompletions },
		],
		faultReply: groqFaultReply,
		notFound: groqNotFound,
		commonHeaders: groqCommonHeaders,
	});
}
