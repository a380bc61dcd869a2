import { startEmulatedStack, STACK, type EmulatedStack } from '../../emulators/stack';
import { call } from '../../emulators/core/selfTest';

describe('the emulated stack', () => {
	let stack: EmulatedStack;
	afterEach(async () => {
		await stack?.close();
	});

	test('starts every emulator on its own port, each with its control API', async () => {
		stack = await startEmulatedStack();
		const names = Object.keys(STACK) as Array<keyof typeof STACK>;
		const urls = new Set(names.map((name) => stack[name].url));
		expect(urls.size).toBe(names.length);
		for (const name of names) {
			const routes = await call(`${stack[name].url}/__emulator/routes`);
			expect(routes.status).toBe(200);
			expect((routes.json as string[]).length).toBeGreaterThan(0);
		}
	});

	test('a fixed base port gives each emulator base + offset, and a taken range fails whole', async () => {
		const { freePort } = await import('../../../scripts/lib/ports');
		const base = (await freePort()) + 0;
		stack = await startEmulatedStack({ basePort: base });
		expect(stack.cloudApi.url).toBe(`http://127.0.0.1:${base}`);
		expect(stack.slack.url).toBe(`http://127.0.0.1:${base + 8}`);
		await expect(startEmulatedStack({ basePort: base })).rejects.toThrow(/EADDRINUSE/);
	});
});
