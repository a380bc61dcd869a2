/**
 * Shared vocabulary of the SaaS emulators: routes, replies and fault switches.
 * Every emulator is an HTTP server whose routes can each be broken on purpose.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** What a test (or `npm run chaos`) can switch on for one route, or for all with `*`. */
export interface FaultSpec {
	/** Added delay before the reply (or before the fault below), in ms. */
	latencyMs?: number;
	/** Accept the request and never answer. */
	hang?: boolean;
	/** Destroy the connection without an HTTP reply (ECONNRESET at the client). */
	reset?: boolean;
	/** Answer with the provider's own error body for this status (401, 403, 429, 500, 503, ...). */
	status?: number;
	/** With status 429: Retry-After in seconds; `null` omits the header. Default 1. */
	retryAfter?: number | null;
	/** Answer 200 with a truncated JSON body. */
	malformed?: boolean;
	/** Apply to the next N matching requests only, then clear itself. */
	times?: number;
}

/** A request as the emulator saw it (also what tests search for leaked secrets). */
export interface RecordedRequest {
	routeId: string | null;
	method: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	bodyText: string;
	body: unknown;
	at: string;
	/** Which fault, if any, was applied to this request. */
	fault?: FaultSpec;
}

export interface EmulatorRequest<S> {
	method: string;
	path: string;
	params: Record<string, string>;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	body: unknown;
	bodyText: string;
	state: S;
	/** Base URL of this emulator, e.g. for links in bodies. */
	baseUrl: string;
}

export interface Reply {
	status: number;
	/** Serialised as JSON unless `text` or `raw` is given. */
	body?: unknown;
	text?: string;
	raw?: Buffer;
	contentType?: string;
	headers?: Record<string, string>;
}

export interface Route<S> {
	/** Stable id used by fault switches, e.g. `evolution.connectionState`. */
	id: string;
	method: string | string[];
	/** Path template with `:param` segments, e.g. `/instance/connectionState/:instance`. */
	path: string;
	handler: (req: EmulatorRequest<S>) => Reply | Promise<Reply>;
}

export interface FaultContext<S> {
	routeId: string;
	request: EmulatorRequest<S>;
	retryAfter: number | null;
}

export interface EmulatorDefinition<S> {
	name: string;
	routes: Array<Route<S>>;
	initialState: () => S;
	/**
	 * The provider's own reply for an injected error status: its error body shape,
	 * its rate-limit headers. Must handle at least 401, 429 and 500.
	 */
	faultReply: (status: number, ctx: FaultContext<S>) => Reply;
	/** The provider's reply for a path it does not know. */
	notFound: (req: EmulatorRequest<S>) => Reply;
	/** Headers the provider sends on every reply (e.g. rate-limit headers). */
	commonHeaders?: (req: EmulatorRequest<S>, status: number) => Record<string, string>;
	/**
	 * Test switches that are events rather than state (e.g. "the QR was scanned"): callable
	 * as `emulator.act(name, body)` or `POST /__emulator/actions/<name>`. A throw is a 400.
	 */
	actions?: Record<string, EmulatorAction>;
	/** Called when the emulator closes or resets: stop the timers it started (and, on close, leave any network). */
	onStop?: (reason: 'close' | 'reset') => void | Promise<void>;
}

export type EmulatorAction = (body: Record<string, unknown>) => unknown;
