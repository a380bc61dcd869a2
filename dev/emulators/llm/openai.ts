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
 * - `replies: string[]`, `defaultReply`: what the model answers (queue, then default);
 *   `answerFromPrompt`: instead of the default, the rule for the prompt's cause (readsPrompt.ts).
 * - `apiKeys` (default `sk-test-openai`), `organizations` (default `org-test`).
 * - `models`: what GET /models lists and completions accept; unknown model → 404 model_not_found.
 * - `rateLimit.requests` (RPM) / `rateLimit.tokens` (TPM): `{limit, remaining, windowMs, resetsAt}`.
 *   Completions count down `remaining`; patch it low for little headroom, or to 0 for real 429s.
 * - `quotaExhausted: true`: every completion → 429 insufficient_quota (not retryable, no retry-after).
 * - `fault429Kind`: `requests` | `tokens` (rate_limit_exceeded) | `insufficient_quota`, the
 *   body of an injected 429.
 */
import type { Emulator } from '../core/emulator';
import type { Reply } from '../core/types';
import { BASE62, bearerToken, formatDuration, headerValue, HEX, randomId, rateBudget, requestMeta, scriptedReplyDefaults, xRateLimitHeaders } from './common';
import { type CompatLimitKind, type CompatModel, type CompatRequest, type CompatState, defineCompatEmulator, type RateLimitHit } from './openAiCompatible';

export type OpenAiModel = CompatModel;

export type OpenAiLimitKind = CompatLimitKind;
export type OpenAi429Kind = OpenAiLimitKind | 'insufficient_quota';

export interface OpenAiState extends CompatState<OpenAiModel> {
	organizations: string[];
	quotaExhausted: boolean;
	fault429Kind: OpenAi429Kind;
}

type OpenAiRequest = CompatRequest<OpenAiState>;

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

const newRequestId = () => randomId('req_', HEX, 32);

function openAiError(status: number, message: string, type: string, param: string | null = null, code: string | null = null): Reply {
	return { status, body: { error: { message, type, param, code } } };
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

function rateLimitMessage(req: OpenAiRequest, hit: RateLimitHit, limit: number): string {
	return (
		`Rate limit reached for ${hit.model} in organization ${organizationOf(req)} on ${LIMIT_NAMES[hit.kind]}: ` +
		`Limit ${limit}, Used ${hit.used}, Requested ${hit.requested}. Please try again in ${formatDuration(hit.tryAgainMs)}. ` +
		'Visit https://platform.openai.com/account/rate-limits to learn more.'
	);
}

// ---------------------------------------------------------------------------
// Request checks
// ---------------------------------------------------------------------------

function organizationOf(req: OpenAiRequest): string {
	return headerValue(req.headers, 'openai-organization') ?? req.state.organizations[0] ?? 'org-emulator';
}

function checkOrganization(req: OpenAiRequest): Reply | undefined {
	const organization = headerValue(req.headers, 'openai-organization');
	if (organization !== undefined && !req.state.organizations.includes(organization)) return mismatchedOrganization();
	return undefined;
}

// ---------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------

function openAiCommonHeaders(req: OpenAiRequest): Record<string, string> {
	const meta = requestMeta(req, newRequestId);
	return {
		...xRateLimitHeaders(req.state.rateLimit.requests, req.state.rateLimit.tokens),
		'x-request-id': meta.id,
		'openai-processing-ms': String(Math.max(1, Date.now() - meta.startedAt)),
		'openai-organization': organizationOf(req),
		'openai-version': '2020-10-01',
	};
}

/** An OpenAI emulator; `overrides` replace top-level defaults (and survive `reset()`). */
export function createOpenAiEmulator(overrides: Partial<OpenAiState> = {}): Emulator<OpenAiState> {
	return defineCompatEmulator<OpenAiModel, OpenAiState>(
		{
			name: 'openai',
			basePath: '/v1',
			defaults: openAiDefaults,
			fallbackModel: 'gpt-4o-mini',
			newRequestId,
			error: openAiError,
			rejectKey: (req) => incorrectApiKey(bearerToken(req.headers)),
			checkHeaders: checkOrganization,
			listed: (state) => state.models,
			modelObject: (m) => ({ id: m.id, object: 'model', created: m.created, owned_by: m.owned_by }),
			unknownModel: (id) => openAiError(404, `The model '${id}' does not exist`, 'invalid_request_error', 'model', 'model_not_found'),
			modelNotFound,
			modelUnavailable: (state, id) => (state.models.some((m) => m.id === id) ? undefined : modelNotFound(id)),
			refuseCompletion: (state) => (state.quotaExhausted ? insufficientQuota() : undefined),
			rateLimitMessage,
			completion: (req, { chat, created, choice, usage }) => ({
				id: randomId('chatcmpl-', BASE62, 29),
				object: 'chat.completion',
				created,
				model: chat.model,
				choices: [choice({ refusal: null })],
				usage,
				system_fingerprint: req.state.systemFingerprint,
				service_tier: 'default',
			}),
			injected429: (state) => (state.fault429Kind === 'insufficient_quota' ? insufficientQuota() : state.fault429Kind),
			faultBodies: {
				400: { message: 'Invalid request.', type: 'invalid_request_error' },
				403: { message: 'Country, region, or territory not supported', type: 'request_forbidden', code: 'unsupported_country_region_territory' },
				500: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error' },
				503: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error' },
			},
			serverErrorType: 'server_error',
			notFound: (req) => openAiError(404, `Invalid URL (${req.method} ${req.path})`, 'invalid_request_error'),
			commonHeaders: openAiCommonHeaders,
		},
		overrides,
	);
}
