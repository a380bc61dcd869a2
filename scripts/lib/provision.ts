/**
 * Installs a pinned n8n into its own folder (never into this package's
 * node_modules: n8n needs an `xlsx` override that a community package may not carry).
 * The install goes to a temporary folder that is renamed only when complete, so an
 * interrupted first run is simply redone.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { runtimeDir } from './paths';

export interface N8nRuntime {
	version: string;
	dir: string;
	/** The n8n CLI entry point, run with this Node. */
	bin: string;
}

type Log = (line: string) => void;

function installedVersion(dir: string): string | null {
	try {
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8')) as {
			version?: string;
		};
		return pkg.version ?? null;
	} catch {
		return null;
	}
}

function runtimeOf(version: string, dir: string): N8nRuntime {
	return { version, dir, bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n') };
}

export function findRuntime(version: string): N8nRuntime | null {
	const dir = runtimeDir(version);
	return installedVersion(dir) === version ? runtimeOf(version, dir) : null;
}

function countPackages(nodeModules: string): number {
	try {
		let count = 0;
		for (const entry of fs.readdirSync(nodeModules)) {
			if (entry.startsWith('.')) continue;
			count += entry.startsWith('@') ? fs.readdirSync(path.join(nodeModules, entry)).length : 1;
		}
		return count;
	} catch {
		return 0;
	}
}

function formatElapsed(ms: number): string {
	const s = Math.round(ms / 1000);
	return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Returns the runtime, installing it first when missing (about 5 minutes and 2.3 GB the first time). */
export async function provisionN8n(version: string, log: Log = (l) => console.log(l)): Promise<N8nRuntime> {
	const existing = findRuntime(version);
	if (existing) return existing;

	const dir = runtimeDir(version);
	const partial = `${dir}.partial-${process.pid}`;
	fs.rmSync(partial, { recursive: true, force: true });
	fs.mkdirSync(partial, { recursive: true });
	fs.writeFileSync(
		path.join(partial, 'package.json'),
		JSON.stringify(
			{
				name: 'autorecovery-n8n-runtime',
				private: true,
				description: 'Local n8n for n8n-nodes-autorecovery (generated; safe to delete).',
				dependencies: { n8n: version },
				// n8n pulls xlsx from a tarball URL outside the npm registry; the registry's 0.18.5 works.
				overrides: { xlsx: '0.18.5' },
			},
			null,
			2,
		),
	);
	log(`Installing n8n ${version} into ${dir} (first run only: about 5 minutes and 2.3 GB)...`);
	const started = Date.now();
	const ticker = setInterval(() => {
		const packages = countPackages(path.join(partial, 'node_modules'));
		log(`  still installing n8n ${version}: ${formatElapsed(Date.now() - started)} elapsed, ${packages} packages unpacked`);
	}, 15_000);
	try {
		await new Promise<void>((resolve, reject) => {
			const child = spawn('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--omit=dev'], {
				cwd: partial,
				stdio: ['ignore', 'pipe', 'pipe'],
				env: { ...process.env, npm_config_yes: 'true', npm_config_update_notifier: 'false' },
			});
			let output = '';
			child.stdout.on('data', (d: Buffer) => (output += d.toString()));
			child.stderr.on('data', (d: Buffer) => (output += d.toString()));
			child.on('error', reject);
			child.on('close', (code) => {
				if (code === 0) resolve();
				else reject(new Error(`npm install of n8n ${version} failed (exit ${code}):\n${output.split('\n').slice(-30).join('\n')}`));
			});
		});
	} finally {
		clearInterval(ticker);
	}
	if (installedVersion(partial) !== version) throw new Error(`n8n ${version} did not install into ${partial}`);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.renameSync(partial, dir);
	log(`n8n ${version} installed in ${formatElapsed(Date.now() - started)}.`);
	return runtimeOf(version, dir);
}
