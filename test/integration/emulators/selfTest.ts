/**
 * Helpers for the emulator self-tests: the transport-level fault switches behave the
 * same on every emulator, so each suite calls `describeTransportFaults` once for a
 * representative route and asserts its provider-specific error bodies itself.
 */
import type { Emulator } from '../../../dev/emulators/core/emulator';

export interface RawResult {
	status: number;
	headers: Headers;
	text: string;
	json: unknown;
	elapsedMs: number;
}

/** A plain fetch with a client-side timeout, returning the body both as text and JSON. */
export async function call(
	url: string,
	init: RequestInit & { timeoutMs?: number } = {},
): Promise<RawResult> {
	const started = Date.now();
	const response = await fetch(url, {
		...init,
		signal: AbortSignal.timeout(init.timeoutMs ?? 5_000),
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json, elapsedMs: Date.now() - started };
}

/** Resolves to the error a failed fetch threw (cause included), or fails the test. */
export async function callError(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Error> {
	try {
		await call(url, init);
	} catch (error) {
		return error as Error;
	}
	throw new Error(`expected ${url} to fail at the transport level`);
}

export interface TransportFaultCase {
	/** Route id to switch, and a request that hits it. */
	routeId: string;
	path: string;
	init?: RequestInit;
}

/**
 * Registers tests for latency, hang, reset, malformed, `times` and the control API
 * against one route. `getEmulator` is called inside each test (the suite owns start/stop).
 */
export function describeTransportFaults<S extends object>(
	getEmulator: () => Emulator<S>,
	sample: TransportFaultCase,
): void {
	describe(`transport faults on ${sample.routeId}`, () => {
		const url = () => getEmulator().url + sample.path;

		test('latency delays the normal reply', async () => {
			const baseline = await call(url(), sample.init);
			getEmulator().setFault(sample.routeId, { latencyMs: 300 });
			const slow = await call(url(), sample.init);
			expect(slow.status).toBe(baseline.status);
			expect(slow.elapsedMs).toBeGreaterThanOrEqual(290);
		});

		test('hang accepts the request and never answers', async () => {
			getEmulator().setFault(sample.routeId, { hang: true });
			const error = await callError(url(), { ...sample.init, timeoutMs: 400 });
			expect(error.name).toMatch(/TimeoutError|AbortError/);
			expect(getEmulator().requests(sample.routeId)).toHaveLength(1);
		});

		test('reset drops the connection without a reply', async () => {
			getEmulator().setFault(sample.routeId, { reset: true });
			const error = await callError(url(), sample.init);
			expect(error.message).toMatch(/fetch failed/);
			const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
			expect(`${cause?.code ?? ''} ${cause?.message ?? ''}`).toMatch(/ECONNRESET|socket|closed/i);
		});

		test('malformed answers 200 with a truncated JSON body', async () => {
			getEmulator().setFault(sample.routeId, { malformed: true });
			const result = await call(url(), sample.init);
			expect(result.status).toBe(200);
			expect(result.headers.get('content-type')).toMatch(/application\/json/);
			expect(() => JSON.parse(result.text)).toThrow();
		});

		test('times limits a fault to the next N requests', async () => {
			getEmulator().setFault(sample.routeId, { status: 500, times: 1 });
			const first = await call(url(), sample.init);
			const second = await call(url(), sample.init);
			expect(first.status).toBe(500);
			expect(second.status).not.toBe(500);
		});

		test('faults are switchable over HTTP through the control API', async () => {
			const emulator = getEmulator();
			const put = await call(`${emulator.url}/__emulator/faults/${sample.routeId}`, {
				method: 'PUT',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ status: 500 }),
			});
			expect(put.status).toBe(200);
			expect((await call(url(), sample.init)).status).toBe(500);
			const cleared = await call(`${emulator.url}/__emulator/faults`, { method: 'DELETE' });
			expect(cleared.status).toBe(200);
			expect((await call(url(), sample.init)).status).not.toBe(500);
			const recorded = await call(`${emulator.url}/__emulator/requests`);
			expect(Array.isArray(recorded.json)).toBe(true);
			expect((recorded.json as unknown[]).length).toBe(2);
		});
	});
}
