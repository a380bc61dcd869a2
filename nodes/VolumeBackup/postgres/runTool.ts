/**
 * Runs pg_dump / pg_restore without a shell, with a hard time limit (SIGKILL), stderr
 * captured (bounded) and redacted, and stdout optionally streamed into a sink. Never
 * rejects: the caller classifies the exit.
 */
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { redact } from '../../shared/redact';
import type { ChildHooks } from './types';

const STDERR_LIMIT = 16_000;

export interface ToolRun {
	/** Exit code, or null when killed / not started. */
	code: number | null;
	timedOut: boolean;
	/** Redacted stderr (last STDERR_LIMIT characters). */
	stderr: string;
	/** Spawning failed (ENOENT, EACCES, ...). */
	spawnError?: NodeJS.ErrnoException;
	/** Writing stdout into the sink failed (ENOSPC, EROFS, ...): the child was killed. */
	sinkError?: unknown;
}

interface ToolRunRequest {
	binary: string;
	args: string[];
	env: NodeJS.ProcessEnv;
	timeoutMs: number;
	/** Secrets to mask in stderr. */
	secrets: string[];
	/** Where stdout goes (the dump); ignored when omitted. */
	sink?: Writable[];
	hooks?: ChildHooks;
}

export function runTool(request: ToolRunRequest): Promise<ToolRun> {
	return new Promise((resolve) => {
		const child = spawn(request.binary, request.args, {
			env: request.env,
			stdio: ['ignore', request.sink ? 'pipe' : 'ignore', 'pipe'],
			shell: false,
		});
		let stderr = '';
		let timedOut = false;
		let spawnError: NodeJS.ErrnoException | undefined;
		let sinkError: unknown;
		const kill = (): void => {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		};
		const timer = setTimeout(() => {
			timedOut = true;
			kill();
		}, request.timeoutMs);
		child.stderr?.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_LIMIT);
		});
		child.once('spawn', () => {
			if (child.pid !== undefined) request.hooks?.onChildSpawned?.(child.pid);
		});
		const written =
			request.sink && child.stdout
				? pipeline([child.stdout, ...request.sink]).catch((error: unknown) => {
						sinkError = error;
						kill(); // no point dumping into a broken file
					})
				: Promise.resolve();
		let settled = false;
		const settle = (code: number | null): void => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			void written.then(() =>
				resolve({
					code,
					timedOut,
					stderr: redact(stderr.trim(), { secrets: request.secrets }),
					...(spawnError ? { spawnError } : {}),
					...(sinkError !== undefined ? { sinkError } : {}),
				}),
			);
		};
		child.once('error', (error: NodeJS.ErrnoException) => {
			spawnError = error;
			// A child that never started emits no 'close' on every Node version.
			if (child.pid === undefined) {
				child.stdout?.destroy(); // ends the sink pipeline too
				settle(null);
			}
		});
		child.once('close', (code) => settle(code));
	});
}

/** The last line pg tools printed, for a one-sentence message (already redacted). */
export function lastStderrLine(stderr: string): string {
	const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '');
	const errorLine = [...lines].reverse().find((line) => /error|fatal/i.test(line));
	return (errorLine ?? lines[lines.length - 1] ?? 'no message').replace(/^(pg_dump|pg_restore): (error: )?/, '');
}
