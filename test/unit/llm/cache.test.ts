import {
	CacheOptionError,
	cacheStoreIn,
	createCacheStore,
	isCacheStore,
	readCached,
	writeCached,
	type DiagnosisCacheStore,
} from '../../../nodes/LlmDiagnose/diagnosis/cache';
import type { Diagnosis } from '../../../nodes/shared/contract';
import { validateDiagnosis } from '../../../nodes/shared/validate';

const T0 = 1_760_000_000_000;

function diagnosis(fingerprint: string, overrides: Partial<Diagnosis> = {}): Diagnosis {
	return {
		rootCause: 'The database does not answer.',
		summary: 'Reconnect.',
		severity: 'high',
		confidence: 0.8,
		recommendedActions: ['database.reconnect'],
		rejected: [],
		source: 'groq',
		model: 'openai/gpt-oss-20b',
		latencyMs: 420,
		fingerprint,
		...overrides,
	};
}

describe('diagnosis cache', () => {
	test('miss on an empty store, hit after a write, with the stored diagnosis and times', () => {
		const store = createCacheStore();
		expect(readCached(store, 'aaaa', T0)).toBeUndefined();
		writeCached(store, 'aaaa', diagnosis('aaaa'), 60_000, T0);
		const entry = readCached(store, 'aaaa', T0 + 1);
		expect(entry).toEqual({ diagnosis: diagnosis('aaaa'), storedAt: T0, expiresAt: T0 + 60_000 });
		expect(validateDiagnosis(entry?.diagnosis, 'database')).toEqual([]);
		expect(readCached(store, 'bbbb', T0 + 1)).toBeUndefined();
	});

	test('an entry expires at storedAt + ttl exactly, and the expired entry is removed on read', () => {
		const store = createCacheStore();
		writeCached(store, 'aaaa', diagnosis('aaaa'), 1000, T0);
		expect(readCached(store, 'aaaa', T0 + 999)).toBeDefined();
		expect(readCached(store, 'aaaa', T0 + 1000)).toBeUndefined();
		expect(store.entries).toEqual({});
	});

	test('a ttl of 0 stores nothing (and removes an older entry)', () => {
		const store = createCacheStore();
		writeCached(store, 'aaaa', diagnosis('aaaa'), 1000, T0);
		writeCached(store, 'aaaa', diagnosis('aaaa'), 0, T0);
		expect(readCached(store, 'aaaa', T0)).toBeUndefined();
	});

	test('a write replaces the entry of the same key', () => {
		const store = createCacheStore();
		writeCached(store, 'aaaa', diagnosis('aaaa', { source: 'rules' }), 1000, T0);
		writeCached(store, 'aaaa', diagnosis('aaaa', { source: 'openai' }), 5000, T0 + 10);
		expect(readCached(store, 'aaaa', T0 + 2000)?.diagnosis.source).toBe('openai');
		expect(Object.keys(store.entries)).toEqual(['aaaa']);
	});

	test('expired entries are dropped on write', () => {
		const store = createCacheStore();
		writeCached(store, 'old1', diagnosis('old1'), 100, T0);
		writeCached(store, 'old2', diagnosis('old2'), 100, T0);
		writeCached(store, 'keep', diagnosis('keep'), 10_000, T0);
		writeCached(store, 'new', diagnosis('new'), 10_000, T0 + 500);
		expect(Object.keys(store.entries).sort()).toEqual(['keep', 'new']);
	});

	test('over maxEntries the oldest entries are evicted, never the one just written', () => {
		const store = createCacheStore();
		// Digit-only keys are ordered numerically by JavaScript, not by insertion: eviction must use storedAt.
		const keys = ['9', '5', '7', '1'];
		keys.forEach((key, i) => writeCached(store, key, diagnosis(key), 60_000, T0 + i, 3));
		expect(Object.keys(store.entries).sort()).toEqual(['1', '5', '7']);
		writeCached(store, '0', diagnosis('0'), 60_000, T0 - 100, 3);
		expect(Object.keys(store.entries).sort()).toEqual(['0', '1', '7']);
	});

	test('the default bound is 200 entries', () => {
		const store = createCacheStore();
		for (let i = 0; i < 250; i++) writeCached(store, `fp${i}`, diagnosis(`fp${i}`), 60_000, T0 + i);
		expect(Object.keys(store.entries)).toHaveLength(200);
		expect(readCached(store, 'fp49', T0 + 300)).toBeUndefined();
		expect(readCached(store, 'fp50', T0 + 300)).toBeDefined();
	});

	test('the store survives a JSON round trip (workflow static data) and keeps answering', () => {
		const store = createCacheStore();
		writeCached(store, 'aaaa', diagnosis('aaaa'), 60_000, T0);
		const revived: unknown = JSON.parse(JSON.stringify(store));
		expect(isCacheStore(revived)).toBe(true);
		expect(readCached(revived as DiagnosisCacheStore, 'aaaa', T0 + 10)?.diagnosis).toEqual(diagnosis('aaaa'));
	});

	test('entries are copies: changing what was written or read does not change the cache', () => {
		const store = createCacheStore();
		const written = diagnosis('aaaa');
		writeCached(store, 'aaaa', written, 60_000, T0);
		written.recommendedActions.push('notify.escalate');
		const read = readCached(store, 'aaaa', T0);
		read?.diagnosis.recommendedActions.push('database.import_catalog');
		expect(readCached(store, 'aaaa', T0)?.diagnosis.recommendedActions).toEqual(['database.reconnect']);
	});

	test('a broken entry (hand-edited static data) is a miss and is removed', () => {
		const store = createCacheStore();
		(store.entries as Record<string, unknown>).bad = { diagnosis: 'nope', storedAt: T0, expiresAt: T0 + 10_000 };
		expect(readCached(store, 'bad', T0)).toBeUndefined();
		expect(store.entries).toEqual({});
	});

	test('inherited keys are not entries', () => {
		expect(readCached(createCacheStore(), 'constructor', T0)).toBeUndefined();
		expect(readCached(createCacheStore(), '__proto__', T0)).toBeUndefined();
	});

	test('cacheStoreIn creates the store in a static-data object once, and replaces what is not a store', () => {
		const staticData: Record<string, unknown> = {};
		const store = cacheStoreIn(staticData, 'llmDiagnosisCache');
		writeCached(store, 'aaaa', diagnosis('aaaa'), 60_000, T0);
		expect(cacheStoreIn(staticData, 'llmDiagnosisCache')).toBe(store);
		expect(readCached(cacheStoreIn(staticData, 'llmDiagnosisCache'), 'aaaa', T0)).toBeDefined();
		const corrupted: Record<string, unknown> = { llmDiagnosisCache: { version: 0, entries: [] } };
		expect(cacheStoreIn(corrupted, 'llmDiagnosisCache')).toEqual(createCacheStore());
		expect(isCacheStore(corrupted.llmDiagnosisCache)).toBe(true);
	});

	test.each([
		['an empty fingerprint', () => writeCached(createCacheStore(), '', diagnosis('x'), 1, T0), /fingerprint/],
		['a negative ttl', () => writeCached(createCacheStore(), 'a', diagnosis('a'), -1, T0), /ttlMs/],
		['a NaN ttl', () => writeCached(createCacheStore(), 'a', diagnosis('a'), Number.NaN, T0), /ttlMs/],
		['maxEntries 0', () => writeCached(createCacheStore(), 'a', diagnosis('a'), 1, T0, 0), /maxEntries/],
	])('%s throws naming the parameter', (_what, write, message) => {
		expect(write).toThrow(CacheOptionError);
		expect(write).toThrow(message);
	});
});
