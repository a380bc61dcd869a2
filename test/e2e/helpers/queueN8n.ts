/**
 * n8n in queue mode without Docker: one main process (`n8n start`, EXECUTIONS_MODE=queue)
 * and N `n8n worker` processes, all on the same Postgres database, the same Redis and the
 * same encryption key, each in its own user folder with this package linked (as separate
 * containers would be). Logs are JSON lines, so the test can read which process ran which
 * execution. stop() ends exactly the processes started here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { N8nInstance } from '../../../scripts/lib/n8nInstance';
import { n8nVersion } from '../../../scripts/lib/paths';
import { freePort } from '../../../scripts/lib/ports';
import { findRuntime, type N8nRuntime } from '../../../scripts/lib/provision';
import type { DatabaseHandle } from '../../../dev/stack/postgres';

export interface QueueWorker {
	name: string;
	pid: number;
	logFile: string;
	healthUrl: string;
	/** False once the process has exited (it should not, until stop()). */
	readonly alive: boolean;
	stop(): Promise<void>;
}

export interface QueueCluster {
	main: N8nInstance;
	workers: QueueWorker[];
	/** Starts `count` workers and waits until each reports ready (database + Redis). */
	startWorkers(count: number, concurrency: number): Promise<QueueWorker[]>;
	/** Stops the workers, then the main process, then removes every user folder. */
	stop(): Promise<void>;
}

export interface QueueClusterOptions {
	database: DatabaseHandle;
	redis: { host: string; port: number };
}

const READY_TIMEOUT_MS = 120_000;
/** Set to 1 to keep the main and worker logs (copied to a temp folder) after stop(). */
export const KEEP_LOGS_ENV = 'AUTORECOVERY_E2E_KEEP_LOGS';
const STOP_TIMEOUT_MS = 20_000;

/** What a main process and its workers share: the database, Redis, the key, JSON logs. */
export function queueEnvironment(options: QueueClusterOptions): Record<string, string> {
	const { connection } = options.database;
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: connection.host,
		DB_POSTGRESDB_PORT: String(connection.port),
		DB_POSTGRESDB_DATABASE: connection.database,
		DB_POSTGRESDB_USER: connection.user,
		DB_POSTGRESDB_PASSWORD: connection.password,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: options.redis.host,
		QUEUE_BULL_REDIS_PORT: String(options.redis.port),
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_LOG_FORMAT: 'json',
		N8N_LOG_LEVEL: 'info',
	};
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), timeoutMs);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

async function isReady(url: string): Promise<boolean> {
	try {
		return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
	} catch {
		return false;
	}
}

function tail(file: string, lines = 30): string {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

async function spawnWorker(runtime: N8nRuntime, name: string, encryptionKey: string, shared: Record<string, string>, concurrency: number): Promise<QueueWorker> {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `autorecovery-${name}-`));
	const healthPort = await freePort();
	// An N8nInstance only for its environment and package link; the worker process is ours.
	const instance = new N8nInstance({
		runtime,
		userFolder,
		port: await freePort(),
		encryptionKey,
		env: { ...shared, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' },
	});
	instance.linkPackage();
	const logFile = path.join(userFolder, 'worker.log');
	const log = fs.openSync(logFile, 'a');
	const child = spawn(runtime.node.bin, [runtime.bin, 'worker', `--concurrency=${concurrency}`], {
		env: instance.env(await freePort()),
		stdio: ['ignore', log, log],
	});
	fs.closeSync(log);
	const healthUrl = `http://127.0.0.1:${healthPort}/healthz/readiness`;
	const worker: QueueWorker = {
		name,
		pid: child.pid as number,
		logFile,
		healthUrl,
		get alive() {
			return child.exitCode === null && child.signalCode === null;
		},
		async stop() {
			if (worker.alive) {
				child.kill('SIGTERM');
				if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
					child.kill('SIGKILL');
					await waitForExit(child, STOP_TIMEOUT_MS);
				}
			}
		},
	};
	return worker;
}

async function waitUntilReady(worker: QueueWorker): Promise<void> {
	const deadline = Date.now() + READY_TIMEOUT_MS;
	while (Date.now() < deadline) {
		if (!worker.alive) throw new Error(`${worker.name} exited while starting; see ${worker.logFile}:\n${tail(worker.logFile)}`);
		if (await isReady(worker.healthUrl)) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`${worker.name} was not ready within ${READY_TIMEOUT_MS} ms; see ${worker.logFile}:\n${tail(worker.logFile)}`);
}

export async function createQueueCluster(options: QueueClusterOptions): Promise<QueueCluster> {
	const runtime = findRuntime(n8nVersion());
	if (!runtime) throw new Error('n8n is not provisioned: the e2e globalSetup should have done it');
	const encryptionKey = crypto.randomBytes(16).toString('hex');
	const shared = queueEnvironment(options);
	const mainFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'autorecovery-queue-main-'));
	const main = new N8nInstance({ runtime, userFolder: mainFolder, port: await freePort(), encryptionKey, env: shared });
	main.linkPackage();
	const workers: QueueWorker[] = [];
	const folders = [mainFolder];

	return {
		main,
		workers,
		async startWorkers(count, concurrency) {
			const started: QueueWorker[] = [];
			for (let i = 0; i < count; i += 1) {
				const worker = await spawnWorker(runtime, `worker-${workers.length + 1}`, encryptionKey, shared, concurrency);
				workers.push(worker);
				folders.push(path.dirname(worker.logFile));
				started.push(worker);
			}
			await Promise.all(started.map(waitUntilReady));
			return started;
		},
		async stop() {
			await Promise.all(workers.map((worker) => worker.stop()));
			await main.stop();
			if (process.env[KEEP_LOGS_ENV] === '1') {
				const kept = fs.mkdtempSync(path.join(os.tmpdir(), 'autorecovery-queue-logs-'));
				for (const file of [main.logFile, ...workers.map((worker) => worker.logFile)]) {
					if (fs.existsSync(file)) fs.copyFileSync(file, path.join(kept, `${path.basename(path.dirname(file))}-${path.basename(file)}`));
				}
				console.log(`queue-mode logs kept in ${kept}`);
			}
			for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
		},
	};
}
