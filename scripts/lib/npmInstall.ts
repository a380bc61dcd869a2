/**
 * The two pieces every provisioned runtime (Node, n8n) shares: running npm with its output
 * kept for the error message, and filling a folder atomically under a lock, so an
 * interrupted install is redone and two processes (CI pre-provisioning while the tests
 * start) never install the same thing twice.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type Log = (line: string) => void;

export function runNpm(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }, what: string): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		const child = spawn('npm', args, {
			cwd: options.cwd,
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...(options.env ?? process.env), npm_config_yes: 'true', npm_config_update_notifier: 'false' },
		});
		let output = '';
		child.stdout.on('data', (d: Buffer) => (output += d.toString()));
		child.stderr.on('data', (d: Buffer) => (output += d.toString()));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve();
			else reject(new Error(`npm ${what} failed (exit ${code}):\n${output.split('\n').slice(-30).join('\n')}`));
		});
	});
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `work` while holding `<dir>.lock` (a folder: mkdir is atomic). A lock whose owner
 * died is taken over; a live owner is waited for, with a line every minute.
 */
export async function withInstallLock<T>(dir: string, log: Log, work: () => Promise<T>): Promise<T> {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	let waitingSince: number | null = null;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		const owner = Number(fs.readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
		if (owner > 0 && !processAlive(owner)) {
			fs.rmSync(lock, { recursive: true, force: true });
			continue;
		}
		const now = Date.now();
		if (waitingSince === null || now - waitingSince >= 60_000) {
			log(`waiting for another process (pid ${owner || '?'}) that is installing ${path.basename(dir)}...`);
			waitingSince = now;
		}
		await sleep(1_000);
	}
	try {
		return await work();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/** Fills a temporary sibling of `dir`, then renames it into place: `dir` is either complete or absent. */
export async function swapInstalledFolder(dir: string, fill: (partial: string) => Promise<void>): Promise<void> {
	const partial = `${dir}.partial-${process.pid}`;
	fs.rmSync(partial, { recursive: true, force: true });
	fs.mkdirSync(partial, { recursive: true });
	try {
		await fill(partial);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.renameSync(partial, dir);
	} catch (error) {
		fs.rmSync(partial, { recursive: true, force: true });
		throw error;
	}
}

export function formatElapsed(ms: number): string {
	const s = Math.round(ms / 1000);
	return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
