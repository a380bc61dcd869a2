import type { Emulator } from '../../../dev/emulators/core/emulator';
import { call, describeTransportFaults, type RawResult } from './selfTest';
import { createEvolutionEmulator, evolutionDefaults, type EvolutionState } from '../../../dev/emulators/whatsapp/evolution';
import { PNG_SIGNATURE } from '../../../dev/emulators/whatsapp/qrPng';

const GLOBAL_KEY = evolutionDefaults.apiKey;
const VENTAS_TOKEN = evolutionDefaults.instances.ventas.token;

function at(value: unknown, ...path: Array<string | number>): unknown {
	let current = value;
	for (const key of path) {
		if (typeof current !== 'object' || current === null) return undefined;
		current = (current as Record<string | number, unknown>)[key];
	}
	return current;
}

function pngFromDataUri(uri: unknown): Buffer {
	const match = /^data:image\/png;base64,(.+)$/.exec(String(uri));
	if (!match) throw new Error(`not a PNG data URI: ${String(uri).slice(0, 40)}`);
	return Buffer.from(match[1], 'base64');
}

function expectEnvelope(result: RawResult, status: number, message: unknown): void {
	expect(result.status).toBe(status);
	expect(result.json).toEqual({ status, error: expect.any(String), response: { message } });
}

describe('Evolution API emulator', () => {
	let emulator: Emulator<EvolutionState>;
	beforeEach(async () => {
		emulator = await createEvolutionEmulator().start();
	});
	afterEach(async () => {
		await emulator.close();
	});

	const evo = (path: string, init: RequestInit = {}, key: string | null = GLOBAL_KEY) =>
		call(`${emulator.url}${path}`, {
			...init,
			headers: { ...(key === null ? {} : { apikey: key }), 'content-type': 'application/json', ...(init.headers ?? {}) },
		});
	const state = async (name = 'ventas') =>
		at((await evo(`/instance/connectionState/${name}`)).json, 'instance', 'state');
	const setState = (value: 'open' | 'connecting' | 'close' | null) =>
		emulator.patchState({ instances: { ventas: { state: value } } });
	const restart = (method: 'POST' | 'PUT' = 'POST') => evo('/instance/restart/ventas', { method });

	describe('server routes', () => {
		test('GET / needs no key and says version 2.3.6', async () => {
			const result = await evo('/', {}, null);
			expect(result.status).toBe(200);
			expect(result.json).toEqual({
				status: 200,
				message: 'Welcome to the Evolution API, it is working!',
				version: '2.3.6',
				clientName: expect.any(String),
				manager: `${emulator.url}/manager`,
				documentation: 'https://doc.evolution-api.com',
				whatsappWebVersion: expect.stringMatching(/^2\.3000\./),
			});
		});

		test('POST /verify-creds checks only the global key', async () => {
			expect((await evo('/verify-creds', { method: 'POST' })).status).toBe(200);
			expectEnvelope(await evo('/verify-creds', { method: 'POST' }, null), 401, 'Unauthorized');
			expectEnvelope(await evo('/verify-creds', { method: 'POST' }, VENTAS_TOKEN), 401, 'Unauthorized');
		});

		test('GET /metrics is 404 until metricsEnabled, then Prometheus text with instance up/state', async () => {
			expectEnvelope(await evo('/metrics', {}, null), 404, ['Cannot GET /metrics']);
			emulator.patchState({ metricsEnabled: true });
			const result = await evo('/metrics', {}, null);
			expect(result.status).toBe(200);
			expect(result.headers.get('content-type')).toMatch(/^text\/plain/);
			expect(result.text).toContain('evolution_instance_up{instance="ventas",integration="WHATSAPP-BAILEYS"} 1');
			expect(result.text).toContain('state="open"} 1');
			setState('close');
			const down = await evo('/metrics', {}, null);
			expect(down.text).toContain('evolution_instance_up{instance="ventas",integration="WHATSAPP-BAILEYS"} 0');
		});

		test('an unknown route or method is 404 ["Cannot <METHOD> /path"]', async () => {
			expectEnvelope(await evo('/x'), 404, ['Cannot GET /x']);
			expectEnvelope(await evo('/instance/restart/ventas'), 404, ['Cannot GET /instance/restart/ventas']);
		});
	});

	describe('auth and guard order', () => {
		test('connectionState answers open with the global key or the instance token', async () => {
			for (const key of [GLOBAL_KEY, VENTAS_TOKEN]) {
				const result = await evo('/instance/connectionState/ventas', {}, key);
				expect(result.status).toBe(200);
				expect(result.json).toEqual({ instance: { instanceName: 'ventas', state: 'open' } });
			}
		});

		test('a wrong or missing key is the 401 envelope', async () => {
			expectEnvelope(await evo('/instance/connectionState/ventas', {}, 'nope'), 401, 'Unauthorized');
			expectEnvelope(await evo('/instance/connectionState/ventas', {}, null), 401, 'Unauthorized');
		});

		test('an unknown instance is 404 even with a wrong key (instance guard runs first)', async () => {
			for (const key of ['nope', null, GLOBAL_KEY]) {
				expectEnvelope(await evo('/instance/connectionState/soporte', {}, key), 404, [
					'The "soporte" instance does not exist',
				]);
			}
		});

		test("one instance's token does not open another instance", async () => {
			const body = JSON.stringify({ instanceName: 'soporte', token: 'tok-soporte' });
			await evo('/instance/create', { method: 'POST', body });
			expectEnvelope(await evo('/instance/connectionState/soporte', {}, VENTAS_TOKEN), 401, 'Unauthorized');
			expect((await evo('/instance/connectionState/soporte', {}, 'tok-soporte')).status).toBe(200);
		});

		test('normal replies carry no rate-limit headers', async () => {
			const result = await evo('/instance/connectionState/ventas');
			const names = [...result.headers.keys()];
			expect(names.filter((name) => /ratelimit|retry-after/i.test(name))).toEqual([]);
		});
	});

	describe('connect', () => {
		test('open returns the connectionState body', async () => {
			const result = await evo('/instance/connect/ventas');
			expect(result.json).toEqual({ instance: { instanceName: 'ventas', state: 'open' } });
		});

		test('close starts pairing: the instance becomes connecting and a QR object with a real PNG comes back', async () => {
			setState('close');
			const result = await evo('/instance/connect/ventas');
			expect(result.status).toBe(200);
			expect(result.json).toEqual({
				pairingCode: null,
				code: expect.stringMatching(/^2@/),
				base64: expect.stringMatching(/^data:image\/png;base64,iVBOR/),
				count: 1,
			});
			const png = pngFromDataUri(at(result.json, 'base64'));
			expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
			expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
			expect(await state()).toBe('connecting');
		});

		test('connecting returns the current QR again; ?number= adds a pairing code', async () => {
			setState('close');
			const first = await evo('/instance/connect/ventas');
			const again = await evo('/instance/connect/ventas?number=5215511112222');
			expect(at(again.json, 'code')).toBe(at(first.json, 'code'));
			expect(at(again.json, 'count')).toBe(1);
			expect(at(again.json, 'pairingCode')).toMatch(/^[A-Z0-9]{8}$/);
		});

		test('qrNotReady gives the {"count":0} quirk', async () => {
			emulator.patchState({ qrNotReady: true });
			setState('connecting');
			const result = await evo('/instance/connect/ventas');
			expect(result.status).toBe(200);
			expect(result.json).toEqual({ count: 0 });
		});

		test('an instance not loaded in memory has no state, and connect answers the [object Object] quirk', async () => {
			setState(null);
			expect((await evo('/instance/connectionState/ventas')).json).toEqual({ instance: { instanceName: 'ventas' } });
			expect((await evo('/instance/connect/ventas')).json).toEqual({ error: true, message: '[object Object]' });
		});
	});

	describe('restart', () => {
		test('accepts both POST (code) and PUT (docs); an open instance stays open', async () => {
			for (const method of ['POST', 'PUT'] as const) {
				const result = await restart(method);
				expect(result.status).toBe(200);
				expect(result.json).toEqual({ instance: { instanceName: 'ventas', state: 'open' } });
			}
			expect(emulator.requests('evolution.restart').map((r) => r.method)).toEqual(['POST', 'PUT']);
		});

		test('close → HTTP 200 {"error":true,"message":"[object Object]"} and nothing changes', async () => {
			setState('close');
			const result = await restart();
			expect(result.status).toBe(200);
			expect(result.json).toEqual({ error: true, message: '[object Object]' });
			expect(await state()).toBe('close');
		});

		test('restartHeals takes a connecting instance to open', async () => {
			setState('connecting');
			const result = await restart('PUT');
			expect(result.json).toEqual({ instance: { instanceName: 'ventas', state: 'open' } });
			expect(await state()).toBe('open');
		});

		test('without restartHeals the instance ends connecting with a new QR (a human must scan)', async () => {
			emulator.patchState({ restartHeals: false });
			setState('connecting');
			const first = await evo('/instance/connect/ventas');
			const result = await restart();
			expect(result.status).toBe(200);
			expect(at(result.json, 'count')).toBe(2);
			expect(at(result.json, 'code')).not.toBe(at(first.json, 'code'));
			expect(await state()).toBe('connecting');
			setState('open');
			expect(at((await restart()).json, 'base64')).toEqual(expect.stringMatching(/^data:image\/png;base64,/));
			expect(await state()).toBe('connecting');
		});

		test('with restartCloseQuirk off, restart reconnects a closed instance (to open when it heals)', async () => {
			emulator.patchState({ restartCloseQuirk: false });
			setState('close');
			expect((await restart()).json).toEqual({ instance: { instanceName: 'ventas', state: 'open' } });
			expect(await state()).toBe('open');
		});

		test("restartMethod 'PUT' emulates an older server: POST is an unknown route (404 before any guard)", async () => {
			emulator.patchState({ restartMethod: 'PUT' });
			expectEnvelope(await restart('POST'), 404, ['Cannot POST /instance/restart/ventas']);
			expectEnvelope(await evo('/instance/restart/ventas', { method: 'POST' }, 'nope'), 404, [
				'Cannot POST /instance/restart/ventas',
			]);
			expect((await restart('PUT')).json).toEqual({ instance: { instanceName: 'ventas', state: 'open' } });
			expect(emulator.requests('evolution.restart').map((r) => r.method)).toEqual(['POST', 'POST', 'PUT']);
		});

		test("restartMethod 'POST' emulates a strict 2.2+ server: PUT is an unknown route", async () => {
			emulator.patchState({ restartMethod: 'POST' });
			expectEnvelope(await restart('PUT'), 404, ['Cannot PUT /instance/restart/ventas']);
			expect((await restart('POST')).status).toBe(200);
		});

		test('state switches work over HTTP (PATCH /__emulator/state), as the chaos command uses them', async () => {
			const patched = await call(`${emulator.url}/__emulator/state`, {
				method: 'PATCH',
				body: JSON.stringify({ restartHeals: false, instances: { ventas: { state: 'close' } } }),
			});
			expect(patched.status).toBe(200);
			expect(await state()).toBe('close');
			expect(emulator.state.restartHeals).toBe(false);
		});

		test('recovery path on the real server: restart quirk, then connect, then restart heals', async () => {
			setState('close');
			expect(at((await restart()).json, 'error')).toBe(true);
			expect(at((await evo('/instance/connect/ventas')).json, 'count')).toBe(1);
			expect(await state()).toBe('connecting');
			await restart();
			expect(await state()).toBe('open');
		});
	});

	describe('logout', () => {
		test('open → logged out and closed; already closed → 400 "not connected"', async () => {
			const result = await evo('/instance/logout/ventas', { method: 'DELETE' });
			expect(result.status).toBe(200);
			expect(result.json).toEqual({ status: 'SUCCESS', error: false, response: { message: 'Instance logged out' } });
			expect(await state()).toBe('close');
			expect(emulator.state.instances.ventas.disconnectionReasonCode).toBe(401);
			expectEnvelope(await evo('/instance/logout/ventas', { method: 'DELETE' }), 400, [
				'The "ventas" instance is not connected',
			]);
		});
	});

	describe('fetchInstances', () => {
		test('returns a flat v2 array of instance rows', async () => {
			const result = await evo('/instance/fetchInstances');
			expect(result.status).toBe(200);
			expect(Array.isArray(result.json)).toBe(true);
			expect(result.json).toEqual([
				expect.objectContaining({
					id: evolutionDefaults.instances.ventas.id,
					name: 'ventas',
					connectionStatus: 'open',
					ownerJid: '5215512345678@s.whatsapp.net',
					integration: 'WHATSAPP-BAILEYS',
					token: VENTAS_TOKEN,
					disconnectionReasonCode: null,
					_count: { Message: 1280, Contact: 342, Chat: 97 },
				}),
			]);
			expect(at(result.json, 0, 'instance')).toBeUndefined();
		});

		test('filters by instanceName; an unknown one is 404 Instance "x" not found', async () => {
			expect((await evo('/instance/fetchInstances?instanceName=ventas')).json).toHaveLength(1);
			expectEnvelope(await evo('/instance/fetchInstances?instanceName=nope'), 404, ['Instance "nope" not found']);
		});

		test('an instance token sees only its own instance; no key is 401', async () => {
			await evo('/instance/create', { method: 'POST', body: JSON.stringify({ instanceName: 'soporte' }) });
			expect((await evo('/instance/fetchInstances')).json).toHaveLength(2);
			const own = await evo('/instance/fetchInstances', {}, VENTAS_TOKEN);
			expect((own.json as Array<{ name: string }>).map((row) => row.name)).toEqual(['ventas']);
			expectEnvelope(await evo('/instance/fetchInstances', {}, null), 401, 'Unauthorized');
		});
	});

	describe('create and delete', () => {
		test('create answers 201 with the hash; qrcode:true starts pairing', async () => {
			const result = await evo('/instance/create', {
				method: 'POST',
				body: JSON.stringify({ instanceName: 'soporte', integration: 'WHATSAPP-BAILEYS', qrcode: true, token: 'tok-s' }),
			});
			expect(result.status).toBe(201);
			expect(result.json).toMatchObject({
				instance: { instanceName: 'soporte', integration: 'WHATSAPP-BAILEYS', status: 'created' },
				hash: 'tok-s',
				qrcode: { code: expect.stringMatching(/^2@/), count: 1 },
			});
			expect(await state('soporte')).toBe('connecting');
		});

		test('a taken name is 403 whatever the key; otherwise the global key is required', async () => {
			const body = JSON.stringify({ instanceName: 'ventas' });
			expectEnvelope(await evo('/instance/create', { method: 'POST', body }, 'nope'), 403, [
				'This name "ventas" is already in use.',
			]);
			const fresh = JSON.stringify({ instanceName: 'otra' });
			expectEnvelope(await evo('/instance/create', { method: 'POST', body: fresh }, VENTAS_TOKEN), 401, 'Unauthorized');
			expectEnvelope(await evo('/instance/create', { method: 'POST', body: '{}' }), 400, [
				'instance requires property "instanceName"',
			]);
			const odd = JSON.stringify({ instanceName: 'otra', integration: 'TELEGRAM' });
			expectEnvelope(await evo('/instance/create', { method: 'POST', body: odd }), 400, ['Invalid integration']);
		});

		test('delete of an open instance is 400; after logout it is removed', async () => {
			expectEnvelope(await evo('/instance/delete/ventas', { method: 'DELETE' }), 400, [
				'The "ventas" instance needs to be disconnected',
			]);
			await evo('/instance/logout/ventas', { method: 'DELETE' });
			const deleted = await evo('/instance/delete/ventas', { method: 'DELETE' });
			expect(deleted.json).toEqual({ status: 'SUCCESS', error: false, response: { message: 'Instance deleted' } });
			expectEnvelope(await evo('/instance/connectionState/ventas'), 404, ['The "ventas" instance does not exist']);
		});
	});

	describe('sendText', () => {
		const send = (body: unknown, key: string | null = GLOBAL_KEY) =>
			evo('/message/sendText/ventas', { method: 'POST', body: JSON.stringify(body) }, key);

		test('answers 201 with the Baileys messageRaw', async () => {
			const result = await send({ number: '5215598765432', text: 'Olá', delay: 1200 }, VENTAS_TOKEN);
			expect(result.status).toBe(201);
			expect(result.json).toEqual({
				key: { remoteJid: '5215598765432@s.whatsapp.net', fromMe: true, id: expect.stringMatching(/^3EB0[0-9A-F]+$/) },
				pushName: 'Tienda Ventas',
				status: 'PENDING',
				message: { conversation: 'Olá' },
				messageType: 'conversation',
				messageTimestamp: expect.any(Number),
				instanceId: evolutionDefaults.instances.ventas.id,
				source: 'unknown',
			});
			expect(emulator.state.sentMessages).toEqual([expect.objectContaining({ number: '5215598765432', text: 'Olá' })]);
		});

		test('number and text are required (400 envelope with the schema messages)', async () => {
			expectEnvelope(await send({ number: '5215598765432' }), 400, ['instance requires property "text"']);
			expectEnvelope(await send({}), 400, ['instance requires property "number"', 'instance requires property "text"']);
		});

		test('a number not on WhatsApp is 400 with exists:false', async () => {
			expectEnvelope(await send({ number: '5215500000000', text: 'hola' }), 400, [
				{ jid: '5215500000000@s.whatsapp.net', exists: false, number: '5215500000000' },
			]);
		});

		test('an instance that is not open fails with 500 "Connection Closed"', async () => {
			setState('connecting');
			expectEnvelope(await send({ number: '5215598765432', text: 'hola' }), 500, 'Connection Closed');
		});
	});

	// sendMedia is not in apis.md: the shape follows the Evolution v2 docs and is unverified.
	describe('sendMedia', () => {
		const PNG_BASE64 = Buffer.concat([PNG_SIGNATURE, Buffer.from('fake image body')]).toString('base64');
		const image = (extra: Record<string, unknown> = {}) => ({
			number: '5215598765432',
			mediatype: 'image',
			mimetype: 'image/png',
			caption: 'Nuevo catálogo',
			media: PNG_BASE64,
			fileName: 'catalogo.png',
			...extra,
		});
		const sendMedia = (body: unknown, key: string | null = GLOBAL_KEY, instance = 'ventas') =>
			evo(`/message/sendMedia/${instance}`, { method: 'POST', body: JSON.stringify(body) }, key);

		test('answers 201 with a messageRaw carrying an imageMessage, and records the media', async () => {
			const result = await sendMedia(image(), VENTAS_TOKEN);
			expect(result.status).toBe(201);
			expect(result.json).toEqual({
				key: { remoteJid: '5215598765432@s.whatsapp.net', fromMe: true, id: expect.stringMatching(/^3EB0[0-9A-F]+$/) },
				pushName: 'Tienda Ventas',
				status: 'PENDING',
				message: {
					imageMessage: {
						url: expect.stringMatching(/^https:\/\/mmg\.whatsapp\.net\//),
						mimetype: 'image/png',
						caption: 'Nuevo catálogo',
						fileName: 'catalogo.png',
						fileLength: String(PNG_SIGNATURE.length + 'fake image body'.length),
					},
				},
				messageType: 'imageMessage',
				messageTimestamp: expect.any(Number),
				instanceId: evolutionDefaults.instances.ventas.id,
				source: 'unknown',
			});
			expect(emulator.state.sentMessages).toEqual([
				expect.objectContaining({
					number: '5215598765432',
					text: 'Nuevo catálogo',
					mediatype: 'image',
					mimetype: 'image/png',
					fileName: 'catalogo.png',
					mediaBytes: PNG_SIGNATURE.length + 'fake image body'.length,
				}),
			]);
		});

		test('a media URL is accepted (no size known)', async () => {
			const result = await sendMedia(image({ media: 'https://example.com/p.png' }));
			expect(result.status).toBe(201);
			expect(emulator.state.sentMessages[0].mediaBytes).toBeNull();
		});

		test('number, mediatype and media are required; mediatype is an enum', async () => {
			expectEnvelope(await sendMedia({}), 400, [
				'instance requires property "number"',
				'instance requires property "mediatype"',
				'instance requires property "media"',
			]);
			expectEnvelope(await sendMedia(image({ mediatype: undefined })), 400, ['instance requires property "mediatype"']);
			expectEnvelope(await sendMedia(image({ mediatype: 'sticker' })), 400, [
				'instance.mediatype is not one of enum values: image,video,audio,document',
			]);
		});

		test('a data: URI in media is refused: Evolution wants a URL or plain base64', async () => {
			expectEnvelope(await sendMedia(image({ media: `data:image/png;base64,${PNG_BASE64}` })), 400, [
				'Owned media must be a url or base64',
			]);
			expect(emulator.state.sentMessages).toEqual([]);
		});

		test('same guards and failures as sendText: 404 instance first, 401 key, 400 exists:false, 500 Connection Closed', async () => {
			expectEnvelope(await sendMedia(image(), 'nope', 'soporte'), 404, ['The "soporte" instance does not exist']);
			expectEnvelope(await sendMedia(image(), 'nope'), 401, 'Unauthorized');
			expectEnvelope(await sendMedia(image({ number: '5215500000000' })), 400, [
				{ jid: '5215500000000@s.whatsapp.net', exists: false, number: '5215500000000' },
			]);
			setState('close');
			expectEnvelope(await sendMedia(image()), 500, 'Connection Closed');
			expect(emulator.state.sentMessages).toEqual([]);
		});

		test('faults apply to the evolution.sendMedia route id', async () => {
			emulator.setFault('evolution.sendMedia', { status: 429, retryAfter: 3 });
			const limited = await sendMedia(image());
			expectEnvelope(limited, 429, 'Too Many Requests');
			expect(limited.headers.get('retry-after')).toBe('3');
		});
	});

	describe('injected faults use the Evolution envelope', () => {
		test('401', async () => {
			emulator.setFault('evolution.connectionState', { status: 401 });
			expectEnvelope(await evo('/instance/connectionState/ventas'), 401, 'Unauthorized');
		});

		test('429 carries Retry-After only when the fault gives one', async () => {
			emulator.setFault('evolution.sendText', { status: 429, retryAfter: 5 });
			const limited = await evo('/message/sendText/ventas', { method: 'POST', body: '{}' });
			expectEnvelope(limited, 429, 'Too Many Requests');
			expect(limited.headers.get('retry-after')).toBe('5');
			emulator.setFault('evolution.sendText', { status: 429, retryAfter: null });
			const bare = await evo('/message/sendText/ventas', { method: 'POST', body: '{}' });
			expectEnvelope(bare, 429, 'Too Many Requests');
			expect(bare.headers.get('retry-after')).toBeNull();
		});

		test('500, 503, 403 and 404', async () => {
			emulator.setFault('evolution.restart', { status: 500 });
			expectEnvelope(await restart(), 500, 'Internal Server Error');
			emulator.setFault('evolution.restart', { status: 503 });
			expectEnvelope(await restart(), 503, 'Service Unavailable');
			emulator.setFault('evolution.create', { status: 403 });
			expectEnvelope(await evo('/instance/create', { method: 'POST', body: '{}' }), 403, [
				'Missing global api key',
				'The global api key must be set',
			]);
			emulator.setFault('evolution.connect', { status: 404 });
			expectEnvelope(await evo('/instance/connect/ventas'), 404, ['The "ventas" instance does not exist']);
		});
	});

	test('route ids are stable', () => {
		expect(emulator.routeIds).toEqual([
			'evolution.root',
			'evolution.verifyCreds',
			'evolution.metrics',
			'evolution.connectionState',
			'evolution.connect',
			'evolution.restart',
			'evolution.logout',
			'evolution.fetchInstances',
			'evolution.create',
			'evolution.delete',
			'evolution.sendText',
			'evolution.sendMedia',
			'evolution.findMessages',
			'evolution.findStatusMessage',
			'evolution.webhookSet',
			'evolution.webhookFind',
		]);
	});

	describeTransportFaults(() => emulator, {
		routeId: 'evolution.connectionState',
		path: '/instance/connectionState/ventas',
		init: { headers: { apikey: GLOBAL_KEY } },
	});
});
