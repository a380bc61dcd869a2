/**
 * OpenAI emulator (chat completions and models under `/v1`), after apis.md §7a.
 * A client's base URL is `${emulator.url}/v1`.
 *
 * Routes (fault ids):
 * - `openai.listModels`       GET  /v1/models
 * - `openai.getModel`         GET  /v1/models/:model
 * - `openai.chatCompletions`  POST /v1/chat/completions
 *
 * Every reply carries `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (RPM/TPM),
 * `x-request-id`, `openai-processing-ms`, `openai-organization` and `openai-version`;
 * `retry-after` only on a retryable 429. Errors are `{error:{message,type,param,code}}`.
 *
 * Authentication: `Authorization: Bearer <key>`; a wrong key → 401 invalid_api_key with the
 * key masked to its first and last 4 characters (keys of 8 characters or fewer are masked
 * completely). `OpenAI-Organization` is optional; when sent it must be one of
 * `organizations`, otherwise 401 `mismatched_organization`, which is what OpenAI answers
 * when the header names an organization the key does not belong to.
 *
 * State switches (`emulator.patchState` or `PATCH /__emulator/state`):
 * - `replies: string[]`, `defaultReply`: what the model answers (queue, then default).
 * - `apiKeys` (default `sk-test-openai`), `organizations` (default `org-test`).
 * - `models`: what GET /models lists and completions accept; unknown model → 404 model_not_found.
 * - `rateLimit.requests` (RPM) / `rateLimit.tokens` (TPM): `{limit, remaining, windowMs, resetsAt}`.
 *   Completions count down `remaining`; patch it low for little headroom, or to 0 for real 429s.
 * - `quotaExhausted: true`: every completion → 429 insufficient_quota (not retryable, no retry-after).
 * - `fault429Kind`: `requests` | `tokens` (rate_limit_exceeded) | `insufficient_quota`, the
 *   body of an injected 429.
 */
import { defineEmulator, type Emulator } from '../core/emulator';
import type { EmulatorRequest, FaultContext, Reply } from '../core/types';
import {
	BASE62,
	bearerToken,
	consume,
	countPromptTokens,
	firstExhausted,
	formatDuration,
	generate,
	headerValue,
	HEX,
	isRecord,
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

export interface OpenAiModel {
	id: string;
	created: number;
	owned_by: string;
}

export type OpenAiLimitKind = 'requests' | 'tokens';
export type OpenAi429Kind = OpenAiLimitKind | 'insufficient_quota';

export interface OpenAiState extends ScriptedReplyState {
	apiKeys: string[];
	organizations: string[];
	models: OpenAiModel[];
	rateLimit: Record<OpenAiLimitKind, RateBudget>;
	quotaExhausted: boolean;
	fault429Kind: OpenAi429Kind;
	systemFingerprint: string;
}

type OpenAiRequest = EmulatorRequest<OpenAiState>;

const MINUTE_MS = 60_000;

/** Fresh default state: a few current chat models, tier-1 limits for gpt-4o-mini. */
export function openAiDefaults(): OpenAiState {
	return {
		...scriptedReplyDefaults(),
		apiKeys: ['sk-test-openai'],
		organizations: ['org-test'],
		models: [
			{ id: 'gpt-4o-mini', created: 1721172741, owned_by: 'system' },
			{ id: 'gpt-4o', created: 1715367049, owned_by: 'system' },
			{ id: 'gpt-4.1-mini', created: 1744318173, owned_by: 'system' },
			{ id: 'gpt-4.1-nano', created: 1744321707, owned_by: 'system' },
		],
		rateLimit: {
			requests: rateBudget(500, MINUTE_MS),
			tokens: rateBudget(200_000, MINUTE_MS),
		},
		quotaExhausted: false,
		fault429Kind: 'requests',
		systemFingerprint: randomId('fp_', HEX, 10),
	};
}

// ---------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------

function openAiRequestMeta(req: OpenAiRequest) {
	return requestMeta(req, () => randomId('req_', HEX, 32));
}

function openAiError(status: number, message: string, type: string, param: string | null = null, code: string | null = null): Reply {
	return { status, body: { error: { message, type, param, code } } };
}

function invalidRequest(problem: RequestProblem): Reply {
	return openAiError(400, problem.message, 'invalid_request_error', problem.param, problem.code);
}

/** OpenAI echoes a wrong key masked: first and last 4 characters, the rest as `*`. */
export function maskApiKey(key: string): string {
	if (key.length <= 8) return '*'.repeat(key.length);
	return `${key.slice(0, 4)}${'*'.repeat(key.length - 8)}${key.slice(-4)}`;
}

function incorrectApiKey(key: string | undefined): Reply {
	if (key === undefined) {
		return openAiError(
			401,
			"You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
			'invalid_request_error',
		);
	}
	return openAiError(
		401,
		`Incorrect API key provided: ${maskApiKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
		'invalid_request_error',
		null,
		'invalid_api_key',
	);
}

function mismatchedOrganization(): Reply {
	return openAiError(401, 'OpenAI-Organization header should match organization for API key', 'invalid_request_error', null, 'mismatched_organization');
}

function insufficientQuota(): Reply {
	return openAiError(
		429,
		'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
		'insufficient_quota',
		null,
		'insufficient_quota',
	);
}

function modelNotFound(id: string): Reply {
	return openAiError(404, `The model \`${id}\` does not exist or you do not have access to it.`, 'invalid_request_error', null, 'model_not_found');
}

const LIMIT_NAMES: Record<OpenAiLimitKind, string> = {
	requests: 'requests per min (RPM)',
	tokens: 'tokens per min (TPM)',
};

interface RateLimitHit {
	kind: OpenAiLimitKind;
	model: string;
	used: number;
	requested: number;
	tryAgainMs: number;
	retryAfter: number | null;
}

function rateLimited(req: OpenAiRequest, hit: RateLimitHit): Reply {
	const budget = req.state.rateLimit[hit.kind];
	const message =
		`Rate limit reached for ${hit.model} in organization ${organizationOf(req)} on ${LIMIT_NAMES[hit.kind]}: ` +
		`Limit ${budget.limit}, Used ${hit.used}, Requested ${hit.requested}. Please try again in ${formatDuration(hit.tryAgainMs)}. ` +
		'Visit https://platform.openai.com/account/rate-limits to learn more.';
	const reply = openAiError(429, message, hit.kind, null, 'rate_limit_exceeded');
	reply.headers = {
		[`x-ratelimit-remaining-${hit.kind}`]: '0',
		...(hit.retryAfter !== null ? { 'retry-after': String(hit.retryAfter) } : {}),
	};
	return reply;
}

// ---------------------------------------------------------------------------
// Request checks
// ---------------------------------------------------------------------------

function organizationOf(req: OpenAiRequest): string {
	return headerValue(req.headers, 'openai-organization') ?? req.state.organizations[0] ?? 'org-emulator';
}

function authorize(req: OpenAiRequest): Reply | undefined {
	const key = bearerToken(req.headers);
	if (key === undefined || !req.state.apiKeys.includes(key)) return incorrectApiKey(key);
	const organization = headerValue(req.headers, 'openai-organization');
	if (organization !== undefined && !req.state.organizations.includes(organization)) return mismatchedOrganization();
	return undefined;
}

function requestedModel(req: OpenAiRequest): string {
	const body = req.body;
	if (isRecord(body) && typeof body.model === 'string') return body.model;
	return req.state.models[0]?.id ?? 'gpt-4o-mini';
}

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

function modelObject(m: OpenAiModel): Record<string, unknown> {
	return { id: m.id, object: 'model', created: m.created, owned_by: m.owned_by };
}

function listModels(req: OpenAiRequest): Reply {
	return authorize(req) ?? { status: 200, body: { object: 'list', data: req.state.models.map(modelObject) } };
}

function getModel(req: OpenAiRequest): Reply {
	const denied = authorize(req);
	if (denied) return denied;
	const id = req.params.model;
	const found = req.state.models.find((m) => m.id === id);
	if (found) return { status: 200, body: modelObject(found) };
	return openAiError(404, `The model '${id}' does not exist`, 'invalid_request_error', 'model', 'model_not_found');
}

function chatCompletions(req: OpenAiRequest): Reply {
	const denied = authorize(req);
	if (denied) return denied;
	const parsed = parseChatRequest(req.body);
	if (!parsed.ok) return invalidRequest(parsed.problem);
	const chat = parsed.value;
	const state = req.state;
	if (!state.models.some((m) => m.id === chat.model)) return modelNotFound(chat.model);
	const jsonProblem = jsonModeProblem(chat);
	if (jsonProblem) return invalidRequest(jsonProblem);
	if (state.quotaExhausted) return insufficientQuota();

	const promptTokens = countPromptTokens(chat.messageTexts);
	const exhausted = firstExhausted<OpenAiLimitKind>([
		{ kind: 'requests', budget: state.rateLimit.requests, requested: 1 },
		{ kind: 'tokens', budget: state.rateLimit.tokens, requested: promptTokens },
	]);
	if (exhausted) {
		const wait = msUntilReset(exhausted.budget);
		return rateLimited(req, {
			kind: exhausted.kind,
			model: chat.model,
			used: exhausted.budget.limit - exhausted.budget.remaining,
			requested: exhausted.requested,
			tryAgainMs: wait,
			retryAfter: retryAfterSeconds(wait),
		});
	}

	const output = generate(takeReply(state), chat.maxTokens);
	consume(state.rateLimit.requests, 1);
	consume(state.rateLimit.tokens, promptTokens + output.tokens);
	return {
		status: 200,
		body: {
			id: randomId('chatcmpl-', BASE62, 29),
			object: 'chat.completion',
			created: nowSeconds(),
			model: chat.model,
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content: output.text, refusal: null },
					logprobs: null,
					finish_reason: output.truncated ? 'length' : 'stop',
				},
			],
			usage: {
				prompt_tokens: promptTokens,
				completion_tokens: output.tokens,
				total_tokens: promptTokens + output.tokens,
			},
			system_fingerprint: state.systemFingerprint,
			service_tier: 'default',
		},
	};
}

// ---------------------------------------------------------------------------
// Faults and unknown paths
// ---------------------------------------------------------------------------

function injectedRateLimit(ctx: FaultContext<OpenAiState>): Reply {
	const req = ctx.request;
	const kind = req.state.fault429Kind;
	if (kind === 'insufficient_quota') return insufficientQuota();
	const budget = req.state.rateLimit[kind];
	return rateLimited(req, {
		kind,
		model: requestedModel(req),
		used: budget.limit,
		requested: kind === 'requests' ? 1 : 500,
		tryAgainMs: ctx.retryAfter !== null ? ctx.retryAfter * 1000 : msUntilReset(budget),
		retryAfter: ctx.retryAfter,
	});
}

/** OpenAI's body for an injected status. */
function openAiFaultReply(status: number, ctx: FaultContext<OpenAiState>): Reply {
	switch (status) {
		case 400:
			return openAiError(400, 'Invalid request.', 'invalid_request_error');
		case 401:
			return incorrectApiKey(bearerToken(ctx.request.headers));
		case 403:
			return openAiError(403, 'Country, region, or territory not supported', 'request_forbidden', null, 'unsupported_country_region_territory');
		case 404:
			return modelNotFound(requestedModel(ctx.request));
		case 429:
			return injectedRateLimit(ctx);
		case 500:
			return openAiError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error');
		case 503:
			return openAiError(503, 'The engine is currently overloaded, please try again later.', 'server_error');
		default:
			return openAiError(status, `HTTP ${status}`, status >= 500 ? 'server_error' : 'invalid_request_error');
	}
}

function openAiNotFound(req: OpenAiRequest): Reply {
	return openAiError(404, `Invalid URL (${req.method} ${req.path})`, 'invalid_request_error');
}

function openAiCommonHeaders(req: OpenAiRequest): Record<string, string> {
	const meta = openAiRequestMeta(req);
	return {
		...xRateLimitHeaders(req.state.rateLimit.requests, req.state.rateLimit.tokens),
		'x-request-id': meta.id,
		'openai-processing-ms': String(Math.max(1, Date.now() - meta.startedAt)),
		'openai-organization': organizationOf(req),
		'openai-version': '2020-10-01',
	};
}

/** Starts the clock for `openai-processing-ms` when the handler begins. */
function measured(handler: (req: OpenAiRequest) => Reply): (req: OpenAiRequest) => Reply {
	return (req) => {
		openAiRequestMeta(req);
		return handler(req);
	};
}

/** An OpenAI emulator; `overrides` replace top-level defaults (and survive `reset()`). */
export function createOpenAiEmulator(overrides: Partial<OpenAiState> = {}): Emulator<OpenAiState> {
	return defineEmulator<OpenAiState>({
		name: 'openai',
		initialState: () => ({ ...openAiDefaults(), ...structuredClone(overrides) }),
		routes: [
			{ id: 'openai.listModels', method: 'GET', path: '/v1/models', handler: measured(listModels) },
			{ id: 'openai.getModel', method: 'GET', path: '/v1/models/:model', handler: measured(getModel) },
			{ id: 'openai.chatCompletions', method: 'POST', path: '/v1/chat/completions', handler: measured(chatCompletions) },
		],
		faultReply: openAiFaultReply,
		notFound: openAiNotFound,
		commonHeaders: openAiCommonHeaders,
	});
}
