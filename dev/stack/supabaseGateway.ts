/**
 * A tiny stand-in for Supabase's API gateway (Kong) in front of a real PostgREST.
 *
 * Supabase clients call `<project url>/rest/v1/<table>`; PostgREST serves
 * `/<table>`. The gateway strips the prefix, checks the `apikey` header (or query
 * parameter) the way Supabase does, removes it from the forwarded request, and
 * passes `Authorization: Bearer <key>` on (the client's own, or the apikey).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const REST_PREFIX = '/rest/v1';

/** Bodies Supabase's gateway answers with; asserted by tests, so kept verbatim. */
export const GATEWAY_ERRORS = {
	missingKey: {
		message: 'No API key found in request',
		hint: 'No `apikey` request header or url param was found.',
	},
	invalidKey: {
		message: 'Invalid API key',
		hint: 'Double check your Supabase `anon` or `service_role` API key.',
	},
	noRoute: { message: 'no Route matched with those values' },
	/** What Kong answers when the upstream refuses the connection or dies mid-response. */
	badGateway: { message: 'An invalid response was received from the upstream server' },
} as const;

export interface SupabaseGatewayOptions {
	/** Where PostgREST listens, e.g. http://127.0.0.1:3000 (read per request, so it may change). */
	upstream: () => string;
	/** Keys the gateway accepts (anon, service_role). */
	apiKeys: string[];
	port?: number;
}

export interface SupabaseGateway {
	url: string;
	stop(): Promise<void>;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
	res.end(text);
}

/** Hop-by-hop headers and the ones we rewrite are not forwarded. */
const DROPPED_REQUEST_HEADERS = new Set(['host', 'connection', 'keep-alive', 'apikey', 'authorization']);

/**
 * Drops `apikey` from a raw query string without re-encoding the rest
 * (URLSearchParams would turn PostgREST's `%20`/`,` into `+`/`%2C`).
 */
function withoutApiKeyParam(rawQuery: string): string {
	const keyOf = (pair: string): string => {
		const raw = pair.split('=')[0] ?? '';
		try {
			return decodeURIComponent(raw);
		} catch {
			return raw;
		}
	};
	const kept = rawQuery.split('&').filter((pair) => pair !== '' && keyOf(pair) !== 'apikey');
	return kept.length === 0 ? '' : `?${kept.join('&')}`;
}

function forward(req: http.IncomingMessage, res: http.ServerResponse, path: string, apiKey: string, upstream: string): void {
	const headers: http.OutgoingHttpHeaders = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (!DROPPED_REQUEST_HEADERS.has(name) && value !== undefined) headers[name] = value;
	}
	headers.authorization = req.headers.authorization ?? `Bearer ${apiKey}`;
	const base = new URL(upstream);
	const upstreamRequest = http.request(
		{
			host: base.hostname,
			port: base.port,
			method: req.method,
			path,
			headers,
		},
		(upstreamResponse) => {
			res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
			upstreamResponse.pipe(res);
			upstreamResponse.on('error', () => res.destroy());
		},
	);
	upstreamRequest.on('error', () => {
		if (!res.headersSent) sendJson(res, 502, GATEWAY_ERRORS.badGateway);
		else res.destroy();
	});
	req.pipe(upstreamRequest);
}

export async function startSupabaseGateway(options: SupabaseGatewayOptions): Promise<SupabaseGateway> {
	const sockets = new Set<Socket>();
	const server = http.createServer((req, res) => {
		const incoming = new URL(req.url ?? '/', 'http://gateway.local');
		if (incoming.pathname !== REST_PREFIX && !incoming.pathname.startsWith(`${REST_PREFIX}/`)) {
			sendJson(res, 404, GATEWAY_ERRORS.noRoute);
			return;
		}
		if (req.method === 'OPTIONS') {
			// CORS preflights never carry the key; Kong's cors plugin answers them.
			res.writeHead(200, {
				'access-control-allow-origin': '*',
				'access-control-allow-methods': 'GET,HEAD,PUT,PATCH,POST,DELETE,OPTIONS',
				'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
			});
			res.end();
			return;
		}
		const headerKey = req.headers.apikey;
		const apiKey = (Array.isArray(headerKey) ? headerKey[0] : headerKey) ?? incoming.searchParams.get('apikey');
		if (apiKey === null || apiKey === undefined || apiKey === '') {
			sendJson(res, 401, GATEWAY_ERRORS.missingKey);
			return;
		}
		if (!options.apiKeys.includes(apiKey)) {
			sendJson(res, 401, GATEWAY_ERRORS.invalidKey);
			return;
		}
		// PostgREST would read a leftover ?apikey= as a column filter.
		const rawUrl = req.url ?? '/';
		const queryStart = rawUrl.indexOf('?');
		const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
		const rawQuery = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);
		const path = (rawPath.slice(REST_PREFIX.length) || '/') + withoutApiKeyParam(rawQuery);
		forward(req, res, path, apiKey, options.upstream());
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		stop: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}
