/**
 * Which store holds the state: n8n's own database decides, read from the environment n8n
 * itself was started with (every main and worker process of one installation has the
 * same), so there is nothing to configure and nothing new to run:
 *  - `DB_TYPE=postgresdb` (required in practice by queue mode): a table in that database,
 *    reached with n8n's own DB_POSTGRESDB_* settings (their `_FILE` variants too);
 *  - otherwise (SQLite, one n8n process): files in n8n's own folder (`~/.n8n`, or
 *    `$N8N_USER_FOLDER/.n8n`), next to database.sqlite, on the volume that already
 *    persists it. Queue mode on SQLite shares that folder between processes anyway.
 * Redis is not used: it is not there for a single-process user, it would need a new
 * runtime dependency, and it does not persist by default.
 */
import path from 'node:path';

import type { PoolConfig } from 'pg';

import { configuredValue, n8nFolder } from '../n8nEnv';
import { createFileStore } from './fileStore';
import { createPostgresStore } from './postgresStore';
import type { StateStore } from './types';

/** The folder in n8n's folder, and the table in n8n's database (after n8n's DB_TABLE_PREFIX). */
export const STATE_FOLDER_NAME = 'autorecovery-state';
export const STATE_TABLE_NAME = 'autorecovery_state';
/** How long an update waits for another update of the same state before failing. */
export const STATE_WAIT_MS = 30_000;

export type StoreChoice =
	| { kind: 'file'; folder: string }
	| { kind: 'postgres'; schema: string; table: string; connection: PoolConfig };

const flag = (value: string | undefined) => value?.toLowerCase() === 'true';

function postgresConnection(env: NodeJS.ProcessEnv): PoolConfig {
	const value = (name: string) => configuredValue(env, `DB_POSTGRESDB_${name}`);
	const ca = value('SSL_CA') ?? '';
	const cert = value('SSL_CERT') ?? '';
	const key = value('SSL_KEY') ?? '';
	const rejectUnauthorized = value('SSL_REJECT_UNAUTHORIZED')?.toLowerCase() !== 'false';
	// As n8n's own connection (@n8n/db db-connection-options): SSL when enabled or when any SSL setting is given.
	const ssl = ca !== '' || cert !== '' || key !== '' || !rejectUnauthorized ? { ca: ca || undefined, cert: cert || undefined, key: key || undefined, rejectUnauthorized } : flag(value('SSL_ENABLED'));
	const timeout = Number(value('CONNECTION_TIMEOUT'));
	return {
		host: value('HOST') || 'localhost',
		port: Number(value('PORT')) || 5432,
		database: value('DATABASE') || 'n8n',
		user: value('USER') || 'postgres',
		password: value('PASSWORD') ?? '',
		ssl,
		connectionTimeoutMillis: Number.isFinite(timeout) && timeout > 0 ? timeout : 20_000,
		application_name: 'n8n-autorecovery-state',
	};
}

export function chooseStore(env: NodeJS.ProcessEnv): StoreChoice {
	if (configuredValue(env, 'DB_TYPE') === 'postgresdb') {
		return {
			kind: 'postgres',
			schema: configuredValue(env, 'DB_POSTGRESDB_SCHEMA') || 'public',
			table: `${configuredValue(env, 'DB_TABLE_PREFIX') ?? ''}${STATE_TABLE_NAME}`,
			connection: postgresConnection(env),
		};
	}
	return { kind: 'file', folder: path.join(n8nFolder(env), STATE_FOLDER_NAME) };
}

/**
 * One store per configuration for the life of the process: the Postgres one keeps a
 * small connection pool. It holds no state a later run relies on (every read goes to
 * the database or the files), so any worker may serve any run.
 */
const stores = new Map<string, StateStore>();

export function stateStoreFor(env: NodeJS.ProcessEnv = process.env): StateStore {
	const choice = chooseStore(env);
	const id = JSON.stringify(choice);
	let store = stores.get(id);
	if (!store) {
		store = choice.kind === 'postgres' ? createPostgresStore({ ...choice, waitMs: STATE_WAIT_MS }) : createFileStore({ folder: choice.folder, waitMs: STATE_WAIT_MS });
		stores.set(id, store);
	}
	return store;
}
