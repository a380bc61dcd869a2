import { defineEmulator, type Emulator } from '../../../dev/emulators/core/emulator';
import { call, describeTransportFaults } from './selfTest';

interface EchoState {
	greeting: string;
	nested: { count: number; label: string };
}

function createEchoEmulator(): Emulator<EchoState> {
	return defineEmulator<EchoState>({
		name: 'echo',
		initialState: () => ({ greeting: 'hello', nested: { count: 1, label: 'a' } }),
		routes: [
			{
				id: 'echo.greet',
				method: 'GET',
				path: '/greet/:name',
				handler: (req) => ({ status: 200, body: { text: `${req.state.greeting} ${req.params.name}` } }),
			},
			{
				id: 'echo.form',
				method: ['POST', 'PUT'],
				path: '/form',
				handler: (req) => ({ status: 201, body: { received: req.body } }),
			},
		],
		faultReply: (status, ctx) => ({
			status,
			body: { error: `injected ${status}` },
			headers: status === 429 && ctx.retryAfter !== null ? { 'retry-after': String(ctx.retryAfter) } : ({} as Record<string, string>),
		}),
		notFound: (req) => ({ status: 404, body: { error: `no ${req.path}` } }),
		commonHeaders: () => ({ 'x-echo': '1' }),
	});
}

describe('emulator engine', () => {
	let emulator: Emulator<EchoState>;
	beforeEach(async () => {
		emulator = await createEchoEmulator().start();
	});
	afterEach(async () => {
		await emulator.close();
	});

	test('routes by method and path template, with common headers', async () => {
		const result = await call(`${emulator.url}/greet/ana`);
		expect(result.status).toBe(200);
		expect(result.json).toEqual({ text: 'hello ana' });
		expect(result.headers.get('x-echo')).toBe('1');
		const form = await call(`${emulator.url}/form`, {
			method: 'PUT',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials',
		});
		expect(form.json).toEqual({ received: { grant_type: 'client_credentials' } });
	});

	test('unknown paths and wrong methods get the provider 404', async () => {
		expect((await call(`${emulator.url}/nope`)).json).toEqual({ error: 'no /nope' });
		expect((await call(`${emulator.url}/greet/x`, { method: 'DELETE' })).status).toBe(404);
	});

	test('records every request with route id, headers and parsed body', async () => {
		await call(`${emulator.url}/form?x=1`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: 'Bearer abc' },
			body: JSON.stringify({ a: 1 }),
		});
		const [recorded] = emulator.requests('echo.form');
		expect(recorded.query).toEqual({ x: '1' });
		expect(recorded.headers.authorization).toBe('Bearer abc');
		expect(recorded.body).toEqual({ a: 1 });
	});

	test('status faults use the provider reply; 429 carries Retry-After unless null', async () => {
		emulator.setFault('echo.greet', { status: 429, retryAfter: 7 });
		const limited = await call(`${emulator.url}/greet/x`);
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('7');
		emulator.setFault('echo.greet', { status: 429, retryAfter: null });
		expect((await call(`${emulator.url}/greet/x`)).headers.get('retry-after')).toBeNull();
	});

	test('a wildcard fault applies to every route; a route fault wins over it', async () => {
		emulator.setFault('*', { status: 500 });
		emulator.setFault('echo.form', { status: 401 });
		expect((await call(`${emulator.url}/greet/x`)).status).toBe(500);
		expect((await call(`${emulator.url}/form`, { method: 'POST' })).status).toBe(401);
	});

	test('setFault rejects an unknown route id', () => {
		expect(() => emulator.setFault('echo.nope', { status: 500 })).toThrow(/no route 'echo.nope'/);
	});

	test('state is patchable over HTTP (deep merge) and reset restores it', async () => {
		const patched = await call(`${emulator.url}/__emulator/state`, {
			method: 'PATCH',
			body: JSON.stringify({ greeting: 'hola', nested: { count: 5 } }),
		});
		expect(patched.json).toEqual({ greeting: 'hola', nested: { count: 5, label: 'a' } });
		expect((await call(`${emulator.url}/greet/x`)).json).toEqual({ text: 'hola x' });
		await call(`${emulator.url}/__emulator/reset`, { method: 'POST' });
		expect((await call(`${emulator.url}/greet/x`)).json).toEqual({ text: 'hello x' });
	});

	test('the control API answers bad JSON and unknown routes with 400/404 JSON errors', async () => {
		const bad = await call(`${emulator.url}/__emulator/state`, { method: 'PATCH', body: '{nope' });
		expect(bad.status).toBe(400);
		expect(bad.json).toEqual({ error: 'control body is not valid JSON' });
		const unknown = await call(`${emulator.url}/__emulator/faults/echo.nope`, { method: 'PUT', body: '{}' });
		expect(unknown.status).toBe(400);
		expect((await call(`${emulator.url}/__emulator/what`)).status).toBe(404);
	});

	test('close() ends hung requests instead of waiting for them', async () => {
		emulator.setFault('echo.greet', { hang: true });
		const pending = call(`${emulator.url}/greet/x`, { timeoutMs: 10_000 }).catch((e: Error) => e);
		await new Promise((r) => setTimeout(r, 100));
		const started = Date.now();
		await emulator.close();
		expect(Date.now() - started).toBeLessThan(1_000);
		expect(((await pending) as Error).message).toMatch(/fetch failed/);
		emulator = await createEchoEmulator().start();
	});

	describeTransportFaults(() => emulator, { routeId: 'echo.greet', path: '/greet/x' });
});
