/** A throw-away webhook receiver for the gateway emulators' tests: records every POST. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
	path: string;
	headers: http.IncomingHttpHeaders;
	bodyText: string;
	body: Record<string, unknown>;
}

export interface Receiver {
	url: string;
	received: Received[];
	close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
	const received: Received[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const bodyText = Buffer.concat(chunks).toString('utf8');
			received.push({ path: req.url ?? '/', headers: req.headers, bodyText, body: JSON.parse(bodyText) as Record<string, unknown> });
			res.writeHead(200).end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** Polls until `check` returns a value (not undefined/false) or the generous deadline passes. */
export async function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
