/**
 * The diagnosis cache: a plain JSON-serialisable object the node keeps in n8n's
 * workflow static data, so it survives between scheduled runs and is shared by
 * workers. Functions mutate the store in place (static data is saved by reference);
 * entries are copies, so a caller changing a returned diagnosis cannot change the cache.
 */
import type { Diagnosis } from '../../shared/contract';
import { isRecord } from '../../shared/json';

const CACHE_STORE_VERSION = 1;
export const DEFAULT_MAX_CACHE_ENTRIES = 200;

interface DiagnosisCacheEntry {
	diagnosis: Diagnosis;
	/** Epoch ms. */
	storedAt: number;
	/** Epoch ms; the entry is a miss from this moment on. */
	expiresAt: number;
}

export interface DiagnosisCacheStore {
	version: typeof CACHE_STORE_VERSION;
	entries: Record<string, DiagnosisCacheEntry>;
}

export class CacheOptionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CacheOptionError';
	}
}

export function createCacheStore(): DiagnosisCacheStore {
	return { version: CACHE_STORE_VERSION, entries: {} };
}

/** True for a value that has the store's shape (e.g. read back from static data). */
export function isCacheStore(value: unknown): value is DiagnosisCacheStore {
	return isRecord(value) && value.version === CACHE_STORE_VERSION && isRecord(value.entries);
}

/**
 * The store kept under `key` of a container such as n8n's workflow static data,
 * created (or replaced, when what is there is not a store of this version) in place.
 */
export function cacheStoreIn(container: Record<string, unknown>, key: string): DiagnosisCacheStore {
	const existing = container[key];
	if (isCacheStore(existing)) return existing;
	const store = createCacheStore();
	container[key] = store;
	return store;
}

function isEntry(value: unknown): value is DiagnosisCacheEntry {
	return (
		isRecord(value) &&
		isRecord(value.diagnosis) &&
		typeof value.storedAt === 'number' &&
		typeof value.expiresAt === 'number' &&
		Number.isFinite(value.expiresAt)
	);
}

function copy<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

/** The cached diagnosis for a key (a copy), or undefined when missing, expired or unreadable. */
export function readCached(store: DiagnosisCacheStore, fingerprint: string, now: number): DiagnosisCacheEntry | undefined {
	if (!Object.prototype.hasOwnProperty.call(store.entries, fingerprint)) return undefined;
	const entry: unknown = store.entries[fingerprint];
	if (!isEntry(entry) || entry.expiresAt <= now) {
		delete store.entries[fingerprint];
		return undefined;
	}
	return copy(entry);
}

/**
 * Stores a diagnosis for `ttlMs`, dropping expired entries first and then the oldest
 * ones while the store is over `maxEntries`.
 */
export function writeCached(
	store: DiagnosisCacheStore,
	fingerprint: string,
	diagnosis: Diagnosis,
	ttlMs: number,
	now: number,
	maxEntries: number = DEFAULT_MAX_CACHE_ENTRIES,
): void {
	if (typeof fingerprint !== 'string' || fingerprint === '') throw new CacheOptionError('fingerprint must be a non-empty string');
	if (!Number.isFinite(ttlMs) || ttlMs < 0) throw new CacheOptionError(`ttlMs must be a non-negative number, got ${ttlMs}`);
	if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new CacheOptionError(`maxEntries must be a positive integer, got ${maxEntries}`);
	const entries = store.entries;
	for (const [key, entry] of Object.entries(entries)) {
		if (!isEntry(entry) || entry.expiresAt <= now) delete entries[key];
	}
	delete entries[fingerprint];
	if (ttlMs === 0) return;
	entries[fingerprint] = { diagnosis: copy(diagnosis), storedAt: now, expiresAt: now + ttlMs };
	const others = Object.keys(entries).filter((key) => key !== fingerprint);
	const excess = others.length + 1 - maxEntries;
	if (excess <= 0) return;
	// Oldest first by storedAt (key order is not reliable for digit-only keys); the new entry stays.
	others.sort((a, b) => entries[a].storedAt - entries[b].storedAt);
	for (const key of others.slice(0, excess)) delete entries[key];
}
