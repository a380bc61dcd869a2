/**
 * Anthropic Messages over the shared HTTP helper (one attempt, hard deadline, no SDK
 * retries). Anthropic has no JSON mode, so a JSON request adds an instruction to the
 * system prompt (no assistant prefill). Models resolve by id or alias
 * (`claude-haiku-4-5` → `claude-haiku-4-5-20251001`).
 */
import { httpRequest, type HttpFailure, type HttpMethod, type HttpOutcome } from '../../shared/http';
import { isRecord } from '../../shared/json';
import { retryAfterFact } from '../../shared/rateLimit';
import { quote } from './openai';
import { parseAnthropicRateLimitHeaders } from './rateLimitHeaders';
import { ConfiguredProvider } from './configuredProvider';
import {
	type CompletionRequest,
	type LlmFailure,
	type LlmFailureKind,
	type LlmOutcome,
	type LlmProvider,
	type LlmProviderConfig,
	type ModelList,
	type RateLimitHeadroom,
} from './types';
import { completionOutcome } from './completionOutcome';
import { llmFailure, llmFailureKind } from './llmFailure';

const ANTHROPIC_VERSION = '2023-06-01';
/** What a JSON request adds to the system prompt. */
export const ANTHROPIC_JSON_INSTRUCTION =
	'Answer with one JSON object only: no text before or after it, no Markdown code fences.';
const MODELS_PAGE_SIZE = 100;
/** A models list longer than this many pages is not a real account's. */
const MAX_MODEL_PAGES = 20;

/** The system prompt sent: the caller's, plus the JSON instruction when JSON is asked for. */
function anthropicSystemPrompt(request: Pick<CompletionRequest, 'system' | 'json'>): string {
	if (!request.json) return request.system;
	return [request.system, ANTHROPIC_JSON_INSTRUCTION].filter((t) => t.trim() !== '').join('\n\n');
}

/** Text blocks of a Messages reply, concatenated; undefined when the body is not a message. */
function readMessageText(body: unknown): { text: string; model?: string; stopReason?: string } | undefined {
	if (!isRecord(body) || !Array.isArray(body.content)) return undefined;
	const text = body.content
		.map((block) => (isRecord(block) && block.type === 'text' && typeof block.text === 'string' ? block.text : ''))
		.join('');
	return {
		text,
		...(typeof body.model === 'string' ? { model: body.model } : {}),
		...(typeof body.stop_reason === 'string' ? { stopReason: body.stop_reason } : {}),
	};
}

function readError(body: unknown): { type?: string; message?: string } {
	const error = isRecord(body) && isRecord(body.error) ? body.error : {};
	return {
		...(typeof error.type === 'string' ? { type: error.type } : {}),
		...(typeof error.message === 'string' ? { message: error.message } : {}),
	};
}

export function createAnthropicProvider(config: LlmProviderConfig): LlmProvider {
	return new AnthropicProvider(config);
}

class AnthropicProvider extends ConfiguredProvider implements LlmProvider {
	readonly name = 'anthropic' as const;

	constructor(raw: LlmProviderConfig) {
		super(raw, 'anthropic');
	}

	private call(method: HttpMethod, path: string, timeoutMs: number, body?: unknown, query?: Record<string, string | number>): Promise<HttpOutcome> {
		return httpRequest({
			method,
			url: `${this.config.baseUrl}${path}`,
			headers: {
				'x-api-key': this.config.apiKey,
				'anthropic-version': ANTHROPIC_VERSION,
				accept: 'application/json',
				...(body !== undefined ? { 'content-type': 'application/json' } : {}),
			},
			...(body !== undefined ? { body } : {}),
			...(query ? { query } : {}),
			timeoutMs,
			secrets: this.secrets,
		});
	}

	async complete(request: CompletionRequest): Promise<LlmOutcome> {
		const system = anthropicSystemPrompt(request);
		const outcome = await this.call('POST', '/v1/messages', request.timeoutMs, {
			model: this.model,
			max_tokens: request.maxTokens,
			...(system.trim() !== '' ? { system } : {}),
			messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
			...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
		});
		if (!outcome.ok) return this.failure(outcome, 'completion');
		const rateLimit = parseAnthropicRateLimitHeaders(outcome.headers);
		const answer = readMessageText(outcome.data);
		return completionOutcome(answer && { text: answer.text, model: answer.model, finishReason: answer.stopReason }, {
			status: outcome.status,
			latencyMs: outcome.durationMs,
			rateLimit,
			configuredModel: this.model,
			malformedMessage: 'Anthropic answered the message without a content list.',
		});
	}

	/**
	 * Every page of GET /v1/models within one deadline; when the configured model is not
	 * an id on the list, GET /v1/models/{model} tells whether it is an alias of one.
	 */
	async listModels(timeoutMs: number): Promise<ModelList | LlmFailure> {
		const started = Date.now();
		const left = () => Math.max(1, timeoutMs - (Date.now() - started));
		const models: string[] = [];
		let rateLimit: RateLimitHeadroom = {};
		let afterId: string | undefined;
		for (let page = 0; page < MAX_MODEL_PAGES; page += 1) {
			const outcome = await this.call('GET', '/v1/models', left(), undefined, { limit: MODELS_PAGE_SIZE, ...(afterId ? { after_id: afterId } : {}) });
			if (!outcome.ok) return { ...this.failure(outcome, 'models list'), latencyMs: Date.now() - started };
			rateLimit = parseAnthropicRateLimitHeaders(outcome.headers);
			const body = outcome.data;
			const ids = isRecord(body) && Array.isArray(body.data) ? body.data.map((m) => (isRecord(m) && typeof m.id === 'string' ? m.id : undefined)) : undefined;
			if (!ids || !ids.every((id): id is string => id !== undefined)) {
				return { ok: false, kind: 'malformed', status: outcome.status, message: 'Anthropic answered the models list with something that is not a list of models.', latencyMs: Date.now() - started, rateLimit };
			}
			models.push(...ids);
			const lastId = isRecord(body) && typeof body.last_id === 'string' ? body.last_id : ids[ids.length - 1];
			if (!(isRecord(body) && body.has_more === true) || !lastId || lastId === afterId) break;
			afterId = lastId;
		}
		if (models.includes(this.model)) return { ok: true, models, latencyMs: Date.now() - started, rateLimit };

		const lookup = await this.call('GET', `/v1/models/${encodeURIComponent(this.model)}`, left());
		if (lookup.ok) {
			rateLimit = parseAnthropicRateLimitHeaders(lookup.headers);
			const id = isRecord(lookup.data) && typeof lookup.data.id === 'string' ? lookup.data.id : undefined;
			if (id) return { ok: true, models: [...models, this.model], aliases: { [this.model]: id }, latencyMs: Date.now() - started, rateLimit };
		} else if (lookup.status !== 404) {
			return { ...this.failure(lookup, 'model lookup'), latencyMs: Date.now() - started };
		}
		// Not an id and not an alias: the list stands, without the configured model.
		return { ok: true, models, latencyMs: Date.now() - started, rateLimit };
	}

	private failure(outcome: HttpFailure, what: string): LlmFailure {
		const error = readError(outcome.data);
		const said = quote(error.message, this.secrets);
		const kind = anthropicFailureKind(outcome, error);
		const messages: Record<LlmFailureKind, string> = {
			auth: `Anthropic refused the API key (HTTP ${outcome.status}${error.type ? ` ${error.type}` : ''}): check the API key of the credential.`,
			rate_limited: `Anthropic is rate limiting the ${what} (${retryAfterFact(outcome.retryAfterMs)}).`,
			quota_exhausted: `Anthropic says the account has no credit left: ${said}`,
			model_unavailable: `Anthropic does not offer model ${this.model} to this key (${said}).`,
			timeout: `Anthropic did not answer the ${what} within the deadline.`,
			unreachable: `Anthropic cannot be reached (${outcome.message}).`,
			reset: `Anthropic dropped the connection during the ${what}.`,
			server_error:
				outcome.status === 529
					? `Anthropic is overloaded (HTTP 529) and refused the ${what}.`
					: `Anthropic had a server error (HTTP ${outcome.status ?? '5xx'}) on the ${what}.`,
			bad_request: `Anthropic rejected the ${what} (HTTP ${outcome.status ?? '4xx'}${error.type ? ` ${error.type}` : ''}): ${said}`,
			malformed: `Anthropic answered the ${what} with a body that could not be read.`,
		};
		return llmFailure(outcome, kind, messages[kind], this.secrets, parseAnthropicRateLimitHeaders(outcome.headers ?? {}));
	}
}

/** Anthropic's statuses and error types as a failure kind (529 overloaded_error is a server error). */
function anthropicFailureKind(outcome: HttpFailure, error: { type?: string; message?: string }): LlmFailureKind {
	// A 404 names the model as `model: <id>`; other 404s are a wrong URL.
	const modelMissing = outcome.status === 404 && error.type === 'not_found_error' && /^model:/i.test(error.message ?? '');
	const noCredit = outcome.status === 402 || /credit balance/i.test(error.message ?? '');
	return llmFailureKind(outcome, { clientError: modelMissing ? 'model_unavailable' : noCredit ? 'quota_exhausted' : 'bad_request' });
}
