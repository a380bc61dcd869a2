/**
 * The emulator engine: one HTTP server per emulated provider, with per-route fault
 * switches, request recording and a control API under `/__emulator/` so a running
 * demo can be broken on purpose over HTTP.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { URL } from 'node:url';

import type {
	EmulatorDefinition,
	EmulatorRequest,
	FaultSpec,
	RecordedRequest,
	Reply,
	Route,
} from './types';

const CONTROL_PREFIX = '/__emulator';

interface CompiledRoute<S> {
	route: Route<S>;
	methods: string[];
	pattern: RegExp;
	paramNames: string[];
}

function compilePath(path: string): { pattern: RegExp; paramNames: string[] } {
	const paramNames: string[] = [];
	const source = path
		.split('/')
		.map((segment) => {
			if (segment.startsWith(':')) {
				paramNames.push(segment.slice(1));
				return '([^/]+)';
			}
			return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('/');
	return { pattern: new RegExp(`^${source}/?$`), paramNames };
}

function parseBody(text: string, contentType: string | undefined): unknown {
	if (text === '') return undefined;
	if (contentType?.includes('application/x-www-form-urlencoded')) {
		return Object.fromEntries(new URLSearchParams(text));
	}
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A JSON body cut in half: what a proxy that dies mid-response delivers. */
export function malformedJson(): string {
	return '{"status":"ok","data":{"items":[{"id":1,"name":"trunc';
}

export class Emulator<S extends object> {
	readonly name: string;
	state: S;
	private readonly definition: EmulatorDefinition<S>;
	private readonly routes: Array<CompiledRoute<S>>;
	private readonly faults = new Map<string, FaultSpec>();
	private readonly recorded: RecordedRequest[] = [];
	private readonly sockets = new Set<Socket>();
	private server: http.Server | null = null;
	private port = 0;

	constructor(definition: EmulatorDefinition<S>) {
		this.definition = definition;
		this.name = definition.name;
		this.state = definition.initialState();
		this.routes = definition.routes.map((route) => ({
			route,
			methods: (Array.isArray(route.method) ? route.method : [route.method]).map((m) =>
				m.toUpperCase(),
			),
			...compilePath(route.path),
		}));
	}

	get url(): string {
		if (!this.server) throw new Error(`${this.name} emulator is not started`);
		return `http://127.0.0.1:${this.port}`;
	}

	get routeIds(): string[] {
		return this.routes.map((r) => r.route.id);
	}

	async start(port = 0, host = '127.0.0.1'): Promise<this> {
		const server = http.createServer((req, res) => {
			void this.handle(req, res);
		});
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => resolve());
		});
		this.server = server;
		this.port = (server.address() as AddressInfo).port;
		return this;
	}

	async close(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = null;
		await this.definition.onStop?.('close');
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Switch a fault on for one route id, or for every route with `*`. */
	setFault(routeId: string, fault: FaultSpec): void {
		if (routeId !== '*' && !this.routeIds.includes(routeId)) {
			throw new Error(
				`${this.name} emulator has no route '${routeId}'; known: ${this.routeIds.join(', ')}`,
			);
		}
		this.faults.set(routeId, { ...fault });
	}

	clearFault(routeId: string): void {
		this.faults.delete(routeId);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	get activeFaults(): Record<string, FaultSpec> {
		return Object.fromEntries(this.faults);
	}

	/** Requests received so far (control API calls excluded), optionally for one route. */
	requests(routeId?: string): RecordedRequest[] {
		return routeId ? this.recorded.filter((r) => r.routeId === routeId) : [...this.recorded];
	}

	clearRequests(): void {
		this.recorded.length = 0;
	}

	/** Shallow-merge a patch into the provider state (deep for plain nested objects). */
	patchState(patch: Record<string, unknown>): void {
		deepMerge(this.state as Record<string, unknown>, patch);
	}

	/** Names of the event switches this emulator offers (see `act`). */
	get actionNames(): string[] {
		return Object.keys(this.definition.actions ?? {});
	}

	/** Runs an event switch such as `scan`; throws when it is unknown or refuses. */
	act(name: string, body: Record<string, unknown> = {}): unknown {
		const action = this.definition.actions?.[name];
		if (!action) {
			throw new Error(`${this.name} emulator has no action '${name}'; known: ${this.actionNames.join(', ')}`);
		}
		return action(body);
	}

	reset(): void {
		void this.definition.onStop?.('reset');
		this.state = this.definition.initialState();
		this.clearFaults();
		this.clearRequests();
	}

	private takeFault(routeId: string | null): FaultSpec | undefined {
		const key = routeId !== null && this.faults.has(routeId) ? routeId : '*';
		const fault = this.faults.get(key);
		if (!fault) return undefined;
		if (fault.times !== undefined) {
			fault.times -= 1;
			if (fault.times <= 0) this.faults.delete(key);
		}
		return fault;
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const bodyText = Buffer.concat(chunks).toString('utf8');
		const url = new URL(req.url ?? '/', 'http://emulator.local');
		const method = (req.method ?? 'GET').toUpperCase();
		const query = Object.fromEntries(url.searchParams);

		if (url.pathname.startsWith(CONTROL_PREFIX)) {
			this.handleControl(method, url.pathname.slice(CONTROL_PREFIX.length), bodyText, res);
			return;
		}

		const request: EmulatorRequest<S> = {
			method,
			path: url.pathname,
			params: {},
			query,
			headers: req.headers,
			body: parseBody(bodyText, req.headers['content-type']),
			bodyText,
			state: this.state,
			baseUrl: this.server ? this.url : '',
		};

		let matched: CompiledRoute<S> | undefined;
		for (const compiled of this.routes) {
			const m = compiled.pattern.exec(url.pathname);
			if (!m || !compiled.methods.includes(method)) continue;
			compiled.paramNames.forEach((name, i) => {
				request.params[name] = decodeURIComponent(m[i + 1]);
			});
			matched = compiled;
			break;
		}
		const routeId = matched?.route.id ?? null;
		const fault = this.takeFault(routeId);
		this.recorded.push({
			routeId,
			method,
			path: url.pathname,
			query,
			headers: req.headers,
			bodyText,
			body: request.body,
			at: new Date().toISOString(),
			...(fault ? { fault: { ...fault } } : {}),
		});

		try {
			if (fault?.latencyMs) await sleep(fault.latencyMs);
			if (fault?.hang) return; // the socket stays open until the client gives up or we close
			if (fault?.reset) {
				req.socket.destroy();
				return;
			}
			let reply: Reply;
			if (fault?.malformed) {
				reply = { status: 200, text: malformedJson(), contentType: 'application/json' };
			} else if (fault?.status !== undefined) {
				reply = this.definition.faultReply(fault.status, {
					routeId: routeId ?? 'unknown',
					request,
					retryAfter: fault.retryAfter === undefined ? 1 : fault.retryAfter,
				});
			} else if (matched) {
				reply = await matched.route.handler(request);
			} else {
				reply = this.definition.notFound(request);
			}
			const common = this.definition.commonHeaders?.(request, reply.status) ?? {};
			this.send(res, reply, common);
		} catch (error) {
			this.send(res, {
				status: 500,
				body: { emulatorError: (error as Error).message },
			});
		}
	}

	private send(res: http.ServerResponse, reply: Reply, common: Record<string, string> = {}): void {
		if (res.destroyed) return;
		const headers: Record<string, string> = { ...common, ...(reply.headers ?? {}) };
		let payload: Buffer;
		if (reply.raw) {
			payload = reply.raw;
			headers['content-type'] = reply.contentType ?? 'application/octet-stream';
		} else if (reply.text !== undefined) {
			payload = Buffer.from(reply.text, 'utf8');
			headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
		} else if (reply.body !== undefined) {
			payload = Buffer.from(JSON.stringify(reply.body), 'utf8');
			headers['content-type'] = reply.contentType ?? 'application/json; charset=utf-8';
		} else {
			payload = Buffer.alloc(0);
		}
		headers['content-length'] = String(payload.length);
		res.writeHead(reply.status, headers);
		res.end(payload);
	}

	private handleControl(method: string, path: string, bodyText: string, res: http.ServerResponse): void {
		const json = (status: number, body: unknown) =>
			this.send(res, { status, body });
		let body: Record<string, unknown> = {};
		if (bodyText.trim() !== '') {
			try {
				body = JSON.parse(bodyText) as Record<string, unknown>;
			} catch {
				json(400, { error: 'control body is not valid JSON' });
				return;
			}
		}
		try {
			const faultMatch = /^\/faults\/([^/]+)$/.exec(path);
			const actionMatch = /^\/actions\/([^/]+)$/.exec(path);
			if (method === 'GET' && path === '/actions') return json(200, this.actionNames);
			if (actionMatch && method === 'POST') {
				return json(200, this.act(decodeURIComponent(actionMatch[1]), body) ?? { ok: true });
			}
			if (method === 'GET' && path === '/requests') return json(200, this.requests());
			if (method === 'DELETE' && path === '/requests') {
				this.clearRequests();
				return json(200, { ok: true });
			}
			if (method === 'GET' && path === '/routes') return json(200, this.routeIds);
			if (method === 'GET' && path === '/faults') return json(200, this.activeFaults);
			if (method === 'DELETE' && path === '/faults') {
				this.clearFaults();
				return json(200, { ok: true });
			}
			if (faultMatch && method === 'PUT') {
				this.setFault(decodeURIComponent(faultMatch[1]), body as FaultSpec);
				return json(200, this.activeFaults);
			}
			if (faultMatch && method === 'DELETE') {
				this.clearFault(decodeURIComponent(faultMatch[1]));
				return json(200, this.activeFaults);
			}
			if (method === 'GET' && path === '/state') return json(200, this.state);
			if (method === 'PATCH' && path === '/state') {
				this.patchState(body);
				return json(200, this.state);
			}
			if (method === 'POST' && path === '/reset') {
				this.reset();
				return json(200, { ok: true });
			}
			return json(404, { error: `unknown control route ${method} ${path}` });
		} catch (error) {
			return json(400, { error: (error as Error).message });
		}
	}
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
	for (const [key, value] of Object.entries(patch)) {
		const current = target[key];
		if (isPlainObject(current) && isPlainObject(value)) deepMerge(current, value);
		else target[key] = value;
	}
}

export function defineEmulator<S extends object>(definition: EmulatorDefinition<S>): Emulator<S> {
	return new Emulator(definition);
}
