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
 * - `replies: string[]`, `defaultReply`: what the model answers (queue, then default);
 *   `answerFromPrompt`: instead of the default, the rule for the prompt's cause (readsPrompt.ts).
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

import type { Emulator } from '../core/emulator';
import type { Reply } from '../core/types';
import { consume, CROCKFORD32, formatDuration, HEX, isValidJson, randomId, rateBudget, requestMeta, scriptedReplyDefaults, xRateLimitHeaders } from './common';
import { type CompatLimitKind, type CompatModel, type CompatRequest, type CompatState, defineCompatEmulator, type RateLimitHit } from './openAiCompatible';

export interface GroqModel extends CompatModel {
	context_window: number;
	max_completion_tokens: number;
	active: boolean;
}

export type GroqLimitKind = CompatLimitKind;

export interface GroqState extends CompatState<GroqModel> {
	/** Shown in rate-limit messages, like Groq's `org_…`. */
	organization: string;
	decommissioned: string[];
	fault429Type: GroqLimitKind;
	validateJsonMode: boolean;
}

type GroqRequest = CompatRequest<GroqState>;

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

const newRequestId = () => randomId('req_01', CROCKFORD32, 24);

function groqRequestId(req: GroqRequest): string {
	return requestMeta(req, newRequestId).id;
}

function groqError(status: number, message: string, type: string, code?: string, extra: Record<string, unknown> = {}): Reply {
	return { status, body: { error: { message, type, ...(code ? { code } : {}), ...extra } } };
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

/** Groq's 429: the limit, usage and wait are spelled out in the message. */
function rateLimitMessage(req: GroqRequest, hit: RateLimitHit, limit: number): string {
	return (
		`Rate limit reached for model \`${hit.model}\` in organization \`${req.state.organization}\` service tier \`on_demand\` ` +
		`on ${LIMIT_NAMES[hit.kind]}: Limit ${limit}, Used ${hit.used}, Requested ${hit.requested}. ` +
		`Please try again in ${formatDuration(hit.tryAgainMs)}. Visit https://console.groq.com/docs/rate-limits for more information.`
	);
}

// ---------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------

function listedModels(state: GroqState): GroqModel[] {
	return state.models.filter((m) => !state.decommissioned.includes(m.id));
}

function modelUnavailable(state: GroqState, id: string): Reply | undefined {
	if (state.decommissioned.includes(id)) return modelDecommissioned(id);
	return listedModels(state).some((m) => m.id === id) ? undefined : modelNotFound(id);
}

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

// ---------------------------------------------------------------------------
// Completions
// ---------------------------------------------------------------------------

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

/** JSON mode with a reply that is not JSON: Groq refuses it (the prompt tokens are still spent). */
function jsonValidateFailed(state: GroqState, promptTokens: number, generation: string): Reply {
	consume(state.rateLimit.tokens, promptTokens);
	return groqError(
		400,
		"Failed to generate JSON. Please adjust your prompt. See 'failed_generation' for more details.",
		'invalid_request_error',
		'json_validate_failed',
		{ failed_generation: generation },
	);
}

// ---------------------------------------------------------------------------
// Faults and unknown paths
// ---------------------------------------------------------------------------

function tooLarge(state: GroqState, model: string, retryAfter: number | null): Reply {
	const message = `Request too large for model \`${model}\` on tokens per minute (TPM): Limit ${state.rateLimit.tokens.limit}, please reduce your message size and try again.`;
	const reply = groqError(413, message, 'tokens', 'rate_limit_exceeded');
	if (retryAfter !== null) reply.headers = { 'retry-after': String(retryAfter) };
	return reply;
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
	return defineCompatEmulator<GroqModel, GroqState>(
		{
			name: 'groq',
			basePath: '/openai/v1',
			defaults: groqDefaults,
			fallbackModel: 'llama-3.1-8b-instant',
			newRequestId,
			// Groq's errors carry no `param`, and a `code` only when there is one.
			error: (status, message, type, _param, code) => groqError(status, message, type, code ?? undefined),
			rejectKey: invalidApiKey,
			listed: listedModels,
			modelObject,
			unknownModel: modelNotFound,
			modelNotFound,
			modelUnavailable,
			refuseReply: (state, chat, reply, promptTokens) =>
				chat.responseFormat === 'json_object' && state.validateJsonMode && !isValidJson(reply)
					? jsonValidateFailed(state, promptTokens, reply)
					: undefined,
			rateLimitMessage,
			completion: (req, { chat, created, choice, usage, promptTokens, output }) => ({
				id: `chatcmpl-${randomUUID()}`,
				object: 'chat.completion',
				created,
				model: chat.model,
				system_fingerprint: req.state.systemFingerprint,
				service_tier: chat.serviceTier === 'flex' || chat.serviceTier === 'performance' ? chat.serviceTier : 'on_demand',
				choices: [choice()],
				usage: { ...usage, ...usageTimings(promptTokens, output.tokens) },
				x_groq: { id: groqRequestId(req) },
			}),
			injected429: (state) => state.fault429Type,
			// Exact texts beyond 401/429 are best guesses.
			faultBodies: {
				400: { message: 'Bad request', type: 'invalid_request_error' },
				403: { message: 'Organization has been restricted. Please reach out to support if you believe this was in error.', type: 'permission_error', code: 'organization_restricted' },
				422: { message: 'Unprocessable Entity', type: 'invalid_request_error' },
				498: { message: 'Flex tier capacity exceeded. Please try again later or use the on_demand service tier.', type: 'capacity_exceeded', code: 'capacity_exceeded' },
				499: { message: 'Request cancelled', type: 'invalid_request_error', code: 'request_cancelled' },
				500: { message: 'Internal Server Error', type: 'internal_server_error' },
				502: { message: 'Bad Gateway', type: 'internal_server_error' },
				503: { message: 'Service Unavailable', type: 'internal_server_error', code: 'service_unavailable' },
			},
			faultReply: (status, ctx, model) => (status === 413 ? tooLarge(ctx.request.state, model, ctx.retryAfter) : undefined),
			serverErrorType: 'internal_server_error',
			extraModelRoutes: [
				// `openai/gpt-oss-20b` with a raw slash.
				{ id: 'groq.getNamespacedModel', path: '/openai/v1/models/:owner/:name', modelId: (req) => `${req.params.owner}/${req.params.name}` },
			],
			notFound: groqNotFound,
			commonHeaders: groqCommonHeaders,
		},
		overrides,
	);
}
