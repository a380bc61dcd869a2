/**
 * OpenAI chat completions over the shared HTTP helper (one attempt, hard deadline, no
 * SDK retries). Also home of the OpenAI chat format that Groq speaks too: the message
 * list a CompletionRequest becomes, and how a chat.completion body is read.
 */
import { httpRequest, type HttpFailure } from '../../shared/http';
import { isRecord } from '../../shared/json';
import { retryAfterFact } from '../../shared/rateLimit';
import { redact } from '../../shared/redact';
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

/** OpenAI and Groq refuse JSON mode unless some message says "json". */
const JSON_REMINDER = 'Reply with a single JSON object.';
/** Provider messages are quoted, never in full: one sentence is enough. */
const MAX_QUOTED_CHARS = 200;

interface ChatMessageParam {
	role: 'system' | 'user' | 'assistant';
	content: string;
}

/** The OpenAI-format messages of a request: the system prompt first, JSON reminded when asked. */
export function chatMessages(request: CompletionRequest): ChatMessageParam[] {
	const mentionsJson = [request.system, ...request.messages.map((m) => m.content)].some((text) => /json/i.test(text));
	const system = request.json && !mentionsJson ? [request.system, JSON_REMINDER].filter((t) => t.trim() !== '').join('\n\n') : request.system;
	return [...(system.trim() !== '' ? [{ role: 'system' as const, content: system }] : []), ...request.messages.map((m) => ({ role: m.role, content: m.content }))];
}

interface ChatCompletionText {
	text: string;
	model?: string;
	finishReason?: string;
}

/**
 * The answer of a chat.completion body, or undefined when the body is not that shape.
 * A `null` content cut off by the token limit (a reasoning model that spent its budget
 * thinking) is an empty answer, not a malformed one.
 */
export function readChatCompletion(body: unknown): ChatCompletionText | undefined {
	if (!isRecord(body) || !Array.isArray(body.choices)) return undefined;
	const choice: unknown = body.choices[0];
	if (!isRecord(choice) || !isRecord(choice.message)) return undefined;
	const finishReason = typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined;
	const content = choice.message.content;
	let text: string;
	if (typeof content === 'string') text = content;
	else if (content === null && finishReason === 'length') text = '';
	else return undefined;
	return { text, ...(typeof body.model === 'string' ? { model: body.model } : {}), ...(finishReason ? { finishReason } : {}) };
}

/** Ids of an OpenAI-style `{data:[{id}]}` models list, or undefined when not that shape. */
export function readModelIds(body: unknown): string[] | undefined {
	if (!isRecord(body) || !Array.isArray(body.data)) return undefined;
	const ids = body.data.map((m) => (isRecord(m) && typeof m.id === 'string' ? m.id : undefined));
	return ids.every((id): id is string => id !== undefined) ? ids : undefined;
}

/** `{error:{message,type,code}}`, the OpenAI (and Groq) error envelope. */
export function readErrorBody(body: unknown): { message?: string; type?: string; code?: string } {
	const error = isRecord(body) && isRecord(body.error) ? body.error : {};
	const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
	return { message: text(error.message), type: text(error.type), code: text(error.code) };
}

/** A provider's own words, shortened and with the key masked. */
export function quote(text: string | undefined, secrets: string[]): string {
	if (!text) return '';
	const clean = redact(text.replace(/\s+/g, ' ').trim(), { secrets });
	return clean.length > MAX_QUOTED_CHARS ? `${clean.slice(0, MAX_QUOTED_CHARS - 1)}…` : clean;
}

const QUOTA_CODES = new Set(['insufficient_quota', 'credit_balance_exhausted', 'billing_hard_limit_reached']);

export function createOpenAiProvider(config: LlmProviderConfig): LlmProvider {
	return new OpenAiProvider(config);
}

class OpenAiProvider extends ConfiguredProvider implements LlmProvider {
	readonly name = 'openai' as const;

	constructor(raw: LlmProviderConfig) {
		super(raw, 'openai');
	}

	private headers(): Record<string, string> {
		return {
			authorization: `Bearer ${this.config.apiKey}`,
			accept: 'application/json',
			...(this.config.organization ? { 'openai-organization': this.config.organization } : {}),
		};
	}

	async complete(request: CompletionRequest): Promise<LlmOutcome> {
		const outcome = await httpRequest({
			method: 'POST',
			url: `${this.config.baseUrl}/chat/completions`,
			headers: { ...this.headers(), 'content-type': 'application/json' },
			body: {
				model: this.model,
				messages: chatMessages(request),
				// max_tokens is refused by newer models; max_completion_tokens works for all.
				max_completion_tokens: request.maxTokens,
				...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
				...(request.json ? { response_format: { type: 'json_object' } } : {}),
			},
			timeoutMs: request.timeoutMs,
			secrets: this.secrets,
		});
		if (!outcome.ok) return this.failure(outcome, 'completion');
		const rateLimit = parseXRateLimitHeaders(outcome.headers);
		return completionOutcome(readChatCompletion(outcome.data), {
			status: outcome.status,
			latencyMs: outcome.durationMs,
			rateLimit,
			configuredModel: this.model,
			malformedMessage: 'OpenAI answered the completion without a message in choices[0].',
		});
	}

	async listModels(timeoutMs: number): Promise<ModelList | LlmFailure> {
		const outcome = await httpRequest({ method: 'GET', url: `${this.config.baseUrl}/models`, headers: this.headers(), timeoutMs, secrets: this.secrets });
		if (!outcome.ok) return this.failure(outcome, 'models list');
		const rateLimit = parseXRateLimitHeaders(outcome.headers);
		const models = readModelIds(outcome.data);
		if (!models) {
			return { ok: false, kind: 'malformed', status: outcome.status, message: 'OpenAI answered the models list with something that is not a list of models.', latencyMs: outcome.durationMs, rateLimit };
		}
		return { ok: true, models, latencyMs: outcome.durationMs, rateLimit };
	}

	private failure(outcome: HttpFailure, what: string): LlmFailure {
		const error = readErrorBody(outcome.data);
		const said = quote(error.message, this.secrets);
		const kind = openAiFailureKind(outcome, error.code, error.type);
		const messages: Record<LlmFailureKind, string> = {
			auth:
				error.code === 'mismatched_organization'
					? 'OpenAI refused the organization of the credential: check the Organization field or leave it empty.'
					: `OpenAI refused the API key (HTTP ${outcome.status}${error.code ? ` ${error.code}` : ''}): check the API key of the credential.`,
			rate_limited: `OpenAI is rate limiting the ${what} (${retryAfterFact(outcome.retryAfterMs)}): ${said}`,
			quota_exhausted: `OpenAI says the account has no quota left (${error.code ?? error.type ?? 'quota'}): add credit or raise the limit in the billing settings.`,
			model_unavailable: `OpenAI does not offer model ${this.model} to this key: ${said}`,
			timeout: `OpenAI did not answer the ${what} within the deadline.`,
			unreachable: `OpenAI cannot be reached (${outcome.message}).`,
			reset: `OpenAI dropped the connection during the ${what}.`,
			server_error: `OpenAI had a server error (HTTP ${outcome.status ?? '5xx'}) on the ${what}.`,
			bad_request: `OpenAI rejected the ${what} (HTTP ${outcome.status ?? '4xx'}): ${said}`,
			malformed: `OpenAI answered the ${what} with a body that could not be read.`,
		};
		return llmFailure(outcome, kind, messages[kind], this.secrets, parseXRateLimitHeaders(outcome.headers ?? {}));
	}
}

/** OpenAI's statuses and error codes as a failure kind (the body's code wins over the status). */
function openAiFailureKind(outcome: HttpFailure, code: string | undefined, type: string | undefined): LlmFailureKind {
	const quota = (value: string | undefined) => value !== undefined && QUOTA_CODES.has(value);
	return llmFailureKind(outcome, {
		rateLimited: quota(code) || quota(type) ? 'quota_exhausted' : 'rate_limited',
		clientError: code === 'model_not_found' ? 'model_unavailable' : outcome.status === 402 || quota(code) ? 'quota_exhausted' : 'bad_request',
	});
}
