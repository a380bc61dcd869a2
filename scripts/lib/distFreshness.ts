/**
 * Whether `dist/` is older than the sources it is built from. `npm start`, the demo and the
 * e2e set-up build only then: a build first empties dist/, and a process loading the package
 * meanwhile (a test running beside another, a second n8n) would find no nodes; and run with
 * plain `jest` after an edit, a stale build would test yesterday's code without saying so.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Folders and files whose contents end up in `dist/` (see the build script and gulpfile). */
export const BUILD_INPUTS = ['nodes', 'credentials', 'package.json', 'tsconfig.json', 'gulpfile.js'];

/** The file the build always writes; its time is the build's time. */
export const BUILD_MARKER = path.join('dist', 'nodes', 'HostResources', 'HostResources.node.js');

function newestMtime(target: string): number {
	const stat = fs.statSync(target, { throwIfNoEntry: false });
	if (!stat) return 0;
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
	return newest;
}

/** Why `dist/` must be rebuilt under `root`, or undefined when it is current. */
export function staleBuildReason(root: string): string | undefined {
	const marker = fs.statSync(path.join(root, BUILD_MARKER), { throwIfNoEntry: false });
	if (!marker) return 'dist/ has not been built';
	const newest = Math.max(...BUILD_INPUTS.map((input) => newestMtime(path.join(root, input))));
	if (newest > marker.mtimeMs) return 'sources changed since dist/ was built';
	return undefined;
}
