import { createHash } from 'node:crypto';
import { crc32, inflateSync } from 'node:zlib';

import type { Emulator } from '../../../dev/emulators/core/emulator';
import { call, describeTransportFaults } from './selfTest';
import { PNG_SIGNATURE, qrPng } from '../../../dev/emulators/whatsapp/qrPng';
import { createWahaEmulator, wahaDefaults, type WahaState, type WahaStatus } from '../../../dev/emulators/whatsapp/waha';

const KEY = wahaDefaults.apiKey ?? '';
const NOT_EXPECTED = 'Session status is not as expected. Try again later or restart the session';

function at(value: unknown, ...path: Array<string | number>): unknown {
	let current = value;
	for (const key of path) {
		if (typeof current !== 'object' || current === null) return undefined;
		current = (current as Record<string | number, unknown>)[key];
	}
	return current;
}

interface PngChunk {
	type: string;
	data: Buffer;
	crcOk: boolean;
}

/** Walks a PNG's chunks, checking each CRC, so the test proves the bytes are a real PNG. */
function readPng(png: Buffer): { chunks: PngChunk[]; width: number; height: number; pixels: Buffer } {
	expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
	const chunks: PngChunk[] = [];
	for (let offset = 8; offset < png.length; ) {
		const length = png.readUInt32BE(offset);
		const type = png.subarray(offset + 4, offset + 8).toString('ascii');
		const data = png.subarray(offset + 8, offset + 8 + length);
		const crc = png.readUInt32BE(offset + 8 + length);
		chunks.push({ type, data, crcOk: crc32(png.subarray(offset + 4, offset + 8 + length)) === crc });
		offset += 12 + length;
	}
	const header = chunks[0].data;
	const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
	return { chunks, width: header.readUInt32BE(0), height: header.readUInt32BE(4), pixels: inflateSync(idat) };
}

describe('WAHA emulator', () => {
	let emulator: Emulator<WahaState>;
	beforeEach(async () => {
		emulator = await createWahaEmulator().start();
	});
	afterEach(async () => {
		await emulator.close();
	});

	const waha = (path: string, init: RequestInit = {}, key: string | null = KEY) =>
		call(`${emulator.url}${path}`, {
			...init,
			headers: {
				...(key === null ? {} : { 'x-api-key': key }),
				'content-type': 'application/json',
				...(init.headers ?? {}),
			},
		});
	const action = (name: string, session = 'default') => waha(`/api/sessions/${session}/${name}`, { method: 'POST' });
	const status = async (session = 'default') => at((await waha(`/api/sessions/${session}`)).json, 'status');
	const setStatus = (value: WahaStatus) => emulator.patchState({ sessions: { default: { status: value } } });

	describe('server routes and auth', () => {
		test('GET /ping needs no key', async () => {
			const result = await waha('/ping', {}, null);
			expect(result.status).toBe(200);
			expect(result.json).toEqual({ message: 'pong' });
		});

		test('GET /health needs the key unless excluded, and answers the terminus body', async () => {
			expect((await waha('/health', {}, null)).json).toEqual({ message: 'Unauthorized', statusCode: 401 });
			const healthy = await waha('/health');
			expect(healthy.status).toBe(200);
			expect(healthy.json).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
			emulator.patchState({ apiKeyExcludePaths: ['health'] });
			expect((await waha('/health', {}, null)).status).toBe(200);
		});

		test('healthy:false makes /health a 503 terminus error', async () => {
			emulator.patchState({ healthy: false });
			const result = await waha('/health');
			expect(result.status).toBe(503);
			expect(result.json).toMatchObject({ status: 'error', error: expect.any(Object), details: expect.any(Object) });
		});

		test('a missing or wrong key is Nest 401; the key also works as ?x-api-key=', async () => {
			for (const key of [null, 'wrong']) {
				const result = await waha('/api/sessions/default', {}, key);
				expect(result.status).toBe(401);
				expect(result.json).toEqual({ message: 'Unauthorized', statusCode: 401 });
			}
			const viaQuery = await waha(`/api/sessions/default?x-api-key=${KEY}`, {}, null);
			expect(viaQuery.status).toBe(200);
		});

		test('a sha512:<hex> key accepts the plain secret', async () => {
			const hash = createHash('sha512').update('plain-secret').digest('hex');
			emulator.patchState({ apiKey: `sha512:${hash}` });
			expect((await waha('/api/sessions', {}, 'plain-secret')).status).toBe(200);
			expect((await waha('/api/sessions', {}, `sha512:${hash}`)).status).toBe(401);
		});

		test('unknown paths: 401 under /api without a key, else Nest 404 "Cannot GET"', async () => {
			expect((await waha('/api/nothing', {}, null)).status).toBe(401);
			const result = await waha('/api/nothing');
			expect(result.status).toBe(404);
			expect(result.json).toEqual({ message: 'Cannot GET /api/nothing', error: 'Not Found', statusCode: 404 });
		});
	});

	describe('sessions', () => {
		test('GET a session returns SessionInfo with me while WORKING', async () => {
			const result = await waha('/api/sessions/default');
			expect(result.status).toBe(200);
			expect(result.json).toMatchObject({
				name: 'default',
				status: 'WORKING',
				config: expect.any(Object),
				me: { id: '5215512345678@c.us', pushName: 'Tienda Ventas' },
				engine: { engine: 'WEBJS' },
			});
		});

		test('an unknown session is 404 "Session not found" on info and lifecycle routes', async () => {
			const body = { message: 'Session not found', error: 'Not Found', statusCode: 404 };
			expect((await waha('/api/sessions/nope')).json).toEqual(body);
			for (const name of ['start', 'stop', 'restart', 'logout']) {
				const result = await action(name, 'nope');
				expect(result.status).toBe(404);
				expect(result.json).toEqual(body);
			}
		});

		test('stop → STOPPED (201, me null); listed only with all=true; start → WORKING again', async () => {
			const stopped = await action('stop');
			expect(stopped.status).toBe(201);
			expect(stopped.json).toMatchObject({ status: 'STOPPED', me: null });
			expect((await waha('/api/sessions')).json).toEqual([]);
			expect((await waha('/api/sessions?all=true')).json).toEqual([expect.objectContaining({ name: 'default' })]);
			expect((await action('start')).json).toMatchObject({ status: 'WORKING', me: { pushName: 'Tienda Ventas' } });
		});

		test('start of a running session is a no-op', async () => {
			setStatus('FAILED');
			expect((await action('start')).json).toMatchObject({ status: 'FAILED' });
		});

		test('restart of a FAILED session heals to WORKING (restartHeals)', async () => {
			setStatus('FAILED');
			const result = await action('restart');
			expect(result.status).toBe(201);
			expect(result.json).toMatchObject({ name: 'default', status: 'WORKING' });
		});

		test('without restartHeals a restart lands in unhealedStatus (FAILED by default)', async () => {
			emulator.patchState({ restartHeals: false });
			setStatus('FAILED');
			expect((await action('restart')).json).toMatchObject({ status: 'FAILED' });
			emulator.patchState({ unhealedStatus: 'SCAN_QR_CODE' });
			expect((await action('restart')).json).toMatchObject({ status: 'SCAN_QR_CODE', me: null });
			// The rejected auth is gone: healing is off the table until someone scans.
			emulator.patchState({ restartHeals: true });
			expect((await action('restart')).json).toMatchObject({ status: 'SCAN_QR_CODE' });
		});

		test('logout wipes the auth and starts again into SCAN_QR_CODE', async () => {
			const result = await action('logout');
			expect(result.json).toMatchObject({ status: 'SCAN_QR_CODE', me: null });
			expect(emulator.state.sessions.default.account).toBeNull();
			expect((await action('restart')).json).toMatchObject({ status: 'SCAN_QR_CODE' });
		});

		test('logout of a STOPPED session leaves it STOPPED', async () => {
			await action('stop');
			expect((await action('logout')).json).toMatchObject({ status: 'STOPPED' });
		});

		test('state switches work over HTTP (PATCH /__emulator/state)', async () => {
			const patched = await call(`${emulator.url}/__emulator/state`, {
				method: 'PATCH',
				body: JSON.stringify({ restartHeals: false, sessions: { default: { status: 'FAILED' } } }),
			});
			expect(patched.status).toBe(200);
			expect(await status()).toBe('FAILED');
			expect((await action('restart')).json).toMatchObject({ status: 'FAILED' });
		});

		test('with startingMs the session reports STARTING, then settles', async () => {
			emulator.patchState({ startingMs: 150 });
			expect((await action('restart')).json).toMatchObject({ status: 'STARTING' });
			expect(await status()).toBe('STARTING');
			await new Promise((resolve) => setTimeout(resolve, 200));
			expect(await status()).toBe('WORKING');
		});

		test('POST /api/sessions creates (201) and can start; an existing name is 422', async () => {
			const created = await waha('/api/sessions', {
				method: 'POST',
				body: JSON.stringify({ name: 'soporte', start: true, config: { debug: true } }),
			});
			expect(created.status).toBe(201);
			expect(created.json).toMatchObject({ name: 'soporte', status: 'SCAN_QR_CODE', config: { debug: true } });
			const again = await waha('/api/sessions', { method: 'POST', body: JSON.stringify({ name: 'soporte' }) });
			expect(again.status).toBe(422);
			expect(again.json).toEqual({
				message: "Session 'soporte' already exists. Use PUT to update it.",
				error: 'Unprocessable Entity',
				statusCode: 422,
			});
		});

		test('PUT updates the config (404 when unknown); DELETE is idempotent', async () => {
			const body = JSON.stringify({ config: { debug: true } });
			const updated = await waha('/api/sessions/default', { method: 'PUT', body });
			expect(updated.status).toBe(200);
			expect(updated.json).toMatchObject({ status: 'WORKING', config: { debug: true } });
			expect((await waha('/api/sessions/nope', { method: 'PUT', body: '{}' })).status).toBe(404);
			expect((await waha('/api/sessions/default', { method: 'DELETE' })).status).toBe(200);
			expect((await waha('/api/sessions/default')).status).toBe(404);
			expect((await waha('/api/sessions/default', { method: 'DELETE' })).status).toBe(200);
		});

		test('me: {id,pushName} while WORKING, an empty 200 otherwise, 404 when STOPPED', async () => {
			const working = await waha('/api/sessions/default/me');
			expect(working.json).toEqual({ id: '5215512345678@c.us', pushName: 'Tienda Ventas' });
			setStatus('SCAN_QR_CODE');
			const empty = await waha('/api/sessions/default/me');
			expect(empty.status).toBe(200);
			expect(empty.text).toBe('');
			setStatus('STOPPED');
			const stopped = await waha('/api/sessions/default/me');
			expect(stopped.status).toBe(404);
			expect(stopped.json).toEqual({
				message:
					"We didn't find a session with name 'default'.\n" +
					'Please start it first by using POST /api/sessions/default/start request',
				error: 'Not Found',
				statusCode: 404,
			});
		});
	});

	describe('QR and pairing code', () => {
		test('not in SCAN_QR_CODE → 422 with the documented body', async () => {
			const result = await waha('/api/default/auth/qr?format=image');
			expect(result.status).toBe(422);
			expect(result.json).toEqual({
				error: NOT_EXPECTED,
				session: 'default',
				status: 'WORKING',
				expected: ['SCAN_QR_CODE'],
			});
		});

		test('default: raw PNG bytes with Content-Type image/png, a valid PNG', async () => {
			await action('logout');
			const response = await fetch(`${emulator.url}/api/default/auth/qr`, { headers: { 'x-api-key': KEY } });
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('image/png');
			const png = Buffer.from(await response.arrayBuffer());
			expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
			const decoded = readPng(png);
			expect(decoded.chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
			expect(decoded.chunks.every((c) => c.crcOk)).toBe(true);
			expect(decoded.width).toBeGreaterThan(21);
			expect(decoded.pixels.length).toBe(decoded.height * (decoded.width + 1));
			expect(new Set(decoded.pixels.filter((_, i) => i % (decoded.width + 1) !== 0))).toEqual(new Set([0, 255]));
		});

		test('format=image with Accept: application/json → {mimetype,data}', async () => {
			setStatus('SCAN_QR_CODE');
			const result = await waha('/api/default/auth/qr?format=image', { headers: { accept: 'application/json' } });
			expect(result.status).toBe(200);
			expect(result.json).toEqual({ mimetype: 'image/png', data: expect.stringMatching(/^iVBORw0KGgo/) });
			const png = Buffer.from(String(at(result.json, 'data')), 'base64');
			expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
		});

		test('format=raw → {value}; a new start gives a new QR value', async () => {
			await action('logout');
			const first = await waha('/api/default/auth/qr?format=raw');
			expect(first.json).toEqual({ value: expect.stringMatching(/^2@/) });
			await action('restart');
			const second = await waha('/api/default/auth/qr?format=raw');
			expect(at(second.json, 'value')).not.toBe(at(first.json, 'value'));
		});

		test('the QR route waits up to qrWaitMs for SCAN_QR_CODE', async () => {
			emulator.patchState({ qrWaitMs: 2_000 });
			setStatus('STARTING');
			setTimeout(() => setStatus('SCAN_QR_CODE'), 300);
			const result = await waha('/api/default/auth/qr?format=raw');
			expect(result.status).toBe(200);
			expect(result.elapsedMs).toBeGreaterThanOrEqual(290);
		});

		test('…and gives up with 422 when the wait is over', async () => {
			emulator.patchState({ qrWaitMs: 600 });
			const result = await waha('/api/default/auth/qr');
			expect(result.status).toBe(422);
			expect(result.elapsedMs).toBeGreaterThanOrEqual(590);
		});

		test('a STOPPED session has no QR: 404 "We didn\'t find a session"', async () => {
			await action('stop');
			const result = await waha('/api/default/auth/qr');
			expect(result.status).toBe(404);
			expect(String(at(result.json, 'message'))).toMatch(/^We didn't find a session with name 'default'/);
		});

		test('request-code gives a pairing code in SCAN_QR_CODE, 422 otherwise, 400 without phoneNumber', async () => {
			const path = '/api/default/auth/request-code';
			const body = JSON.stringify({ phoneNumber: '12132132130', method: null });
			expect((await waha(path, { method: 'POST', body })).status).toBe(422);
			setStatus('SCAN_QR_CODE');
			const result = await waha(path, { method: 'POST', body });
			expect(result.status).toBe(201);
			expect(result.json).toEqual({ code: expect.stringMatching(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/) });
			const missing = await waha(path, { method: 'POST', body: '{}' });
			expect(missing.status).toBe(400);
			expect(missing.json).toEqual({ message: ['phoneNumber must be a string'], error: 'Bad Request', statusCode: 400 });
		});
	});

	describe('sendText', () => {
		const send = (body: unknown) => waha('/api/sendText', { method: 'POST', body: JSON.stringify(body) });

		test('WORKING → 201 with the message', async () => {
			const result = await send({ session: 'default', chatId: '5215598765432@c.us', text: 'Hola', reply_to: null });
			expect(result.status).toBe(201);
			expect(result.json).toMatchObject({
				id: { fromMe: true, remote: '5215598765432@c.us', id: expect.stringMatching(/^3EB0/) },
				body: 'Hola',
				fromMe: true,
				to: '5215598765432@c.us',
			});
			expect(emulator.state.sentMessages).toEqual([
				expect.objectContaining({ chatId: '5215598765432@c.us', text: 'Hola' }),
			]);
		});

		test('not WORKING → 422 expecting WORKING; STOPPED → 404; missing chatId → 400', async () => {
			setStatus('SCAN_QR_CODE');
			const waiting = await send({ chatId: '1@c.us', text: 'x' });
			expect(waiting.status).toBe(422);
			expect(waiting.json).toEqual({
				error: NOT_EXPECTED,
				session: 'default',
				status: 'SCAN_QR_CODE',
				expected: ['WORKING'],
			});
			setStatus('STOPPED');
			expect((await send({ chatId: '1@c.us', text: 'x' })).status).toBe(404);
			const invalid = await send({ text: 'x' });
			expect(invalid.status).toBe(400);
			expect(invalid.json).toMatchObject({ message: ['chatId must be a string'], statusCode: 400 });
		});
	});

	describe('sendImage (not in apis.md; shape from WAHA docs, unverified)', () => {
		const send = (body: unknown) => waha('/api/sendImage', { method: 'POST', body: JSON.stringify(body) });
		const png = qrPng('producto');
		const file = { mimetype: 'image/png', filename: 'producto.png', data: png.toString('base64') };

		test('WORKING → 201 with a sendText-shaped message; the image is recorded', async () => {
			const result = await send({ session: 'default', chatId: '5215598765432@c.us', file, caption: 'Nuevo' });
			expect(result.status).toBe(201);
			expect(result.json).toMatchObject({
				id: { fromMe: true, remote: '5215598765432@c.us', id: expect.stringMatching(/^3EB0/), _serialized: expect.any(String) },
				ack: 0,
				hasMedia: true,
				body: 'Nuevo',
				type: 'image',
				fromMe: true,
				to: '5215598765432@c.us',
			});
			expect(emulator.state.sentMessages).toEqual([
				expect.objectContaining({
					chatId: '5215598765432@c.us',
					text: 'Nuevo',
					media: { mimetype: 'image/png', filename: 'producto.png', bytes: png.length, url: null },
				}),
			]);
		});

		test('a URL instead of data is accepted; the caption is optional', async () => {
			const result = await send({ chatId: '1@c.us', file: { mimetype: 'image/jpeg', url: 'https://example.invalid/a.jpg' } });
			expect(result.status).toBe(201);
			expect(result.json).toMatchObject({ body: '', hasMedia: true });
			expect(emulator.state.sentMessages[0].media).toEqual({ mimetype: 'image/jpeg', filename: null, bytes: 0, url: 'https://example.invalid/a.jpg' });
		});

		test('missing chatId / file fields or non-base64 data → Nest 400 listing the problems', async () => {
			const missing = await send({ file: { filename: 'x.png' } });
			expect(missing.status).toBe(400);
			expect(missing.json).toEqual({
				message: ['chatId must be a string', 'file.mimetype must be a string', 'file.data or file.url must be given'],
				error: 'Bad Request',
				statusCode: 400,
			});
			const notBase64 = await send({ chatId: '1@c.us', file: { mimetype: 'image/png', data: 'not base64!' } });
			expect(notBase64.status).toBe(400);
			expect(notBase64.json).toMatchObject({ message: ['file.data must be base64'] });
			expect(emulator.state.sentMessages).toEqual([]);
		});

		test('not WORKING → 422 expecting WORKING; STOPPED → 404; no key → 401', async () => {
			setStatus('FAILED');
			const failed = await send({ chatId: '1@c.us', file });
			expect(failed.status).toBe(422);
			expect(failed.json).toEqual({ error: NOT_EXPECTED, session: 'default', status: 'FAILED', expected: ['WORKING'] });
			setStatus('STOPPED');
			const stopped = await send({ chatId: '1@c.us', file });
			expect(stopped.status).toBe(404);
			expect(String(at(stopped.json, 'message'))).toMatch(/^We didn't find a session with name 'default'/);
			const anonymous = await waha('/api/sendImage', { method: 'POST', body: JSON.stringify({ chatId: '1@c.us', file }) }, null);
			expect(anonymous.status).toBe(401);
			expect(emulator.state.sentMessages).toEqual([]);
		});

		test('faults apply to waha.sendImage', async () => {
			emulator.setFault('waha.sendImage', { status: 500, times: 1 });
			expect((await send({ chatId: '1@c.us', file })).status).toBe(500);
			expect((await send({ chatId: '1@c.us', file })).status).toBe(201);
			expect(emulator.requests('waha.sendImage')).toHaveLength(2);
		});
	});

	describe('injected faults use Nest / WAHA bodies', () => {
		test('401', async () => {
			emulator.setFault('waha.getSession', { status: 401 });
			const result = await waha('/api/sessions/default');
			expect(result.status).toBe(401);
			expect(result.json).toEqual({ message: 'Unauthorized', statusCode: 401 });
		});

		test('429 with Retry-After when given, none when null', async () => {
			emulator.setFault('waha.sendText', { status: 429, retryAfter: 3 });
			const limited = await waha('/api/sendText', { method: 'POST', body: '{}' });
			expect(limited.status).toBe(429);
			expect(limited.json).toEqual({ statusCode: 429, message: 'ThrottlerException: Too Many Requests' });
			expect(limited.headers.get('retry-after')).toBe('3');
			emulator.setFault('waha.sendText', { status: 429, retryAfter: null });
			expect((await waha('/api/sendText', { method: 'POST', body: '{}' })).headers.get('retry-after')).toBeNull();
		});

		test("500 is WAHA's exception-filter body, without the api key", async () => {
			emulator.setFault('waha.restart', { status: 500 });
			const result = await waha(`/api/sessions/default/restart?x-api-key=${KEY}`, { method: 'POST' }, null);
			expect(result.status).toBe(500);
			expect(result.json).toMatchObject({
				statusCode: 500,
				timestamp: expect.any(String),
				exception: { message: expect.any(String), name: expect.any(String) },
				request: { path: '/api/sessions/default/restart', method: 'POST', query: {} },
				version: { version: wahaDefaults.version, engine: 'WEBJS' },
			});
		});

		test('404 on a session route, 422 on the QR route, 403 and 503', async () => {
			emulator.setFault('waha.start', { status: 404 });
			expect((await action('start')).json).toEqual({ message: 'Session not found', error: 'Not Found', statusCode: 404 });
			emulator.setFault('waha.qr', { status: 422 });
			expect((await waha('/api/default/auth/qr')).json).toMatchObject({ error: NOT_EXPECTED, expected: ['SCAN_QR_CODE'] });
			emulator.setFault('waha.listSessions', { status: 403 });
			const forbidden = await waha('/api/sessions');
			expect(forbidden.json).toEqual({ message: 'Forbidden resource', error: 'Forbidden', statusCode: 403 });
			emulator.setFault('waha.health', { status: 503 });
			expect((await waha('/health')).json).toEqual({ message: 'Service Unavailable', statusCode: 503 });
		});
	});

	test('route ids are stable', () => {
		expect(emulator.routeIds).toEqual([
			'waha.ping',
			'waha.health',
			'waha.listSessions',
			'waha.createSession',
			'waha.getSession',
			'waha.updateSession',
			'waha.deleteSession',
			'waha.start',
			'waha.stop',
			'waha.restart',
			'waha.logout',
			'waha.me',
			'waha.qr',
			'waha.requestCode',
			'waha.sendText',
			'waha.sendImage',
			'waha.chatMessages',
			'waha.chatMessage',
		]);
	});

	describeTransportFaults(() => emulator, {
		routeId: 'waha.getSession',
		path: '/api/sessions/default',
		init: { headers: { 'x-api-key': KEY } },
	});
});
