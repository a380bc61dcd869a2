/**
 * A real, throw-away Redis for the queue-mode test: Debian's `redis-server` (the e2e
 * globalSetup installs it when it is missing), on a free loopback port, no persistence,
 * its working directory in a temp folder. stop() ends exactly the process it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { freePort } from '../../../scripts/lib/ports';

export interface RedisServer {
	host: string;
	port: number;
	pid: number;
	logFile: string;
	stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

/** One PING over a fresh connection: true when Redis answers +PONG within the time limit. */
export function pingRedis(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host, port });
		let answer = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(timeoutMs, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk: Buffer) => {
			answer += chunk.toString();
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
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

export async function startRedis(): Promise<RedisServer> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autorecovery-redis-'));
	const logFile = path.join(dir, 'redis.log');
	const host = '127.0.0.1';
	const port = await freePort();
	const log = fs.openSync(logFile, 'a');
	const child = spawn('redis-server', ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no', '--dir', dir], {
		stdio: ['ignore', log, log],
	});
	fs.closeSync(log);
	let spawnError: Error | undefined;
	child.once('error', (error) => (spawnError = error));

	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
				child.kill('SIGKILL');
				await waitForExit(child, STOP_TIMEOUT_MS);
			}
		}
		fs.rmSync(dir, { recursive: true, force: true });
	};

	const deadline = Date.now() + READY_TIMEOUT_MS;
	while (Date.now() < deadline) {
		if (spawnError || child.exitCode !== null) break;
		if (await pingRedis(host, port)) return { host, port, pid: child.pid as number, logFile, stop };
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
	await stop();
	throw new Error(`redis-server did not answer PING on ${host}:${port} within ${READY_TIMEOUT_MS} ms${spawnError ? ` (${spawnError.message})` : ''}\n${tail}`);
}
