/**
 * How provisioning decides what a machine still needs, on fake runtime folders: which Node
 * runs an n8n release, when a half-installed release counts as missing, and the install
 * lock that lets CI pre-provision while the tests start.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { cliExecuteEnv, credentialTestNeedsId, webhookUrlVariable, webhookWrongBasicAuthStatus } from '../../../scripts/lib/n8nFeatures';
import { findNodeRuntime, localHeadersDir, nodeRuntimeDir, satisfiesEngines } from '../../../scripts/lib/nodeRuntime';
import { swapInstalledFolder, withInstallLock } from '../../../scripts/lib/npmInstall';
import { findRuntime } from '../../../scripts/lib/provision';
import { until } from '../../harness/until';

let base: string;
const savedRuntimeDir = process.env.N8N_RUNTIME_DIR;

beforeEach(() => {
	base = fs.mkdtempSync(path.join(os.tmpdir(), 'provision-test-'));
	process.env.N8N_RUNTIME_DIR = base;
});

afterEach(() => {
	if (savedRuntimeDir === undefined) delete process.env.N8N_RUNTIME_DIR;
	else process.env.N8N_RUNTIME_DIR = savedRuntimeDir;
	fs.rmSync(base, { recursive: true, force: true });
});

function write(file: string, content = ''): void {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, content);
}

function fakeN8n(version: string, engines: string, options: { sqliteBuilt?: boolean; webhookVariable?: string } = {}): string {
	const dir = path.join(base, `n8n-${version}`);
	write(path.join(dir, 'node_modules', 'n8n', 'package.json'), JSON.stringify({ name: 'n8n', version, engines: { node: engines } }));
	if (options.sqliteBuilt ?? true) write(path.join(dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'));
	write(path.join(dir, 'node_modules', '@n8n', 'config', 'dist', 'index.js'), `(0, decorators_1.Env)('${options.webhookVariable ?? 'N8N_WEBHOOK_URL'}')`);
	return dir;
}

function fakeNode(version: string, options: { headers?: boolean } = {}): string {
	const root = path.join(nodeRuntimeDir(base), 'node_modules', `node-${process.platform}-${process.arch}`);
	write(path.join(root, 'package.json'), JSON.stringify({ version }));
	write(path.join(root, 'bin', 'node'));
	if (options.headers ?? true) write(path.join(root, 'include', 'node', 'node.h'));
	return root;
}

describe("which Node runs an n8n release", () => {
	test.each([
		['20.20.2', '>=20.19 <= 24.x', true],
		['20.20.2', '>=24.0.0', false],
		['24.22.3', '>=24.0.0', true],
		['22.16.0', '>=22.16', true],
		['20.20.2', undefined, true],
	])('Node %s and engines %s: satisfied = %s', (node, engines, expected) => {
		expect(satisfiesEngines(node, engines)).toBe(expected);
	});

	test("a release the machine's Node satisfies runs on it", () => {
		fakeN8n('2.8.4', `>=${process.versions.node}`);
		expect(findRuntime('2.8.4')).toMatchObject({ version: '2.8.4', node: { bin: process.execPath, headersDir: localHeadersDir(process.execPath, process.versions.node) } });
	});

	// A fresh machine reaches only the npm registry: node-gyp must build against the
	// headers beside the Node, never download them (the host's npm config hid this).
	test.each([
		['20.20.2', '20.20.2', true],
		['20.20.2', '20.19.0', false],
	])("a Node's own headers are used when their version (%s) is the Node's (%s): %s", (headers, node, used) => {
		const prefix = path.join(base, `node-prefix-${headers}-${node}`);
		write(path.join(prefix, 'bin', 'node'), '');
		const [major, minor, patch] = headers.split('.');
		write(path.join(prefix, 'include', 'node', 'node_version.h'), `#define NODE_MAJOR_VERSION ${major}\n#define NODE_MINOR_VERSION ${minor}\n#define NODE_PATCH_VERSION ${patch}\n`);
		write(path.join(prefix, 'include', 'node', 'node.h'), '');
		expect(localHeadersDir(path.join(prefix, 'bin', 'node'), node)).toBe(used ? prefix : null);
	});

	test('a Node without headers beside it has none', () => {
		const prefix = path.join(base, 'node-prefix-bare');
		write(path.join(prefix, 'bin', 'node'), '');
		expect(localHeadersDir(path.join(prefix, 'bin', 'node'), '20.20.2')).toBeNull();
	});

	test('a release that needs a newer Node is missing until that Node is provisioned, then runs on it', () => {
		fakeN8n('2.41.1', '>=99.0.0');
		expect(findRuntime('2.41.1')).toBeNull();
		const root = fakeNode('99.1.0');
		expect(findRuntime('2.41.1')).toMatchObject({ node: { version: '99.1.0', bin: path.join(root, 'bin', 'node'), headersDir: root } });
	});

	test('a provisioned Node that is still too old does not count', () => {
		fakeN8n('2.41.1', '>=99.0.0');
		fakeNode('98.0.0');
		expect(findRuntime('2.41.1')).toBeNull();
	});

	test('a Node without its headers does not count (sqlite3 could not be built with it)', () => {
		fakeNode('99.1.0', { headers: false });
		expect(findNodeRuntime(nodeRuntimeDir(base))).toBeNull();
	});
});

describe('what counts as installed', () => {
	test('n8n without its built SQLite driver is missing (install scripts are off)', () => {
		fakeN8n('2.8.4', '>=20.19', { sqliteBuilt: false });
		expect(findRuntime('2.8.4')).toBeNull();
	});

	test('another version in the folder is missing', () => {
		const dir = fakeN8n('2.8.4', '>=20.19');
		fs.renameSync(dir, path.join(base, 'n8n-2.9.0'));
		expect(findRuntime('2.9.0')).toBeNull();
	});

	test('a failed fill leaves neither the folder nor its temporary sibling', async () => {
		const dir = path.join(base, 'n8n-9.9.9');
		await expect(
			swapInstalledFolder(dir, async (partial) => {
				write(path.join(partial, 'half-done'));
				throw new Error('network gone');
			}),
		).rejects.toThrow('network gone');
		expect(fs.readdirSync(base)).toEqual([]);
	});

	test('a completed fill appears at once, whole', async () => {
		const dir = path.join(base, 'n8n-9.9.9');
		await swapInstalledFolder(dir, async (partial) => write(path.join(partial, 'done'), 'yes'));
		expect(fs.readFileSync(path.join(dir, 'done'), 'utf8')).toBe('yes');
		expect(fs.readdirSync(base)).toEqual(['n8n-9.9.9']);
	});
});

describe('the install lock', () => {
	test('a second process waits for the first instead of installing twice', async () => {
		const dir = path.join(base, 'n8n-1.0.0');
		const order: string[] = [];
		let releaseFirst: () => void = () => undefined;
		const first = withInstallLock(dir, () => undefined, async () => {
			order.push('first starts');
			await new Promise<void>((resolve) => (releaseFirst = resolve));
			order.push('first ends');
		});
		await until(() => order.length > 0, 'the first process taking the lock');
		const waits: string[] = [];
		const second = withInstallLock(dir, (line) => waits.push(line), async () => {
			order.push('second runs');
		});
		// Waits on what happens, not on a guessed time: the second says it waits, and does not run.
		await until(() => waits.length > 0, 'the second process saying it waits');
		expect(order).toEqual(['first starts']);
		expect(waits.join('\n')).toMatch(new RegExp(`waiting for another process \\(pid ${process.pid}\\) that is installing n8n-1\\.0\\.0`));
		releaseFirst();
		await Promise.all([first, second]);
		expect(order).toEqual(['first starts', 'first ends', 'second runs']);
		expect(fs.existsSync(`${dir}.lock`)).toBe(false);
	});

	test('a lock left by a process that died is taken over', async () => {
		const dead = spawn(process.execPath, ['-e', '0']);
		await new Promise((resolve) => dead.on('exit', resolve));
		const dir = path.join(base, 'n8n-1.0.0');
		write(path.join(`${dir}.lock`, 'pid'), String(dead.pid));
		const ran = await withInstallLock(dir, () => undefined, async () => 'installed');
		expect(ran).toBe('installed');
		expect(fs.existsSync(`${dir}.lock`)).toBe(false);
	});

	test('the lock is released when the install fails', async () => {
		const dir = path.join(base, 'n8n-1.0.0');
		await expect(withInstallLock(dir, () => undefined, async () => Promise.reject(new Error('ETARGET')))).rejects.toThrow('ETARGET');
		expect(fs.existsSync(`${dir}.lock`)).toBe(false);
	});
});

describe('release differences read from the release', () => {
	test.each([
		['N8N_WEBHOOK_URL', 'N8N_WEBHOOK_URL'],
		['WEBHOOK_URL', 'WEBHOOK_URL'],
	])('a release whose config reads %s gets %s', (configured, expected) => {
		const dir = fakeN8n('2.0.0', '>=20', { webhookVariable: configured });
		expect(webhookUrlVariable({ version: '2.0.0', dir, bin: '', node: { version: '', bin: '', headersDir: null } })).toBe(expected);
	});

	const runtimeAt = (dir: string) => ({ version: '2.0.0', dir, bin: '', node: { version: '', bin: '', headersDir: null } });
	const schemaFile = (dir: string) => path.join(dir, 'node_modules', '@n8n', 'api-types', 'dist', 'dto', 'credentials', 'test-credential-request.dto.js');

	test('a release whose credential-test schema requires an id gets one; optional or absent, none', () => {
		const needs = fakeN8n('2.41.1', '>=20');
		write(schemaFile(needs), 'credentials: zod_1.z.object({\n        id: zod_1.z.string(),\n        name: zod_1.z.string().default(\'\'),');
		expect(credentialTestNeedsId(runtimeAt(needs))).toBe(true);
		const optional = fakeN8n('2.30.0', '>=20');
		write(schemaFile(optional), 'credentials: zod_1.z.object({\n        id: zod_1.z.string().optional(),');
		expect(credentialTestNeedsId(runtimeAt(optional))).toBe(false);
		expect(credentialTestNeedsId(runtimeAt(fakeN8n('2.8.4', '>=20')))).toBe(false);
	});

	test('a wrong basic-auth login on a webhook: 401 where the release says "Authentication data is wrong!", else 403', () => {
		const utilsFile = (dir: string) => path.join(dir, 'node_modules', 'n8n-nodes-base', 'dist', 'nodes', 'Webhook', 'utils.js');
		const current = fakeN8n('2.41.1', '>=20');
		write(utilsFile(current), "throw new error_1.WebhookAuthorizationError(401, 'Authentication data is wrong!');");
		expect(webhookWrongBasicAuthStatus(runtimeAt(current))).toBe(401);
		const older = fakeN8n('2.8.4', '>=20');
		write(utilsFile(older), 'throw new error_1.WebhookAuthorizationError(403);');
		expect(webhookWrongBasicAuthStatus(runtimeAt(older))).toBe(403);
	});

	test('`n8n execute` runs on the legacy expression engine where the release defaults to isolated-vm; elsewhere n8n decides', () => {
		const configFile = (dir: string) => path.join(dir, 'node_modules', '@n8n', 'config', 'dist', 'configs', 'expression-engine.config.js');
		const vm = fakeN8n('2.41.1', '>=20');
		write(configFile(vm), "        this.engine = 'vm';\n        this.frontendEngine = 'legacy';");
		expect(cliExecuteEnv(runtimeAt(vm))).toEqual({ N8N_EXPRESSION_ENGINE: 'legacy' });
		const legacy = fakeN8n('2.30.0', '>=20');
		write(configFile(legacy), "        this.engine = 'legacy';");
		expect(cliExecuteEnv(runtimeAt(legacy))).toEqual({});
		expect(cliExecuteEnv(runtimeAt(fakeN8n('2.8.4', '>=20')))).toEqual({});
	});
});
