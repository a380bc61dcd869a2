/**
 * A small key → JSON value store whose only write is an atomic read-modify-write, so two
 * runs that update the same key at the same moment (a scheduled tick and a webhook event,
 * on one process or on two workers) are applied one after the other: none is lost and
 * each decides on the state the previous one left.
 *
 * Plain module (no n8n types): the backends are ./fileStore (n8n on SQLite: a folder in
 * n8n's own folder) and ./postgresStore (n8n on Postgres: a table in n8n's database);
 * ./selectStore picks one from n8n's own configuration.
 */

/**
 * What an update does with the value it found (undefined: nothing stored yet). It must be
 * pure: a backend may call it again with a fresher value before one result is committed
 * (the file store's compare-and-swap), and only the committed call's `result` is returned.
 */
export type Change<T, R> = (current: T | undefined) => { next: T; result: R };

export interface Committed<T, R> {
	/** The value now stored. */
	value: T;
	result: R;
	/** 1 for the first value stored under the key, +1 for each update: a gap-free count of committed updates. */
	version: number;
}

export interface StateStore {
	/** What the backend is, for messages and docs (never a secret). */
	readonly describe: string;
	/** The stored value (undefined when nothing is stored yet). */
	read<T>(key: string): Promise<T | undefined>;
	update<T, R>(key: string, change: Change<T, R>): Promise<Committed<T, R>>;
	/** Releases connections; the store may not be used afterwards. */
	close(): Promise<void>;
}

export type StateStoreProblem =
	/** Another update of the key held it longer than the wait allows. */
	| 'busy'
	/** The stored value could not be read; it was moved aside (see the message) and the next update starts from the one before. */
	| 'unreadable'
	/** The backend could not be reached or refused the operation. */
	| 'unavailable'
	| 'invalid_key';

export class StateStoreError extends Error {
	constructor(
		readonly problem: StateStoreProblem,
		message: string,
	) {
		super(message);
		this.name = 'StateStoreError';
	}
}

/** Keys are plain names, so they are safe as file names and need no escaping anywhere. */
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

export function checkKey(key: string): string {
	if (!KEY_PATTERN.test(key) || key.includes('..')) throw new StateStoreError('invalid_key', `state key must be letters, digits, _ . - (at most 200), got ${JSON.stringify(key)}`);
	return key;
}
