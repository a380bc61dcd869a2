/**
 * The one way a failed provider call, classified by the shared HTTP classification
 * (shared/http: by status when the server answered, by transport error when it did not),
 * becomes an LlmFailure. No answer and unreadable answers pass through, 401/403 are
 * auth; what a 429, another 4xx or a 5xx means is each provider's reading of its error
 * body, and the message is the provider's own sentence.
 */
import type { HttpFailure } from '../../shared/http';
import { redact } from '../../shared/redact';
import type { LlmFailure, LlmFailureKind, RateLimitHeadroom } from './types';

interface BodyReading {
	/** What the provider's 429 means (default rate_limited; OpenAI's quota codes are quota_exhausted). */
	rateLimited?: LlmFailureKind;
	/** What its other 4xx mean. */
	clientError: LlmFailureKind;
	/** What its 5xx mean (default server_error). */
	serverError?: LlmFailureKind;
}

export function llmFailureKind(failure: HttpFailure, body: BodyReading): LlmFailureKind {
	switch (failure.kind) {
		case 'timeout':
		case 'unreachable':
		case 'reset':
		case 'malformed':
			return failure.kind;
		case 'auth':
		case 'forbidden':
			return 'auth';
		case 'rate_limited':
			return body.rateLimited ?? 'rate_limited';
		case 'server_error':
			return body.serverError ?? 'server_error';
		case 'client_error':
			return body.clientError;
	}
}

/** The failure of a call: its kind, the provider's sentence (secrets masked), the 429 wait, the headroom. */
export function llmFailure(outcome: HttpFailure, kind: LlmFailureKind, sentence: string, secrets: string[], rateLimit: RateLimitHeadroom): LlmFailure {
	return {
		ok: false,
		kind,
		...(outcome.status !== undefined ? { status: outcome.status } : {}),
		message: redact(sentence.replace(/:\s*$/, '.'), { secrets }),
		...(kind === 'rate_limited' && outcome.retryAfterMs !== null ? { retryAfterMs: outcome.retryAfterMs } : {}),
		latencyMs: outcome.durationMs,
		rateLimit,
	};
}
