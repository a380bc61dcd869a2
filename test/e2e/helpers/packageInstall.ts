/**
 * The ways a user installs the published package into their own n8n, reproduced from the
 * packed tarball (what npm would download): n8n's UI installer, and the README's npm command.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { PACKAGE_NAME, PROJECT_ROOT } from '../../../scripts/lib/paths';
import { nodeDescriptions } from '../../../scripts/docs/nodesReference';
import type { NodeRuntime } from '../../../scripts/lib/nodeRuntime';

/** `npm pack` of the built package into `dir`; returns the tarball's path. */
export function packPackage(dir: string): string {
	const output = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: PROJECT_ROOT, encoding: 'utf8' });
	const file = output.trim().split('\n').pop() ?? '';
	const tarball = path.join(dir, file);
	if (!file.endsWith('.tgz') || !fs.existsSync(tarball)) throw new Error(`npm pack printed no tarball: ${output}`);
	return tarball;
}

/** npm, run by the given Node (npm's own shebang picks the first `node` on PATH). */
function npm(args: string[], cwd: string, node: NodeRuntime): string {
	return execFileSync('npm', args, {
		cwd,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, PATH: `${path.dirname(node.bin)}${path.delimiter}${process.env.PATH ?? ''}`, npm_config_update_notifier: 'false' },
	});
}

function nodesFolder(userFolder: string): string {
	const dir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

/**
 * What n8n's UI installer does (packages/cli community-packages service): the tarball is
 * unpacked into `nodes/node_modules/<package>`, its dev, peer and optional dependencies
 * are dropped from its package.json, and `npm install --ignore-scripts` runs in it.
 */
export function installLikeN8nUi(tarball: string, userFolder: string, node: NodeRuntime): string {
	const nodes = nodesFolder(userFolder);
	const target = path.join(nodes, 'node_modules', PACKAGE_NAME);
	fs.mkdirSync(target, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
	const manifestFile = path.join(target, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
	for (const key of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete manifest[key];
	fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
	npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], target, node);
	fs.writeFileSync(path.join(nodes, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: manifest.version } }, null, 2));
	return target;
}

/** The README's command, `npm install --omit=peer <package>` in `~/.n8n/nodes` (the tarball stands in for the registry). */
export function installLikeReadme(tarball: string, userFolder: string, node: NodeRuntime): string {
	const nodes = nodesFolder(userFolder);
	npm(['install', '--omit=peer', '--no-audit', '--no-fund', '--loglevel=error', tarball], nodes, node);
	return path.join(nodes, 'node_modules', PACKAGE_NAME);
}

/** The node and credential type names the package declares, from its sources (the same descriptions n8n reads from dist). */
export function declaredTypes(): { nodes: string[]; credentials: string[] } {
	const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { n8n: { credentials: string[] } };
	const credentials = manifest.n8n.credentials.map((built) => {
		const source = path.join(PROJECT_ROOT, 'credentials', path.basename(built).replace(/\.js$/, '.ts'));
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- a computed path, loaded by ts-jest
		const exported = require(source) as Record<string, new () => { name: string }>;
		return new (Object.values(exported)[0])().name;
	});
	return { nodes: nodeDescriptions().map((description) => `${PACKAGE_NAME}.${description.name}`), credentials };
}
