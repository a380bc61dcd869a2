/**
 * Installs a pinned n8n into its own folder (never into this package's node_modules: n8n
 * needs an `xlsx` override that a community package may not carry), with the Node that
 * runs it. What a machine that reaches only the npm registry needs (seen with 2.41.x):
 * - install scripts off: some download sources from outside the registry (the Kafka
 *   library fetches zlib and openssl) and npm then rolls the whole install back;
 * - so sqlite3, the one native addon n8n cannot start without, is built afterwards with
 *   the Node that will run n8n and that Node's own headers (npm's configured `nodedir`
 *   may be the machine's older Node), and with python3, make and g++, which a fresh
 *   machine lacks (installed when root, see debianTools.ts).
 */
import fs from 'node:fs';
import path from 'node:path';

import { ensureDebianTools, NATIVE_BUILD_TOOLS } from './debianTools';
import { formatElapsed, runNpm, swapInstalledFolder, withInstallLock, type Log } from './npmInstall';
import { findNodeRuntime, nodeRuntimeDir, provisionNode, satisfiesEngines, systemNode, type NodeRuntime } from './nodeRuntime';
import { runtimeBase, runtimeDir } from './paths';

export interface N8nRuntime {
	version: string;
	dir: string;
	/** The n8n CLI entry point, run with `node.bin`. */
	bin: string;
	node: NodeRuntime;
}

interface InstalledN8n {
	version: string;
	engines?: string;
}

function installedN8n(dir: string): InstalledN8n | null {
	try {
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8')) as {
			version?: string;
			engines?: { node?: string };
		};
		return pkg.version ? { version: pkg.version, engines: pkg.engines?.node } : null;
	} catch {
		return null;
	}
}

const SQLITE_BINDING = path.join('node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');

/** n8n is there, at this version, with its SQLite driver built. */
function n8nReady(dir: string, version: string): InstalledN8n | null {
	const installed = installedN8n(dir);
	return installed?.version === version && fs.existsSync(path.join(dir, SQLITE_BINDING)) ? installed : null;
}

/** The Node to run this n8n with: the machine's when n8n accepts it, else the provisioned one (or null: not yet). */
function nodeFor(engines: string | undefined): NodeRuntime | null {
	const system = systemNode();
	if (satisfiesEngines(system.version, engines)) return system;
	const provisioned = findNodeRuntime(nodeRuntimeDir(runtimeBase()));
	return provisioned && satisfiesEngines(provisioned.version, engines) ? provisioned : null;
}

export function findRuntime(version: string): N8nRuntime | null {
	const dir = runtimeDir(version);
	const installed = n8nReady(dir, version);
	const node = installed ? nodeFor(installed.engines) : null;
	return installed && node ? { version, dir, bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'), node } : null;
}

async function ensureNode(engines: string | undefined, log: Log): Promise<NodeRuntime> {
	const found = nodeFor(engines);
	if (found) return found;
	const dir = nodeRuntimeDir(runtimeBase());
	const node = await withInstallLock(dir, log, () => provisionNode(dir, log));
	if (!satisfiesEngines(node.version, engines)) {
		throw new Error(`n8n needs Node ${engines}; this machine has ${process.versions.node} and the provisioned Node is ${node.version}`);
	}
	return node;
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

async function installN8n(partial: string, version: string, log: Log): Promise<void> {
	// The SQLite driver is compiled by node-gyp (its prebuilt binaries live outside the npm
	// registry) and a fresh machine has no compiler. As root they are installed (apt-get
	// update first); otherwise the one line to type, before ten minutes of installing.
	ensureDebianTools(NATIVE_BUILD_TOOLS, (line) => log(`  ${line}`));
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
	const started = Date.now();
	const ticker = setInterval(() => {
		const packages = countPackages(path.join(partial, 'node_modules'));
		log(`  still installing n8n ${version}: ${formatElapsed(Date.now() - started)} elapsed, ${packages} packages unpacked`);
	}, 15_000);
	try {
		await runNpm(['install', '--no-audit', '--no-fund', '--loglevel=error', '--omit=dev', '--ignore-scripts'], { cwd: partial }, `install of n8n ${version}`);
	} finally {
		clearInterval(ticker);
	}
	const installed = installedN8n(partial);
	if (installed?.version !== version) throw new Error(`n8n ${version} did not install into ${partial}`);
	log(`  n8n ${version} unpacked in ${formatElapsed(Date.now() - started)}; it needs Node ${installed.engines ?? '(any)'}.`);
	await buildSqlite(partial, await ensureNode(installed.engines, log), log);
}

async function buildSqlite(dir: string, node: NodeRuntime, log: Log): Promise<void> {
	log(`  building n8n's SQLite driver for Node ${node.version} (about 2 minutes)...`);
	const started = Date.now();
	const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.dirname(node.bin)}${path.delimiter}${process.env.PATH ?? ''}` };
	if (node.headersDir) env.npm_config_nodedir = node.headersDir;
	else log(`  Node ${node.version} at ${node.bin} has no headers beside it: node-gyp will download them from nodejs.org (where only the npm registry is reachable, install them, e.g. Debian's libnode-dev, or use Node's official build)`);
	await runNpm(['rebuild', 'sqlite3', '--loglevel=error'], { cwd: dir, env }, 'rebuild sqlite3');
	if (!fs.existsSync(path.join(dir, SQLITE_BINDING))) throw new Error(`npm rebuild sqlite3 left no ${SQLITE_BINDING} in ${dir}`);
	log(`  SQLite driver built in ${formatElapsed(Date.now() - started)}.`);
}

/** Returns the runtime, installing what is missing first (the first time: 6–10 minutes and 2.3–3 GB). */
export async function provisionN8n(version: string, log: Log = (l) => console.log(l)): Promise<N8nRuntime> {
	const existing = findRuntime(version);
	if (existing) return existing;
	const dir = runtimeDir(version);
	return withInstallLock(dir, log, async () => {
		const started = Date.now();
		const installed = n8nReady(dir, version);
		if (installed) {
			await ensureNode(installed.engines, log);
		} else {
			log(`Installing n8n ${version} into ${dir} (first run only: 6-10 minutes, about 3 GB)...`);
			await swapInstalledFolder(dir, (partial) => installN8n(partial, version, log));
		}
		const runtime = findRuntime(version);
		if (!runtime) throw new Error(`n8n ${version} is not usable after installing it into ${dir}`);
		log(`n8n ${version} is ready on Node ${runtime.node.version} (${formatElapsed(Date.now() - started)}).`);
		return runtime;
	});
}
