import { createHmac } from 'node:crypto';

import type { Emulator } from '../../../dev/emulators/core/emulator';
import { createCloudApiEmulator, type CloudApiState } from '../../../dev/emulators/whatsapp/cloudApi';
import { createEvolutionEmulator, evolutionDefaults, type EvolutionState } from '../../../dev/emulators/whatsapp/evolution';
import { WhatsAppNetwork } from '../../../dev/emulators/whatsapp/network';
import { createWahaEmulator, wahaDefaults, type WahaState } from '../../../dev/emulators/whatsapp/waha';
import { wahaHmac } from '../../../dev/emulators/whatsapp/webhooks/signing';
import { call } from './selfTest';
import { startReceiver, waitFor, type Receiver } from './webhookReceiver';

const EVO_KEY = evolutionDefaults.apiKey;
const WAHA_KEY = wahaDefaults.apiKey ?? '';
const CANARY = '5215599990000';
const BOT = '5215512345678';
const CLOUD_NUMBER = '525512345678';

describe('the emulated WhatsApp network', () => {
	let network: WhatsAppNetwork;
	let evolution: Emulator<EvolutionState>;
	let waha: Emulator<WahaState>;
	let cloud: Emulator<CloudApiState>;
	let receiver: Receiver;

	beforeEach(async () => {
		network = new WhatsAppNetwork({ serverAckMs: 10, deliveryMs: 20, readMs: 40, retryMs: 20 });
		receiver = await startReceiver();
		// The canary is an Evolution instance; the bot's number is held by the WAHA session.
		evolution = await createEvolutionEmulator(
			{
				instances: {
					canary: { ...structuredClone(evolutionDefaults.instances.ventas), id: 'canary-id', token: 'canary-token', number: CANARY, ownerJid: `${CANARY}@s.whatsapp.net`, profileName: 'Canary' },
				},
				qrRotateMs: 150,
				qrLimit: 3,
			},
			{ network },
		).start();
		waha = await createWahaEmulator({}, { network }).start();
		cloud = await createCloudApiEmulator({}, { network }).start();
	});
	afterEach(async () => {
		await Promise.all([evolution.close(), waha.close(), cloud.close()]);
		network.stop();
		await receiver.close();
	});

	const evo = (path: string, body?: unknown) =>
		call(`${evolution.url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { apikey: EVO_KEY, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
	const wahaCall = (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') =>
		call(`${waha.url}${path}`, { method, headers: { 'x-api-key': WAHA_KEY, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
	const hooksTo = (path: string) => receiver.received.filter((r) => r.path === path);
	const setEvolutionWebhook = (instance: string, events: string[] = []) =>
		evo(`/webhook/set/${instance}`, { webhook: { enabled: true, url: `${receiver.url}/evo`, events } });
	const setWahaWebhook = (key: string | null = 'bot-secret') =>
		wahaCall('/api/sessions/default', { config: { webhooks: [{ url: `${receiver.url}/waha`, events: ['message', 'message.ack', 'session.status'], hmac: key ? { key } : null }] } }, 'PUT');

	test('canary (Evolution) → bot (WAHA) → reply: stored, read back, acked in time, webhooks POSTed and signed', async () => {
		expect((await setEvolutionWebhook('canary', ['MESSAGES_UPSERT', 'MESSAGES_UPDATE'])).status).toBe(201);
		expect((await setWahaWebhook()).status).toBe(200);

		const sent = await evo('/message/sendText/canary', { number: BOT, text: 'canary #c0ffee' });
		expect(sent.status).toBe(201);
		const keyId = (sent.json as { key: { id: string }; status: string }).key.id;
		expect((sent.json as { status: string }).status).toBe('PENDING');

		// Inbound on the bot: a `message` webhook, HMAC-SHA512 over the raw body.
		const inbound = await waitFor(() => hooksTo('/waha').find((r) => r.body.event === 'message'), 'WAHA message webhook');
		expect(inbound.headers['x-webhook-hmac']).toBe(wahaHmac('bot-secret', inbound.bodyText));
		expect(inbound.headers['x-webhook-hmac-algorithm']).toBe('sha512');
		const payload = inbound.body.payload as { id: string; from: string; body: string; fromMe: boolean };
		expect(payload).toMatchObject({ id: `false_${CANARY}@c.us_${keyId}`, from: `${CANARY}@c.us`, body: 'canary #c0ffee', fromMe: false });
		const readBack = await wahaCall(`/api/default/chats/${CANARY}@c.us/messages/${encodeURIComponent(payload.id)}`);
		expect(readBack.status).toBe(200);

		// The canary's copy: MessageUpdate rows SERVER_ACK → DELIVERY_ACK → READ, and messages.update webhooks.
		await waitFor(() => hooksTo('/evo').filter((r) => r.body.event === 'messages.update').length >= 3 || undefined, 'three messages.update');
		const found = await evo('/chat/findMessages/canary', { where: { key: { id: keyId } } });
		const record = (found.json as { messages: { total: number; records: Array<Record<string, unknown>> } }).messages;
		expect(record.total).toBe(1);
		expect(record.records[0].MessageUpdate).toEqual([{ status: 'SERVER_ACK' }, { status: 'DELIVERY_ACK' }, { status: 'READ' }]);
		expect(record.records[0]).not.toHaveProperty('status');

		// The bot replies; the canary stores it and POSTs messages.upsert; the bot's copy reaches ack 3.
		const reply = await wahaCall('/api/sendText', { session: 'default', chatId: `${CANARY}@c.us`, text: 'hola canary' });
		expect(reply.status).toBe(201);
		const upsert = await waitFor(() => hooksTo('/evo').find((r) => r.body.event === 'messages.upsert'), 'messages.upsert on the canary');
		expect(upsert.body.data).toMatchObject({ key: { fromMe: false, remoteJid: `${BOT}@s.whatsapp.net` }, message: { conversation: 'hola canary' }, status: 'DELIVERY_ACK' });
		const acks = await waitFor(() => {
			const list = hooksTo('/waha').filter((r) => r.body.event === 'message.ack').map((r) => (r.body.payload as { ack: number }).ack);
			return list.length >= 3 ? list : undefined;
		}, 'three message.ack');
		expect(acks).toEqual([1, 2, 3]);
		const chat = await wahaCall(`/api/default/chats/${CANARY}@c.us/messages?filter.fromMe=true`);
		expect((chat.json as Array<{ ackName: string; body: string }>)[0]).toMatchObject({ body: 'hola canary', ackName: 'READ' });
	});

	test('Evolution → Cloud API and back: messages and statuses POSTed with X-Hub-Signature-256', async () => {
		cloud.patchState({ app: { secret: 'app-secret', callbackUrl: `${receiver.url}/meta` } });
		await evo('/message/sendText/canary', { number: CLOUD_NUMBER, text: 'hola bot' });
		const inbound = await waitFor(() => hooksTo('/meta').find((r) => JSON.stringify(r.body).includes('hola bot')), 'Meta messages webhook');
		const expected = `sha256=${createHmac('sha256', 'app-secret').update(inbound.bodyText).digest('hex')}`;
		expect(inbound.headers['x-hub-signature-256']).toBe(expected);
		const value = (inbound.body.entry as Array<{ changes: Array<{ value: { messages: Array<{ from: string; text: { body: string } }> } }> }>)[0].changes[0].value;
		expect(value.messages[0]).toMatchObject({ from: CANARY, text: { body: 'hola bot' } });

		const token = cloud.state.accessToken;
		const sent = await call(`${cloud.url}/v23.0/${cloud.state.phone.id}/messages`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ messaging_product: 'whatsapp', to: CANARY, type: 'text', text: { body: 'respuesta' } }),
		});
		expect(sent.status).toBe(200);
		const statuses = await waitFor(() => {
			const list = hooksTo('/meta').flatMap((r) => JSON.stringify(r.body).match(/"status":"(sent|delivered|read)"/g) ?? []);
			return list.length >= 3 ? list : undefined;
		}, 'three Meta statuses');
		expect(statuses).toEqual(['"status":"sent"', '"status":"delivered"', '"status":"read"']);
		const stored = await evo('/chat/findMessages/canary', { where: { key: { remoteJid: `${CLOUD_NUMBER}@s.whatsapp.net` } } });
		expect(JSON.stringify(stored.json)).toContain('respuesta');

		// Unsubscribing the app (webhookLost) silences the callback; subscribed_apps shows it.
		cloud.patchState({ webhookLost: true });
		const apps = await call(`${cloud.url}/v23.0/${cloud.state.waba.id}/subscribed_apps`, { headers: { authorization: `Bearer ${token}` } });
		expect(apps.json).toEqual({ data: [] });
		const before = hooksTo('/meta').length;
		await evo('/message/sendText/canary', { number: CLOUD_NUMBER, text: 'nadie me oye' });
		await waitFor(() => cloud.state.receivedMessages.some((m) => m.text === 'nadie me oye'), 'stored inbound');
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(hooksTo('/meta')).toHaveLength(before);
	});

	test('two instances of one Evolution server are two phones: a canary beside the bot reaches it; a message to oneself is not echoed', async () => {
		const SECOND = '5215566665555';
		evolution.patchState({
			instances: { second: { ...structuredClone(evolutionDefaults.instances.ventas), id: 'second-id', token: 'second-token', number: SECOND, ownerJid: `${SECOND}@s.whatsapp.net`, profileName: 'Second' } },
		});
		expect((await evo('/message/sendText/canary', { number: SECOND, text: 'same server' })).status).toBe(201);
		await waitFor(() => (evolution.state.messages.second ?? []).some((m) => !m.key.fromMe && (m.message as { conversation?: string }).conversation === 'same server'), 'the message on the other instance');
		expect(network.log.find((m) => m.text === 'same server')?.deliveredTo).toEqual(['evolution:second']);
		expect((await evo('/message/sendText/canary', { number: CANARY, text: 'to myself' })).status).toBe(201);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(network.log.find((m) => m.text === 'to myself')?.deliveredTo).toEqual([]);
	});

	test('zombie: open and accepting, nothing leaves or arrives; a restart heals it and the backlog arrives', async () => {
		evolution.patchState({ instances: { canary: { zombie: true } } });
		const sent = await evo('/message/sendText/canary', { number: BOT, text: 'perdido' });
		expect(sent.status).toBe(201);
		expect((await evo('/instance/connectionState/canary')).json).toEqual({ instance: { instanceName: 'canary', state: 'open' } });
		await wahaCall('/api/sendText', { session: 'default', chatId: `${CANARY}@c.us`, text: 'backlog' });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(network.log.find((m) => m.text === 'perdido')).toBeUndefined();
		const none = await evo('/chat/findMessages/canary', { where: { key: { remoteJid: `${BOT}@s.whatsapp.net` } } });
		const rows = (none.json as { messages: { records: Array<{ key: { fromMe: boolean }; MessageUpdate: unknown[] }> } }).messages.records;
		expect(rows.filter((r) => !r.key.fromMe)).toHaveLength(0);
		expect(rows.find((r) => r.key.fromMe)?.MessageUpdate).toEqual([]);

		expect((await call(`${evolution.url}/instance/restart/canary`, { method: 'POST', headers: { apikey: EVO_KEY } })).status).toBe(200);
		await waitFor(() => (evolution.state.messages.canary ?? []).some((m) => !m.key.fromMe && (m.message as { conversation?: string }).conversation === 'backlog'), 'the backlog after the restart');
	});

	test('webhookLost: find shows the wiped row of #2694, inbound is stored but not POSTed, set restores', async () => {
		await setEvolutionWebhook('canary', ['MESSAGES_UPSERT']);
		evolution.patchState({ instances: { canary: { webhookLost: true } } });
		expect((await evo('/webhook/find/canary')).json).toMatchObject({ url: '', events: [], headers: null, enabled: true });
		await wahaCall('/api/sendText', { session: 'default', chatId: `${CANARY}@c.us`, text: 'sordo' });
		await waitFor(() => (evolution.state.messages.canary ?? []).some((m) => !m.key.fromMe), 'inbound stored');
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(hooksTo('/evo')).toHaveLength(0);
		await setEvolutionWebhook('canary', ['MESSAGES_UPSERT']);
		await wahaCall('/api/sendText', { session: 'default', chatId: `${CANARY}@c.us`, text: 'otra vez' });
		await waitFor(() => hooksTo('/evo').find((r) => JSON.stringify(r.body).includes('otra vez')), 'upsert after restore');

		// WAHA: the session's webhooks vanish from its config; PUT restores (and restarts the session).
		waha.patchState({ sessions: { default: { webhookLost: true } } });
		const info = await wahaCall('/api/sessions/default');
		expect((info.json as { config: { webhooks: unknown[] } }).config.webhooks).toEqual([]);
	});

	test('Evolution QR rotates, expires and stops at the limit; only the current QR pairs', async () => {
		await evo('/instance/create', { instanceName: 'fresh', qrcode: true });
		await setEvolutionWebhook('fresh', ['QRCODE_UPDATED', 'CONNECTION_UPDATE']);
		const first = (await evo('/instance/connect/fresh')).json as { code: string; count: number };
		await waitFor(() => evolution.state.instances.fresh.qrCount > first.count || undefined, 'a rotation');
		expect(() => evolution.act('scan', { instance: 'fresh', code: first.code, number: '5215511112222' })).toThrow(/stale/);
		await waitFor(() => evolution.state.instances.fresh.state === 'close' || undefined, 'the QR limit');
		await waitFor(() => hooksTo('/evo').find((r) => (r.body.data as { state?: string }).state === 'refused'), 'refused');
		expect(hooksTo('/evo').some((r) => (r.body.data as { message?: string }).message === 'QR code limit reached, please login again')).toBe(true);

		// Start again, scan the current QR: open, connection.update open. (Its QR lives a minute: however slow this
		// machine is, it is still the current one when scanned.)
		evolution.patchState({ qrRotateMs: 60_000 });
		const again = (await evo('/instance/connect/fresh')).json as { code: string };
		expect(evolution.act('scan', { instance: 'fresh', code: again.code, number: '5215511112222' })).toMatchObject({ state: 'open' });
		expect((await evo('/instance/connectionState/fresh')).json).toEqual({ instance: { instanceName: 'fresh', state: 'open' } });
		await waitFor(() => hooksTo('/evo').find((r) => (r.body.data as { state?: string }).state === 'open'), 'connection.update open');
	});

	test('Evolution drop: connecting (408, no QR) then open by itself after reconnectAfterMs; without it the instance hangs until restarted', async () => {
		await setEvolutionWebhook('canary', ['CONNECTION_UPDATE', 'QRCODE_UPDATED']);
		const states = () => hooksTo('/evo').map((r) => r.body.data as { state?: string; statusReason?: number });
		expect(evolution.act('drop', { instance: 'canary', reconnectAfterMs: 50 })).toEqual({ instance: 'canary', state: 'connecting', reconnectAfterMs: 50 });
		expect(evolution.state.instances.canary.state).toBe('connecting');
		await waitFor(() => evolution.state.instances.canary.state === 'open' || undefined, 'the reconnect');
		await waitFor(() => states().length === 2 || undefined, 'two connection.update');
		expect(states()).toEqual([expect.objectContaining({ state: 'connecting', statusReason: 408 }), expect.objectContaining({ state: 'open', statusReason: 200 })]);
		expect(hooksTo('/evo').every((r) => r.body.event === 'connection.update')).toBe(true);

		// A restart reopens a dropped instance; the earlier drop's reconnect then does not undo a later hang.
		evolution.act('drop', { instance: 'canary', reconnectAfterMs: 100 });
		expect(() => evolution.act('drop', { instance: 'canary' })).toThrow(/not open/);
		const restarted = await evo('/instance/restart/canary', {});
		expect(restarted.json).toEqual({ instance: { instanceName: 'canary', state: 'open' } });
		evolution.act('drop', { instance: 'canary' });
		await new Promise((resolve) => setTimeout(resolve, 400));
		expect(evolution.state.instances.canary.state).toBe('connecting');
		expect(() => evolution.act('drop', { instance: 'canary', reconnectAfterMs: -1 })).toThrow(/not open/);
		expect(() => evolution.act('drop', { instance: 'nope' })).toThrow(/no instance/);
	});

	test('WAHA pairing: QR refresh re-sends SCAN_QR_CODE, a pairing code pairs, the scan is announced', async () => {
		// Quick refreshes, and no QR limit to reach however slow this machine is.
		waha.patchState({ qrRotateMs: 100, qrLimit: 1_000 });
		await setWahaWebhook(null);
		await wahaCall('/api/sessions/default/logout', {});
		await waitFor(() => hooksTo('/waha').filter((r) => (r.body.payload as { status?: string }).status === 'SCAN_QR_CODE').length >= 2 || undefined, 'a QR refresh');
		// The pairing code rotates with the QR: slow the rotation so the code below is asked for and used within one QR's
		// life. The refresh already scheduled still comes after 100 ms; the next one after a minute.
		const refreshes = waha.state.sessions.default.qrCount;
		waha.patchState({ qrRotateMs: 60_000 });
		await waitFor(() => waha.state.sessions.default.qrCount > refreshes || undefined, 'the last quick refresh');
		const code = (await wahaCall('/api/default/auth/request-code', { phoneNumber: BOT })).json as { code: string };
		expect(() => waha.act('scan', { session: 'default', pairingCode: 'WRNG-CODE' })).toThrow(/refused/);
		expect(waha.act('scan', { session: 'default', pairingCode: code.code })).toMatchObject({ status: 'WORKING', number: BOT });
		await waitFor(() => hooksTo('/waha').find((r) => (r.body.payload as { status?: string }).status === 'WORKING'), 'WORKING');
	});

	test('a receiver that is down is recorded, not fatal', async () => {
		await evo('/webhook/set/canary', { webhook: { enabled: true, url: 'http://127.0.0.1:9/down', events: [] } });
		await wahaCall('/api/sendText', { session: 'default', chatId: `${CANARY}@c.us`, text: 'hola' });
		const failed = await waitFor(() => evolution.state.webhookDeliveries.find((d) => d.event === 'messages.upsert'), 'a failed attempt');
		expect(failed.status).toBeNull();
		expect(failed.error).toBeTruthy();
		expect((await evo('/instance/connectionState/canary')).status).toBe(200);
	});
});
