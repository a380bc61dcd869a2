/**
 * One interface for the three LLM providers (Groq via groq-sdk, OpenAI and Anthropic
 * over HTTP), so the fallback chain and the provider check treat them alike. A provider
 * call never throws for a remote failure: it returns a classified outcome the chain
 * can act on (skip on auth, honour or skip a 429, fall through on timeouts and 5xx).
 */
import { PROVIDER_BASE_URLS } from '../../shared/providerBaseUrls';

export const LLM_PROVIDERS = ['groq', 'openai', 'anthropic'] as const;
export type LlmProviderName = (typeof LLM_PROVIDERS)[number];

export interface LlmProviderConfig {
	name: LlmProviderName;
	apiKey: string;
	/** Overridable for tests and proxies; the provider's public URL otherwise. */
	baseUrl: string;
	/** OpenAI only, optional. */
	organization?: string;
	model: string;
}

export interface ChatMessage {
	role: 'user' | 'assistant';
	content: string;
}

export interface CompletionRequest {
	system: string;
	messages: ChatMessage[];
	maxTokens: number;
	/** Ask for a JSON object (`response_format: json_object` on Groq/OpenAI; a prompt rule on Anthropic). */
	json: boolean;
	temperature?: number;
	/** Hard deadline for this call, ms (no SDK retries happen inside it). */
	timeoutMs: number;
}

/** Rate-limit headroom read from the response headers (absent where the provider did not send it). */
export interface RateLimitHeadroom {
	requestsLimit?: number;
	requestsRemaining?: number;
	tokensLimit?: number;
	tokensRemaining?: number;
	/** When the request budget resets, ms from now. */
	requestsResetMs?: number;
	tokensResetMs?: number;
}

export type LlmFailureKind =
	| 'auth' // 401/403: skip this provider
	| 'rate_limited' // 429 (retryAfterMs when the provider said)
	| 'quota_exhausted' // OpenAI insufficient_quota and alike: not retryable
	| 'model_unavailable' // 404 model_not_found, decommissioned, not in the models list
	| 'timeout'
	| 'unreachable'
	| 'reset'
	| 'server_error' // 5xx, Anthropic 529, Groq 498
	| 'bad_request' // other 4xx
	| 'malformed'; // a 2xx whose body is not the provider's shape

export interface LlmSuccess {
	ok: true;
	text: string;
	/** The model id the provider says answered. */
	model: string;
	latencyMs: number;
	finishReason?: string;
	rateLimit: RateLimitHeadroom;
}

export interface LlmFailure {
	ok: false;
	kind: LlmFailureKind;
	/** HTTP status, when there was one. */
	status?: number;
	/** One sentence, no secret (the key is never echoed, even when the provider echoes it). */
	message: string;
	retryAfterMs?: number;
	latencyMs: number;
	rateLimit: RateLimitHeadroom;
}

export type LlmOutcome = LlmSuccess | LlmFailure;

export interface ModelList {
	ok: true;
	/** Ids the key may use (plus the configured alias, when the provider resolved one). */
	models: string[];
	/** Alias → model id, for aliases the provider resolved (Anthropic's `claude-haiku-4-5`). */
	aliases?: Record<string, string>;
	latencyMs: number;
	rateLimit: RateLimitHeadroom;
}

export interface LlmProvider {
	readonly name: LlmProviderName;
	readonly model: string;
	complete(request: CompletionRequest): Promise<LlmOutcome>;
	/** The models this key may use (also the credential test). */
	listModels(timeoutMs: number): Promise<ModelList | LlmFailure>;
}

/** Public endpoints, used when the credential leaves the base URL empty. */
export const DEFAULT_BASE_URLS: Record<LlmProviderName, string> = {
	groq: PROVIDER_BASE_URLS.groq,
	openai: PROVIDER_BASE_URLS.openai,
	anthropic: PROVIDER_BASE_URLS.anthropic,
};

/**
 * Defaults chosen for 2026: Groq's Llama 3.x ids are reported deprecated (decommission
 * 2026-08-16), so Groq defaults to gpt-oss; the chain still checks the models list and
 * falls through when a configured model is gone.
 */
export const DEFAULT_MODELS: Record<LlmProviderName, string> = {
	groq: 'openai/gpt-oss-20b',
	openai: 'gpt-4o-mini',
	anthropic: 'claude-haiku-4-5',
};

/** A provider config that cannot work (the caller's mistake): names the parameter, never its value. */
export class LlmProviderConfigError extends Error {
	constructor(
		readonly parameter: string,
		message: string,
	) {
		super(message);
		this.name = 'LlmProviderConfigError';
	}
}

/**
 * The one check of a provider config, used by every factory: the name matches, the key
 * and model are set, the base URL is an http(s) URL (the public one when left empty).
 * Returns the config trimmed, base URL without trailing slashes.
 */
export function validateProviderConfig(config: LlmProviderConfig, expected: LlmProviderName): LlmProviderConfig {
	if (typeof config !== 'object' || config === null) {
		throw new LlmProviderConfigError('config', `The ${expected} provider needs a config object.`);
	}
	if (config.name !== expected) {
		throw new LlmProviderConfigError('name', `config.name must be '${expected}' for this provider, got ${JSON.stringify(config.name)}.`);
	}
	const apiKey = typeof config.apiKey === 'string' ? config.apiKey.trim() : '';
	if (apiKey === '') throw new LlmProviderConfigError('apiKey', `No API key is configured for ${expected}: set apiKey.`);
	// A key with spaces or line breaks cannot be sent as a header.
	if (/[^\x21-\x7e]/.test(apiKey)) {
		throw new LlmProviderConfigError('apiKey', `The ${expected} apiKey contains spaces, line breaks or other characters no key has.`);
	}
	const model = typeof config.model === 'string' ? config.model.trim() : '';
	if (model === '') throw new LlmProviderConfigError('model', `No model is configured for ${expected}: set model.`);
	const rawBaseUrl = typeof config.baseUrl === 'string' ? config.baseUrl.trim() : '';
	const baseUrl = (rawBaseUrl === '' ? DEFAULT_BASE_URLS[expected] : rawBaseUrl).replace(/\/+$/, '');
	if (!isHttpUrl(baseUrl)) {
		throw new LlmProviderConfigError('baseUrl', `The ${expected} baseUrl must be an http(s) URL such as ${DEFAULT_BASE_URLS[expected]}.`);
	}
	if (config.organization !== undefined && typeof config.organization !== 'string') {
		throw new LlmProviderConfigError('organization', 'organization must be a string when set.');
	}
	const organization = config.organization?.trim();
	return { name: expected, apiKey, baseUrl, model, ...(organization ? { organization } : {}) };
}

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && url.username === '' && url.password === '';
	} catch {
		return false;
	}
}
