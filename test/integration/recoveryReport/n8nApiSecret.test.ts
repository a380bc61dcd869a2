/**
 * Recovery Report reads the recovery log through n8n's API with the "n8n API" credential's
 * key. Whatever n8n answers (a refusal that echoes the key, a server error, no answer, no
 * server), the key never reaches the error the node reports, and it travels only in the
 * X-N8N-API-KEY header. The key has no recognisable shape, so only the secrets list the
 * fetcher passes can hide it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { executionsPageFetcher, HistoryUnavailableError } from '../../../nodes/RecoveryReport/transport/n8nApi';

const API_KEY = 'n8n api key, not real: zebra/ocelot+7';
const TIMEOUT_MS = 1_000;

type Reply = (req: http.IncomingMessage, res: http.ServerResponse) => void;

let reply: Reply;
let seenUrls: string[];
let seenKeys: Array<string | undefined>;
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
	server = http.createServer((req, res) => {
		seenUrls.push(req.url ?? '');
		seenKeys.push(req.headers['x-n8n-api-key'] as string | undefined);
		reply(req, res);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
	seenUrls = [];
	seenKeys = [];
});

async function failureOf(url: string): Promise<Error> {
	const fetchPage = executionsPageFetcher({ baseUrl: url, apiKey: API_KEY, timeoutMs: TIMEOUT_MS });
	try {
		await fetchPage({ workflowId: 'Xc3vB7pQ9rT2mK8d', limit: 10, cursor: null });
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the page fetch to fail');
}

function expectNoKey(error: Error): void {
	expect(error).toBeInstanceOf(HistoryUnavailableError);
	for (const text of [error.message, error.stack ?? '', JSON.stringify(error)]) {
		expect(text).not.toContain(API_KEY);
		expect(text).not.toContain(encodeURIComponent(API_KEY));
	}
}

const echoingKey = (status: number): Reply => (req, res) => {
	res.writeHead(status, { 'content-type': 'application/json', 'x-echo': encodeURIComponent(String(req.headers['x-n8n-api-key'])) });
	res.end(JSON.stringify({ message: `key ${String(req.headers['x-n8n-api-key'])} is not valid`, hint: encodeURIComponent(String(req.headers['x-n8n-api-key'])) }));
};

test.each([
	['a refusal that echoes the key (401)', echoingKey(401), /API key was refused/],
	['a forbidden answer that echoes the key (403)', echoingKey(403), /API key was refused/],
	['a server error that echoes the key (500)', echoingKey(500), /did not answer/],
	['a body that is not JSON, with the key in it (502)', ((req, res) => { res.writeHead(502, { 'content-type': 'text/html' }); res.end(`<h1>bad gateway for ${String(req.headers['x-n8n-api-key'])}</h1>`); }) as Reply, /did not answer/],
	['no answer before the deadline', (() => undefined) as Reply, /did not answer/],
])('%s: HistoryUnavailableError without the key', async (_label, answer, message) => {
	reply = answer;
	const error = await failureOf(baseUrl);
	expectNoKey(error);
	expect(error.message).toMatch(message);
	// The key went in its header only, never in the URL.
	expect(seenKeys).toEqual([API_KEY]);
	expect(seenUrls.join(' ')).not.toContain(encodeURIComponent(API_KEY));
});

test('no server at all: HistoryUnavailableError without the key', async () => {
	const closed = http.createServer();
	await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
	const port = (closed.address() as AddressInfo).port;
	await new Promise<void>((resolve) => closed.close(() => resolve()));
	const error = await failureOf(`http://127.0.0.1:${port}/api/v1`);
	expectNoKey(error);
	expect(error.message).toMatch(/did not answer/);
});
