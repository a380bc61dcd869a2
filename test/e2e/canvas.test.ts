/**
 * The shipped workflows as a person sees them in n8n's editor, in Debian's Chromium at
 * 1600×1000: each canvas at "fit" and the panel of one node of each of this package's types are
 * screenshotted into .screenshots/ (to look at), and what can be asserted from the page
 * is: every node and lane note is drawn, no two nodes overlap (boxes and labels), no
 * node's name is cut short, no node is unknown to n8n, and each panel opens on its
 * parameters with the node's own name.
 */
import fs from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

import { createTestN8n, type TestN8n } from '../../dev/n8n/testN8n';
import { PROJECT_ROOT } from '../../scripts/lib/paths';
import type { WorkflowJson } from '../../scripts/workflows/builder';
import { placeholderCredentials } from './helpers/placeholderCredentials';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(PROJECT_ROOT, '.screenshots');
const OWNER = { email: 'e2e@autorecovery.local', password: 'E2eTest-Passw0rd' };
const STICKY = 'n8n-nodes-base.stickyNote';
const shipped: Array<[string, WorkflowJson]> = fs
	.readdirSync(path.join(PROJECT_ROOT, 'workflows'))
	.filter((file) => file.endsWith('.json'))
	.map((file) => [file, JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'workflows', file), 'utf8')) as WorkflowJson]);

/** The first node of each of this package's node types, by the workflow file that holds it: whose panels to look at. */
const panelsByFile = new Map<string, string[]>();
const seenTypes = new Set<string>();
for (const [file, workflow] of shipped) {
	for (const node of workflow.nodes) {
		if (!node.type.startsWith('n8n-nodes-autorecovery.') || seenTypes.has(node.type)) continue;
		seenTypes.add(node.type);
		panelsByFile.set(file, [...(panelsByFile.get(file) ?? []), node.name]);
	}
}
const PACKAGE_NODES = fs.readdirSync(path.join(PROJECT_ROOT, 'nodes')).filter((dir) => fs.existsSync(path.join(PROJECT_ROOT, 'nodes', dir, `${dir}.node.ts`)));

interface DrawnNode {
	name: string;
	box: { x: number; y: number; width: number; height: number };
	/** The label's text is taller than what is shown (n8n clamps it to two lines). */
	clamped: boolean;
}

/** Each drawn node: its box joined with its label's, as laid out on the page. */
async function drawnNodes(page: Page): Promise<DrawnNode[]> {
	return page.locator('[data-test-id="canvas-node"]').evaluateAll((elements) =>
		elements.map((element) => {
			const rects = [element.getBoundingClientRect()];
			const label = element.querySelector('[class*="_label_"]');
			const description = element.querySelector('[class*="_description_"]');
			if (description) rects.push(description.getBoundingClientRect());
			const x = Math.min(...rects.map((r) => r.left));
			const y = Math.min(...rects.map((r) => r.top));
			return {
				name: element.getAttribute('data-node-name') ?? '?',
				box: { x, y, width: Math.max(...rects.map((r) => r.right)) - x, height: Math.max(...rects.map((r) => r.bottom)) - y },
				clamped: label ? label.scrollHeight > label.clientHeight + 1 : false,
			};
		}),
	);
}

const overlap = (a: DrawnNode['box'], b: DrawnNode['box']) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function openWorkflow(page: Page, url: string, workflow: WorkflowJson): Promise<void> {
	await page.goto(`${url}/workflow/${workflow.id}`);
	const expected = workflow.nodes.filter((node) => node.type !== STICKY).length;
	await page.waitForFunction(`document.querySelectorAll('[data-test-id="canvas-node"]').length === ${expected}`, undefined, { timeout: 60_000 });
	// "1" is the editor's zoom to fit; then let the canvas settle.
	await page.locator('.vue-flow').click({ position: { x: 5, y: 300 } });
	await page.keyboard.press('1');
	await page.waitForTimeout(800);
}

describe('the shipped workflows in n8n\'s editor (Chromium)', () => {
	let env: TestN8n;
	let browser: Browser;
	let page: Page;
	const pageErrors: string[] = [];

	beforeAll(async () => {
		fs.mkdirSync(SHOTS, { recursive: true });
		env = await createTestN8n();
		await env.importCredentials(placeholderCredentials());
		for (const [, workflow] of shipped) await env.importWorkflow(workflow as unknown as Parameters<TestN8n['importWorkflow']>[0]);
		await env.startServer();
		browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 30_000 });
		page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
		page.setDefaultTimeout(30_000);
		page.on('pageerror', (error) => pageErrors.push(error.message));
		await page.goto(`${env.n8n.url}/signin`);
		await page.locator('input[type=email], input[name=emailOrLdapLoginId]').first().fill(OWNER.email);
		await page.locator('input[type=password]').first().fill(OWNER.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
	}, 600_000);

	afterAll(async () => {
		await browser?.close();
		await env?.cleanup();
	});

	test('the shipped workflows use every node of the package, so each has a panel to look at', () => {
		expect(seenTypes.size).toBe(PACKAGE_NODES.length);
	});

	test.each(shipped)('%s: every node drawn, none overlapping another, no name cut short, every lane note shown; its panels open', async (file, workflow) => {
		await openWorkflow(page, env.n8n.url, workflow);
		await page.screenshot({ path: path.join(SHOTS, `canvas-${file.replace(/\.json$/, '')}.png`) });
		const nodes = await drawnNodes(page);
		expect(nodes.map((node) => node.name).sort()).toEqual(workflow.nodes.filter((node) => node.type !== STICKY).map((node) => node.name).sort());
		const clashes = nodes.flatMap((a, i) => nodes.slice(i + 1).filter((b) => overlap(a.box, b.box)).map((b) => `${a.name} × ${b.name}`));
		expect(clashes).toEqual([]);
		expect(nodes.filter((node) => node.clamped).map((node) => node.name)).toEqual([]);
		const notes = await page.locator('[data-test-id="sticky"]').count();
		expect(notes).toBe(workflow.nodes.filter((node) => node.type === STICKY).length);
		// A node whose type n8n does not know is drawn with a question mark and "install" text.
		expect(await page.getByText(/install this node|node is not currently installed/i).count()).toBe(0);
		// The Monitor's main button runs a tick (its webhooks and schedule are Autorecovery: Triggers', which would outrank Run Now).
		if (file === 'monitor.json') expect(await page.locator('[data-test-id="execute-workflow-button"]').first().innerText()).toMatch(/Execute workflow.*Run Now/s);

		for (const name of panelsByFile.get(file) ?? []) {
			await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
			const panel = page.locator('[data-test-id="node-parameters"]');
			await panel.waitFor({ state: 'visible' });
			await page.waitForTimeout(500);
			await page.screenshot({ path: path.join(SHOTS, `panel-${file.replace(/\.json$/, '')}-${name.replace(/\W+/g, '-')}.png`) });
			expect(await page.locator('[data-test-id="node-title-container"]').first().innerText()).toContain(name);
			expect(await panel.locator('[data-test-id="parameter-item"], [data-test-id="parameter-input"]').count()).toBeGreaterThan(0);
			await page.keyboard.press('Escape');
			await panel.waitFor({ state: 'hidden' });
		}
	}, 240_000);

	test('the editor raised no script error', () => {
		expect(pageErrors).toEqual([]);
	});
});
