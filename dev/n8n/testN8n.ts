/**
 * For the end-to-end tests and the benchmarks: a real n8n (the provisioned CLI/server)
 * in a throw-away user folder with this package linked, plus ways to import workflows
 * and credentials from objects, run them, and read run data and the execution history back.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { N8nInstance } from '../../scripts/lib/n8nInstance';
import { n8nVersion } from '../../scripts/lib/paths';
import { freePort } from '../../scripts/lib/ports';
import { findRuntime } from '../../scripts/lib/provision';

export interface TestN8n {
	n8n: N8nInstance;
	userFolder: string;
	/** Writes a workflow object to a file and imports it. */
	importWorkflow(workflow: WorkflowJson): Promise<void>;
	/** Imports several workflows in one CLI run (each `n8n` command costs seconds of start-up). */
	importWorkflows(workflows: WorkflowJson[]): Promise<void>;
	/** Publishes workflows (sub-workflows are called in their published version), one after another. */
	publishWorkflows(ids: string[]): Promise<void>;
	importCredentials(credentials: CredentialJson[]): Promise<void>;
	/** Runs a workflow through `n8n execute --id` and returns its run data. */
	execute(id: string): Promise<RunOutput>;
	/** Starts the server, creates the owner and an API key (for the public API). */
	startServer(): Promise<void>;
	/** Everything n8n stored: the SQLite database and its WAL, as text, for secret-leak searches. */
	storedText(): string;
	cleanup(): Promise<void>;
}

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface CredentialJson {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface NodeRun {
	executionStatus?: string;
	/** When the node started (epoch ms) and how long it ran (ms). */
	startTime?: number;
	executionTime?: number;
	error?: { message?: string };
	data?: { main?: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown; binary?: Record<string, unknown> }>> };
}

export interface RunOutput {
	status?: string;
	mode?: string;
	data: { resultData: { runData: Record<string, NodeRun[]>; error?: { message?: string }; lastNodeExecuted?: string } };
}

/** The JSON items a node output on its first run, first output. */
export function nodeItems(run: RunOutput, nodeName: string, output = 0): Array<Record<string, unknown>> {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs || runs.length === 0) {
		throw new Error(`node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
	}
	return (runs[0].data?.main?.[output] ?? []).map((item) => item.json);
}

/**
 * n8n 2.x confines node file access to ~/.n8n-files unless told otherwise; the tests keep
 * their files in the temporary folder, so nodes may use that (a test can set its own rules).
 */
const TEST_FILE_ACCESS = { N8N_RESTRICT_FILE_ACCESS_TO: os.tmpdir() };

export async function createTestN8n(options: { env?: Record<string, string> } = {}): Promise<TestN8n> {
	const runtime = findRuntime(n8nVersion());
	if (!runtime) throw new Error('n8n is not provisioned: the e2e globalSetup should have done it');
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'autorecovery-n8n-'));
	const n8n = new N8nInstance({
		runtime,
		userFolder,
		port: await freePort(),
		encryptionKey: crypto.randomBytes(16).toString('hex'),
		env: { ...TEST_FILE_ACCESS, ...options.env },
	});
	n8n.linkPackage();
	const scratch = path.join(userFolder, 'scratch');
	fs.mkdirSync(scratch);
	let counter = 0;
	const writeJson = (value: unknown) => {
		const file = path.join(scratch, `${++counter}.json`);
		fs.writeFileSync(file, JSON.stringify(value, null, 2));
		return file;
	};

	const asImported = (workflow: WorkflowJson) => ({ active: false, settings: { executionOrder: 'v1' }, ...workflow });

	return {
		n8n,
		userFolder,
		async importWorkflow(workflow) {
			await n8n.importWorkflows(writeJson(asImported(workflow)));
		},
		async importWorkflows(workflows) {
			const folder = path.join(scratch, `batch-${++counter}`);
			fs.mkdirSync(folder);
			workflows.forEach((workflow, index) => fs.writeFileSync(path.join(folder, `${index}.json`), JSON.stringify(asImported(workflow), null, 2)));
			await n8n.importWorkflows(folder);
		},
		async publishWorkflows(ids) {
			// One at a time: each CLI run writes n8n's SQLite database, which takes one writer.
			for (const id of ids) await n8n.publishWorkflow(id);
		},
		async importCredentials(credentials) {
			const file = writeJson(credentials);
			try {
				await n8n.importCredentials(file);
			} finally {
				fs.rmSync(file, { force: true });
			}
		},
		async execute(id) {
			return (await n8n.executeWorkflow(id)) as RunOutput;
		},
		async startServer() {
			await n8n.start();
			await n8n.ensureOwner({ email: 'e2e@autorecovery.local', password: 'E2eTest-Passw0rd', firstName: 'E2E', lastName: 'Test' });
			await n8n.createApiKey('e2e');
		},
		storedText() {
			const dir = path.join(userFolder, '.n8n');
			return fs
				.readdirSync(dir)
				.filter((f) => f.startsWith('database.sqlite'))
				.map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1'))
				.join('\n');
		},
		async cleanup() {
			await n8n.stop();
			fs.rmSync(userFolder, { recursive: true, force: true });
		},
	};
}

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, what = 'condition'): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}
