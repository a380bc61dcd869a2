/**
 * `llm.use_fallback` as a contract recovery result. An LLM provider cannot be repaired
 * by us; the recovery is a decision: keep the primary (first in the chain) while it is
 * usable, use the first usable fallback otherwise, escalate when none is usable (the
 * diagnosis then comes from the fixed rules). Nothing is switched here: the caller reads
 * `details.selection.use`. The item is the check result of the provider to use now (the
 * primary's when none is usable). The shape is the shared fallback's
 * (shared/recovery/fallback); what is checked here is the LLM chain.
 */
import type { CheckResult, RecoveryResult } from '../../shared/contract';
import { checkAll, fallbackRecoveryResult, FallbackParameterError, requireDryRun, unfinishedCheck, type FallbackTerms } from '../../shared/recovery/fallback';
import { checkLlmProvider, type LlmCheckOptions } from './checkProvider';
import { providerOfLlmResult, selectLlmProvider } from './selectLlmProvider';
import type { LlmProvider, LlmProviderName } from './types';

/** An input that cannot work (the caller's mistake), naming the parameter. */
export class LlmFallbackError extends FallbackParameterError {}

const TERMS: FallbackTerms = { action: 'llm.use_fallback', reader: 'caller', error: LlmFallbackError };

/** One provider's check result and how long the check took, in chain order. */
export interface LlmProviderCheck {
	result: CheckResult;
	durationMs: number;
	/** The recovery deadline cut this check short. */
	late?: boolean;
}

/** The checks, validated, each under its provider's name. */
function namedChecks(checks: LlmProviderCheck[]): Array<LlmProviderCheck & { name: LlmProviderName }> {
	if (!Array.isArray(checks) || checks.length === 0) {
		throw new LlmFallbackError('checks', 'checks must list the check of at least one LLM provider, in chain order.');
	}
	return checks.map((check, i) => {
		const name = typeof check === 'object' && check !== null && typeof check.result === 'object' && check.result !== null ? providerOfLlmResult(check.result) : null;
		if (!name) {
			throw new LlmFallbackError('checks', `checks[${i}].result must be an LLM provider check (component 'llm', target groq, openai or anthropic).`);
		}
		if (typeof check.durationMs !== 'number' || !Number.isFinite(check.durationMs)) {
			throw new LlmFallbackError('checks', `checks[${i}].durationMs must be a number of milliseconds.`);
		}
		return { ...check, name };
	});
}

/** The recovery result of the chain's checks: the chosen provider's result plus the decision. */
export function llmFallbackResult(checks: LlmProviderCheck[], options: { dryRun: boolean; deadlineMs?: number }): RecoveryResult {
	const named = namedChecks(checks);
	requireDryRun(options?.dryRun, LlmFallbackError);
	const labelled = named.map((check, i) => ({ ...check, label: `${i === 0 ? 'primary' : `fallback ${i}`} ${check.result.target}` }));
	return fallbackRecoveryResult(labelled, selectLlmProvider(named.map((check) => check.result)), TERMS, options);
}

interface LlmFallbackPlan {
	/** The configured providers, in chain order (the first is the primary). */
	providers: LlmProvider[];
	checkOptions: LlmCheckOptions;
	dryRun: boolean;
	/** Every check ends within this many ms. */
	deadlineMs: number;
	now?: () => number;
}

/** Checks every provider at once and turns the outcome into the recovery result. */
export async function recoverLlm(plan: LlmFallbackPlan): Promise<RecoveryResult> {
	if (!Array.isArray(plan.providers) || plan.providers.length === 0) {
		throw new LlmFallbackError('providers', 'providers must list at least one configured LLM provider.');
	}
	requireDryRun(plan.dryRun, LlmFallbackError);
	const checks = await checkAll(plan.providers, (provider) => checkLlmProvider(provider, plan.checkOptions), {
		deadlineMs: plan.deadlineMs,
		unfinished: (provider) => unfinishedCheck('llm', provider.name, plan.deadlineMs),
		now: plan.now,
	});
	return llmFallbackResult(checks, { dryRun: plan.dryRun, deadlineMs: plan.deadlineMs });
}
