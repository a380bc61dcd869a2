/**
 * Groq through groq-sdk. The SDK retries twice by default and sleeps any retry-after
 * uncapped, which would blow the caller's deadline: every call here is one attempt
 * (`maxRetries: SDK_MAX_RETRIES`) with the SDK timeout and an abort signal both set to the request's
 * deadline (the SDK's own timeout stops at the headers; the signal also covers the body).
 * Errors the SDK throws become classified failures; nothing is rethrown.
 */
import Groq, {
	APIConnectionError,
	APIConnectionTimeoutError,
	APIError,
	APIUserAbortError,
} from 'groq-sdk';

import { parseRetryAfter, SDK_MAX_RETRIES } from '../../shared/rateLimit';
import { redact } from '../../shared/redact';
import { chatMessages, quote, readChatCompletion, readErrorBody, readModelIds } from './openai';
import { headerRecord, parseXRateLimitHeaders } from './rateLimitHeaders';
import {
	validateProviderConfig,
	type CompletionRequest,
	type LlmFailure,
	type LlmFailureKind,
	type LlmOutcome,
	type LlmProvider,
	type LlmProviderConfig,
	type ModelList,
} from './types';
import { completionOutcome } from './completionOutcome';

const RESET_PATTERN = /ECONNRESET|EPIPE|UND_ERR_SOCKET|other side closed|socket hang up|terminated/i;

export function createGroqProvider(config: LlmProviderConfig): LlmProvider {
	return new GroqProvider(config);
}

/** Runs one SDK call under a deadline; `deadlinePassed` tells a timeout from other aborts. */
async function withDeadline<T>(timeoutMs: number, run: (signal: AbortSignal, timeout: number) => Promise<T>): Promise<{ value?: T; error?: unknown; deadlinePassed: boolean; latencyMs: number }> {
	const started = Date.now();
	const controller = new AbortController();
	// groq-sdk requires a positive integer timeout.
	const timeout = Math.max(1, Math.round(timeoutMs));
	const timer = setTimeout(() => controller.abort(), timeout);
	try {
		const value = await run(controller.signal, timeout);
		return { value, deadlinePassed: false, latencyMs: Date.now() - started };
	} catch (error) {
		return { error, deadlinePassed: controller.signal.aborted, latencyMs: Date.now() - started };
	} finally {
		clearTimeout(timer);
	}
}

/** The codes and messages along an error's `cause` chain (fetch hides the socket error two levels down). */
function causeChain(error: unknown): Array<{ code?: string; message?: string }> {
	const chain: Array<{ code?: string; message?: string }> = [];
	let current: unknown = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
		const { code, message } = current as { code?: unknown; message?: unknown };
		chain.push({ ...(typeof code === 'string' ? { code } : {}), ...(typeof message === 'string' ? { message } : {}) });
		current = (current as { cause?: unknown }).cause;
	}
	return chain;
}

function causeChainText(error: unknown): string {
	return causeChain(error)
		.flatMap((link) => [link.code, link.message])
		.filter((part): part is string => part !== undefined)
		.join(' ');
}

/** The innermost message (`connect ECONNREFUSED 127.0.0.1:443`), the one that says what happened. */
function rootMessage(error: unknown): string | undefined {
	return causeChain(error)
		.map((link) => link.message)
		.filter((message): message is string => message !== undefined && message !== '')
		.pop();
}

/** How groq-sdk's errors map to failure kinds (apis.md §6: classes by status, body `{error:{…}}`). */
export function groqFailureKind(error: unknown, deadlinePassed: boolean): LlmFailureKind {
	if (deadlinePassed || error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) return 'timeout';
	if (error instanceof APIConnectionError) return RESET_PATTERN.test(causeChainText(error)) ? 'reset' : 'unreachable';
	if (error instanceof APIError && typeof error.status === 'number') {
		const { code } = readErrorBody(error.error);
		const status = error.status;
		if (status === 401 || status === 403) return 'auth';
		if (status === 429) return 'rate_limited';
		if (code === 'model_not_found' || code === 'model_decommissioned') return 'model_unavailable';
		if (status === 498 || status >= 500) return 'server_error';
		return 'bad_request';
	}
	// Anything else came from reading a 2xx body (truncated JSON and alike).
	return 'malformed';
}

class GroqProvider implements LlmProvider {
	readonly name = 'groq' as const;
	readonly model: string;
	private readonly client: Groq;
	private readonly secrets: string[];

	constructor(raw: LlmProviderConfig) {
		const config = validateProviderConfig(raw, 'groq');
		this.model = config.model;
		this.secrets = [...new Set([raw.apiKey, config.apiKey])];
		this.client = new Groq({ apiKey: config.apiKey, baseURL: config.baseUrl, maxRetries: SDK_MAX_RETRIES, logLevel: 'off' });
	}

	async complete(request: CompletionRequest): Promise<LlmOutcome> {
		const call = await withDeadline(request.timeoutMs, (signal, timeout) =>
			this.client.chat.completions
				.create(
					{
						model: this.model,
						messages: chatMessages(request),
						max_completion_tokens: request.maxTokens,
						...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
						...(request.json ? { response_format: { type: 'json_object' as const } } : {}),
					},
					{ maxRetries: SDK_MAX_RETRIES, timeout, signal },
				)
				.withResponse(),
		);
		if (!call.value) return this.failure(call.error, call.deadlinePassed, call.latencyMs, 'completion');
		const { data, response } = call.value;
		const rateLimit = parseXRateLimitHeaders(headerRecord(response.headers));
		return completionOutcome(readChatCompletion(data), {
			status: response.status,
			latencyMs: call.latencyMs,
			rateLimit,
			configuredModel: this.model,
			malformedMessage: 'Groq answered the completion without a message in choices[0].',
		});
	}

	async listModels(timeoutMs: number): Promise<ModelList | LlmFailure> {
		const call = await withDeadline(timeoutMs, (signal, timeout) => this.client.models.list({ maxRetries: SDK_MAX_RETRIES, timeout, signal }).withResponse());
		if (!call.value) return this.failure(call.error, call.deadlinePassed, call.latencyMs, 'models list');
		const { data, response } = call.value;
		const rateLimit = parseXRateLimitHeaders(headerRecord(response.headers));
		const models = readModelIds(data);
		if (!models) {
			return { ok: false, kind: 'malformed', status: response.status, message: 'Groq answered the models list with something that is not a list of models.', latencyMs: call.latencyMs, rateLimit };
		}
		return { ok: true, models, latencyMs: call.latencyMs, rateLimit };
	}

	private failure(error: unknown, deadlinePassed: boolean, latencyMs: number, what: string): LlmFailure {
		const kind = groqFailureKind(error, deadlinePassed);
		const apiError = error instanceof APIError && typeof error.status === 'number' ? error : undefined;
		const status = apiError?.status as number | undefined;
		const headers = headerRecord(apiError?.headers);
		const body = readErrorBody(apiError?.error);
		const said = quote(body.message, this.secrets);
		const retryAfterMs = kind === 'rate_limited' ? parseRetryAfter(headers) : null;
		const messages: Record<LlmFailureKind, string> = {
			auth: `Groq refused the API key (HTTP ${status}${body.code ? ` ${body.code}` : ''}): check the API key of the credential.`,
			rate_limited: `Groq is rate limiting the ${what}${retryAfterMs !== null ? ` (retry after ${Math.ceil(retryAfterMs / 1000)} s)` : ''}: ${said}`,
			quota_exhausted: `Groq says the account has no quota left: ${said}`,
			model_unavailable:
				body.code === 'model_decommissioned'
					? `Groq has decommissioned model ${this.model}: configure a current model.`
					: `Groq does not offer model ${this.model} to this key: ${said}`,
			timeout: `Groq did not answer the ${what} within the deadline.`,
			unreachable: `Groq cannot be reached (${quote(rootMessage(error), this.secrets) || 'connection failed'}).`,
			reset: `Groq dropped the connection during the ${what}.`,
			server_error:
				status === 498
					? `Groq has no capacity left on this service tier (HTTP 498 ${body.code ?? 'capacity_exceeded'}).`
					: `Groq had a server error (HTTP ${status ?? '5xx'}) on the ${what}.`,
			bad_request: `Groq rejected the ${what} (HTTP ${status ?? '4xx'}${body.code ? ` ${body.code}` : ''}): ${said}`,
			malformed: `Groq answered the ${what} with a body that could not be read.`,
		};
		return {
			ok: false,
			kind,
			...(status !== undefined ? { status } : {}),
			message: redact(messages[kind].replace(/:\s*$/, '.'), { secrets: this.secrets }),
			...(retryAfterMs !== null ? { retryAfterMs } : {}),
			latencyMs,
			rateLimit: parseXRateLimitHeaders(headers),
		};
	}
}
