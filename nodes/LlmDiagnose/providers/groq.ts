/**
 * Groq through groq-sdk. The SDK's own retries are off (shared/rateLimit: it would sleep
 * any retry-after uncapped and blow the caller's deadline; the chain follows the shared
 * 429 policy instead): every call here is one attempt with the SDK timeout and an abort
 * signal both set to the request's deadline (the SDK's own timeout stops at the headers;
 * the signal also covers the body). What the SDK throws is classified by the shared HTTP
 * classification (shared/http), as OpenAI's and Anthropic's calls are; nothing is rethrown.
 */
import Groq, {
	APIConnectionError,
	APIConnectionTimeoutError,
	APIError,
	APIUserAbortError,
} from 'groq-sdk';

import { answeredFailure, callTarget, normaliseHeaders, unansweredFailure, type FailedCall, type HttpFailure, type HttpMethod } from '../../shared/http';
import { retryAfterFact, SDK_MAX_RETRIES } from '../../shared/rateLimit';
import { chatMessages, quote, readChatCompletion, readErrorBody, readModelIds } from './openai';
import { parseXRateLimitHeaders } from './rateLimitHeaders';
import { ConfiguredProvider } from './configuredProvider';
import {
	type CompletionRequest,
	type LlmFailure,
	type LlmFailureKind,
	type LlmOutcome,
	type LlmProvider,
	type LlmProviderConfig,
	type ModelList,
} from './types';
import { completionOutcome } from './completionOutcome';
import { llmFailure, llmFailureKind } from './llmFailure';

const MODEL_GONE_CODES = new Set(['model_not_found', 'model_decommissioned']);

export function createGroqProvider(config: LlmProviderConfig): LlmProvider {
	return new GroqProvider(config);
}

/**
 * What groq-sdk threw, as the shared HTTP failure: an APIError with a status is an answer
 * (its headers, and the whole body `{error:{…}}`: apis.md §6); a connection error, an
 * abort or a passed deadline is no answer; anything else came from reading a 2xx body.
 */
function groqHttpFailure(error: unknown, deadlinePassed: boolean, call: FailedCall): HttpFailure {
	if (error instanceof APIError && typeof error.status === 'number') {
		return answeredFailure({ status: error.status, headers: error.headers, data: error.error }, call);
	}
	const timedOut = deadlinePassed || error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError;
	if (timedOut || error instanceof APIConnectionError) return unansweredFailure(error, timedOut, call);
	return { ok: false, kind: 'malformed', durationMs: call.durationMs, retryAfterMs: null, message: `${call.target} answered with a body that could not be read` };
}

/** Groq's error codes on top of the status: a missing or decommissioned model, 498 (no capacity on the tier) a server error. */
function groqFailureKind(outcome: HttpFailure, code: string | undefined): LlmFailureKind {
	const modelGone = code !== undefined && MODEL_GONE_CODES.has(code);
	return llmFailureKind(outcome, {
		clientError: modelGone ? 'model_unavailable' : outcome.status === 498 ? 'server_error' : 'bad_request',
		serverError: modelGone ? 'model_unavailable' : 'server_error',
	});
}

class GroqProvider extends ConfiguredProvider implements LlmProvider {
	readonly name = 'groq' as const;
	private readonly client: Groq;

	constructor(raw: LlmProviderConfig) {
		super(raw, 'groq');
		this.client = new Groq({ apiKey: this.config.apiKey, baseURL: this.config.baseUrl, maxRetries: SDK_MAX_RETRIES, logLevel: 'off' });
	}

	/** Runs one SDK call under the deadline; a failure comes back classified. */
	private async withDeadline<T>(
		method: HttpMethod,
		timeoutMs: number,
		run: (signal: AbortSignal, timeout: number) => Promise<T>,
	): Promise<{ ok: true; value: T; latencyMs: number } | { ok: false; failure: HttpFailure }> {
		const started = Date.now();
		const controller = new AbortController();
		// groq-sdk requires a positive integer timeout.
		const timeout = Math.max(1, Math.round(timeoutMs));
		const timer = setTimeout(() => controller.abort(), timeout);
		try {
			return { ok: true, value: await run(controller.signal, timeout), latencyMs: Date.now() - started };
		} catch (error) {
			const call = { target: callTarget(method, this.config.baseUrl), durationMs: Date.now() - started, timeoutMs: timeout, secrets: this.secrets };
			return { ok: false, failure: groqHttpFailure(error, controller.signal.aborted, call) };
		} finally {
			clearTimeout(timer);
		}
	}

	async complete(request: CompletionRequest): Promise<LlmOutcome> {
		const call = await this.withDeadline('POST', request.timeoutMs, (signal, timeout) =>
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
		if (!call.ok) return this.failure(call.failure, 'completion');
		const { data, response } = call.value;
		const rateLimit = parseXRateLimitHeaders(normaliseHeaders(response.headers));
		return completionOutcome(readChatCompletion(data), {
			status: response.status,
			latencyMs: call.latencyMs,
			rateLimit,
			configuredModel: this.model,
			malformedMessage: 'Groq answered the completion without a message in choices[0].',
		});
	}

	async listModels(timeoutMs: number): Promise<ModelList | LlmFailure> {
		const call = await this.withDeadline('GET', timeoutMs, (signal, timeout) => this.client.models.list({ maxRetries: SDK_MAX_RETRIES, timeout, signal }).withResponse());
		if (!call.ok) return this.failure(call.failure, 'models list');
		const { data, response } = call.value;
		const rateLimit = parseXRateLimitHeaders(normaliseHeaders(response.headers));
		const models = readModelIds(data);
		if (!models) {
			return { ok: false, kind: 'malformed', status: response.status, message: 'Groq answered the models list with something that is not a list of models.', latencyMs: call.latencyMs, rateLimit };
		}
		return { ok: true, models, latencyMs: call.latencyMs, rateLimit };
	}

	private failure(outcome: HttpFailure, what: string): LlmFailure {
		const body = readErrorBody(outcome.data);
		const kind = groqFailureKind(outcome, body.code);
		const { status, retryAfterMs } = outcome;
		const said = quote(body.message, this.secrets);
		const messages: Record<LlmFailureKind, string> = {
			auth: `Groq refused the API key (HTTP ${status}${body.code ? ` ${body.code}` : ''}): check the API key of the credential.`,
			rate_limited: `Groq is rate limiting the ${what} (${retryAfterFact(retryAfterMs)}): ${said}`,
			quota_exhausted: `Groq says the account has no quota left: ${said}`,
			model_unavailable:
				body.code === 'model_decommissioned'
					? `Groq has decommissioned model ${this.model}: configure a current model.`
					: `Groq does not offer model ${this.model} to this key: ${said}`,
			timeout: `Groq did not answer the ${what} within the deadline.`,
			unreachable: `Groq cannot be reached (${outcome.message}).`,
			reset: `Groq dropped the connection during the ${what}.`,
			server_error:
				status === 498
					? `Groq has no capacity left on this service tier (HTTP 498 ${body.code ?? 'capacity_exceeded'}).`
					: `Groq had a server error (HTTP ${status ?? '5xx'}) on the ${what}.`,
			bad_request: `Groq rejected the ${what} (HTTP ${status ?? '4xx'}${body.code ? ` ${body.code}` : ''}): ${said}`,
			malformed: `Groq answered the ${what} with a body that could not be read.`,
		};
		return llmFailure(outcome, kind, messages[kind], this.secrets, parseXRateLimitHeaders(outcome.headers ?? {}));
	}
}
