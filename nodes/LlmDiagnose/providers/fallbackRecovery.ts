/**
 * `llm.use_fallback` as a contract recovery result. An LLM provider cannot be repaired
 * by us; the recovery is a decision: keep the primary (first in the chain) while it is
 * usable, use the first usable fallback otherwise, escalate when none is usable (the
 * diagnosis then comes from the fixed rules). Nothing is switched here: the caller reads
 * `details.selection.use`. The item is the check result of the provider to use now (the
 * primary's when none is usable). Plain logic, tested without n8n.
 */
import type { CheckResult, Recovery, RecoveryResult, RecoveryStep } from '../../shared/contract';
import { checkLlmProvider, type LlmCheckOptions } from './checkProvider';
import { providerOfLlmResult, selectLlmProvider, type LlmProviderSelection } from './selectLlmProvider';
import type { LlmProvider } from './types';

/** An input that cannot work (the caller's mistake), naming the parameter. */
export class LlmFallbackError extends Error {
	constructor(
		readonly parameter: string,
		message: string,
	) {
		super(message);
		this.name = 'LlmFallbackError';
	}
}

/** One provider's check result and how long the check took, in chain order. */
export interface LlmProviderCheck {
	result: CheckResult;
	durationMs: number;
}

function role(index: number): string {
	return index === 0 ? 'primary' : `fallback ${index}`;
}

function checkStep(check: LlmProviderCheck, index: number): RecoveryStep {
	const { target, status, cause } = check.result;
	return {
		action: 'check',
		ok: status === 'healthy',
		message: `${role(index)} ${target}: ${status}${cause ? ` (${cause.code}: ${cause.message})` : ''}`,
		durationMs: Math.max(0, check.durationMs),
	};
}

function validateChecks(checks: LlmProviderCheck[]): void {
	if (!Array.isArray(checks) || checks.length === 0) {
		throw new LlmFallbackError('checks', 'checks must list the check of at least one LLM provider, in chain order.');
	}
	checks.forEach((check, i) => {
		if (typeof check !== 'object' || check === null || typeof check.result !== 'object' || check.result === null || !providerOfLlmResult(check.result)) {
			throw new LlmFallbackError('checks', `checks[${i}].result must be an LLM provider check (component 'llm', target groq, openai or anthropic).`);
		}
		if (typeof check.durationMs !== 'number' || !Number.isFinite(check.durationMs)) {
			throw new LlmFallbackError('checks', `checks[${i}].durationMs must be a number of milliseconds.`);
		}
	});
}

/** The step that states the decision, and the recovery fields it implies. */
function decide(selection: LlmProviderSelection, dryRun: boolean): { step: RecoveryStep; recovery: Pick<Recovery, 'action' | 'attempted'> } {
	const step = (ok: boolean, message: string): RecoveryStep => ({ action: 'select', ok, message, durationMs: 0 });
	if (selection.use === null) {
		return { step: step(false, `${selection.reason} Nothing to switch to: escalate to a person.`), recovery: { action: 'notify.escalate', attempted: false } };
	}
	if (!selection.fallback) {
		return { step: step(true, `primary works: nothing to switch. ${selection.reason}`), recovery: { action: 'llm.use_fallback', attempted: false } };
	}
	const reads = `the switch is a decision the caller reads from details.selection.use (${selection.use}).`;
	return {
		step: step(true, dryRun ? `dry run: would switch to ${selection.use}. ${selection.reason} Nothing is changed either way: ${reads}` : `${selection.reason} Nothing is changed here: ${reads}`),
		recovery: { action: 'llm.use_fallback', attempted: true },
	};
}

/** The recovery result of the chain's checks: the chosen provider's result plus the decision. */
export function llmFallbackResult(checks: LlmProviderCheck[], options: { dryRun: boolean }): RecoveryResult {
	validateChecks(checks);
	if (typeof options?.dryRun !== 'boolean') throw new LlmFallbackError('dryRun', 'dryRun must be true or false.');
	const results = checks.map((check) => check.result);
	const selection = selectLlmProvider(results);
	const primary = results[0];
	const chosen = results.find((result) => providerOfLlmResult(result) === selection.use) ?? primary;
	const { step, recovery } = decide(selection, options.dryRun);
	return {
		...chosen,
		details: { ...(chosen.details ?? {}), selection },
		recovery: {
			...recovery,
			// Success: a switch was decided (not only planned) and the provider now in use is healthy.
			success: recovery.attempted && !options.dryRun && chosen.status === 'healthy',
			...(options.dryRun ? { dryRun: true } : {}),
			before: primary.status,
			after: chosen.status,
			steps: [...checks.map(checkStep), step],
		},
	};
}

export interface LlmFallbackPlan {
	/** The configured providers, in chain order (the first is the primary). */
	providers: LlmProvider[];
	checkOptions: LlmCheckOptions;
	dryRun: boolean;
	now?: () => number;
}

/**
 * Checks every provider (at once: each call has its own deadline, so this takes as long
 * as the slowest check) and turns the outcome into the recovery result.
 */
export async function recoverLlm(plan: LlmFallbackPlan): Promise<RecoveryResult> {
	if (!Array.isArray(plan.providers) || plan.providers.length === 0) {
		throw new LlmFallbackError('providers', 'providers must list at least one configured LLM provider.');
	}
	if (typeof plan.dryRun !== 'boolean') throw new LlmFallbackError('dryRun', 'dryRun must be true or false.');
	const now = plan.now ?? Date.now;
	const checks = await Promise.all(
		plan.providers.map(async (provider): Promise<LlmProviderCheck> => {
			const started = now();
			const result = await checkLlmProvider(provider, plan.checkOptions);
			return { result, durationMs: Math.max(0, now() - started) };
		}),
	);
	return llmFallbackResult(checks, { dryRun: plan.dryRun });
}
