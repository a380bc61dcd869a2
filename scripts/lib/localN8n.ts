/**
 * What `npm start` and `npm run demo` share around their local n8n: building this
 * package (the `dist/` n8n loads) with its output on the terminal, and keeping the
 * n8n server in the foreground until Ctrl+C or until it dies.
 */
import { spawn } from 'node:child_process';

import { staleBuildReason } from './distFreshness';
import type { N8nInstance } from './n8nInstance';
import { PROJECT_ROOT } from './paths';

/** `npm run build` failed; its own output is already on the terminal. */
export class BuildError extends Error {
	constructor(readonly exitCode: number | null) {
		super(`npm run build failed (exit ${exitCode})`);
		this.name = 'BuildError';
	}
}

/** When `dist/` is older than its sources: says `building the package (<why>)`, then runs `npm run build` (tsc + icons) in the project. */
export function buildPackage(say: (line: string) => void): Promise<void> {
	const why = staleBuildReason(PROJECT_ROOT);
	if (!why) {
		say('the package is built (dist/ is newer than its sources)');
		return Promise.resolve();
	}
	say(`building the package (${why})`);
	return new Promise((resolve, reject) => {
		const child = spawn('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve() : reject(new BuildError(code))));
	});
}

/** Resolves on the first SIGINT (Ctrl+C) or SIGTERM; each listener is removed once it fires. */
export function untilSignal(): Promise<void> {
	return new Promise((resolve) => {
		process.once('SIGINT', () => resolve());
		process.once('SIGTERM', () => resolve());
	});
}

const WATCH_INTERVAL_MS = 250;

/**
 * Resolves once `stop` does (the caller then stops n8n), or once n8n's server is found
 * dead: then the last lines of its log are printed and the exit code is set to 1.
 */
export function serveUntilStopped(n8n: N8nInstance, stop: Promise<void>, say: (line: string) => void): Promise<void> {
	return new Promise((resolve) => {
		let done = false;
		const finish = () => {
			if (done) return;
			done = true;
			clearInterval(watch);
			resolve();
		};
		const watch = setInterval(() => {
			if (done || n8n.running) return;
			say(`n8n stopped unexpectedly; last lines of ${n8n.logFile}:\n${n8n.tailLog(20)}`);
			process.exitCode = 1;
			finish();
		}, WATCH_INTERVAL_MS);
		void stop.then(finish);
	});
}
