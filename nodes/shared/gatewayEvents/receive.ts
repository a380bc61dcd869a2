/**
 * One webhook request, in the order that keeps an attacker's bytes away from the parser:
 * size (413) → authentication over the raw bytes (401/403) → JSON (400) → the source's
 * shape (400). Any refusal is an EventRefused and nothing has been recorded yet.
 */
import { authenticateEvent, headerValue } from './authenticate';
import { parseEvents, parseJsonBody } from './parse';
import { EventRefused, type EventRequest, type EventSecrets, type GatewayEvent, type GatewaySource } from './types';

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export interface ReceiveOptions {
	maxBodyBytes: number;
	/** Meta: the phone number id account-wide events belong to (the Cloud API probe's target). */
	metaPhoneNumberId?: string;
}

export function receiveEvents(source: GatewaySource, request: EventRequest, secrets: EventSecrets, options: ReceiveOptions): GatewayEvent[] {
	if (request.rawBody.length > options.maxBodyBytes) throw new EventRefused(413, `the body is ${request.rawBody.length} bytes; at most ${options.maxBodyBytes} are accepted`);
	authenticateEvent(source, request, secrets);
	const body = parseJsonBody(request.rawBody);
	const requestId = headerValue(request.headers, 'x-webhook-request-id');
	return parseEvents(source, body, { ...(requestId ? { requestId } : {}), ...(options.metaPhoneNumberId ? { metaPhoneNumberId: options.metaPhoneNumberId } : {}) });
}

/** The JSON answer to a refused request: `{error}` with its status (no detail that would help a forger beyond the reason). */
export function refusalAnswer(error: EventRefused): { statusCode: number; body: { error: string } } {
	return { statusCode: error.statusCode, body: { error: error.message } };
}
