import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { causeOfHttpFailure, httpRequest, httpRequestHonouringRetryAfter, type HttpFailure } from '../../../nodes/shared/http';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import { defineEmulator, type Emulator } from '../../../dev/emulators/core/emulator';

function createTargetEmulator(): Emulator<{ hits: number }> {
	return defineEmulator({
		name: 'target',
		initialState: () => ({ hits: 0 }),
		routes: [
			{ id: 'target.json', method: ['GET', 'POST'], path: '/json', handler: (req) => ({ status: 200, body: { ok: true, got: req.body ?? null } }) },
			{ id: 'target.text', method: 'GET', path: '/text', handler: () => ({ status: 200, text: 'ok' }) },
			{ id: 'target.png', method: 'GET', path: '/png', handler: () => ({ status: 200, raw: Buffer.from([0x89, 0x50, 0x4e, 0x47]), contentType: 'image/png' }) },
		],
		faultReply: (status, ctx) => ({
			status,
			body: { error: { code: status, message: 'injected' } },
			headers: status === 429 && ctx.retryAfter !== null ? { 'retry-after': String(ctx.retryAfter) } : ({} as Record<string, string>),
		}),
		notFound: () => ({ status: 404, body: { error: 'not found' } }),
	});
}

function asFailure(outcome: Awaited<ReturnType<typeof httpRequest>>): HttpFailure {
	if (outcome.ok) throw new Error(`expected a failure, got HTTP ${outcome.status}`);
	return outcome;
}

describe('httpRequest against a real local server', () => {
	let emulator: Emulator<{ hits: number }>;
	beforeEach(async () => {
		emulator = await createTargetEmulator().start();
	});
	afterEach(async () => {
		await emulator.close();
	});

	test('parses JSON, text and binary bodies and reports the duration', async () => {
		const json = await httpRequest({ method: 'POST', url: `${emulator.url}/json`, body: { a: 1 } });
		expect(json).toMatchObject({ ok: true, status: 200, data: { ok: true, got: { a: 1 } } });
		const text = await httpRequest({ method: 'GET', url: `${emulator.url}/text`, responseType: 'text' });
		expect(text).toMatchObject({ ok: true, data: 'ok' });
		const png = await httpRequest<Buffer>({ method: 'GET', url: `${emulator.url}/png`, responseType: 'binary' });
		expect(png.ok && Buffer.isBuffer(png.data) && png.data[1]).toBe(0x50);
		expect(json.durationMs).toBeGreaterThanOrEqual(0);
	});

	test('a hanging server is a timeout result within the deadline, not a hung call', async () => {
		emulator.setFault('target.json', { hang: true });
		const started = Date.now();
		const failure = asFailure(await httpRequest({ method: 'GET', url: `${emulator.url}/json`, timeoutMs: 300 }));
		expect(Date.now() - started).toBeLessThan(1_300);
		expect(failure.kind).toBe('timeout');
		expect(failure.message).toMatch(/did not answer within 300 ms/);
		expect(causeOfHttpFailure(failure, 'Evolution API').code).toBe('net.timeout');
	});

	test('a slow body that drips past the deadline is still cut at the deadline', async () => {
		const server = http.createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			const timer = setInterval(() => res.write(' '), 50);
			res.on('close', () => clearInterval(timer));
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		const port = (server.address() as AddressInfo).port;
		const started = Date.now();
		const failure = asFailure(await httpRequest({ method: 'GET', url: `http://127.0.0.1:${port}/`, timeoutMs: 400 }));
		expect(failure.kind).toBe('timeout');
		expect(Date.now() - started).toBeLessThan(1_400);
		server.closeAllConnections();
		await new Promise((r) => server.close(r));
	});

	test('latency under the deadline is a normal success', async () => {
		emulator.setFault('target.json', { latencyMs: 150 });
		const outcome = await httpRequest({ method: 'GET', url: `${emulator.url}/json`, timeoutMs: 2_000 });
		expect(outcome.ok).toBe(true);
		expect(outcome.durationMs).toBeGreaterThanOrEqual(140);
	});

	test('a reset connection is classified as reset', async () => {
		emulator.setFault('target.json', { reset: true });
		const failure = asFailure(await httpRequest({ method: 'GET', url: `${emulator.url}/json` }));
		expect(failure.kind).toBe('reset');
		expect(causeOfHttpFailure(failure, 'WAHA').code).toBe('net.reset');
	});

	test('a closed port is unreachable', async () => {
		const url = emulator.url;
		await emulator.close();
		const failure = asFailure(await httpRequest({ method: 'GET', url: `${url}/json` }));
		expect(failure.kind).toBe('unreachable');
		expect(causeOfHttpFailure(failure, 'Groq').code).toBe('net.unreachable');
		emulator = await createTargetEmulator().start();
	});

	test.each([
		[401, 'auth', 'auth.invalid_credentials', true],
		[403, 'forbidden', 'auth.forbidden', true],
		[500, 'server_error', 'provider.server_error', false],
		[503, 'server_error', 'provider.server_error', false],
		[400, 'client_error', 'provider.bad_request', true],
	] as const)('HTTP %i is %s → %s', async (status, kind, code, needsHuman) => {
		emulator.setFault('target.json', { status });
		const failure = asFailure(await httpRequest({ method: 'GET', url: `${emulator.url}/json` }));
		expect(failure).toMatchObject({ kind, status, data: { error: { code: status, message: 'injected' } } });
		const cause = causeOfHttpFailure(failure, 'MercadoPago');
		expect(cause).toMatchObject({ code, needsHuman });
	});

	test('429 carries the provider retry-after; without it the wait is unknown', async () => {
		emulator.setFault('target.json', { status: 429, retryAfter: 7 });
		const limited = asFailure(await httpRequest({ method: 'GET', url: `${emulator.url}/json` }));
		expect(limited).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7_000 });
		expect(causeOfHttpFailure(limited, 'Groq').message).toMatch(/retry after 7 s/);
		emulator.setFault('target.json', { status: 429, retryAfter: null });
		expect(asFailure(await httpRequest({ method: 'GET', url: `${emulator.url}/json` })).retryAfterMs).toBeNull();
	});

	test('a 404 is provider.not_found', async () => {
		const failure = asFailure(await httpRequest({ method: 'GET', url: `${emulator.url}/missing` }));
		expect(causeOfHttpFailure(failure, 'WAHA').code).toBe('provider.not_found');
	});

	test('a truncated JSON body is malformed, keeping the raw text', async () => {
		emulator.setFault('target.json', { malformed: true });
		const failure = asFailure(await httpRequest({ method: 'GET', url: `${emulator.url}/json` }));
		expect(failure.kind).toBe('malformed');
		expect(typeof failure.data).toBe('string');
		expect(causeOfHttpFailure(failure, 'PayPal').code).toBe('provider.malformed_response');
	});

	test('failure messages never contain the secrets of the call', async () => {
		const secret = 'EAAsecretgraphtoken999';
		const url = emulator.url;
		await emulator.close();
		const failure = asFailure(
			await httpRequest({ method: 'GET', url: `${url}/json?access_token=${secret}`, secrets: [secret] }),
		);
		expect(JSON.stringify(failure)).not.toContain(secret);
		emulator = await createTargetEmulator().start();
	});

	test('failures turn into valid contract results', async () => {
		emulator.setFault('target.json', { status: 500 });
		const failure = asFailure(await httpRequest({ method: 'GET', url: `${emulator.url}/json` }));
		const result = new CheckRecorder('llm', 'groq').fail('models', causeOfHttpFailure(failure, 'Groq')).result();
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.cause?.retryable).toBe(true);
	});
});

describe('httpRequestHonouringRetryAfter', () => {
	let emulator: Emulator<{ hits: number }>;
	beforeEach(async () => {
		emulator = await createTargetEmulator().start();
	});
	afterEach(async () => {
		await emulator.close();
	});

	test('a 429 whose Retry-After fits in the timeout is waited out and retried once', async () => {
		emulator.setFault('target.json', { status: 429, retryAfter: 0.3, times: 1 });
		const started = Date.now();
		const outcome = await httpRequestHonouringRetryAfter({ method: 'GET', url: `${emulator.url}/json`, timeoutMs: 2_000 });
		expect(outcome).toMatchObject({ ok: true, retried: true });
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(emulator.requests('target.json')).toHaveLength(2);
	});

	test('a Retry-After longer than the timeout is not waited for', async () => {
		emulator.setFault('target.json', { status: 429, retryAfter: 5 });
		const started = Date.now();
		const outcome = await httpRequestHonouringRetryAfter({ method: 'GET', url: `${emulator.url}/json`, timeoutMs: 1_000 });
		expect(outcome).toMatchObject({ ok: false, kind: 'rate_limited', retried: false, retryAfterMs: 5_000 });
		expect(Date.now() - started).toBeLessThan(500);
		expect(emulator.requests('target.json')).toHaveLength(1);
	});

	test('a 429 without Retry-After is returned at once; a second 429 after the wait is final', async () => {
		emulator.setFault('target.json', { status: 429, retryAfter: null });
		expect(await httpRequestHonouringRetryAfter({ method: 'GET', url: `${emulator.url}/json`, timeoutMs: 1_000 })).toMatchObject({ ok: false, retried: false });
		emulator.setFault('target.json', { status: 429, retryAfter: 0.1 });
		expect(await httpRequestHonouringRetryAfter({ method: 'GET', url: `${emulator.url}/json`, timeoutMs: 2_000 })).toMatchObject({ ok: false, kind: 'rate_limited', retried: true });
		expect(emulator.requests('target.json')).toHaveLength(3);
	});
});
