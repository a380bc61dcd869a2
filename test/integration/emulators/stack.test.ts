import { startEmulatedStack, STACK, type EmulatedStack } from '../../../dev/emulators/stack';
import { call } from './selfTest';

describe('the emulated stack', () => {
	let stack: EmulatedStack | undefined;
	afterEach(async () => {
		await stack?.close();
		stack = undefined;
	});

	test('starts every emulator on its own port, each with its control API', async () => {
		const started = await startEmulatedStack();
		stack = started;
		const names = Object.keys(STACK) as Array<keyof typeof STACK>;
		const urls = new Set(names.map((name) => started[name].url));
		expect(urls.size).toBe(names.length);
		for (const name of names) {
			const routes = await call(`${started[name].url}/__emulator/routes`);
			expect(routes.status).toBe(200);
			expect((routes.json as string[]).length).toBeGreaterThan(0);
		}
	});

	test('a fixed base port gives each emulator base + offset, and a taken range fails whole', async () => {
		const { freePort } = await import('../../../scripts/lib/ports');
		// Other suites open ports in parallel: a range found free may be taken a moment later, so try a few.
		let base = 0;
		for (let attempt = 0; attempt < 5 && !stack; attempt += 1) {
			base = await freePort();
			stack = await startEmulatedStack({ basePort: base }).catch((error: Error) => {
				if (!/EADDRINUSE/.test(error.message)) throw error;
				return undefined;
			});
		}
		expect(stack?.cloudApi.url).toBe(`http://127.0.0.1:${base}`);
		expect(stack?.slack.url).toBe(`http://127.0.0.1:${base + 8}`);
		await expect(startEmulatedStack({ basePort: base })).rejects.toThrow(/EADDRINUSE/);
	});
});
