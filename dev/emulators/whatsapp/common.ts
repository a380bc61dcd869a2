/**
 * Small helpers shared by the three WhatsApp gateway emulators (Cloud API, Evolution, WAHA):
 * narrowing request bodies, reading headers, and short-circuiting a handler with a
 * provider error reply from anywhere in its call chain.
 */
import { randomBytes } from 'node:crypto';
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';

import type { EmulatorRequest, Reply } from '../core/types';

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request body as an object; anything else (missing, text, array) reads as `{}`. */
export function bodyObject(body: unknown): Record<string, unknown> {
	return isRecord(body) ? body : {};
}

export function stringField(source: Record<string, unknown>, key: string): string | undefined {
	const value = source[key];
	return typeof value === 'string' ? value : undefined;
}

/** One header value (Node lowercases names; repeated headers keep the first). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** `Retry-After` for an injected 429, or nothing when the fault asked for none. */
export function retryAfterHeader(retryAfter: number | null): Record<string, string> {
	return retryAfter === null ? {} : { 'retry-after': String(retryAfter) };
}

export function statusText(status: number): string {
	return STATUS_CODES[status] ?? 'Unknown';
}

export function randomHex(bytes: number): string {
	return randomBytes(bytes).toString('hex');
}

export function digitsOnly(value: string): string {
	return value.replace(/\D/g, '');
}

export function unixSeconds(date = new Date()): number {
	return Math.floor(date.getTime() / 1000);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Thrown by a handler (or any helper it calls) to answer with a provider error right
 * away; `replying` turns it back into the reply. Keeps guard chains flat.
 */
export class ReplyError extends Error {
	constructor(readonly reply: Reply) {
		super(`provider error reply ${reply.status}`);
	}
}

export function replying<S>(
	handler: (req: EmulatorRequest<S>) => Reply | Promise<Reply>,
): (req: EmulatorRequest<S>) => Promise<Reply> {
	return async (req) => {
		try {
			return await handler(req);
		} catch (error) {
			if (error instanceof ReplyError) return error.reply;
			throw error;
		}
	};
}
