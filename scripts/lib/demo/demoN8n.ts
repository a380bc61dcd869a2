/**
 * The demo's n8n: a fresh user folder of its own (never `npm start`'s), this package
 * linked, the shipped workflows imported with the demo's Settings/Channels/tick, the
 * credentials of the demo's `.env`, then the server, owner account, API key, and the
 * workflows meant to run published.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { credentialsFromEnv, type N8nCredentialFile } from '../credentialsFromEnv';
import { N8nInstance, type OwnerAccount } from '../n8nInstance';
import type { N8nRuntime } from '../provision';
import { inPublishOrder, listShippedWorkflows } from '../shippedWorkflows';
import { MONITOR_LOOP, WORKFLOW_IDS } from '../../workflows/ids';
import { asWorkflow, patchForDemo, type DemoPatch } from './demoWorkflows';

/** A local demo bound to 127.0.0.1; the login is printed for the user on purpose. */
export const DEMO_OWNER: OwnerAccount = {
	email: 'demo@autorecovery.local',
	password: 'Demo-Autorecovery-1',
	firstName: 'Demo',
	lastName: 'Owner',
};

interface DemoN8nOptions {
	runtime: N8nRuntime;
	/** The demo folder; n8n's user folder is `<dir>/n8n` and is recreated on every start. */
	dir: string;
	port: number;
	workflowsDir: string;
	patch: DemoPatch;
	/** The demo's `.env`, given n8n's own API once its key exists (see demoCredentialEnv). */
	credentialEnv: (n8nApi?: { url: string; apiKey: string }) => Record<string, string>;
	log: (line: string) => void;
}

interface DemoN8n {
	n8n: N8nInstance;
	apiKey: string;
	userFolder: string;
	/** Ids published (their triggers run). */
	published: string[];
}

export function demoUserFolder(dir: string): string {
	return path.join(dir, 'n8n');
}

function writePatchedWorkflows(workflowsDir: string, target: string, patch: DemoPatch): Array<{ id: string; name: string; publish: boolean }> {
	const shipped = listShippedWorkflows(workflowsDir);
	const parsed = shipped.map((entry) => asWorkflow(JSON.parse(fs.readFileSync(entry.file, 'utf8')) as unknown, entry.file));
	const patched = patchForDemo(parsed, patch);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	patched.forEach((workflow, index) => {
		fs.writeFileSync(path.join(target, path.basename(shipped[index].file)), `${JSON.stringify(workflow, null, '\t')}\n`);
	});
	return shipped.map(({ id, name, publish }) => ({ id, name, publish }));
}

async function importCredentials(n8n: N8nInstance, userFolder: string, credentials: N8nCredentialFile[]): Promise<void> {
	const file = path.join(userFolder, 'demo-credentials.json');
	try {
		fs.writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
		await n8n.importCredentials(file);
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/** Imports, starts and publishes; on failure the server (if started) is stopped again. */
export async function startDemoN8n(options: DemoN8nOptions): Promise<DemoN8n> {
	const userFolder = demoUserFolder(options.dir);
	// Fresh every run: the demo's Postgres and emulators are new, so old incidents and executions would mislead.
	fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });
	const n8n = new N8nInstance({
		runtime: options.runtime,
		userFolder,
		port: options.port,
		encryptionKey: crypto.randomBytes(24).toString('base64url'),
	});
	n8n.linkPackage();

	const workflows = writePatchedWorkflows(options.workflowsDir, path.join(options.dir, 'workflows'), options.patch);
	options.log(`importing ${workflows.length} workflows (Monitor every ${options.patch.tickSeconds} s)`);
	await n8n.importWorkflows(path.join(options.dir, 'workflows'));
	const credentials = credentialsFromEnv(options.credentialEnv());
	options.log(`importing credentials: ${credentials.map((c) => c.name).join(', ')}`);
	await importCredentials(n8n, userFolder, credentials);

	options.log(`starting n8n on port ${options.port} (log: ${n8n.logFile})`);
	await n8n.start();
	try {
		await n8n.ensureOwner(DEMO_OWNER);
		const apiKey = await n8n.createApiKey('autorecovery demo');
		// The recovery log reads n8n's history through its API: that credential can exist only now.
		const imported = new Set(credentials.map((c) => c.id));
		const late = credentialsFromEnv(options.credentialEnv({ url: n8n.url, apiKey })).filter((c) => !imported.has(c.id));
		if (late.length > 0) await importCredentials(n8n, userFolder, late);
		const published: string[] = [];
		// Sub-workflows first: n8n refuses to publish a workflow that calls an unpublished one.
		// The example bot too: in the demo it is the bot the canary talks to.
		const toPublish = inPublishOrder(workflows.filter((w) => w.publish || w.id === WORKFLOW_IDS.demoSalesBot));
		for (const workflow of toPublish) {
			try {
				await n8n.publicApi(`/workflows/${workflow.id}/activate`, { method: 'POST', body: '{}' });
				published.push(workflow.id);
			} catch (error) {
				// Without the Monitor and what starts it nothing happens: those are fatal, the others are reported.
				if ((MONITOR_LOOP as readonly string[]).includes(workflow.id)) throw error;
				options.log(`warning: could not publish "${workflow.name}": ${error instanceof Error ? error.message : String(error)}`);
			}
		}
		return { n8n, apiKey, userFolder, published };
	} catch (error) {
		await n8n.stop();
		throw error;
	}
}
