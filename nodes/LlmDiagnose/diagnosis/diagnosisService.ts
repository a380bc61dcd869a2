/**
 * Diagnoses for one node run: the fingerprint cache (kept by the node in workflow
 * static data, so a storm of identical failures costs one LLM call per TTL across
 * runs and workers), an in-flight map so identical failures diagnosed concurrently
 * share one chain, and the provider chain itself. Rules diagnoses are cached for a
 * shorter time, so the LLMs are asked again sooner.
 */
import type { CheckResult, Diagnosis, DiagnosisSource } from '../../shared/contract';
import { validateDiagnosis } from '../../shared/validate';
import type { LlmProvider } from '../providers/types';
import { DEFAULT_MAX_CACHE_ENTRIES, isCacheStore, readCached, writeCached, type DiagnosisCacheStore } from './cache';
import { ChainOptionError, diagnoseWithChain, validateChainOptions, type ChainAttempt, type ChainOptions } from './chain';
import { causeToDiagnose, diagnosisFingerprint } from './fingerprint';

export const DEFAULT_RULES_TTL_MS = 5 * 60_000;

export interface DiagnosisServiceOptions extends ChainOptions {
	/** The cache object; the node passes the one kept in workflow static data. Mutated in place. */
	store: DiagnosisCacheStore;
	/** How long an LLM diagnosis is reused. */
	ttlMs: number;
	/** How long a rules diagnosis is reused (shorter, so the LLMs are retried sooner). */
	rulesTtlMs?: number;
	maxCacheEntries?: number;
}

/** A diagnosis as served: on a cache hit `source` is 'cache' and `cachedFrom` says who made it. */
type ServedDiagnosis = Diagnosis & { cachedFrom?: Exclude<DiagnosisSource, 'cache'> };

interface ServedResult {
	diagnosis: ServedDiagnosis;
	/** The provider calls made for this result; empty on a cache hit. */
	attempts: ChainAttempt[];
	cacheHit: boolean;
}

export interface DiagnosisService {
	/** Throws UndiagnosableResultError for a healthy result: only unhealthy items are diagnosed. */
	diagnose(result: CheckResult): Promise<ServedResult>;
	/** How many provider completion calls this service has made. */
	llmCalls(): number;
}

function nonNegative(value: unknown, name: string): void {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
		throw new ChainOptionError(`${name} must be a non-negative number of milliseconds, got ${JSON.stringify(value)}`);
	}
}

function servedFromCache(diagnosis: Diagnosis, latencyMs: number): ServedDiagnosis {
	const cachedFrom = diagnosis.source === 'cache' ? undefined : diagnosis.source;
	return { ...diagnosis, source: 'cache', ...(cachedFrom ? { cachedFrom } : {}), latencyMs: Math.max(0, latencyMs) };
}

/** A provider that counts its completion calls, so the service can report what the LLMs cost. */
function counting(provider: LlmProvider, onCall: () => void): LlmProvider {
	return {
		name: provider.name,
		model: provider.model,
		complete: (request) => {
			onCall();
			return provider.complete(request);
		},
		listModels: (timeoutMs) => provider.listModels(timeoutMs),
	};
}

export function createDiagnosisService(options: DiagnosisServiceOptions): DiagnosisService {
	validateChainOptions(options);
	if (!isCacheStore(options.store)) throw new ChainOptionError('store must be a diagnosis cache store (see createCacheStore)');
	nonNegative(options.ttlMs, 'ttlMs');
	const rulesTtlMs = options.rulesTtlMs ?? DEFAULT_RULES_TTL_MS;
	nonNegative(rulesTtlMs, 'rulesTtlMs');
	const maxEntries = options.maxCacheEntries ?? DEFAULT_MAX_CACHE_ENTRIES;
	if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new ChainOptionError(`maxCacheEntries must be a positive integer, got ${maxEntries}`);

	const { store, ttlMs } = options;
	const now = options.now ?? Date.now;
	let calls = 0;
	const providers = options.providers.map((provider) => counting(provider, () => void calls++));
	const inFlight = new Map<string, Promise<{ diagnosis: Diagnosis; attempts: ChainAttempt[] }>>();

	return {
		llmCalls: () => calls,
		async diagnose(result) {
			causeToDiagnose(result);
			const startedAt = now();
			const fingerprint = diagnosisFingerprint(result);
			// The language is part of the key: an English diagnosis must not answer a Spanish run.
			const key = `${fingerprint}:${options.language}`;

			const cached = readCached(store, key, startedAt);
			if (cached && validateDiagnosis(cached.diagnosis, result.component).length === 0) {
				return { diagnosis: servedFromCache(cached.diagnosis, now() - startedAt), attempts: [], cacheHit: true };
			}

			const running = inFlight.get(key);
			if (running) {
				const shared = await running;
				return { diagnosis: servedFromCache(shared.diagnosis, now() - startedAt), attempts: [], cacheHit: true };
			}

			const chain = diagnoseWithChain({ ...options, providers, result }).then((output) => {
				const ttl = output.diagnosis.source === 'rules' ? rulesTtlMs : ttlMs;
				writeCached(store, key, output.diagnosis, ttl, now(), maxEntries);
				return output;
			});
			inFlight.set(key, chain);
			try {
				const output = await chain;
				return { diagnosis: output.diagnosis, attempts: output.attempts, cacheHit: false };
			} finally {
				inFlight.delete(key);
			}
		},
	};
}
