/**
 * The Monitor's API in real n8n (published, on its HTTP server): the manual recovery
 * webhook (auth, every bad-input class, dry run, a real recovery, two concurrent full
 * recoveries, the budget and `force`), the recovery log and its stats read back from
 * n8n's own execution history, and the status page opened in Debian's Chromium.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { chromium, type Browser } from 'playwright-core';
import { PNG } from 'pngjs';

import { webhookWrongBasicAuthStatus } from '../../scripts/lib/n8nFeatures';
import { n8nVersion } from '../../scripts/lib/paths';
import { findRuntime } from '../../scripts/lib/provision';
import { CREDENTIALS, WORKFLOW_IDS } from '../../scripts/workflows/ids';
import { MONITOR_WEBHOOKS, startMonitorStack, type MonitorStack } from '../../dev/n8n/monitorStack';
import { nodeItems, waitFor } from '../../dev/n8n/testN8n';
import { screenshotFile } from '../harness/screenshots';

const TOKEN = 'e2e-webhook-token-not-real';
const STATUS_USER = 'owner';
const STATUS_PASSWORD = 'e2e-status-password-not-real';
const CHROMIUM = '/usr/bin/chromium';

let stack: MonitorStack;
let base: string;

interface Answer {
	status: number;
	headers: Headers;
	text: string;
	json: Record<string, unknown>;
}

async function call(method: 'GET' | 'POST', route: string, options: { body?: string; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Answer> {
	const response = await fetch(`${base}/webhook/${route}`, { method, body: options.body, headers: options.headers, signal: AbortSignal.timeout(options.timeoutMs ?? 120_000) });
	const text = await response.text();
	let json: Record<string, unknown> = {};
	try {
		json = JSON.parse(text) as Record<string, unknown>;
	} catch {
		// The status page is HTML; n8n's own auth answers are plain text.
	}
	return { status: response.status, headers: response.headers, text, json };
}

const authed = { 'X-Autorecovery-Token': TOKEN, 'content-type': 'application/json' };
const recover = (body: unknown) => call('POST', 'auto-recovery', { body: typeof body === 'string' ? body : JSON.stringify(body), headers: authed });
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

async function recoverExecutions(): Promise<number> {
	return (await stack.executionsOf(WORKFLOW_IDS.recover)).length;
}

/** The failed execution an Error Handler run was about (its Error Trigger's `execution.id`). */
function errorTriggerExecutionId(execution: { data?: unknown }): string | undefined {
	const runData = (execution.data as { resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: { execution?: { id?: unknown } } }>> } }>> } } | undefined)?.resultData?.runData;
	const id = runData?.['On Workflow Error']?.[0]?.data?.main?.[0]?.[0]?.json.execution?.id;
	return id === undefined ? undefined : String(id);
}

async function nullImages(): Promise<number> {
	const { rows } = await stack.db.query<{ n: string }>("SELECT count(*) AS n FROM products WHERE image_url IS NULL OR image_url = ''");
	return Number(rows[0].n);
}

function everyAnswerText(answers: Answer[]): string {
	return answers.map((answer) => answer.text).join('\n');
}

const seen: Answer[] = [];
const keep = (answer: Answer) => {
	seen.push(answer);
	return answer;
};

/** A Healthchecks.io-style dead man's switch: counts the Monitor's pings. */
const heartbeats: string[] = [];
const heartbeatServer = http.createServer((request, response) => {
	heartbeats.push(request.url ?? '');
	response.end('OK');
});

beforeAll(async () => {
	await new Promise<void>((resolve) => heartbeatServer.listen(0, '127.0.0.1', resolve));
	const heartbeatUrl = `http://127.0.0.1:${(heartbeatServer.address() as AddressInfo).port}/ping/e2e-check`;
	stack = await startMonitorStack({
		monitorSettings: { budgetMaxActions: 1, budgetGapMinutes: 0.01, heartbeatUrl },
		extraCredentials: [
			{ ...CREDENTIALS.webhookToken, type: 'httpHeaderAuth', data: { name: 'X-Autorecovery-Token', value: TOKEN } },
			{ ...CREDENTIALS.statusPage, type: 'httpBasicAuth', data: { user: STATUS_USER, password: STATUS_PASSWORD } },
		],
		publish: MONITOR_WEBHOOKS,
		n8nApiCredential: true,
	});
	base = stack.env.n8n.url;
	// Published webhooks register just after the server says it is ready.
	const deadline = Date.now() + 60_000;
	while ((await call('GET', 'status', { timeoutMs: 30_000 })).status === 404) {
		if (Date.now() > deadline) throw new Error('the Monitor webhooks never registered');
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}, 600_000);

afterAll(async () => {
	await stack?.close();
	heartbeatServer.close();
});

describe('Monitor API: POST /webhook/auto-recovery', () => {
	test('no or wrong token → 403, and nothing runs', async () => {
		const before = await recoverExecutions();
		const none = await call('POST', 'auto-recovery', { body: '{"action":"full"}', headers: { 'content-type': 'application/json' } });
		const wrong = await call('POST', 'auto-recovery', { body: '{"action":"full"}', headers: { ...authed, 'X-Autorecovery-Token': 'wrong-token' } });
		expect(none.status).toBe(403);
		expect(wrong.status).toBe(403);
		expect(await recoverExecutions()).toBe(before);
	});

	test.each([
		['malformed JSON', '{"action": "full"', /not valid JSON/],
		['an empty body', '', /empty/],
		['an array', '["full"]', /must be a JSON object/],
		['an unknown action', { action: 'everything' }, /unknown action/],
		['an unknown component', { component: 'router' }, /unknown component/],
		['a wrong type for dryRun', { component: 'whatsapp', dryRun: 'yes' }, /"dryRun" must be true or false/],
		['a wrong type for component', { component: 7 }, /unknown component/],
		['both action and component', { action: 'full', component: 'llm' }, /either "action" or "component"/],
		['an unknown field (a typo of dryRun)', { component: 'database', dryrun: true }, /unknown field "dryrun"/],
		['neither action nor component', { dryRun: true }, /say what to recover/],
	])('%s → 400 with {error, allowed}, nothing runs', async (_what, body, message) => {
		const before = await recoverExecutions();
		const answer = keep(await recover(body));
		expect(answer.status).toBe(400);
		expect(answer.json.error).toMatch(message);
		expect(Array.isArray(answer.json.allowed)).toBe(true);
		expect((answer.json.allowed as unknown[]).length).toBeGreaterThan(0);
		expect(await recoverExecutions()).toBe(before);
	});

	test('dry run: the catalog lost images → the Recover sub-workflow reports what it would do, nothing changes', async () => {
		await stack.db.query("UPDATE products SET image_url = NULL WHERE id IN (SELECT id FROM products ORDER BY id LIMIT 40)");
		const missing = await nullImages();
		expect(missing).toBeGreaterThanOrEqual(40);
		const before = await recoverExecutions();
		const answer = keep(await recover({ component: 'database', dryRun: true }));
		expect(answer.status).toBe(200);
		expect(answer.json.dryRun).toBe(true);
		const [result] = answer.json.results as Array<Record<string, unknown>>;
		expect(result.component).toBe('database');
		expect(result.recovery).toMatchObject({ action: 'database.restore_images', dryRun: true });
		expect(await nullImages()).toBe(missing);
		expect(await recoverExecutions()).toBe(before + 1);
		// Put the images back for the other tests (the backup table has them).
		await stack.db.query('UPDATE products p SET image_url = b.image_url FROM product_images_backup b WHERE b.sku = p.sku AND p.image_url IS NULL');
	});

	test('a real recovery of one component: WhatsApp closed → restarted → 200 with the recovery result', async () => {
		stack.evolution.patchState({ restartCloseQuirk: false, instances: { ventas: { state: 'close' } } });
		const answer = keep(await recover({ component: 'whatsapp' }));
		expect(answer.status).toBe(200);
		const [result] = answer.json.results as Array<Record<string, unknown>>;
		expect(result).toMatchObject({ component: 'whatsapp', status: 'healthy' });
		expect(result.recovery).toMatchObject({ success: true });
		expect(stack.evolution.state.instances.ventas.state).toBe('open');
		expect(answer.json.summary).toMatchObject({ components: 1, recovered: 1, attempted: 1 });
	});

	test('a full recovery of healthy components runs nothing and says they are healthy', async () => {
		const before = await recoverExecutions();
		const answer = keep(await recover({ action: 'full' }));
		expect(answer.status).toBe(200);
		const results = answer.json.results as Array<Record<string, unknown>>;
		// The LLM check answers once per provider (groq, openai, anthropic).
		expect([...new Set(results.map((r) => r.component))].sort()).toEqual(['database', 'llm', 'payments', 'whatsapp']);
		expect(results.filter((r) => r.component === 'llm').map((r) => r.target).sort()).toEqual(['anthropic', 'groq', 'openai']);
		expect(results.every((r) => r.status === 'healthy' && r.recovery === undefined)).toBe(true);
		expect(await recoverExecutions()).toBe(before);
	});

	test('two simultaneous full recoveries: one runs, the other gets 409', async () => {
		// A slow restart keeps the first recovery running while the second arrives.
		stack.evolution.patchState({ restartCloseQuirk: false, instances: { ventas: { state: 'close' } } });
		stack.evolution.setFault('evolution.restart', { latencyMs: 4_000 });
		try {
			const [a, b] = await Promise.all([recover({ action: 'full' }), new Promise((r) => setTimeout(r, 300)).then(() => recover({ action: 'full' }))]);
			keep(a);
			keep(b);
			expect([a.status, b.status].sort()).toEqual([200, 409]);
			const refused = a.status === 409 ? a : b;
			expect(refused.json.error).toMatch(/already running/);
			expect(refused.json.allowed).toBeDefined();
		} finally {
			stack.evolution.clearFaults();
		}
		expect(stack.evolution.state.instances.ventas.state).toBe('open');
		// The locks were released: the next request runs.
		expect((await recover({ component: 'whatsapp' })).status).toBe(200);
	});

	test('a spent budget refuses a manual run (409, allowed: force); "force": true runs it and the log says forced', async () => {
		// The Monitor spends WhatsApp's budget (1 action) on a session that a restart cannot bring back.
		stack.evolution.patchState({ restartCloseQuirk: true, instances: { ventas: { state: 'close' } } });
		await stack.tick();
		const refused = keep(await recover({ component: 'whatsapp' }));
		expect(refused.status).toBe(409);
		expect(refused.json.error).toMatch(/budget is spent|escalated/);
		expect(JSON.stringify(refused.json.allowed)).toMatch(/force/);
		const forced = keep(await recover({ component: 'whatsapp', force: true }));
		expect(forced.status).toBe(200);
		expect(forced.json.forced).toBe(true);
		stack.evolution.patchState({ restartCloseQuirk: false, instances: { ventas: { state: 'open' } } });
		await stack.tick();
	});
});

describe('Monitor API: a manual recovery that does not fix its target', () => {
	test('answers with its result; the Recover execution is failed in n8n\'s list, labelled; the Error Handler, run by the server, sends nothing', async () => {
		// Images lost for products whose backup is gone too: restoring cannot bring them back.
		const { rows: backups } = await stack.db.query<{ sku: string; image_url: string; updated_at: Date }>('SELECT b.sku, b.image_url, b.updated_at FROM product_images_backup b JOIN products p ON p.sku = b.sku WHERE p.id % 10 = 3');
		const { rows: images } = await stack.db.query<{ id: number; image_url: string | null }>('SELECT id, image_url FROM products WHERE id % 10 = 3');
		expect(backups.length).toBeGreaterThan(0);
		await stack.db.query('DELETE FROM product_images_backup WHERE sku IN (SELECT sku FROM products WHERE id % 10 = 3)');
		await stack.db.query('UPDATE products SET image_url = NULL WHERE id % 10 = 3');
		try {
			const slackBefore = stack.slackTexts().length;
			// Forced: the test does not depend on what the catalog's budget has left.
			const answer = keep(await recover({ component: 'database', force: true }));
			expect(answer.status).toBe(200);
			const [result] = answer.json.results as Array<Record<string, unknown>>;
			expect(result).toMatchObject({ component: 'database', recovery: { success: false }, outcome: { result: 'not fixed', failed: true } });
			expect(answer.json.summary).toMatchObject({ recovered: 0, attempted: 1 });
			// n8n's executions list: that Recover execution failed, and says what and how it ended.
			const [latest] = await stack.executionsOf(WORKFLOW_IDS.recover);
			expect(String(result.recoveryExecutionId)).toBe(latest.id);
			expect(latest.status).toBe('error');
			expect(latest.customData).toMatchObject({ component: 'database', outcome: 'not fixed' });
			expect((latest.data as { resultData: { error: { message: string } } }).resultData.error.message).toMatch(/^Recovery did not fix it: database \(postgres:/);
			// The server ran the Error Handler for that failed execution, and it sent nothing: no second alert.
			const handled = await waitFor(async () => (await stack.executionsOf(WORKFLOW_IDS.errorHandler)).find((execution) => errorTriggerExecutionId(execution) === latest.id), 60_000, 'the Error Handler run for the failed Recover');
			expect(handled.status).toBe('success');
			expect(Object.keys((handled.data as { resultData: { runData: Record<string, unknown> } }).resultData.runData)).not.toContain('Send Alert');
			expect(stack.slackTexts().slice(slackBefore)).toEqual([]);
			// The recovery log reads it as a recovery that did not fix it, not as a crash.
			const log = (await call('GET', 'auto-recovery?limit=5', { headers: authed })).json.entries as Array<Record<string, unknown>>;
			expect(log.find((entry) => entry.executionId === latest.id)).toMatchObject({ component: 'database', action: 'database.restore_images', success: false, outcome: 'not fixed', manual: true, forced: true });
		} finally {
			for (const backup of backups) await stack.db.query('INSERT INTO product_images_backup (sku, image_url, updated_at) VALUES ($1, $2, $3)', [backup.sku, backup.image_url, backup.updated_at]);
			for (const image of images) await stack.db.query('UPDATE products SET image_url = $2 WHERE id = $1', [image.id, image.image_url]);
		}
	});
});

describe('Monitor API: the recovery log and its stats (GET, from n8n execution history)', () => {
	test('no token → 403 for both, nothing read', async () => {
		expect((await call('GET', 'auto-recovery')).status).toBe(403);
		expect((await call('GET', 'auto-recovery/stats?days=7')).status).toBe(403);
	});

	test('the log lists the Recover executions, newest first, with the contract fields and a link', async () => {
		const answer = keep(await call('GET', 'auto-recovery?limit=50', { headers: authed }));
		expect(answer.status).toBe(200);
		const entries = answer.json.entries as Array<Record<string, unknown>>;
		expect(entries.length).toBe(await recoverExecutions());
		for (const entry of entries) {
			for (const field of ['timestamp', 'component', 'error', 'diagnosis', 'action', 'success', 'durationMs', 'executionUrl']) expect(entry).toHaveProperty(field);
		}
		const times = entries.map((entry) => Date.parse(String(entry.timestamp)));
		expect([...times].sort((x, y) => y - x)).toEqual(times);
		expect(entries.some((entry) => entry.dryRun === true && entry.component === 'database' && entry.manual === true)).toBe(true);
		expect(entries.some((entry) => entry.forced === true && entry.component === 'whatsapp')).toBe(true);
		expect(entries.some((entry) => entry.manual === false)).toBe(true);
		expect(String(entries[0].executionUrl)).toContain(`/workflow/${WORKFLOW_IDS.recover}/executions/`);
	});

	test('stats over 7 days count exactly the recoveries in the log (dry runs apart)', async () => {
		const log = (await call('GET', 'auto-recovery?limit=200', { headers: authed })).json.entries as Array<Record<string, unknown>>;
		const answer = keep(await call('GET', 'auto-recovery/stats?days=7', { headers: authed }));
		expect(answer.status).toBe(200);
		const counted = log.filter((entry) => entry.dryRun !== true);
		expect(answer.json.total).toBe(counted.length);
		expect(answer.json.succeeded).toBe(counted.filter((entry) => entry.success === true).length);
		expect(answer.json.excludedDryRuns).toBe(log.length - counted.length);
		expect(answer.json.byComponent).toHaveProperty('whatsapp');
	});

	test('the Daily Report workflow sends yesterday\'s numbers to the alert channels', async () => {
		const before = stack.slackTexts().length;
		const run = await stack.env.execute(WORKFLOW_IDS.dailyReport);
		expect(run.data.resultData.error).toBeUndefined();
		const report = nodeItems(run, 'Build Report')[0] as { report: { day: string; total: number; timezone: string } };
		// "Yesterday" in the workflow's timezone (n8n's GENERIC_TIMEZONE).
		const yesterday = new Intl.DateTimeFormat('en-CA', { timeZone: report.report.timezone }).format(Date.now() - 24 * 3600_000);
		expect(report.report.day).toBe(yesterday);
		// Every recovery of this test ran today: yesterday was quiet.
		expect(report.report.total).toBe(0);
		const fresh = stack.slackTexts().slice(before);
		expect(fresh).toHaveLength(1);
		expect(fresh[0]).toContain(yesterday);
	});

	test.each([['days=0'], ['days=abc'], ['days=91'], ['days=1&days=2']])('stats?%s → 400 with what is allowed', async (query) => {
		const answer = keep(await call('GET', `auto-recovery/stats?${query}`, { headers: authed }));
		expect(answer.status).toBe(400);
		expect(answer.json.error).toMatch(/days must be/);
		expect(answer.json.allowed).toMatch(/1 to 90/);
	});
});

describe('Monitor API: the status page', () => {
	let browser: Browser | undefined;

	afterAll(async () => {
		await browser?.close();
	});

	test("no login → 401 asking for basic auth; a wrong one → refused as the release's Webhook node does", async () => {
		const none = await call('GET', 'status');
		expect(none.status).toBe(401);
		expect(none.headers.get('www-authenticate')).toMatch(/Basic/);
		// 2.4x answers a wrong login 401 (the browser asks again), 2.8.4 answered 403.
		const runtime = findRuntime(n8nVersion());
		if (!runtime) throw new Error(`n8n ${n8nVersion()} is not provisioned`);
		const wrong = await call('GET', 'status', { headers: basic(STATUS_USER, 'wrong') });
		expect(wrong.status).toBe(webhookWrongBasicAuthStatus(runtime));
		expect(wrong.text).not.toMatch(/whatsapp|postgres|<html/i);
	});

	test('a down component renders red on a phone-sized Chromium, with no secret on the page', async () => {
		// WhatsApp goes down for good (the restart cannot help): the tick records it, the page shows it.
		stack.evolution.patchState({ restartCloseQuirk: true, instances: { ventas: { state: 'close' } } });
		await stack.tick();
		const page = keep(await call('GET', 'status', { headers: basic(STATUS_USER, STATUS_PASSWORD) }));
		expect(page.status).toBe(200);
		expect(page.headers.get('content-type')).toMatch(/text\/html/);
		expect(page.text).not.toMatch(/<script/i);

		browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
		const context = await browser.newContext({ viewport: { width: 390, height: 844 }, httpCredentials: { username: STATUS_USER, password: STATUS_PASSWORD } });
		const tab = await context.newPage();
		const requests: string[] = [];
		tab.on('request', (request) => requests.push(request.url()));
		await tab.goto(`${base}/webhook/status`);
		const badge = tab.locator('[data-component="whatsapp"][data-status]').first();
		expect(await badge.getAttribute('data-status')).toBe('down');
		const healthy = tab.locator('[data-component="payments"][data-status]').first();
		expect(await healthy.getAttribute('data-status')).toBe('healthy');
		const shot = await tab.screenshot({ fullPage: true });
		// The page as n8n serves it (test/integration/statusPage/chromium.test.ts shoots the rendered page at phone and desktop width).
		fs.writeFileSync(screenshotFile('status-page-served-phone'), shot);
		const png = PNG.sync.read(shot);
		const colourAt = async (locator: typeof badge) => {
			const box = await locator.boundingBox();
			if (!box) throw new Error('badge not visible');
			const x = Math.round(box.x + 3);
			const y = Math.round(box.y + box.height / 2);
			const i = (png.width * y + x) * 4;
			return [png.data[i], png.data[i + 1], png.data[i + 2]];
		};
		const near = (actual: number[], hex: string) => {
			const expected = [1, 3, 5].map((o) => parseInt(hex.slice(o, o + 2), 16));
			return actual.every((value, index) => Math.abs(value - expected[index]) <= 24);
		};
		expect(near(await colourAt(badge), '#cf222e')).toBe(true);
		expect(near(await colourAt(healthy), '#1a7f37')).toBe(true);
		expect(await tab.evaluate("document.scrollingElement ? document.scrollingElement.scrollWidth : 0")).toBeLessThanOrEqual(390);
		expect(requests.every((url) => url.startsWith(`${base}/webhook/status`))).toBe(true);
		stack.evolution.patchState({ restartCloseQuirk: false, instances: { ventas: { state: 'open' } } });
	});
});

describe('Monitor API: secrets', () => {
	test('no secret value appears in any answer', () => {
		const text = everyAnswerText(seen);
		for (const secret of [...stack.secrets, TOKEN, STATUS_PASSWORD, String(stack.env.n8n.apiKey)]) expect(text).not.toContain(secret);
	});
});

describe('Monitor: the heartbeat (a watchdog for the watcher)', () => {
	test('every tick pinged the heartbeat URL exactly once; webhook calls did not', async () => {
		const before = heartbeats.length;
		await stack.tick();
		await stack.tick();
		expect(heartbeats.slice(before)).toEqual(['/ping/e2e-check', '/ping/e2e-check']);
	});
});
