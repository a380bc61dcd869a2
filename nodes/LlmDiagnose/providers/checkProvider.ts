/**
 * The health check of one LLM provider, as one contract result (component `llm`,
 * target = provider name): the key lists models (`api_key`), the configured model is
 * offered (`model_available`), a 1-token completion answers (`completion`), and enough
 * rate-limit budget is left (`rate_limit_headroom`). Calls run one after another and
 * stop at the first that makes the rest pointless, so a hung provider costs one timeout.
 * Messages come from the provider clients, which never include the key.
 */
import { commonCause } from '../../shared/causes';
import { CheckRecorder } from '../../shared/checkRecorder';
import type { Cause, CheckResult, Status } from '../../shared/contract';
import { statusOfFailure } from '../../shared/failureStatus';
import { tightestLimit } from './rateLimitHeaders';
import { DEFAULT_MODELS, type LlmFailure, type LlmFailureKind, type LlmProvider, type LlmProviderName, type ModelList, type RateLimitHeadroom } from './types';

export interface LlmCheckOptions {
	/** Deadline of each call, ms. */
	timeoutMs: number;
	/** Below this share of a limit left (remaining / limit), the provider is degraded. Default 0.1. */
	lowHeadroomRatio?: number;
}

const DEFAULT_LOW_HEADROOM_RATIO = 0.1;

/** Options that cannot work (the caller's mistake), naming the option. */
export class LlmCheckOptionsError extends Error {
	constructor(
		readonly parameter: string,
		message: string,
	) {
		super(message);
		this.name = 'LlmCheckOptionsError';
	}
}

const PROVIDER_LABELS: Record<LlmProviderName, string> = { groq: 'Groq', openai: 'OpenAI', anthropic: 'Anthropic' };

/** LLM-specific causes: neither fixes itself, a person changes the model or the billing. */
function llmCause(code: 'llm.model_unavailable' | 'llm.quota_exhausted', message: string): Cause {
	return { code, message, retryable: false, needsHuman: true };
}

/** The status and cause a failed provider call stands for. */
export function causeOfLlmFailure(failure: LlmFailure): { status: Exclude<Status, 'healthy'>; cause: Cause } {
	const failed = (cause: Cause) => ({ status: statusOfFailure(cause), cause });
	const map: Record<LlmFailureKind, () => { status: Exclude<Status, 'healthy'>; cause: Cause }> = {
		auth: () => failed(commonCause('auth.invalid_credentials', failure.message)),
		rate_limited: () => failed(commonCause('provider.rate_limited', failure.message)), // degraded (shared/failureStatus)
		quota_exhausted: () => failed(llmCause('llm.quota_exhausted', failure.message)),
		model_unavailable: () => failed(llmCause('llm.model_unavailable', failure.message)),
		timeout: () => failed(commonCause('net.timeout', failure.message)),
		unreachable: () => failed(commonCause('net.unreachable', failure.message)),
		reset: () => failed(commonCause('net.reset', failure.message)),
		server_error: () => failed(commonCause('provider.server_error', failure.message)),
		bad_request: () => failed(commonCause('provider.bad_request', failure.message)),
		malformed: () => failed(commonCause('provider.malformed_response', failure.message)),
	};
	return map[failure.kind]();
}

/** The configured model is usable: listed by id, or an alias the provider resolved. */
export function isModelListed(list: Pick<ModelList, 'models' | 'aliases'>, model: string): boolean {
	return list.models.includes(model) || list.aliases?.[model] !== undefined;
}

/**
 * A model to suggest instead of a missing one: the provider's default when listed,
 * else the listed id sharing the longest prefix with the configured one (same family).
 */
export function suggestModel(provider: LlmProviderName, configured: string, available: string[]): string | undefined {
	const candidates = available.filter((id) => id !== configured);
	if (candidates.includes(DEFAULT_MODELS[provider])) return DEFAULT_MODELS[provider];
	const shared = (id: string) => {
		let n = 0;
		while (n < id.length && n < configured.length && id[n] === configured[n]) n += 1;
		return n;
	};
	return [...candidates].sort((a, b) => shared(b) - shared(a) || a.localeCompare(b))[0];
}

function validateOptions(options: LlmCheckOptions): { timeoutMs: number; lowHeadroomRatio: number } {
	if (typeof options !== 'object' || options === null) throw new LlmCheckOptionsError('options', 'checkLlmProvider needs an options object with timeoutMs.');
	const { timeoutMs } = options;
	if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
		throw new LlmCheckOptionsError('timeoutMs', `timeoutMs must be a positive number of milliseconds, got ${JSON.stringify(timeoutMs)}.`);
	}
	const ratio = options.lowHeadroomRatio ?? DEFAULT_LOW_HEADROOM_RATIO;
	if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
		throw new LlmCheckOptionsError('lowHeadroomRatio', `lowHeadroomRatio must be a number from 0 to 1, got ${JSON.stringify(options.lowHeadroomRatio)}.`);
	}
	return { timeoutMs, lowHeadroomRatio: ratio };
}

function recordFailure(recorder: CheckRecorder, name: string, failure: LlmFailure): void {
	const { status, cause } = causeOfLlmFailure(failure);
	const extra = { durationMs: failure.latencyMs, value: { kind: failure.kind, ...(failure.status !== undefined ? { httpStatus: failure.status } : {}), ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}) } };
	if (status === 'degraded') recorder.degrade(name, cause, extra);
	else recorder.fail(name, cause, extra);
}

function hasHeadroomFacts(headroom: RateLimitHeadroom): boolean {
	return Object.keys(headroom).length > 0;
}

function recordHeadroom(recorder: CheckRecorder, label: string, headroom: RateLimitHeadroom, lowRatio: number): void {
	const tightest = tightestLimit(headroom);
	if (!tightest) {
		recorder.pass('rate_limit_headroom', `${label} sent no rate-limit headers; headroom unknown.`);
		return;
	}
	const percent = Math.round(tightest.ratio * 1000) / 10;
	const reset = tightest.resetMs !== undefined ? `, resets in ${Math.ceil(tightest.resetMs / 1000)} s` : '';
	const facts = `${tightest.remaining} of ${tightest.limit} ${tightest.kind} left (${percent}%${reset})`;
	const value = { ...headroom, tightest: tightest.kind, ratio: tightest.ratio };
	if (tightest.ratio < lowRatio) {
		const cause = commonCause('provider.rate_limited', `${label} rate limit is nearly used up: ${facts}.`);
		recorder.degrade('rate_limit_headroom', cause, { value });
	} else {
		recorder.pass('rate_limit_headroom', `${label} rate limit has room: ${facts}.`, { value });
	}
}

export async function checkLlmProvider(provider: LlmProvider, options: LlmCheckOptions): Promise<CheckResult> {
	const { timeoutMs, lowHeadroomRatio } = validateOptions(options);
	const label = PROVIDER_LABELS[provider.name];
	const recorder = new CheckRecorder('llm', provider.name);
	const details: Record<string, unknown> = { model: provider.model, rateLimit: {} };

	const list = await provider.listModels(timeoutMs);
	if (!list.ok) {
		// Without a models list the key is unproven; one failure is enough.
		recordFailure(recorder, 'api_key', list);
		details.rateLimit = list.rateLimit;
		return recorder.result(details);
	}
	recorder.pass('api_key', `${label} accepted the API key and listed ${list.models.length} models.`, { durationMs: list.latencyMs, value: { models: list.models.length } });

	if (!isModelListed(list, provider.model)) {
		const suggestion = suggestModel(provider.name, provider.model, list.models);
		const instead = suggestion ? ` Use ${suggestion} instead (one this key can use).` : ' The key cannot use any model.';
		const cause = llmCause('llm.model_unavailable', `${label} does not offer model ${provider.model} to this key.${instead}`);
		recorder.fail('model_available', cause, { value: { model: provider.model, ...(suggestion ? { suggestion } : {}) } });
		details.rateLimit = list.rateLimit;
		if (suggestion) details.suggestedModel = suggestion;
		return recorder.result(details);
	}
	const resolved = list.aliases?.[provider.model];
	recorder.pass('model_available', `${label} offers model ${provider.model}${resolved ? ` (alias of ${resolved})` : ''}.`, {
		value: { model: provider.model, ...(resolved ? { resolvedModel: resolved } : {}) },
	});

	const completion = await provider.complete({
		system: 'Health check.',
		messages: [{ role: 'user', content: 'Reply with the word ok.' }],
		maxTokens: 1,
		json: false,
		timeoutMs,
	});
	if (completion.ok) {
		recorder.pass('completion', `${label} answered a 1-token completion in ${completion.latencyMs} ms.`, {
			durationMs: completion.latencyMs,
			value: { model: completion.model, ...(completion.finishReason ? { finishReason: completion.finishReason } : {}) },
		});
		details.answeredBy = completion.model;
	} else {
		recordFailure(recorder, 'completion', completion);
	}

	// The freshest budget: the completion's headers, else the models list's.
	const headroom = hasHeadroomFacts(completion.rateLimit) ? completion.rateLimit : list.rateLimit;
	recordHeadroom(recorder, label, headroom, lowHeadroomRatio);
	details.rateLimit = headroom;
	return recorder.result(details);
}
