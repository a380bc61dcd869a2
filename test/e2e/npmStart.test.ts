/**
 * `npm start` as a user runs it: provisions (already done by globalSetup), builds,
 * links the package, imports and publishes workflows and .env credentials, starts n8n
 * with an owner and an API key, and is safe to run again. Also its clear failures.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { PROJECT_ROOT } from '../../scripts/lib/paths';
import { freePort, isPortFree } from '../../scripts/lib/ports';
import { waitFor } from '../../dev/n8n/testN8n';

const FIXTURE_WORKFLOWS = path.join(PROJECT_ROOT, 'test', 'fixtures', 'start-workflows');

interface StartRun {
	child: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
}

function npmStart(env: Record<string, string>): StartRun {
	const child = spawn('npm', ['start', '--silent'], {
		cwd: PROJECT_ROOT,
		env: { ...process.env, ...env },
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
	const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
	return { child, output: () => output, exited };
}

/** Ctrl+C as a terminal sends it (to the whole process group); resolves once n8n has let go of its port. */
async function stopGroup(run: StartRun, port: number): Promise<boolean> {
	if (run.child.pid) {
		try {
			process.kill(-run.child.pid, 'SIGINT');
		} catch {
			// already gone
		}
	}
	const exited = await Promise.race([run.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
	if (!exited && run.child.pid) {
		process.kill(-run.child.pid, 'SIGKILL');
		throw new Error(`npm start ignored Ctrl+C for 30 s:\n${run.output().slice(-3000)}`);
	}
	return waitFor(async () => ((await isPortFree(port)) ? true : undefined), 20_000, `port ${port} to be released`);
}

describe('npm start', () => {
	let dir: string;
	let envFile: string;
	let userFolder: string;
	let port: number;

	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autorecovery-start-'));
		envFile = path.join(dir, '.env');
		userFolder = path.join(dir, 'n8n');
		port = await freePort();
	});
	afterAll(() => {
		fs.rmSync(dir, { recursive: true, force: true });
	});

	const baseEnv = () => ({
		AUTORECOVERY_ENV_FILE: envFile,
		AUTORECOVERY_N8N_USER_FOLDER: userFolder,
		AUTORECOVERY_WORKFLOWS_DIR: FIXTURE_WORKFLOWS,
		N8N_PORT: String(port),
	});

	test('a malformed .env is a clear message naming the line, not a stack trace', async () => {
		fs.writeFileSync(envFile, 'N8N_OWNER_EMAIL=a@b.c\nthis line is wrong\n');
		const run = npmStart(baseEnv());
		expect(await run.exited).toBe(1);
		expect(run.output()).toMatch(/cannot start: .*\.env line 2: expected KEY=value/);
		expect(run.output()).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
	});

	test('an invalid setting is named', async () => {
		fs.writeFileSync(envFile, 'AUTORECOVERY_SMTP_HOST=mail.local\nAUTORECOVERY_SMTP_PORT=smtp\n');
		const run = npmStart(baseEnv());
		expect(await run.exited).toBe(1);
		expect(run.output()).toMatch(/AUTORECOVERY_SMTP_PORT must be a port number, got "smtp"/);
	});

	test('a taken port is a clear message', async () => {
		fs.writeFileSync(envFile, '');
		const blocker = net.createServer();
		await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
		try {
			const run = npmStart(baseEnv());
			expect(await run.exited).toBe(1);
			expect(run.output()).toMatch(new RegExp(`port ${port} is already in use`));
		} finally {
			await new Promise((r) => blocker.close(r));
		}
	});

	test('a too old Node is refused with a clear message', () => {
		const preload = path.join(dir, 'old-node.js');
		fs.writeFileSync(preload, "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '18.19.0' } });\n");
		const result = spawnSync(process.execPath, ['--require', preload, path.join(PROJECT_ROOT, 'scripts', 'check-node.js')], { encoding: 'utf8' });
		expect(result.status).toBe(1);
		expect(result.stderr).toMatch(/needs Node\.js 20\.19 or newer .* this is Node 18\.19\.0/);
	});

	test('starts n8n with the package, workflows, credentials, owner and API key; a second run duplicates nothing', async () => {
		fs.writeFileSync(
			envFile,
			[
				'N8N_OWNER_EMAIL=owner@shop.local',
				'N8N_OWNER_PASSWORD=Start-Test-Passw0rd',
				'AUTORECOVERY_SMTP_HOST=127.0.0.1',
				'AUTORECOVERY_SMTP_PORT=2525',
				'AUTORECOVERY_SMTP_PASSWORD="smtp start secret"',
			].join('\n'),
		);
		const first = npmStart(baseEnv());
		try {
			await waitFor(() => (first.output().includes('n8n is ready') ? true : undefined), 150_000, `npm start to be ready:\n${first.output()}`);
			expect(first.output()).toContain(`http://localhost:${port}`);
			expect(first.output()).toContain('importing workflow "Start fixture: host check"');
			expect(first.output()).toContain('importing credentials from .env: Autorecovery alerts SMTP');
			expect(first.output()).not.toContain('smtp start secret');

			// The editor's node list needs a session: log in as the owner `npm start` created.
			const login = await fetch(`http://127.0.0.1:${port}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ emailOrLdapLoginId: 'owner@shop.local', password: 'Start-Test-Passw0rd' }),
			});
			expect(login.status).toBe(200);
			const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
			const types = (await (await fetch(`http://127.0.0.1:${port}/types/nodes.json`, { headers: { cookie } })).json()) as Array<{ name: string }>;
			expect(types.map((t) => t.name)).toContain('n8n-nodes-autorecovery.hostResources');

			const apiKey = fs.readFileSync(path.join(userFolder, 'api-key'), 'utf8').trim();
			const workflows = (await (await fetch(`http://127.0.0.1:${port}/api/v1/workflows`, { headers: { 'X-N8N-API-KEY': apiKey } })).json()) as {
				data: Array<{ id: string; active: boolean }>;
			};
			expect(workflows.data).toEqual([expect.objectContaining({ id: 'startHostCheck01', active: true })]);
			const credentials = (await (await fetch(`http://127.0.0.1:${port}/api/v1/credentials`, { headers: { 'X-N8N-API-KEY': apiKey } })).json()) as {
				data: Array<{ id: string; type: string }>;
			};
			// .env's SMTP credential, and the n8n API credential the recovery log reads through (made from the key npm start created).
			expect([...credentials.data].sort((a, b) => a.id.localeCompare(b.id))).toEqual([
				expect.objectContaining({ id: 'autorecoveryN8nApi01', type: 'n8nApi' }),
				expect.objectContaining({ id: 'autorecoverySmtp01', type: 'smtp' }),
			]);
			expect(first.output()).toContain('importing credentials from .env: Autorecovery n8n API');
			expect(first.output()).not.toContain(apiKey);
		} finally {
			expect(await stopGroup(first, port)).toBe(true);
			expect(first.output()).not.toContain('stopped unexpectedly');
		}

		const second = npmStart(baseEnv());
		try {
			await waitFor(() => (second.output().includes('n8n is ready') ? true : undefined), 150_000, `second npm start:\n${second.output()}`);
			expect(second.output()).not.toContain('importing');
			const apiKey = fs.readFileSync(path.join(userFolder, 'api-key'), 'utf8').trim();
			const workflows = (await (await fetch(`http://127.0.0.1:${port}/api/v1/workflows`, { headers: { 'X-N8N-API-KEY': apiKey } })).json()) as {
				data: unknown[];
			};
			expect(workflows.data).toHaveLength(1);
		} finally {
			expect(await stopGroup(second, port)).toBe(true);
		}
		const stored = fs.readFileSync(path.join(userFolder, '.n8n', 'database.sqlite')).toString('latin1');
		expect(stored).not.toContain('smtp start secret');
	});
});
