/**
 * One local n8n: its environment, its CLI, its server process, and the REST calls
 * that set it up (owner account, API key) and read its execution history. Used by
 * `npm start`, the end-to-end tests and the benchmarks alike.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { cliExecuteEnv, credentialTestNeedsId, webhookUrlVariable } from './n8nFeatures';
import { PACKAGE_NAME, PROJECT_ROOT } from './paths';
import { freePort } from './ports';
import type { N8nRuntime } from './provision';

interface N8nInstanceOptions {
	runtime: N8nRuntime;
	/** n8n keeps its SQLite database and settings in `<userFolder>/.n8n`. */
	userFolder: string;
	port: number;
	/** Fixed, so imported credentials decrypt across restarts. */
	encryptionKey: string;
	/** Extra environment for the n8n process (e.g. workflow timeouts). */
	env?: Record<string, string>;
	/** Where the server's output goes; default `<userFolder>/n8n.log`. */
	logFile?: string;
}

interface CliResult {
	code: number | null;
	/** The signal that ended the process, when one did (code is then null). */
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface OwnerAccount {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

interface ExecutionSummary {
	id: string;
	mode: string;
	status: string;
	startedAt: string;
	stoppedAt: string | null;
	workflowId: string;
	finished?: boolean;
	data?: unknown;
	/** The execution's custom data (n8n's Execution Data), listed with `includeData=true`. */
	customData?: Record<string, string>;
}

class N8nCliError extends Error {
	constructor(
		readonly args: string[],
		readonly result: CliResult,
	) {
		super(`n8n ${args.join(' ')} ${result.signal ? `was killed by ${result.signal}` : `exited with ${result.code}`}:\n${(result.stderr || result.stdout).slice(-2000)}`);
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export class N8nInstance {
	private server: ChildProcess | null = null;
	private cookie: string | null = null;
	apiKey: string | null = null;

	constructor(readonly options: N8nInstanceOptions) {}

	get url(): string {
		return `http://127.0.0.1:${this.options.port}`;
	}

	get logFile(): string {
		return this.options.logFile ?? path.join(this.options.userFolder, 'n8n.log');
	}

	/**
	 * The environment of every n8n process of this instance. Each process (the server and
	 * every CLI run beside it) starts its own task-runner broker, so each gets its own port.
	 */
	env(brokerPort?: number): NodeJS.ProcessEnv {
		return {
			// n8n's task runners are started with the Node on PATH: the one that runs n8n.
			PATH: `${path.dirname(this.options.runtime.node.bin)}${path.delimiter}${process.env.PATH ?? ''}`,
			HOME: process.env.HOME,
			TMPDIR: process.env.TMPDIR,
			LANG: process.env.LANG,
			TZ: process.env.TZ,
			N8N_USER_FOLDER: this.options.userFolder,
			N8N_PORT: String(this.options.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: 'localhost',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `http://localhost:${this.options.port}`,
			[webhookUrlVariable(this.options.runtime)]: `http://localhost:${this.options.port}/`,
			N8N_ENCRYPTION_KEY: this.options.encryptionKey,
			DB_TYPE: 'sqlite',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			// This package is unverified; 2.4x warns that the default will turn to false.
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_PUBLIC_API_DISABLED: 'false',
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
			...(brokerPort ? { N8N_RUNNERS_BROKER_PORT: String(brokerPort) } : {}),
			...(this.options.env ?? {}),
		};
	}

	/**
	 * Links this package into the user folder the way an npm/UI install places it,
	 * so node types are `n8n-nodes-autorecovery.<node>`, as the shipped workflows expect.
	 */
	linkPackage(packageRoot: string = PROJECT_ROOT): void {
		const nodesDir = path.join(this.options.userFolder, '.n8n', 'nodes');
		const modules = path.join(nodesDir, 'node_modules');
		fs.mkdirSync(modules, { recursive: true });
		const manifest = path.join(nodesDir, 'package.json');
		if (!fs.existsSync(manifest)) {
			fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
		}
		const link = path.join(modules, PACKAGE_NAME);
		try {
			if (fs.readlinkSync(link) === packageRoot) return;
		} catch {
			// not a link yet
		}
		fs.rmSync(link, { recursive: true, force: true });
		fs.symlinkSync(packageRoot, link, 'dir');
	}

	/** Runs an n8n CLI command against this instance's user folder. */
	async cli(args: string[], timeoutMs = 120_000, extraEnv: Record<string, string> = {}): Promise<CliResult> {
		const brokerPort = await freePort();
		return new Promise((resolve, reject) => {
			const child = spawn(this.options.runtime.node.bin, [this.options.runtime.bin, ...args], {
				env: { ...this.env(brokerPort), ...extraEnv },
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
			child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
				reject(new Error(`n8n ${args.join(' ')} did not finish within ${timeoutMs} ms`));
			}, timeoutMs);
			child.on('error', (error) => {
				clearTimeout(timer);
				reject(error);
			});
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				resolve({ code, signal, stdout, stderr });
			});
		});
	}

	async cliOrThrow(args: string[], timeoutMs?: number, extraEnv?: Record<string, string>): Promise<CliResult> {
		const result = await this.cli(args, timeoutMs, extraEnv);
		if (result.code !== 0) throw new N8nCliError(args, result);
		return result;
	}

	/** Imports one workflow file, or every `*.json` of a folder. IDs in the JSON are kept. */
	async importWorkflows(fileOrDir: string): Promise<void> {
		const isDir = fs.statSync(fileOrDir).isDirectory();
		await this.cliOrThrow(['import:workflow', ...(isDir ? ['--separate'] : []), `--input=${fileOrDir}`]);
	}

	async importCredentials(file: string): Promise<void> {
		await this.cliOrThrow(['import:credentials', `--input=${file}`]);
	}

	async publishWorkflow(id: string): Promise<void> {
		await this.cliOrThrow(['publish:workflow', `--id=${id}`]);
	}

	/** Runs a saved workflow once (`n8n execute --id`), returning n8n's raw run output. */
	async executeWorkflow(id: string, timeoutMs = 180_000): Promise<unknown> {
		const result = await this.cliOrThrow(['execute', `--id=${id}`, '--rawOutput'], timeoutMs, cliExecuteEnv(this.options.runtime));
		return parseRawOutput(result.stdout);
	}

	/** Starts `n8n start` and waits until it is ready to serve. */
	async start(readyTimeoutMs = 120_000): Promise<void> {
		if (this.server) return;
		fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
		const log = fs.openSync(this.logFile, 'a');
		const child = spawn(this.options.runtime.node.bin, [this.options.runtime.bin, 'start'], {
			env: this.env(await freePort()),
			stdio: ['ignore', log, log],
		});
		fs.closeSync(log);
		this.server = child;
		let exited: number | null | undefined;
		child.once('exit', (code) => {
			exited = code;
			if (this.server === child) this.server = null;
		});
		const deadline = Date.now() + readyTimeoutMs;
		while (Date.now() < deadline) {
			if (exited !== undefined) {
				throw new Error(`n8n exited with ${exited} while starting; see ${this.logFile}:\n${this.tailLog()}`);
			}
			if (await this.isReady()) return;
			await sleep(250);
		}
		await this.stop();
		throw new Error(`n8n was not ready within ${readyTimeoutMs} ms; see ${this.logFile}:\n${this.tailLog()}`);
	}

	/**
	 * Readiness answers before the editor's REST routes are mounted, so "ready" here
	 * means both: the database is up and `/rest/settings` serves.
	 */
	async isReady(): Promise<boolean> {
		try {
			const readiness = await fetch(`${this.url}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) });
			if (!readiness.ok) return false;
			const settings = await fetch(`${this.url}/rest/settings`, { signal: AbortSignal.timeout(2_000) });
			return settings.ok;
		} catch {
			return false;
		}
	}

	tailLog(lines = 40): string {
		try {
			return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
		} catch {
			return '(no log)';
		}
	}

	get running(): boolean {
		return this.server !== null;
	}

	async stop(): Promise<void> {
		const child = this.server;
		if (!child) return;
		this.server = null;
		this.cookie = null;
		await new Promise<void>((resolve) => {
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			child.once('exit', () => {
				clearTimeout(timer);
				resolve();
			});
			child.kill('SIGTERM');
		});
	}

	/** Creates the owner account, or logs in when it exists already (idempotent). */
	async ensureOwner(owner: OwnerAccount): Promise<void> {
		const setup = await fetch(`${this.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(owner),
		});
		if (setup.ok) {
			this.cookie = sessionCookie(setup);
			return;
		}
		await this.login(owner.email, owner.password);
	}

	async login(email: string, password: string): Promise<void> {
		const response = await fetch(`${this.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: email, password }),
		});
		if (!response.ok) {
			throw new Error(`n8n login as ${email} failed: HTTP ${response.status} ${await response.text()}`);
		}
		this.cookie = sessionCookie(response);
	}

	/** A REST call of the editor's internal API, as the logged-in owner. */
	async rest<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
		if (!this.cookie) throw new Error('not logged in to n8n: call ensureOwner() first');
		const response = await fetch(`${this.url}/rest${route}`, {
			method,
			headers: { cookie: this.cookie, 'content-type': 'application/json', 'browser-id': 'autorecovery-cli' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n ${method} /rest${route} failed: HTTP ${response.status} ${text.slice(0, 500)}`);
		return (JSON.parse(text) as { data: T }).data;
	}

	/**
	 * Runs a credential type's test on unsaved data, as the editor's "Test" button does.
	 * Releases disagree on the id of unsaved data: 2.4x rejects a body without
	 * `credentials.id` (HTTP 400 invalid_type) and takes `''`, while 2.8.4 answers 403 to
	 * an id it cannot find. So the body follows what the installed release's schema asks.
	 */
	async testCredential(type: string, data: Record<string, unknown>): Promise<{ status: string; message: string }> {
		const credentials = { name: `test ${type}`, type, data };
		return this.rest('POST', '/credentials/test', { credentials: credentialTestNeedsId(this.options.runtime) ? { id: '', ...credentials } : credentials });
	}

	/** A JSON document the editor loads (e.g. `/types/nodes.json`), which needs the owner's session on current n8n. */
	async editorJson<T = unknown>(route: string): Promise<T> {
		if (!this.cookie) throw new Error('not logged in to n8n: call ensureOwner() first');
		const response = await fetch(`${this.url}${route}`, { headers: { cookie: this.cookie } });
		if (!response.ok) throw new Error(`n8n GET ${route} failed: HTTP ${response.status}`);
		return (await response.json()) as T;
	}

	/** Creates a public-API key with every scope (the recovery log reads executions with it). */
	async createApiKey(label: string): Promise<string> {
		const scopes = await this.rest<string[]>('GET', '/api-keys/scopes');
		const created = await this.rest<{ rawApiKey: string }>('POST', '/api-keys', { label, scopes, expiresAt: null });
		this.apiKey = created.rawApiKey;
		return created.rawApiKey;
	}

	/** A call to n8n's public API (`/api/v1`). */
	async publicApi<T = unknown>(route: string, init: RequestInit = {}): Promise<T> {
		if (!this.apiKey) throw new Error('no n8n API key: call createApiKey() first');
		const response = await fetch(`${this.url}/api/v1${route}`, {
			...init,
			headers: { 'X-N8N-API-KEY': this.apiKey, 'content-type': 'application/json', ...(init.headers ?? {}) },
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n /api/v1${route} failed: HTTP ${response.status} ${text.slice(0, 500)}`);
		return JSON.parse(text) as T;
	}

	async executions(query: { workflowId?: string; status?: string; includeData?: boolean; limit?: number } = {}): Promise<ExecutionSummary[]> {
		const params = new URLSearchParams();
		for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
		const page = await this.publicApi<{ data: ExecutionSummary[] }>(`/executions?${params.toString()}`);
		return page.data;
	}

	async execution(id: string): Promise<ExecutionSummary> {
		return this.publicApi<ExecutionSummary>(`/executions/${id}?includeData=true`);
	}
}

function sessionCookie(response: Response): string {
	const cookies = response.headers.getSetCookie();
	const auth = cookies.find((c) => c.startsWith('n8n-auth='));
	if (!auth) throw new Error('n8n did not return a session cookie');
	return auth.split(';')[0];
}

/**
 * `n8n execute --rawOutput` prints the run data as one JSON object, but log lines may
 * come before or after it: take the first balanced top-level object (strings aware).
 */
export function parseRawOutput(stdout: string): unknown {
	// The object starts a line of its own; a log line may hold braces too.
	const lineStart = /^\{/m.exec(stdout);
	const start = lineStart ? lineStart.index : stdout.indexOf('{');
	if (start === -1) throw new Error(`n8n execute printed no JSON:\n${stdout.slice(-1000)}`);
	let depth = 0;
	let inString = false;
	for (let i = start; i < stdout.length; i++) {
		const char = stdout[i];
		if (inString) {
			if (char === '\\') i++;
			else if (char === '"') inString = false;
		} else if (char === '"') {
			inString = true;
		} else if (char === '{') {
			depth++;
		} else if (char === '}' && --depth === 0) {
			return JSON.parse(stdout.slice(start, i + 1)) as unknown;
		}
	}
	throw new Error(`n8n execute printed unterminated JSON:\n${stdout.slice(-1000)}`);
}
