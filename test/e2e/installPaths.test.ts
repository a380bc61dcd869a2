/**
 * The packed package, installed the ways a user installs it, into a fresh n8n user folder:
 * n8n's UI installer, and the README's `npm install --omit=peer`, with the machine's Node
 * and with the Node that runs current n8n. n8n must then list every node and credential.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { N8nInstance } from '../../scripts/lib/n8nInstance';
import { systemNode } from '../../scripts/lib/nodeRuntime';
import { n8nVersion, PACKAGE_NAME } from '../../scripts/lib/paths';
import { freePort } from '../../scripts/lib/ports';
import { findRuntime, type N8nRuntime } from '../../scripts/lib/provision';
import { declaredTypes, installLikeN8nUi, installLikeReadme, packPackage } from './helpers/packageInstall';

const OWNER = { email: 'install@autorecovery.local', password: 'Install-Test-Passw0rd', firstName: 'Install', lastName: 'Test' };

let scratch: string;
let tarball: string;
let runtime: N8nRuntime;

beforeAll(() => {
	const found = findRuntime(n8nVersion());
	if (!found) throw new Error('n8n is not provisioned: the e2e globalSetup should have done it');
	runtime = found;
	scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'autorecovery-install-'));
	tarball = packPackage(scratch);
});

afterAll(() => {
	fs.rmSync(scratch, { recursive: true, force: true });
});

async function typesListedByN8n(userFolder: string): Promise<{ nodes: string[]; credentials: string[] }> {
	const n8n = new N8nInstance({ runtime, userFolder, port: await freePort(), encryptionKey: crypto.randomBytes(16).toString('hex') });
	try {
		await n8n.start();
		await n8n.ensureOwner(OWNER);
		const nodes = await n8n.editorJson<Array<{ name: string }>>('/types/nodes.json');
		const credentials = await n8n.editorJson<Array<{ name: string }>>('/types/credentials.json');
		return { nodes: nodes.map((n) => n.name), credentials: credentials.map((c) => c.name) };
	} finally {
		await n8n.stop();
	}
}

function expectEverythingListed(listed: { nodes: string[]; credentials: string[] }): void {
	const declared = declaredTypes();
	expect(declared.nodes.length).toBeGreaterThanOrEqual(11);
	expect(listed.nodes).toEqual(expect.arrayContaining(declared.nodes));
	expect(listed.credentials).toEqual(expect.arrayContaining(declared.credentials));
}

function freshUserFolder(name: string): string {
	const dir = path.join(scratch, name);
	fs.mkdirSync(dir);
	return dir;
}

test("n8n's UI installer way: every node and credential loads", async () => {
	const userFolder = freshUserFolder('ui');
	const installed = installLikeN8nUi(tarball, userFolder, runtime.node);
	expect(fs.existsSync(path.join(installed, 'node_modules', 'pg'))).toBe(true);
	expectEverythingListed(await typesListedByN8n(userFolder));
});

function expectNoPeerInstalled(userFolder: string, installed: string): void {
	const nodeModules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	expect(fs.existsSync(path.join(installed, 'dist', 'nodes'))).toBe(true);
	// The peer would bring n8n-workflow@latest and its native dependencies, which need n8n's own Node.
	expect(fs.existsSync(path.join(nodeModules, 'n8n-workflow'))).toBe(false);
	expect(fs.existsSync(path.join(nodeModules, PACKAGE_NAME, 'node_modules', 'n8n-workflow'))).toBe(false);
}

test("the README's npm command with the machine's Node installs no peer n8n-workflow, and n8n loads every node", async () => {
	const userFolder = freshUserFolder('readme-system-node');
	expectNoPeerInstalled(userFolder, installLikeReadme(tarball, userFolder, systemNode()));
	expectEverythingListed(await typesListedByN8n(userFolder));
});

test("the README's npm command also works with the Node that runs current n8n", () => {
	// Same files as above once installed; what differs is npm under the newer Node.
	const userFolder = freshUserFolder('readme-n8n-node');
	expectNoPeerInstalled(userFolder, installLikeReadme(tarball, userFolder, runtime.node));
});
