/**
 * `npm run build` and n8n's `n8n-node build` (@n8n/node-cli) give the same dist/: both run
 * tsc with tsconfig.json, then copy static files. n8n-node build is not a devDependency (about
 * 600 packages, 700 MB), so its copy step is restated here from @n8n/node-cli 0.48.3
 * (dist/commands/build.js, copyStaticFiles): fast-glob of PNG/SVG and __schema__ JSON, ignoring
 * dist and node_modules, each copied to the same path under dist/. Codex files are not in that
 * copy, so tsconfig.json lists them and tsc writes them in both builds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';

import { minimatch } from 'minimatch';
import type { ICredentialType, INodeType } from 'n8n-workflow';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the gulpfile is CommonJS, loaded as gulp loads it
const gulpfile = require(path.join(ROOT, 'gulpfile.js')) as { copyStaticFiles: (outDir: string) => NodeJS.ReadWriteStream };

/** n8n-node build 0.48.3's static files: fast-glob (no dot folders) with these patterns and ignores. */
const N8N_NODE_STATIC = ['**/*.{png,svg}', '**/__schema__/**/*.json'];
const N8N_NODE_IGNORED = new Set(['dist', 'node_modules']);

function walk(dir: string, relative = ''): string[] {
	return fs.readdirSync(path.join(dir, relative), { withFileTypes: true }).flatMap((entry) => {
		const entryPath = relative ? `${relative}/${entry.name}` : entry.name;
		if (entry.name.startsWith('.') || (!relative && N8N_NODE_IGNORED.has(entry.name))) return [];
		return entry.isDirectory() ? walk(dir, entryPath) : [entryPath];
	});
}

function n8nNodeCopy(outDir: string): void {
	for (const file of walk(ROOT).filter((candidate) => N8N_NODE_STATIC.some((pattern) => minimatch(candidate, pattern)))) {
		fs.mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
		fs.copyFileSync(path.join(ROOT, file), path.join(outDir, file));
	}
}

/** Every file under `dir`, relative, with its bytes. */
function tree(dir: string): Map<string, Buffer> {
	if (!fs.existsSync(dir)) return new Map();
	return new Map(walk(dir).map((file) => [file, fs.readFileSync(path.join(dir, file))]));
}

function projectFiles(config: string): string[] {
	const file = path.join(ROOT, config);
	const read = ts.readConfigFile(file, ts.sys.readFile);
	if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
	const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, file);
	return parsed.fileNames.map((name) => path.relative(ROOT, name).split(path.sep).join('/')).sort();
}

/** The icon paths a description names, resolved next to its source file. */
function iconFiles(icon: unknown, dir: string): { light: string; dark: string } {
	const themed = icon as { light?: unknown; dark?: unknown } | undefined;
	const file = (value: unknown) => path.join(dir, String(value).replace(/^file:/, ''));
	if (typeof themed?.light !== 'string' || typeof themed.dark !== 'string') throw new Error(`icon is not { light, dark }: ${JSON.stringify(icon)}`);
	return { light: file(themed.light), dark: file(themed.dark) };
}

const sourceOf = (distPath: string) => path.join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));

describe('tsconfig.json (what both builds compile)', () => {
	const files = projectFiles('tsconfig.json');

	it('holds only the shipped package: nodes and credentials, no tests', () => {
		expect(files.filter((file) => !/^(nodes|credentials)\//.test(file) || file.endsWith('.test.ts'))).toEqual([]);
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(path.relative(ROOT, sourceOf(entry)));
	});

	it('lists every node’s codex file, so tsc writes it next to the node (n8n-node build does not copy it)', () => {
		for (const node of pkg.n8n.nodes) expect(files).toContain(node.replace(/^dist\//, '').replace(/\.js$/, '.json'));
	});

	it('is part of what tsconfig.dev.json typechecks, with tests, scripts, benchmarks and the dev stack', () => {
		const dev = projectFiles('tsconfig.dev.json');
		expect(files.filter((file) => file.endsWith('.ts') && !dev.includes(file))).toEqual([]);
		for (const folder of ['test/', 'scripts/', 'bench/', 'dev/']) expect(dev.some((file) => file.startsWith(folder))).toBe(true);
	});
});

describe('static files', () => {
	let ours: string;
	let theirs: string;
	beforeAll(async () => {
		const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'autorecovery-build-'));
		ours = path.join(scratch, 'npm-run-build');
		theirs = path.join(scratch, 'n8n-node-build');
		await finished(gulpfile.copyStaticFiles(ours));
		n8nNodeCopy(theirs);
	});

	it('npm run build copies exactly what n8n-node build copies, byte for byte', () => {
		const [a, b] = [tree(ours), tree(theirs)];
		expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
		for (const [file, bytes] of a) expect(bytes.equals(b.get(file) as Buffer)).toBe(true);
		expect(a.size).toBeGreaterThan(0);
	});

	it('ships a light and a dark icon for every node, different files, each in the build', () => {
		for (const entry of pkg.n8n.nodes) {
			// eslint-disable-next-line @typescript-eslint/no-require-imports -- the class named by package.json
			const exported = require(sourceOf(entry)) as Record<string, new () => INodeType>;
			const node = new (Object.values(exported)[0] as new () => INodeType)();
			const { light, dark } = iconFiles(node.description.icon, path.dirname(sourceOf(entry)));
			expect(light).not.toBe(dark);
			for (const file of [light, dark]) expect(fs.existsSync(path.join(ours, path.relative(ROOT, file)))).toBe(true);
		}
	});

	it('ships a light and a dark icon for every credential, each in the build', () => {
		for (const entry of pkg.n8n.credentials) {
			// eslint-disable-next-line @typescript-eslint/no-require-imports -- the class named by package.json
			const exported = require(sourceOf(entry)) as Record<string, new () => ICredentialType>;
			const credential = new (Object.values(exported)[0] as new () => ICredentialType)();
			const { light, dark } = iconFiles(credential.icon, path.dirname(sourceOf(entry)));
			expect(light).not.toBe(dark);
			for (const file of [light, dark]) expect(fs.existsSync(path.join(ours, path.relative(ROOT, file)))).toBe(true);
		}
	});

	it('has icons that are SVG drawings, none of them a warning sign (n8n’s mark for a broken node)', () => {
		for (const file of tree(ours).keys()) {
			const svg = fs.readFileSync(path.join(ours, file), 'utf8');
			expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 64 64">/);
			// Warning orange/amber is what reads as "this node has a problem" on n8n's canvas.
			expect(svg).not.toMatch(/#f5a623|#ff9800|#ffa500|#f59e0b/i);
		}
	});
});
