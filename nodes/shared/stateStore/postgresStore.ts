/**
 * The state store for n8n on Postgres (regular or queue mode): one row per key in a
 * table of n8n's own database, which every main and worker process already reaches.
 *
 * An update is one transaction holding the row lock (`SELECT … FOR UPDATE`) while the
 * change is computed, so updates of a key from any number of processes run one after
 * the other, each on the committed state of the previous one. Why a row lock: Postgres
 * releases it when the transaction ends, including when the process holding it dies
 * (its connection closes) or goes silent (`idle_in_transaction_session_timeout`), and a
 * waiter gives up cleanly after `lock_timeout`. No lease to guess, no new service.
 */
import { Pool, type PoolClient, type PoolConfig } from 'pg';

import { describePgError } from '../sql/describePgError';
import { KeyedMutex } from './keyedMutex';
import { checkKey, StateStoreError, type Change, type Committed, type StateStore } from './types';

export interface PostgresStoreOptions {
	/** Connection settings (never shown in a message). */
	connection: PoolConfig;
	schema: string;
	table: string;
	/** Wait this long for another update of the key (Postgres `lock_timeout`) before failing with 'busy'. */
	waitMs: number;
}

/** Postgres error code for a lock not obtained within lock_timeout. */
const LOCK_NOT_AVAILABLE = '55P03';
/** Concurrent `CREATE TABLE IF NOT EXISTS` can still collide on the catalog. */
const ALREADY_CREATED = ['42P07', '23505'];
/** A connection per concurrent update of different keys is plenty; n8n keeps its own pool beside it. */
const POOL_SIZE = 3;
/** Idle connections close, so a quiet n8n holds none of ours. */
const IDLE_MS = 10_000;

const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;
const pgCode = (error: unknown) => (typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined);

export function createPostgresStore(options: PostgresStoreOptions): StateStore {
	const table = `${quoteIdentifier(options.schema)}.${quoteIdentifier(options.table)}`;
	const waitMs = Math.max(1, Math.round(options.waitMs));
	const pool = new Pool({ ...options.connection, max: POOL_SIZE, idleTimeoutMillis: IDLE_MS, allowExitOnIdle: true });
	// A server that goes away emits 'error' on idle clients; without a listener it would crash n8n.
	pool.on('error', () => undefined);
	const mutex = new KeyedMutex();
	let created: Promise<void> | undefined;

	const fail = (error: unknown): StateStoreError => {
		if (error instanceof StateStoreError) return error;
		if (pgCode(error) === LOCK_NOT_AVAILABLE) return new StateStoreError('busy', `another update held the state for more than ${waitMs} ms`);
		return new StateStoreError('unavailable', `state store (table ${options.schema}.${options.table} in n8n's Postgres database): ${describePgError(error, 'Postgres').summary}`);
	};

	function ensureTable(): Promise<void> {
		created ??= pool
			.query(
				`CREATE TABLE IF NOT EXISTS ${table} (
					key text PRIMARY KEY,
					version bigint NOT NULL,
					value jsonb,
					updated_at timestamptz NOT NULL DEFAULT now()
				)`,
			)
			.then(
				() => undefined,
				(error: unknown) => {
					if (ALREADY_CREATED.includes(String(pgCode(error)))) return;
					created = undefined;
					throw fail(error);
				},
			);
		return created;
	}

	async function connect(): Promise<PoolClient> {
		await ensureTable();
		return pool.connect().catch((error: unknown) => {
			throw fail(error);
		});
	}

	return {
		describe: `table ${options.schema}.${options.table} in n8n's Postgres database`,

		async read<T>(key: string): Promise<T | undefined> {
			checkKey(key);
			await ensureTable();
			const { rows } = await pool.query<{ version: string; value: unknown }>(`SELECT version, value FROM ${table} WHERE key = $1`, [key]).catch((error: unknown) => {
				throw fail(error);
			});
			return rows[0] && Number(rows[0].version) > 0 ? (rows[0].value as T) : undefined;
		},

		async update<T, R>(key: string, change: Change<T, R>): Promise<Committed<T, R>> {
			checkKey(key);
			return mutex.run(key, waitMs, async () => {
				const client = await connect();
				let broken: Error | undefined;
				let ownError: { error: unknown } | undefined;
				try {
					await client.query('BEGIN');
					await client.query(`SET LOCAL lock_timeout = ${waitMs}`);
					// A holder that stops talking (its host froze) loses the lock instead of blocking everyone.
					await client.query(`SET LOCAL idle_in_transaction_session_timeout = ${Math.max(waitMs, 60_000)}`);
					// Version 0 with no value: a placeholder row so the first update of a key has a row to lock too.
					await client.query(`INSERT INTO ${table} (key, version, value) VALUES ($1, 0, NULL) ON CONFLICT (key) DO NOTHING`, [key]);
					const { rows } = await client.query<{ version: string; value: unknown }>(`SELECT version, value FROM ${table} WHERE key = $1 FOR UPDATE`, [key]);
					const version = Number(rows[0].version);
					let changed: { next: T; result: R; text: string };
					try {
						const { next, result } = change(version > 0 ? (rows[0].value as T) : undefined);
						const text = JSON.stringify(next);
						if (text === undefined) throw new TypeError('a state must be a JSON value');
						changed = { next, result, text };
					} catch (error) {
						ownError = { error };
						throw error;
					}
					const { next, result, text } = changed;
					await client.query(`UPDATE ${table} SET version = $2, value = $3::jsonb, updated_at = now() WHERE key = $1`, [key, version + 1, text]);
					await client.query('COMMIT');
					return { value: next, result, version: version + 1 };
				} catch (error) {
					await client.query('ROLLBACK').catch((rollbackError: unknown) => {
						broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
					});
					// The change's own error (a bad input) goes through unchanged; anything from Postgres is described.
					throw ownError ? ownError.error : fail(error);
				} finally {
					client.release(broken);
				}
			});
		},

		async close(): Promise<void> {
			await pool.end().catch(() => undefined);
		},
	};
}
