/**
 * The Node.js that runs n8n. Current n8n releases need a newer Node than this project's
 * tooling (which runs on the machine's Node 20): when the machine's Node does not satisfy
 * n8n's `engines.node`, a Node from the npm registry (`node-<platform>-<arch>`, the
 * official build with its headers, which the `node` package would fetch through an
 * install script) is installed beside the n8n runtimes and used for the n8n processes only.
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';

import { runNpm, swapInstalledFolder, type Log } from './npmInstall';

/** The Node line provisioned when the machine's is too old: the newest LTS every supported n8n accepts. */
export const PROVISIONED_NODE_MAJOR = 24;

export interface NodeRuntime {
	version: string;
	/** The `node` executable. */
	bin: string;
	/** Headers for native addons (`npm_config_nodedir`); null when this Node has none of its own (node-gyp then downloads them). */
	headersDir: string | null;
}

export function systemNode(): NodeRuntime {
	return { version: process.versions.node, bin: process.execPath, headersDir: localHeadersDir(process.execPath, process.versions.node) };
}

/**
 * The install prefix of a Node (`<prefix>/bin/node`) when its own headers are there
 * (`<prefix>/include/node`, same version), as in the official builds, the registry's
 * `node-<platform>-<arch>` and Debian with libnode-dev; else null. Native addons are
 * built against it: without it, node-gyp (n8n ships 8.x) downloads the headers from
 * nodejs.org, which a machine that reaches only the npm registry cannot.
 */
export function localHeadersDir(execPath: string, version: string): string | null {
	const prefix = path.resolve(path.dirname(execPath), '..');
	try {
		const header = fs.readFileSync(path.join(prefix, 'include', 'node', 'node_version.h'), 'utf8');
		const part = (name: string) => new RegExp(`#define\\s+NODE_${name}_VERSION\\s+(\\d+)`).exec(header)?.[1];
		return `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}` === version && fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : null;
	} catch {
		return null;
	}
}

export function satisfiesEngines(nodeVersion: string, engines: string | undefined): boolean {
	if (!engines) return true;
	return semver.satisfies(nodeVersion, engines, { includePrerelease: false });
}

/** The folder holding `node_modules/node` for one Node major, under the runtimes folder. */
export function nodeRuntimeDir(runtimesBase: string, major = PROVISIONED_NODE_MAJOR): string {
	return path.join(runtimesBase, `node-${major}`);
}

const PLATFORM_PACKAGE = `node-${process.platform}-${process.arch}`;

export function findNodeRuntime(dir: string): NodeRuntime | null {
	const root = path.join(dir, 'node_modules', PLATFORM_PACKAGE);
	const bin = path.join(root, 'bin', 'node');
	try {
		const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
		if (!fs.existsSync(bin) || !fs.existsSync(path.join(root, 'include', 'node', 'node.h'))) return null;
		return { version: pkg.version, bin, headersDir: root };
	} catch {
		return null;
	}
}

/** Installs Node `<major>` from the npm registry into `dir` (about 30 s, 190 MB), unless it is there. */
export async function provisionNode(dir: string, log: Log, major = PROVISIONED_NODE_MAJOR): Promise<NodeRuntime> {
	const existing = findNodeRuntime(dir);
	if (existing) return existing;
	log(`Installing Node ${major} from the npm registry into ${dir} (for the n8n process only)...`);
	await swapInstalledFolder(dir, async (partial) => {
		fs.writeFileSync(
			path.join(partial, 'package.json'),
			JSON.stringify(
				{ name: 'autorecovery-node-runtime', private: true, description: 'Node for the local n8n (generated; safe to delete).', dependencies: { [PLATFORM_PACKAGE]: `^${major}` } },
				null,
				2,
			),
		);
		await runNpm(['install', '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts'], { cwd: partial }, `install ${PLATFORM_PACKAGE}@${major}`);
		if (!findNodeRuntime(partial)) throw new Error(`${PLATFORM_PACKAGE}@${major} installed without its binary and headers`);
	});
	const runtime = findNodeRuntime(dir);
	if (!runtime) throw new Error(`Node ${major} did not install into ${dir}`);
	log(`Node ${runtime.version} installed.`);
	return runtime;
}
