/**
 * Issue 20 in real n8n: the shipped Monitor published on its HTTP server, the Evolution and
 * WAHA emulators POSTing their real webhooks to it. A drop (`connecting` that never opens)
 * opens an incident and starts a recovery within seconds of the event (the time is measured
 * and printed); a `close` is one escalation; a WAHA FAILED with a valid HMAC starts a
 * recovery, without one it is 401; replays do nothing; an event and a tick at the same time
 * give one incident. The tracker's state is read from the state store n8n writes (files in
 * its folder, n8n on SQLite).
 */
import { createHmac } from 'node:crypto';
import path from 'node:path';

import { createWahaEmulator, wahaDefaults, type WahaState } from '../../dev/emulators/whatsapp/waha';
import type { Emulator } from '../../dev/emulators/core/emulator';
import type { WebhookDelivery } from '../../dev/emulators/whatsapp/webhooks/sender';
import { MONITOR_WEBHOOKS, startMonitorStack, type MonitorStack } from '../../dev/n8n/monitorStack';
import type { TrackerState } from '../../nodes/shared/incident/types';
import { createFileStore } from '../../nodes/shared/stateStore/fileStore';
import { STATE_FOLDER_NAME } from '../../nodes/shared/stateStore/selectStore';
import { CREDENTIALS, WORKFLOW_IDS } from '../../scripts/workflows/ids';
import { EVENT_PATH } from '../../scripts/workflows/monitorEvents';

const EVOLUTION_TOKEN = 'e2e-evolution-events-token-not-real';
const WAHA_HMAC_KEY = 'e2e-waha-hmac-key-not-real';
/** Issue 20's target; on this shared 2-core machine the assertion keeps a margin, the figure is printed. */
const TARGET_MS = 10_000;
const ASSERT_MS = 30_000;

let stack: MonitorStack;
let base: string;
let waha: Emulator<WahaState>;
const timings: string[] = [];

interface Answer {
	status: number;
	json: Record<string, unknown>;
}

async function post(source: string, body: string, headers: Record<string, string>): Promise<Answer> {
	const response = await fetch(`${base}/webhook/${EVENT_PATH}/${source}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, signal: AbortSignal.timeout(60_000) });
	const text = await response.text();
	let json: Record<string, unknown> = {};
	try {
		json = JSON.parse(text) as Record<string, unknown>;
	} catch {
		// n8n's own answers may be plain text.
	}
	return { status: response.status, json };
}

const evolutionEvent = (state: string, statusReason: number) => JSON.stringify({ event: 'connection.update', instance: 'ventas', data: { instance: 'ventas', state, statusReason }, date_time: new Date().toISOString(), apikey: null });

async function trackerState(): Promise<TrackerState | undefined> {
	const store = createFileStore({ folder: path.join(stack.env.userFolder, '.n8n', STATE_FOLDER_NAME), waitMs: 30_000 });
	try {
		return await store.read<TrackerState>(`${WORKFLOW_IDS.monitor}.incidentTracker`);
	} finally {
		await store.close();
	}
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 90_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

async function recoverRuns(): Promise<Array<{ id: string; startedAt: string }>> {
	return await stack.executionsOf(WORKFLOW_IDS.recover);
}

/** A new Recover execution after `before` were known; resolves with the time it started. */
async function nextRecoverStart(before: number): Promise<number> {
	const runs = await until('a Recover execution', async () => {
		const all = await recoverRuns();
		return all.length > before ? all : undefined;
	});
	return Math.min(...runs.slice(0, runs.length - before).map((run) => Date.parse(run.startedAt)));
}

async function healthyAgain(): Promise<void> {
	stack.evolution.patchState({ restartHeals: true, restartCloseQuirk: false, instances: { ventas: { state: 'open' } } });
	await stack.tick();
	await until('no open incident', async () => (Object.keys((await trackerState())?.incidents ?? {}).length === 0 ? true : undefined), 60_000);
}

/** Waits until `count` has not changed for 2 s (in-flight webhook deliveries land). */
async function settled(what: string, count: () => number, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = count();
	let since = Date.now();
	while (Date.now() - since < 2_000) {
		if (Date.now() > deadline) throw new Error(`${what} did not settle`);
		await new Promise((resolve) => setTimeout(resolve, 200));
		if (count() !== last) [last, since] = [count(), Date.now()];
	}
}

/** Session (re)starts WAHA was asked for: the test's own, then Recover's. */
function sessionRestarts(): number {
	return waha.requests().filter((request) => request.method === 'POST' && /^\/api\/sessions\/default\/(restart|start)$/.test(request.path)).length;
}

function deliveriesTo(source: string, event: string, after: number): WebhookDelivery[] {
	const all = source === 'waha' ? waha.state.webhookDeliveries : stack.evolution.state.webhookDeliveries;
	return all.slice(after).filter((delivery) => delivery.event === event && delivery.url.includes(`/${EVENT_PATH}/${source}`));
}

beforeAll(async () => {
	// WAHA first, so its credential goes in with the others before n8n starts; its webhook to us once n8n's URL is known.
	waha = await createWahaEmulator().start();
	stack = await startMonitorStack({
		monitorSettings: { budgetMaxActions: 3, budgetGapMinutes: 0.01 },
		extraCredentials: [
			{ ...CREDENTIALS.gatewayEvents, type: 'autorecoveryGatewayEventsApi', data: { evolutionToken: EVOLUTION_TOKEN, wahaHmacKey: WAHA_HMAC_KEY, metaAppSecret: '', metaVerifyToken: '' } },
			{ ...CREDENTIALS.webhookToken, type: 'httpHeaderAuth', data: { name: 'X-Autorecovery-Token', value: 'e2e-api-token-not-real' } },
			{ ...CREDENTIALS.statusPage, type: 'httpBasicAuth', data: { user: 'owner', password: 'e2e-status-not-real' } },
			{ ...CREDENTIALS.waha, type: 'autorecoveryWahaApi', data: { baseUrl: waha.url, apiKey: wahaDefaults.apiKey, session: 'default' } },
		],
		publish: MONITOR_WEBHOOKS,
		n8nApiCredential: true,
	});
	base = stack.env.n8n.url;
	// Published webhooks register just after the server says it is ready: an unauthenticated POST then answers 401, not 404.
	await until('the event webhooks', async () => ((await post('evolution', '{}', {})).status === 404 ? undefined : true), 60_000);
	// The product's URL as a per-instance webhook of the bot's Evolution instance, with our token in its headers.
	const set = await fetch(`${stack.evolution.url}/webhook/set/ventas`, {
		method: 'POST',
		headers: { apikey: stack.evolution.state.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify({ webhook: { enabled: true, url: `${base}/webhook/${EVENT_PATH}/evolution`, headers: { 'x-autorecovery-token': EVOLUTION_TOKEN }, byEvents: false, events: ['CONNECTION_UPDATE'] } }),
	});
	expect(set.status).toBe(201);
	// WAHA's extra webhook (next to the bot's), signed with our HMAC key.
	waha.patchState({ globalWebhook: { url: `${base}/webhook/${EVENT_PATH}/waha`, events: ['session.status'], hmac: { key: WAHA_HMAC_KEY } } });
}, 600_000);

afterAll(async () => {
	if (timings.length > 0) console.log(`gateway events, event → recovery/escalation (target < ${TARGET_MS / 1000} s; the tick alone takes up to 5 min + the confirm delay):\n  ${timings.join('\n  ')}`);
	await waha?.close();
	await stack?.close();
});

describe('trust: nothing is recorded or acted on without valid authentication', () => {
	test('no token → 401, a wrong one → 403, JSON, and the state and the Recover runs are unchanged', async () => {
		const before = JSON.stringify(await trackerState());
		const runs = (await recoverRuns()).length;
		const none = await post('evolution', evolutionEvent('close', 401), {});
		const wrong = await post('evolution', evolutionEvent('close', 401), { 'x-autorecovery-token': 'wrong-token' });
		expect(none.status).toBe(401);
		expect(none.json.error).toMatch(/missing/);
		expect(wrong.status).toBe(403);
		expect(JSON.stringify(await trackerState())).toBe(before);
		expect((await recoverRuns()).length).toBe(runs);
	});

	test('malformed → 400 JSON; oversized → 413; nothing recorded', async () => {
		const before = JSON.stringify(await trackerState());
		const malformed = await post('evolution', '{"event":', { 'x-autorecovery-token': EVOLUTION_TOKEN });
		expect(malformed.status).toBe(400);
		expect(malformed.json.error).toMatch(/not valid JSON/);
		const big = JSON.stringify({ event: 'connection.update', instance: 'ventas', data: { pad: 'x'.repeat(300 * 1024) } });
		expect((await post('evolution', big, { 'x-autorecovery-token': EVOLUTION_TOKEN })).status).toBe(413);
		expect(JSON.stringify(await trackerState())).toBe(before);
	});
});

describe('Evolution events drive the incidents', () => {
	test('a drop (connecting that never opens): incident opened and recovery started within seconds; the next tick opens no second one', async () => {
		const deliveries = stack.evolution.state.webhookDeliveries.length;
		const runs = (await recoverRuns()).length;
		// The stored session is good again by the time the recovery restarts it, but the drop itself never reopens.
		stack.evolution.patchState({ restartHeals: false });
		const restart = await fetch(`${stack.evolution.url}/instance/restart/ventas`, { method: 'POST', headers: { apikey: stack.evolution.state.apiKey } });
		expect(restart.status).toBe(200);
		stack.evolution.patchState({ restartHeals: true });
		const [connecting] = await until('the connecting webhook', () => {
			const found = deliveriesTo('evolution', 'connection.update', deliveries).filter((delivery) => delivery.status !== null);
			return found.length > 0 ? found : undefined;
		});
		expect(connecting.status).toBe(200);
		expect((connecting.body as { data: { state: string } }).data.state).toBe('connecting');
		const started = await nextRecoverStart(runs);
		const elapsed = started - Date.parse(connecting.at);
		timings.push(`Evolution connecting (never opens) → Recover started: ${(elapsed / 1000).toFixed(1)} s (includes the 5 s grace and the probe's re-check)`);
		expect(elapsed).toBeLessThan(ASSERT_MS);
		await until('the instance open again', () => (stack.evolution.state.instances.ventas.state === 'open' ? true : undefined));
		await until('the incident resolved by the recovery', async () => (Object.keys((await trackerState())?.incidents ?? {}).length === 0 ? true : undefined));
		const afterRecovery = (await recoverRuns()).length;
		await stack.tick();
		expect((await recoverRuns()).length).toBe(afterRecovery);
		expect((await trackerState())?.incidents).toEqual({});
	});

	test('close (logged out, needs a QR): one escalation within seconds; the next tick and a replay add nothing', async () => {
		const deliveries = stack.evolution.state.webhookDeliveries.length;
		const slack = stack.slackTexts().length;
		const runs = (await recoverRuns()).length;
		const logout = await fetch(`${stack.evolution.url}/instance/logout/ventas`, { method: 'DELETE', headers: { apikey: stack.evolution.state.apiKey } });
		expect(logout.status).toBe(200);
		const [close] = await until('the close webhook', () => {
			const found = deliveriesTo('evolution', 'connection.update', deliveries).filter((delivery) => delivery.status !== null);
			return found.length > 0 ? found : undefined;
		});
		expect(close.status).toBe(200);
		await until('the escalation', () => (stack.slackTexts().length > slack ? true : undefined));
		const elapsed = Date.now() - Date.parse(close.at);
		timings.push(`Evolution close → escalation on Slack: ≤ ${(elapsed / 1000).toFixed(1)} s`);
		expect(elapsed).toBeLessThan(ASSERT_MS);
		const state = await trackerState();
		expect(Object.values(state?.incidents ?? {})).toEqual([expect.objectContaining({ key: 'whatsapp:evolution:ventas', escalationReason: 'needs_human' })]);
		expect((await recoverRuns()).length).toBe(runs);

		// The replay: the exact bytes and headers again.
		const replay = await post('evolution', close.bodyText, close.headers);
		expect(replay.status).toBe(200);
		expect(replay.json.events).toEqual([expect.objectContaining({ outcome: 'duplicate' })]);
		// The tick sees the same closed instance: the same incident, no second alert.
		await stack.tick();
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(stack.slackTexts().length).toBe(slack + 1);
		expect(stack.slackTexts()[slack]).toMatch(/Needs you/);
		expect(Object.keys((await trackerState())?.incidents ?? {})).toEqual(['whatsapp:evolution:ventas']);
		await healthyAgain();
	});

	test('an event and a tick at the same time: one incident, one escalation', async () => {
		const slack = stack.slackTexts().length;
		// The instance is closed (a tick sees it) and the gateway says so at the same moment.
		stack.evolution.patchState({ restartCloseQuirk: true, instances: { ventas: { state: 'close' } } });
		const [answer] = await Promise.all([post('evolution', evolutionEvent('close', 401), { 'x-autorecovery-token': EVOLUTION_TOKEN }), stack.tick()]);
		expect(answer.status).toBe(200);
		await until('the escalation', () => (stack.slackTexts().length > slack ? true : undefined));
		await new Promise((resolve) => setTimeout(resolve, 5_000));
		expect(Object.keys((await trackerState())?.incidents ?? {})).toEqual(['whatsapp:evolution:ventas']);
		const alerts = stack.slackTexts().slice(slack);
		expect(alerts).toHaveLength(1);
		expect(alerts[0]).toMatch(/Needs you/);
		await healthyAgain();
	});
});

describe('WAHA session.status with its HMAC', () => {
	test('FAILED with a valid HMAC: incident opened and recovery started within seconds, through WAHA itself; the same body unsigned → 401, no effect', async () => {
		const deliveries = waha.state.webhookDeliveries.length;
		const restartsBefore = sessionRestarts();
		const runs = (await recoverRuns()).length;
		waha.patchState({ restartHeals: false, unhealedStatus: 'FAILED' });
		const restart = await fetch(`${waha.url}/api/sessions/default/restart`, { method: 'POST', headers: { 'X-Api-Key': String(wahaDefaults.apiKey) } });
		expect(restart.status).toBeLessThan(300);
		const failed = await until('the FAILED webhook', () =>
			deliveriesTo('waha', 'session.status', deliveries).find((delivery) => delivery.status !== null && (delivery.body as { payload: { status: string } }).payload.status === 'FAILED'),
		);
		expect(failed.status).toBe(200);
		const started = await nextRecoverStart(runs);
		// The restart announces STOPPED, then FAILED: the first of them opens the incident.
		const firstStatus = Math.min(...deliveriesTo('waha', 'session.status', deliveries).map((delivery) => Date.parse(delivery.at)));
		const elapsed = started - firstStatus;
		timings.push(`WAHA session.status STOPPED/FAILED (signed) → Recover started: ${(elapsed / 1000).toFixed(1)} s`);
		expect(elapsed).toBeLessThan(ASSERT_MS);
		expect(Object.keys((await trackerState())?.incidents ?? {})).toContain('whatsapp:waha:default');
		// Recover repaired the session through WAHA (its own node and credential), not through Evolution.
		const recovery = await until('the WAHA recovery to finish', async () => {
			const [latest] = await stack.executionsOf(WORKFLOW_IDS.recover);
			return latest.status === 'running' || latest.status === 'new' ? undefined : latest;
		});
		expect(Object.keys((recovery.data as { resultData: { runData: Record<string, unknown> } }).resultData.runData)).toContain('Reconnect WhatsApp (WAHA)');
		expect(sessionRestarts()).toBeGreaterThan(restartsBefore + 1);

		// WAHA stops calling us (the restart's own, signed events would move the incident's lastSeenAt): from now on only the test's posts arrive.
		waha.patchState({ globalWebhook: null });
		await settled('WAHA\'s last deliveries', () => waha.state.webhookDeliveries.length);
		const { 'x-webhook-hmac': _signature, ...unsigned } = failed.headers;
		const before = JSON.stringify((await trackerState())?.incidents);
		const refused = await post('waha', failed.bodyText.replace('evt_', 'evt_x'), unsigned);
		expect(refused.status).toBe(401);
		const forged = await post('waha', failed.bodyText.replace('evt_', 'evt_y'), { ...failed.headers, 'x-webhook-hmac': createHmac('sha512', 'guess').update(failed.bodyText).digest('hex') });
		expect(forged.status).toBe(403);
		expect(JSON.stringify((await trackerState())?.incidents)).toBe(before);
	});
});
