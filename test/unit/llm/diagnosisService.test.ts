import { createCacheStore, type DiagnosisCacheStore } from '../../../nodes/LlmDiagnose/diagnosis/cache';
import { ChainOptionError } from '../../../nodes/LlmDiagnose/diagnosis/chain';
import {
	DEFAULT_RULES_TTL_MS,
	createDiagnosisService,
	type DiagnosisServiceOptions,
} from '../../../nodes/LlmDiagnose/diagnosis/diagnosisService';
import { UndiagnosableResultError } from '../../../nodes/LlmDiagnose/diagnosis/fingerprint';
import type { LlmProvider } from '../../../nodes/LlmDiagnose/providers/types';
import { validateDiagnosis } from '../../../nodes/shared/validate';
import { failingResult, healthyResult } from './results';
import { replyJson, scriptedProvider } from './scriptedProvider';

const HOUR = 3_600_000;

/** A clock the test moves; the chain's calls take real (short) time but read this clock. */
function testClock(start = 1_760_000_000_000) {
	let time = start;
	return { now: () => time, advance: (ms: number) => void (time += ms) };
}

function service(store: DiagnosisCacheStore, providers: LlmProvider[], overrides: Partial<DiagnosisServiceOptions> = {}) {
	return createDiagnosisService({
		store,
		ttlMs: HOUR,
		providers,
		deadlineMs: 5000,
		perProviderTimeoutMs: 2000,
		language: 'es',
		secrets: [],
		maskPhoneNumbers: true,
		...overrides,
	});
}

/** The same failure as seen at different moments by different probes of one component. */
const occurrence = (i: number) =>
	failingResult({
		target: `postgres:shop-${i % 3}`,
		message: `Postgres did not answer within ${1000 + i} ms (request req_${i}abcdef12, at 2026-01-15T10:00:${String(i % 60).padStart(2, '0')}Z).`,
		at: Date.UTC(2026, 0, 15, 10, 0, i % 60),
	});

describe('createDiagnosisService', () => {
	test('100 identical failures diagnosed concurrently cost one LLM call', async () => {
		const groq = scriptedProvider('groq', [{ reply: replyJson(), delayMs: 30 }]);
		const diagnoses = service(createCacheStore(), [groq]);
		const results = await Promise.all(Array.from({ length: 100 }, (_, i) => diagnoses.diagnose(occurrence(i))));
		expect(diagnoses.llmCalls()).toBe(1);
		expect(groq.calls()).toBe(1);
		expect(results.filter((r) => !r.cacheHit)).toHaveLength(1);
		const [first] = results.filter((r) => !r.cacheHit);
		expect(first.diagnosis.source).toBe('groq');
		expect(first.attempts.map((a) => a.outcome)).toEqual(['ok']);
		for (const r of results.filter((x) => x.cacheHit)) {
			expect(r.diagnosis).toMatchObject({ source: 'cache', cachedFrom: 'groq', rootCause: first.diagnosis.rootCause, fingerprint: first.diagnosis.fingerprint });
			expect(r.attempts).toEqual([]);
		}
		for (const r of results) expect(validateDiagnosis(r.diagnosis, 'database')).toEqual([]);
	});

	test('a later identical failure is a cache hit: source cache, original source kept, lookup latency', async () => {
		const clock = testClock();
		const groq = scriptedProvider('groq', [{ reply: replyJson(), model: 'openai/gpt-oss-20b' }]);
		const diagnoses = service(createCacheStore(), [groq], { now: clock.now });
		const first = await diagnoses.diagnose(occurrence(1));
		clock.advance(60_000);
		const second = await diagnoses.diagnose(occurrence(2));
		expect(second.cacheHit).toBe(true);
		expect(second.diagnosis).toEqual({ ...first.diagnosis, source: 'cache', cachedFrom: 'groq', latencyMs: 0 });
		expect(second.diagnosis.model).toBe('openai/gpt-oss-20b');
		expect(validateDiagnosis(second.diagnosis, 'database')).toEqual([]);
		expect(diagnoses.llmCalls()).toBe(1);
	});

	test('two service instances (two runs, or two workers) sharing one store after a JSON round trip: one call', async () => {
		const clock = testClock();
		const staticData: { cache: DiagnosisCacheStore } = { cache: createCacheStore() };
		const groqRun1 = scriptedProvider('groq', [{ reply: replyJson() }]);
		const run1 = service(staticData.cache, [groqRun1], { now: clock.now });
		await run1.diagnose(occurrence(1));

		// n8n saves workflow static data as JSON and loads it in the next execution / another worker.
		const reloaded = JSON.parse(JSON.stringify(staticData)) as typeof staticData;
		clock.advance(10 * 60_000);
		const groqRun2 = scriptedProvider('groq', [{ reply: replyJson() }]);
		const run2 = service(reloaded.cache, [groqRun2], { now: clock.now });
		const result = await run2.diagnose(occurrence(7));
		expect(result).toMatchObject({ cacheHit: true, diagnosis: { source: 'cache', cachedFrom: 'groq' } });
		expect(groqRun1.calls() + groqRun2.calls()).toBe(1);
		expect(run2.llmCalls()).toBe(0);
	});

	test('after the TTL a new call is made, and its answer is cached again', async () => {
		const clock = testClock();
		const groq = scriptedProvider('groq', [{ reply: replyJson({ rootCause: 'Primera.' }) }, { reply: replyJson({ rootCause: 'Segunda.' }) }]);
		const diagnoses = service(createCacheStore(), [groq], { now: clock.now, ttlMs: HOUR });
		await diagnoses.diagnose(occurrence(1));
		clock.advance(HOUR - 1);
		expect((await diagnoses.diagnose(occurrence(2))).cacheHit).toBe(true);
		clock.advance(1);
		const fresh = await diagnoses.diagnose(occurrence(3));
		expect(fresh).toMatchObject({ cacheHit: false, diagnosis: { source: 'groq', rootCause: 'Segunda.' } });
		expect(diagnoses.llmCalls()).toBe(2);
		expect((await diagnoses.diagnose(occurrence(4))).diagnosis.rootCause).toBe('Segunda.');
	});

	test('rules diagnoses are cached with the shorter rules TTL, so the LLMs are asked again sooner', async () => {
		const clock = testClock();
		const groq = scriptedProvider('groq', [{ fail: 'server_error' }, { reply: replyJson() }]);
		const diagnoses = service(createCacheStore(), [groq], { now: clock.now });
		const first = await diagnoses.diagnose(occurrence(1));
		expect(first.diagnosis.source).toBe('rules');
		clock.advance(DEFAULT_RULES_TTL_MS - 1);
		expect((await diagnoses.diagnose(occurrence(2))).diagnosis).toMatchObject({ source: 'cache', cachedFrom: 'rules' });
		expect(diagnoses.llmCalls()).toBe(1);
		clock.advance(1);
		const retried = await diagnoses.diagnose(occurrence(3));
		expect(retried).toMatchObject({ cacheHit: false, diagnosis: { source: 'groq' } });
		expect(diagnoses.llmCalls()).toBe(2);
		// The LLM answer now lives for the full TTL, well past the rules TTL.
		clock.advance(DEFAULT_RULES_TTL_MS * 2);
		expect((await diagnoses.diagnose(occurrence(4))).diagnosis.cachedFrom).toBe('groq');
	});

	test('rulesTtlMs is configurable', async () => {
		const clock = testClock();
		const groq = scriptedProvider('groq', [{ fail: 'timeout' }]);
		const diagnoses = service(createCacheStore(), [groq], { now: clock.now, rulesTtlMs: 1000 });
		await diagnoses.diagnose(occurrence(1));
		clock.advance(1000);
		expect((await diagnoses.diagnose(occurrence(2))).cacheHit).toBe(false);
		expect(diagnoses.llmCalls()).toBe(2);
	});

	test('different failures are diagnosed separately', async () => {
		const groq = scriptedProvider('groq', [{ reply: replyJson() }]);
		const diagnoses = service(createCacheStore(), [groq]);
		await Promise.all([
			diagnoses.diagnose(failingResult({ code: 'net.timeout' })),
			diagnoses.diagnose(failingResult({ code: 'net.unreachable' })),
			diagnoses.diagnose(failingResult({ component: 'payments', target: 'mercadopago' })),
		]);
		expect(diagnoses.llmCalls()).toBe(3);
	});

	test('the language is part of the cache key', async () => {
		const store = createCacheStore();
		const groq = scriptedProvider('groq', [{ reply: replyJson() }]);
		await service(store, [groq], { language: 'es' }).diagnose(occurrence(1));
		const english = await service(store, [groq], { language: 'en' }).diagnose(occurrence(2));
		expect(english.cacheHit).toBe(false);
		expect(groq.calls()).toBe(2);
	});

	test('a cached entry that no longer validates for the component is a miss', async () => {
		const store = createCacheStore();
		const groq = scriptedProvider('groq', [{ reply: replyJson() }]);
		await service(store, [groq]).diagnose(occurrence(1));
		for (const entry of Object.values(store.entries)) entry.diagnosis.recommendedActions = ['whatsapp.relink'];
		const again = await service(store, [groq]).diagnose(occurrence(2));
		expect(again.cacheHit).toBe(false);
		expect(again.diagnosis.recommendedActions).toEqual(['database.reconnect', 'notify.escalate']);
	});

	test('a failed chain does not leave a stuck in-flight entry', async () => {
		const diagnoses = service(createCacheStore(), [scriptedProvider('groq', [{ reply: replyJson() }])]);
		await expect(diagnoses.diagnose(healthyResult())).rejects.toThrow(UndiagnosableResultError);
		expect((await diagnoses.diagnose(occurrence(1))).cacheHit).toBe(false);
	});

	test('a healthy result throws: only unhealthy items are diagnosed', async () => {
		const diagnoses = service(createCacheStore(), []);
		await expect(diagnoses.diagnose(healthyResult())).rejects.toThrow(/healthy/);
	});

	test.each([
		['ttlMs', { ttlMs: -1 }],
		['rulesTtlMs', { rulesTtlMs: Number.NaN }],
		['maxCacheEntries', { maxCacheEntries: 0 }],
		['store', { store: {} as DiagnosisCacheStore }],
		['deadlineMs', { deadlineMs: 0 }],
	])('bad %s throws at creation, naming it', (name, overrides) => {
		expect(() => service(createCacheStore(), [], overrides)).toThrow(ChainOptionError);
		expect(() => service(createCacheStore(), [], overrides)).toThrow(name);
	});
});
