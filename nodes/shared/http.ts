/**
 * The one HTTP helper every node uses to talk to a dependency. It never throws for
 * a failing dependency: it returns a classified outcome (timeout, unreachable,
 * reset, 401/403, 429 with its retry-after, 5xx, other 4xx, malformed body), so
 * probes turn failures into `down` results instead of exceptions. Every call has a
 * hard deadline, and no message it produces contains the caller's secrets.
 */
import axios, { type AxiosRequestConfig } from 'axios';

import { COMMON_CAUSES, type CommonCauseCode } from './causes';
import type { Cause } from './contract';
import { afterRateLimit, parseRetryAfter, retryAfterFact } from './rateLimit';
import { redact } from './redact';

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Bodies larger than this are refused: a health probe never needs them. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

interface HttpRequest {
	method: HttpMethod;
	url: string;
	headers?: Record<string, string>;
	/** Headers made afresh for every attempt (an idempotency key per attempt, e.g. after a 429). */
	perAttemptHeaders?: () => Record<string, string>;
	query?: Record<string, string | number | boolean | undefined>;
	/** A JSON body (objects), a form body (URLSearchParams) or raw text. */
	body?: unknown;
	/** Hard deadline for the whole exchange, connect to last byte. */
	timeoutMs?: number;
	/** An outer deadline (a whole recovery's): when it aborts, this call ends at once as a timeout. */
	signal?: AbortSignal;
	/** How to read the body: json (default) flags unparsable bodies as malformed. */
	responseType?: 'json' | 'text' | 'binary';
	/** Secret values to mask in every message this call produces. */
	secrets?: Iterable<string | undefined | null>;
}

type HttpFailureKind =
	| 'timeout'
	| 'unreachable'
	| 'reset'
	| 'auth'
	| 'forbidden'
	| 'rate_limited'
	| 'server_error'
	| 'client_error'
	| 'malformed';

interface HttpExchange {
	durationMs: number;
	/** For 429/503: how long the provider asked us to wait, in ms (null when it did not say). */
	retryAfterMs: number | null;
}

interface HttpSuccess<T = unknown> extends HttpExchange {
	ok: true;
	status: number;
	headers: Record<string, string>;
	data: T;
}

export interface HttpFailure extends HttpExchange {
	ok: false;
	kind: HttpFailureKind;
	/** Present when the server answered. */
	status?: number;
	headers?: Record<string, string>;
	/** The parsed (or raw text) error body, when there was one. */
	data?: unknown;
	/** A redacted one-line description, safe for outputs and logs. */
	message: string;
}

export type HttpOutcome<T = unknown> = HttpSuccess<T> | HttpFailure;

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED']);
const UNREACHABLE_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EHOSTDOWN',
	'ENETDOWN',
	'ERR_INVALID_URL',
]);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED_BY_PEER', 'ERR_BAD_RESPONSE', 'UND_ERR_SOCKET']);
/** Messages of a dropped connection, from Node's http (axios) and from undici (fetch). */
const RESET_PATTERN = /socket hang up|ECONNRESET|EPIPE|other side closed|terminated/i;

/** Lower-cased header record from any client's headers: a plain object (axios) or a fetch `Headers` (SDKs). */
export function normaliseHeaders(raw: unknown): Record<string, string> {
	const headers: Record<string, string> = {};
	if (typeof raw !== 'object' || raw === null) return headers;
	const entries = raw instanceof Headers ? [...raw.entries()] : Object.entries(raw as Record<string, unknown>);
	for (const [key, value] of entries) {
		if (value === undefined || value === null) continue;
		headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return headers;
}

function failureKindForStatus(status: number): HttpFailureKind | null {
	if (status === 401) return 'auth';
	if (status === 403) return 'forbidden';
	if (status === 429) return 'rate_limited';
	if (status >= 500) return 'server_error';
	if (status >= 400) return 'client_error';
	return null;
}

function decodeBody(buffer: Buffer, responseType: HttpRequest['responseType']): { data: unknown; malformed: boolean } {
	if (responseType === 'binary') return { data: buffer, malformed: false };
	const text = buffer.toString('utf8');
	if (responseType === 'text') return { data: text, malformed: false };
	if (text.trim() === '') return { data: null, malformed: false };
	try {
		return { data: JSON.parse(text) as unknown, malformed: false };
	} catch {
		return { data: text, malformed: true };
	}
}

function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'an invalid URL';
	}
}

/** How failure messages name a call: `POST api.groq.com` (the host only, never a path or query). */
export function callTarget(method: HttpMethod, url: string): string {
	return `${method} ${hostOf(url)}`;
}

/** What the failure of one call is told with. */
export interface FailedCall {
	/** From callTarget. */
	target: string;
	durationMs: number;
	/** The call's deadline, ms. */
	timeoutMs: number;
	/** Secret values to mask in the message. */
	secrets?: Iterable<string | undefined | null>;
}

/**
 * An answer with an error status (4xx/5xx) as a failure, classified by its status, with
 * the wait the provider asked for (shared/rateLimit). For httpRequest's answers and for
 * the errors an SDK throws when the server answered.
 */
export function answeredFailure(answer: { status: number; headers: unknown; data: unknown }, call: FailedCall): HttpFailure {
	const headers = normaliseHeaders(answer.headers);
	return {
		ok: false,
		kind: failureKindForStatus(answer.status) ?? 'client_error',
		status: answer.status,
		headers,
		data: answer.data,
		durationMs: call.durationMs,
		retryAfterMs: parseRetryAfter(headers),
		message: redact(`${call.target} answered HTTP ${answer.status}`, { secrets: call.secrets }),
	};
}

/**
 * A call that got no answer as a failure, classified by its error (timeout, unreachable,
 * reset, ...). For httpRequest's errors and for an SDK's connection errors.
 */
export function unansweredFailure(error: unknown, timedOut: boolean, call: FailedCall): HttpFailure {
	const { kind, detail } = classifyTransportError(error, timedOut);
	const message = kind === 'timeout' ? `${call.target} did not answer within ${call.timeoutMs} ms` : `${call.target} failed: ${detail}`;
	return { ok: false, kind, durationMs: call.durationMs, retryAfterMs: null, message: redact(message, { secrets: call.secrets }) };
}

export async function httpRequest<T = unknown>(request: HttpRequest): Promise<HttpOutcome<T>> {
	const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const started = Date.now();
	const say = (text: string) => redact(text, { secrets: request.secrets });
	const target = `${request.method} ${hostOf(request.url)}`;
	const controller = new AbortController();
	const deadline = setTimeout(() => controller.abort(), timeoutMs);
	const outer = request.signal;
	const abort = () => controller.abort();
	if (outer?.aborted) controller.abort();
	else outer?.addEventListener('abort', abort, { once: true });

	const config: AxiosRequestConfig = {
		method: request.method,
		url: request.url,
		headers: { ...(request.headers ?? {}), ...(request.perAttemptHeaders?.() ?? {}) },
		params: request.query,
		data: request.body,
		timeout: timeoutMs,
		signal: controller.signal,
		responseType: 'arraybuffer',
		// Statuses are classified below, never thrown.
		validateStatus: () => true,
		maxContentLength: MAX_BODY_BYTES,
		maxBodyLength: MAX_BODY_BYTES,
		maxRedirects: 3,
		// Probes talk to the configured host only; environment proxies would change what is measured.
		proxy: false,
		transitional: { clarifyTimeoutError: true },
	};

	try {
		const response = await axios.request<ArrayBuffer>(config);
		const durationMs = Date.now() - started;
		const headers = normaliseHeaders(response.headers);
		const retryAfterMs = parseRetryAfter(headers);
		const { data, malformed } = decodeBody(Buffer.from(response.data ?? new ArrayBuffer(0)), request.responseType);
		if (failureKindForStatus(response.status)) {
			return answeredFailure({ status: response.status, headers, data }, { target, durationMs, timeoutMs, secrets: request.secrets });
		}
		if (malformed) {
			return {
				ok: false,
				kind: 'malformed',
				status: response.status,
				headers,
				data,
				durationMs,
				retryAfterMs,
				message: say(`${target} answered HTTP ${response.status} with a body that is not valid JSON`),
			};
		}
		return { ok: true, status: response.status, headers, data: data as T, durationMs, retryAfterMs };
	} catch (error) {
		const durationMs = Date.now() - started;
		if (outer?.aborted) {
			return { ok: false, kind: 'timeout', durationMs, retryAfterMs: null, message: say(`${target} was stopped: the overall deadline passed`) };
		}
		return unansweredFailure(error, controller.signal.aborted, { target, durationMs, timeoutMs, secrets: request.secrets });
	} finally {
		clearTimeout(deadline);
		outer?.removeEventListener('abort', abort);
	}
}

/** The codes and messages along an error's `cause` chain (fetch hides the socket error two levels down). */
function causeChain(error: unknown): { codes: string[]; messages: string[] } {
	const codes: string[] = [];
	const messages: string[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
		const { code, message } = current as { code?: unknown; message?: unknown };
		if (typeof code === 'string') codes.push(code);
		if (typeof message === 'string' && message !== '') messages.push(message);
		current = (current as { cause?: unknown }).cause;
	}
	return { codes, messages };
}

function classifyTransportError(error: unknown, timedOut: boolean): { kind: HttpFailureKind; detail: string } {
	if (timedOut) return { kind: 'timeout', detail: 'deadline passed' };
	const { codes, messages } = causeChain(error);
	// The innermost message says what happened (`connect ECONNREFUSED 127.0.0.1:443`).
	const detail = messages.at(-1) ?? (error instanceof Error ? error.message : String(error));
	const any = (set: ReadonlySet<string>) => codes.some((code) => set.has(code));
	if (any(TIMEOUT_CODES)) return { kind: 'timeout', detail };
	if (any(UNREACHABLE_CODES)) return { kind: 'unreachable', detail };
	if (any(RESET_CODES) || messages.some((message) => RESET_PATTERN.test(message))) return { kind: 'reset', detail };
	if (codes.includes('ERR_FR_MAX_BODY_LENGTH_EXCEEDED')) return { kind: 'malformed', detail };
	return { kind: 'unreachable', detail };
}

const CAUSE_BY_KIND: Record<HttpFailureKind, CommonCauseCode> = {
	timeout: 'net.timeout',
	unreachable: 'net.unreachable',
	reset: 'net.reset',
	auth: 'auth.invalid_credentials',
	forbidden: 'auth.forbidden',
	rate_limited: 'provider.rate_limited',
	server_error: 'provider.server_error',
	client_error: 'provider.bad_request',
	malformed: 'provider.malformed_response',
};

/**
 * The default contract cause of a failed call. Providers that signal errors in the
 * body (Meta's code 190 on a 400, Evolution's 200 with `error:true`) classify first
 * and fall back to this.
 */
export function causeOfHttpFailure(failure: HttpFailure, what: string): Cause {
	const code = failure.status === 404 ? 'provider.not_found' : CAUSE_BY_KIND[failure.kind];
	const wait = ` (${retryAfterFact(failure.retryAfterMs)})`;
	const sentences: Record<HttpFailureKind, string> = {
		timeout: `${what} did not answer in time.`,
		unreachable: `${what} cannot be reached.`,
		reset: `${what} dropped the connection.`,
		auth: `${what} rejected the credentials; check them in n8n.`,
		forbidden: `${what} refused access with these credentials; check their permissions.`,
		rate_limited: `${what} is rate limiting us${wait}.`,
		server_error: `${what} had a server error (HTTP ${failure.status ?? '5xx'}).`,
		client_error: `${what} rejected the request (HTTP ${failure.status ?? '4xx'}).`,
		malformed: `${what} sent a response that could not be read.`,
	};
	const message = failure.status === 404 ? `${what} answered 404: the configured resource does not exist.` : sentences[failure.kind];
	return { code, message, ...COMMON_CAUSES[code] };
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A request that follows the 429 policy (shared/rateLimit): when the provider says how
 * long to wait and that wait fits in the call's timeout, wait and try once more (with
 * what is left of the timeout); otherwise return the 429 as it is. Never waits longer
 * than the deadline.
 */
export async function httpRequestHonouringRetryAfter<T = unknown>(request: HttpRequest): Promise<HttpOutcome<T> & { retried: boolean }> {
	const budget = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const started = Date.now();
	const first = await httpRequest<T>(request);
	if (first.ok || first.kind !== 'rate_limited') return { ...first, retried: false };
	const decision = afterRateLimit({ retryAfterMs: first.retryAfterMs, tries: 1, leftMs: budget - (Date.now() - started), budgetMs: budget });
	if (!decision.retry) return { ...first, retried: false };
	await sleep(decision.waitMs);
	const second = await httpRequest<T>({ ...request, timeoutMs: budget - (Date.now() - started) });
	return { ...second, durationMs: Date.now() - started, retried: true };
}
