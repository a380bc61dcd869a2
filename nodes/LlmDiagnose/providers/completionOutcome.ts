/** The one way a provider's parsed answer becomes an LlmOutcome (a 2xx without an answer is `malformed`). */
import type { LlmOutcome, RateLimitHeadroom } from './types';

interface ParsedAnswer {
	text: string;
	model?: string;
	finishReason?: string;
}

export function completionOutcome(
	answer: ParsedAnswer | undefined,
	meta: { status: number; latencyMs: number; rateLimit: RateLimitHeadroom; configuredModel: string; malformedMessage: string },
): LlmOutcome {
	if (!answer) {
		return { ok: false, kind: 'malformed', status: meta.status, message: meta.malformedMessage, latencyMs: meta.latencyMs, rateLimit: meta.rateLimit };
	}
	return {
		ok: true,
		text: answer.text,
		model: answer.model ?? meta.configuredModel,
		latencyMs: meta.latencyMs,
		...(answer.finishReason ? { finishReason: answer.finishReason } : {}),
		rateLimit: meta.rateLimit,
	};
}
