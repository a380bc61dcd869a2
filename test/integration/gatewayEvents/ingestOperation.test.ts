/**
 * Issue 20: the Incident Tracker's Event operations (node glue, no n8n server) fed with
 * the exact bytes and headers the WAHA and Evolution emulators POSTed: a signed FAILED opens
 * an incident and asks for a recovery, a replay does nothing, a forged or unsigned one is
 * 401/403 with nothing recorded, malformed 400, oversized 413; the state goes through the
 * real state store (files), so ticks share it.
 */
import { createHmac } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import type { Emulator } from '../../../dev/emulators/core/emulator';
import { createEvolutionEmulator, type EvolutionState } from '../../../dev/emulators/whatsapp/evolution';
import { createWahaEmulator, wahaDefaults, type WahaState } from '../../../dev/emulators/whatsapp/waha';
import type { WebhookDelivery } from '../../../dev/emulators/whatsapp/webhooks/sender';
import { IncidentTracker } from '../../../nodes/IncidentTracker/IncidentTracker.node';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';
import { useTemporaryN8nFolder } from '../../harness/temporaryN8nFolder';

useTemporaryN8nFolder();

const HMAC_KEY = 'waha-hmac-key-not-real';
const EVOLUTION_TOKEN = 'evolution-token-not-real';
const CREDENTIALS = { autorecoveryGatewayEventsApi: { evolutionToken: EVOLUTION_TOKEN, wahaHmacKey: HMAC_KEY, metaAppSecret: 'meta-secret-not-real', metaVerifyToken: 'verify-me' } };
const WORKFLOW_ID = 'gwEventsIntegration1';
const node = new IncidentTracker();

interface Answer {
	statusCode: number;
	body: Record<string, unknown>;
}

async function ingest(source: string, headers: Record<string, string>, body: Buffer | string, eventOptions: IDataObject = {}) {
	const raw = typeof body === 'string' ? Buffer.from(body) : body;
	const ctx = fakeExecuteFunctions({
		parameters: { resource: 'event', operation: 'ingest', source, requestHeaders: headers, requestQuery: {}, binaryPropertyName: 'data', stateKey: 'incidentTracker', eventOptions },
		input: [{}],
		binaries: [{ data: raw }],
		credentials: CREDENTIALS,
		workflowId: WORKFLOW_ID,
	});
	const [items] = await node.execute.call(ctx);
	return { items: items.map((item) => item.json), answer: items[0].json.eventAnswer as unknown as Answer };
}

async function openIncidents(): Promise<string[]> {
	const ctx = fakeExecuteFunctions({ parameters: { resource: 'incident', operation: 'status', stateKey: 'incidentTracker' }, input: [{}], workflowId: WORKFLOW_ID });
	const [[item]] = await node.execute.call(ctx);
	return (item.json.incidents as Array<{ incident: { key: string } }>).map((entry) => entry.incident.key);
}

async function deliveries<S extends { webhookDeliveries: WebhookDelivery[] }>(emulator: Emulator<S>, count: number): Promise<WebhookDelivery[]> {
	const deadline = Date.now() + 10_000;
	while (emulator.state.webhookDeliveries.length < count) {
		if (Date.now() > deadline) throw new Error(`only ${emulator.state.webhookDeliveries.length} webhook deliveries`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return emulator.state.webhookDeliveries;
}

describe('WAHA session.status, signed by the emulator', () => {
	let waha: Emulator<WahaState>;
	let failed: WebhookDelivery;

	beforeAll(async () => {
		// Nobody listens at the URL: the emulator still records the exact bytes and headers it sent.
		waha = await createWahaEmulator({ restartHeals: false, globalWebhook: { url: 'http://127.0.0.1:9/events', events: ['session.status'], hmac: { key: HMAC_KEY } } }).start();
		const restart = await fetch(`${waha.url}/api/sessions/default/restart`, { method: 'POST', headers: { 'X-Api-Key': String(wahaDefaults.apiKey) } });
		expect(restart.status).toBeLessThan(300);
		const sent = await deliveries(waha, 2);
		failed = sent.find((delivery) => (delivery.body as { payload?: { status?: string } }).payload?.status === 'FAILED') as WebhookDelivery;
		expect(failed).toBeDefined();
	});
	afterAll(async () => waha?.close());

	it('no signature → 401, a wrong one → 403; nothing recorded', async () => {
		const { 'x-webhook-hmac': _signature, ...unsigned } = failed.headers;
		expect((await ingest('waha', unsigned, failed.bodyText)).answer.statusCode).toBe(401);
		expect((await ingest('waha', { ...failed.headers, 'x-webhook-hmac': createHmac('sha512', 'guess').update(failed.bodyText).digest('hex') }, failed.bodyText)).answer.statusCode).toBe(403);
		expect(await openIncidents()).toEqual([]);
	});

	it('the signed FAILED opens the incident and asks for a recovery; the answer says so', async () => {
		const { items, answer } = await ingest('waha', failed.headers, failed.bodyText);
		expect(answer.statusCode).toBe(200);
		expect(answer.body.events).toEqual([expect.objectContaining({ outcome: 'opened', decision: 'recover', target: 'waha:default' })]);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ component: 'whatsapp', target: 'waha:default', status: 'down', cause: { code: 'whatsapp.disconnected' }, tracking: { decision: 'recover' } });
		expect(await openIncidents()).toEqual(['whatsapp:waha:default']);
	});

	it('the same delivery again (a replay) does nothing', async () => {
		const { items, answer } = await ingest('waha', failed.headers, failed.bodyText);
		expect(answer.body.events).toEqual([expect.objectContaining({ outcome: 'duplicate' })]);
		expect(items[0].tracking).toBeUndefined();
	});

	it('signed but malformed → 400; oversized → 413', async () => {
		const sign = (text: string) => ({ 'x-webhook-hmac': createHmac('sha512', HMAC_KEY).update(text).digest('hex') });
		expect((await ingest('waha', sign('{"event":'), '{"event":')).answer).toMatchObject({ statusCode: 400, body: { error: 'the body is not valid JSON' } });
		expect((await ingest('waha', sign('{"session":"default"}'), '{"session":"default"}')).answer.statusCode).toBe(400);
		const big = JSON.stringify({ event: 'x', session: 'default', pad: 'x'.repeat(4096) });
		expect((await ingest('waha', sign(big), big, { maxBodyKilobytes: 1 })).answer.statusCode).toBe(413);
	});
});

describe('Evolution connection.update through the per-instance webhook with our token', () => {
	let evolution: Emulator<EvolutionState>;
	beforeAll(async () => {
		evolution = await createEvolutionEmulator().start();
		const set = await fetch(`${evolution.url}/webhook/set/ventas`, {
			method: 'POST',
			headers: { apikey: evolution.state.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ webhook: { enabled: true, url: 'http://127.0.0.1:9/events', headers: { 'x-autorecovery-token': EVOLUTION_TOKEN }, byEvents: false, events: ['CONNECTION_UPDATE'] } }),
		});
		expect(set.status).toBe(201);
	});
	afterAll(async () => evolution?.close());

	it('logout → close: one escalation (a QR is needed), and the apikey the body carries is in no output', async () => {
		await fetch(`${evolution.url}/instance/logout/ventas`, { method: 'DELETE', headers: { apikey: evolution.state.apiKey } });
		const [close] = (await deliveries(evolution, 1)).filter((delivery) => delivery.event === 'connection.update');
		const { items, answer } = await ingest('evolution', close.headers, close.bodyText);
		expect(items[0]).toMatchObject({ target: 'evolution:ventas', cause: { code: 'whatsapp.qr_required' }, tracking: { decision: 'escalated', alert: true } });
		expect(answer.statusCode).toBe(200);
		const token = evolution.state.instances.ventas.token;
		if (token) expect(JSON.stringify(items)).not.toContain(token);
		expect(JSON.stringify(items)).not.toContain(EVOLUTION_TOKEN);
	});

	it('the same body with a wrong token → 403', async () => {
		const [close] = evolution.state.webhookDeliveries;
		expect((await ingest('evolution', { ...close.headers, 'x-autorecovery-token': 'nope' }, close.bodyText)).answer.statusCode).toBe(403);
	});

	it('beyond the per-minute budget → 429 (decided inside the state update, which then keeps nothing)', async () => {
		const body = JSON.stringify({ event: 'connection.update', instance: 'ventas', data: { state: 'open' }, date_time: new Date().toISOString() });
		const headers = { 'x-autorecovery-token': EVOLUTION_TOKEN };
		expect((await ingest('evolution', headers, body, { maxEventsPerMinute: 1 })).answer).toMatchObject({ statusCode: 429, body: { error: expect.stringMatching(/in a minute/) } });
	});
});

describe('Meta verification handshake', () => {
	const verify = async (query: Record<string, string>) => {
		const ctx = fakeExecuteFunctions({ parameters: { resource: 'event', operation: 'verify', source: 'meta', requestQuery: query }, input: [{}], credentials: CREDENTIALS, workflowId: WORKFLOW_ID });
		const [[item]] = await node.execute.call(ctx);
		return item.json.eventAnswer as { statusCode: number; text: string };
	};

	it('echoes the challenge for the right token, refuses the rest', async () => {
		expect(await verify({ 'hub.mode': 'subscribe', 'hub.challenge': '42', 'hub.verify_token': 'verify-me' })).toEqual({ statusCode: 200, text: '42' });
		expect((await verify({ 'hub.mode': 'subscribe', 'hub.challenge': '42', 'hub.verify_token': 'x' })).statusCode).toBe(403);
	});
});
