/**
 * The provider chain: asks each LLM provider in the configured order for a diagnosis
 * and falls back to the fixed rules, so recovery never waits on an LLM. One overall
 * deadline bounds everything (each call gets min(per-provider timeout, time left), and
 * a provider that ignores its timeout is cut off here); 401/403 skips a provider, a 429
 * is retried on the same provider as the shared 429 policy says (shared/rateLimit: once,
 * when its retry-after fits the deadline), an unusable reply gets one repair round, and
 * every other failure moves on.
 */
import type { CheckResult, Diagnosis } from '../../shared/contract';
import { isRecord } from '../../shared/json';
import { detectLanguage } from '../../shared/language/detectLanguage';
import { afterRateLimit, MIN_CALL_MS } from '../../shared/rateLimit';
import { redact, type RedactOptions } from '../../shared/redact';
import {
	LLM_PROVIDERS,
	type ChatMessage,
	type CompletionRequest,
	type LlmFailure,
	type LlmFailureKind,
	type LlmOutcome,
	type LlmProvider,
	type LlmProviderName,
} from '../providers/types';
import { causeToDiagnose, diagnosisFingerprint } from './fingerprint';
import { parseDiagnosisReply } from './parseReply';
import { buildDiagnosisPrompt, buildRepairMessage } from './prompt';
import { isDiagnosisLanguage, ruleDiagnosis, type DiagnosisLanguage } from './rules';

type ChainAttemptOutcome = 'ok' | LlmFailureKind | 'invalid_json' | 'skipped_deadline';

/** One provider call (or a call not made for lack of time), for the node's output and logs; no secrets. */
export interface ChainAttempt {
	provider: LlmProviderName;
	model: string;
	outcome: ChainAttemptOutcome;
	latencyMs: number;
	note?: string;
}

export interface ChainOptions {
	/** Tried in this order; each carries its own model. Empty: straight to the rules. */
	providers: readonly LlmProvider[];
	/** Everything, LLM calls and retry-after waits included, ends by then; the rules answer after it. */
	deadlineMs: number;
	perProviderTimeoutMs: number;
	language: DiagnosisLanguage;
	/** Credential values to mask in the prompt and anywhere in the output. */
	secrets: string[];
	maskPhoneNumbers: boolean;
	maxTokens?: number;
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
}

export interface ChainInput extends ChainOptions {
	result: CheckResult;
}

export interface ChainOutput {
	diagnosis: Diagnosis;
	attempts: ChainAttempt[];
}

export class ChainOptionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ChainOptionError';
	}
}

const DEFAULT_MAX_TOKENS = 700;
const MAX_NOTE_CHARS = 300;
const MAX_ECHOED_REPLY_CHARS = 4000;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function positive(value: unknown, name: string): void {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
		throw new ChainOptionError(`${name} must be a positive number of milliseconds, got ${JSON.stringify(value)}`);
	}
}

/** Throws a ChainOptionError naming the first bad parameter. */
export function validateChainOptions(options: ChainOptions): void {
	if (!Array.isArray(options.providers)) throw new ChainOptionError('providers must be an array');
	options.providers.forEach((provider: unknown, i) => {
		if (!isRecord(provider) || typeof provider.complete !== 'function') {
			throw new ChainOptionError(`providers[${i}] must be an LLM provider with complete()`);
		}
		if (!(LLM_PROVIDERS as readonly unknown[]).includes(provider.name)) {
			throw new ChainOptionError(`providers[${i}].name must be one of ${LLM_PROVIDERS.join('|')}, got ${JSON.stringify(provider.name)}`);
		}
		if (typeof provider.model !== 'string' || provider.model.trim() === '') {
			throw new ChainOptionError(`providers[${i}].model must be a non-empty string`);
		}
	});
	positive(options.deadlineMs, 'deadlineMs');
	positive(options.perProviderTimeoutMs, 'perProviderTimeoutMs');
	if (!isDiagnosisLanguage(options.language)) {
		throw new ChainOptionError(`language must be es or en, got ${JSON.stringify(options.language)}`);
	}
	if (!Array.isArray(options.secrets) || options.secrets.some((secret) => typeof secret !== 'string')) {
		throw new ChainOptionError('secrets must be an array of strings');
	}
	if (typeof options.maskPhoneNumbers !== 'boolean') throw new ChainOptionError('maskPhoneNumbers must be a boolean');
	if (options.maxTokens !== undefined && (!Number.isInteger(options.maxTokens) || options.maxTokens < 1)) {
		throw new ChainOptionError(`maxTokens must be a positive integer, got ${JSON.stringify(options.maxTokens)}`);
	}
}

function failure(kind: LlmFailureKind, message: string, latencyMs: number): LlmFailure {
	return { ok: false, kind, message, latencyMs, rateLimit: {} };
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * One provider call that cannot outlive its timeout nor throw: a provider that hangs,
 * throws or answers something that is not an outcome becomes a classified failure.
 */
async function guardedComplete(provider: LlmProvider, request: CompletionRequest): Promise<LlmOutcome> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<LlmOutcome>((resolve) => {
		timer = setTimeout(() => resolve(failure('timeout', `no answer within ${request.timeoutMs} ms`, request.timeoutMs)), request.timeoutMs);
	});
	const call = Promise.resolve()
		.then(() => provider.complete(request))
		.then(
			(outcome: unknown): LlmOutcome =>
				isRecord(outcome) && (outcome.ok === false || (outcome.ok === true && typeof outcome.text === 'string'))
					? (outcome as unknown as LlmOutcome)
					: failure('malformed', 'the provider client returned no outcome', 0),
			(error: unknown) => failure('unreachable', `the provider client threw: ${errorText(error)}`, 0),
		);
	try {
		return await Promise.race([call, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

function clip(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The reader gets the configured language whatever the model wrote: texts clearly in the
 * other language (shared/language/detectLanguage) are replaced by the rule texts in the
 * configured one; the model's severity, confidence and actions stay. Unsure texts are kept.
 */
function inLanguage(
	value: { rootCause: string; summary: string },
	result: CheckResult,
	language: DiagnosisLanguage,
): { rootCause: string; summary: string; replaced?: string } {
	const found = detectLanguage(`${value.rootCause} ${value.summary}`);
	if (found === null || found === language) return value;
	const rules = ruleDiagnosis(result, language);
	return {
		rootCause: rules.rootCause,
		summary: rules.summary, // redacted with the rest by the caller
		replaced: `the model wrote in ${found}, not ${language}: rootCause and summary are the rule texts in ${language}`,
	};
}

export async function diagnoseWithChain(input: ChainInput): Promise<ChainOutput> {
	validateChainOptions(input);
	const { result, providers, language } = input;
	const now = input.now ?? Date.now;
	const sleep = input.sleep ?? realSleep;
	const startedAt = now();
	const deadlineAt = startedAt + input.deadlineMs;
	causeToDiagnose(result);
	const fingerprint = diagnosisFingerprint(result);
	const redaction: RedactOptions = { secrets: input.secrets, maskPhoneNumbers: input.maskPhoneNumbers };
	const safe = (text: string): string => redact(text, redaction);
	const prompt = buildDiagnosisPrompt(result, { language, secrets: input.secrets, maskPhoneNumbers: input.maskPhoneNumbers });
	const attempts: ChainAttempt[] = [];
	const note = (text: string): string => clip(safe(text), MAX_NOTE_CHARS);

	for (const provider of providers) {
		const messages: ChatMessage[] = [{ role: 'user', content: prompt.user }];
		let rateLimitedTries = 0;
		let repaired = false;
		for (;;) {
			const left = deadlineAt - now();
			if (left < MIN_CALL_MS) {
				attempts.push({ provider: provider.name, model: provider.model, outcome: 'skipped_deadline', latencyMs: 0, note: `${Math.max(0, Math.round(left))} ms left of the deadline` });
				break;
			}
			const request: CompletionRequest = {
				system: prompt.system,
				messages: messages.map((message) => ({ ...message })),
				maxTokens: input.maxTokens ?? DEFAULT_MAX_TOKENS,
				json: true,
				temperature: 0,
				timeoutMs: Math.max(1, Math.floor(Math.min(input.perProviderTimeoutMs, left))),
			};
			const callStartedAt = now();
			const outcome = await guardedComplete(provider, request);
			const latencyMs = Math.max(0, now() - callStartedAt);

			if (outcome.ok) {
				const model = typeof outcome.model === 'string' && outcome.model !== '' ? outcome.model : provider.model;
				const parsed = parseDiagnosisReply(outcome.text, result.component);
				if (parsed.ok) {
					const value = parsed.value;
					const texts = inLanguage(value, result, language);
					attempts.push({ provider: provider.name, model, outcome: 'ok', latencyMs, ...(texts.replaced ? { note: texts.replaced } : {}) });
					return {
						diagnosis: {
							rootCause: safe(texts.rootCause),
							summary: safe(texts.summary),
							severity: value.severity,
							confidence: value.confidence,
							recommendedActions: value.recommendedActions,
							rejected: value.rejected.map(safe),
							source: provider.name,
							model: safe(model),
							latencyMs: Math.max(0, now() - startedAt),
							fingerprint,
						},
						attempts,
					};
				}
				attempts.push({ provider: provider.name, model, outcome: 'invalid_json', latencyMs, note: note(parsed.problems.join('; ')) });
				if (repaired) break;
				// One repair round on the same provider: its reply, then what was wrong with it.
				repaired = true;
				messages.push({ role: 'assistant', content: clip(safe(outcome.text), MAX_ECHOED_REPLY_CHARS) }, { role: 'user', content: buildRepairMessage(parsed.problems) });
				continue;
			}

			const attempt: ChainAttempt = { provider: provider.name, model: provider.model, outcome: outcome.kind, latencyMs, note: note(outcome.message) };
			attempts.push(attempt);
			if (outcome.kind === 'rate_limited') {
				rateLimitedTries += 1;
				const decision = afterRateLimit({ retryAfterMs: outcome.retryAfterMs, tries: rateLimitedTries, leftMs: deadlineAt - now(), budgetMs: input.deadlineMs });
				if (decision.retry) {
					attempt.note = note(`${outcome.message} (retrying after ${Math.round(decision.waitMs)} ms)`);
					await sleep(decision.waitMs);
					continue;
				}
				if (decision.why === 'too_long') attempt.note = note(`${outcome.message} (retry-after ${Math.round(outcome.retryAfterMs ?? 0)} ms does not fit the deadline)`);
			}
			// auth skips the provider; every other failure (and a 429 without a usable retry-after) moves on too.
			break;
		}
	}

	const rules = ruleDiagnosis(result, language);
	return {
		diagnosis: {
			...rules,
			// The rules quote the cause message in fallbacks: mask the caller's secrets in it too.
			summary: redact(rules.summary, { secrets: input.secrets }),
			source: 'rules',
			latencyMs: Math.max(0, now() - startedAt),
			fingerprint,
		},
		attempts,
	};
}
