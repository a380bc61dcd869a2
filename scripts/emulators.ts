/**
 * `npm run emulators`: runs the emulated SaaS stack on fixed local ports so a person
 * (or the demo) can point credentials at it and break it on purpose over HTTP:
 *
 *   curl -X PUT localhost:3901/__emulator/faults/evolution.connectionState -d '{"status":500}'
 *   curl -X PATCH localhost:3901/__emulator/state -d '{"instances":{"ventas":{"state":"close"}}}'
 *   curl -X POST localhost:3901/__emulator/reset
 *
 * EMULATORS_BASE_PORT (default 3900) moves the whole range.
 */
import { startEmulatedStack, STACK, type EmulatorName } from '../dev/emulators/stack';

async function main(): Promise<void> {
	const basePort = Number(process.env.EMULATORS_BASE_PORT || 3900);
	if (!Number.isInteger(basePort) || basePort < 1 || basePort > 65_000) {
		throw new Error(`EMULATORS_BASE_PORT must be a port number, got ${process.env.EMULATORS_BASE_PORT}`);
	}
	const stack = await startEmulatedStack({ basePort });
	for (const name of Object.keys(STACK) as EmulatorName[]) {
		console.log(`${name.padEnd(12)} ${stack[name].url}   (routes: ${stack[name].url}/__emulator/routes)`);
	}
	console.log('Faults: PUT <url>/__emulator/faults/<routeId> {"latencyMs"|"hang"|"reset"|"status"|"retryAfter"|"malformed"|"times"}; Ctrl+C stops.');
	await new Promise<void>((resolve) => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
	});
	await stack.close();
}

main().catch((error: unknown) => {
	const message = error instanceof Error ? error.message : String(error);
	console.error(`[emulators] ${/EADDRINUSE/.test(message) ? `a port in the range is taken (${message}); set EMULATORS_BASE_PORT` : message}`);
	process.exit(1);
});
