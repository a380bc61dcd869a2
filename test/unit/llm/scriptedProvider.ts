/**
 * A small scripted implementation of our own LlmProvider interface for unit tests of
 * the diagnosis chain: each call plays the next step (the last one repeats), records
 * the request it got, and takes real (short) time. A well-behaved step honours the
 * request's timeout like the real clients do; `hang` ignores it, to prove the chain
 * cuts off a provider that never answers.
 */
import type {
	CompletionRequest,
	LlmFailureKind,
	LlmOutcome,
	LlmProvider,
	LlmProviderName,
	ModelList,
} from '../../../nodes/LlmDiagnose/providers/types';

export type Step =
	| { reply: string; delayMs?: number; model?: string }
	| { fail: LlmFailureKind; retryAfterMs?: number; message?: string; delayMs?: number }
	| { hang: true }
	| { throws: string }
	/** Computes the reply from the request (e.g. a model that obeys an injected instruction). */
	| { respond: (request: CompletionRequest) => string };

export interface ScriptedProvider extends LlmProvider {
	readonly requests: CompletionRequest[];
	calls(): number;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function scriptedProvider(name: LlmProviderName, steps: Step[], model = `${name}-test-model`): ScriptedProvider {
	if (steps.length === 0) throw new Error('a scripted provider needs at least one step');
	const requests: CompletionRequest[] = [];
	return {
		name,
		model,
		requests,
		calls: () => requests.length,
		async complete(request: CompletionRequest): Promise<LlmOutcome> {
			// A deep copy: the chain must not be able to change what was recorded.
			requests.push(JSON.parse(JSON.stringify(request)) as CompletionRequest);
			const step = steps[Math.min(requests.length - 1, steps.length - 1)];
			const rateLimit = {};
			if ('hang' in step) return new Promise<LlmOutcome>(() => undefined);
			if ('throws' in step) throw new Error(step.throws);
			if ('respond' in step) return { ok: true, text: step.respond(request), model, latencyMs: 1, rateLimit };
			const delayMs = step.delayMs ?? 0;
			if (delayMs > request.timeoutMs) {
				await wait(request.timeoutMs);
				return { ok: false, kind: 'timeout', message: `timed out after ${request.timeoutMs} ms`, latencyMs: request.timeoutMs, rateLimit };
			}
			if (delayMs > 0) await wait(delayMs);
			if ('reply' in step) return { ok: true, text: step.reply, model: step.model ?? model, latencyMs: delayMs, rateLimit };
			return {
				ok: false,
				kind: step.fail,
				message: step.message ?? `scripted ${step.fail}`,
				...(step.retryAfterMs !== undefined ? { retryAfterMs: step.retryAfterMs } : {}),
				latencyMs: delayMs,
				rateLimit,
			};
		},
		async listModels(): Promise<ModelList> {
			return { ok: true, models: [model], latencyMs: 0, rateLimit: {} };
		},
	};
}

/** A reply in the requested shape; fields can be overridden or removed (set to undefined). */
export function replyJson(overrides: Record<string, unknown> = {}): string {
	return JSON.stringify({
		rootCause: 'La base de datos no responde.',
		summary: 'Reconectar y avisar si continúa.',
		severity: 'high',
		confidence: 0.8,
		recommendedActions: ['database.reconnect', 'notify.escalate'],
		...overrides,
	});
}
