/**
 * Which LLM provider the diagnosis should use now, from the providers' check results in
 * chain order (Groq, OpenAI, Anthropic by default): the first that works, where a
 * provider that is only rate limited still works (a 429 passes; the chain honours or
 * skips it). When the primary is not usable and another is, that is a fallback: the
 * caller recommends `llm.use_fallback`. Plain logic, tested without n8n.
 */
import type { CheckResult } from '../../shared/contract';
import { causeText, firstUsable, providerOfTarget } from '../../shared/recovery/fallback';
import { LLM_PROVIDERS, type LlmProviderName } from './types';

interface LlmProviderSelection {
	/** The provider to use now; null when none is usable. */
	use: LlmProviderName | null;
	/** True when `use` is not the primary (first) provider. */
	fallback: boolean;
	reason: string;
}

/** A selection input that is not a list of LLM check results (the caller's mistake). */
export class LlmSelectionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'LlmSelectionError';
	}
}

const RATE_LIMITED = 'provider.rate_limited';

/** The provider a result speaks of, from its target (`groq`, `openai:backup`, ...). */
export function providerOfLlmResult(result: Pick<CheckResult, 'component' | 'target'>): LlmProviderName | null {
	return providerOfTarget(result, 'llm', LLM_PROVIDERS);
}

/** Healthy, or degraded by rate limiting only (every unhealthy check is a rate limit). */
export function isUsable(result: CheckResult): boolean {
	if (result.status === 'healthy') return true;
	if (result.status !== 'degraded') return false;
	const unhealthy = result.checks.filter((check) => check.status !== 'healthy');
	if (unhealthy.length === 0) return result.cause?.code === RATE_LIMITED;
	return unhealthy.every((check) => (check.code ?? result.cause?.code) === RATE_LIMITED);
}

export function selectLlmProvider(results: CheckResult[]): LlmProviderSelection {
	if (!Array.isArray(results) || results.length === 0) {
		throw new LlmSelectionError('results must list the check result of at least one LLM provider, in chain order.');
	}
	const named = results.map((result, i) => {
		const name = typeof result === 'object' && result !== null ? providerOfLlmResult(result) : null;
		if (!name) {
			throw new LlmSelectionError(`results[${i}] is not an LLM provider check (component 'llm', target groq, openai or anthropic).`);
		}
		return { name, result };
	});

	const { primary, chosen, skipped } = firstUsable(named, isUsable);
	if (!chosen) {
		const all = skipped.map(({ name, result }) => `${name} (${causeText(result)})`).join('; ');
		return { use: null, fallback: false, reason: `No LLM provider is usable: ${all}. Diagnose with the fixed rules.` };
	}
	const state = chosen.result.status === 'healthy' ? 'works' : 'works but is rate limited';
	if (chosen === primary) {
		return { use: chosen.name, fallback: false, reason: `${chosen.name} ${state}: keep using it.` };
	}
	const passed = skipped.map(({ name, result }) => `${name} is ${result.status} (${causeText(result)})`);
	return { use: chosen.name, fallback: true, reason: `${passed.join('; ')}; ${chosen.name} ${state}: use it as the fallback.` };
}
