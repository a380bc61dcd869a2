/**
 * Who sent the event, decided before anything in the body is parsed: WAHA's HMAC-SHA512
 * of the raw body (`X-Webhook-Hmac`), Meta's `X-Hub-Signature-256` (HMAC-SHA256 with the
 * app secret) and its GET verification handshake, and for Evolution, which signs nothing,
 * a token we configure in the webhook's headers (or, for its global webhook, which cannot
 * carry headers, in the URL's `token` query parameter). Every comparison is constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import { EventRefused, type EventRequest, type EventSecrets, type GatewaySource } from './types';

/** The header that carries the Evolution token (set in Evolution's webhook `headers`). */
export const EVOLUTION_TOKEN_HEADER = 'x-autorecovery-token';
export const WAHA_HMAC_HEADER = 'x-webhook-hmac';
export const WAHA_HMAC_ALGORITHM_HEADER = 'x-webhook-hmac-algorithm';
export const META_SIGNATURE_HEADER = 'x-hub-signature-256';

/** Constant-time equality of two strings of any length (the lengths are hashed away first). */
export function sameSecret(given: string, expected: string): boolean {
	const a = createHmac('sha256', 'autorecovery-compare').update(given).digest();
	const b = createHmac('sha256', 'autorecovery-compare').update(expected).digest();
	return timingSafeEqual(a, b) && given.length === expected.length;
}

/** Constant-time equality of two hex digests (false when either is not hex of the expected length). */
function sameHexDigest(givenHex: string, expected: Buffer): boolean {
	if (!/^[0-9a-f]+$/i.test(givenHex) || givenHex.length !== expected.length * 2) return false;
	return timingSafeEqual(Buffer.from(givenHex, 'hex'), expected);
}

/** One header value (the first when repeated), trimmed; undefined when absent or empty. */
export function headerValue(headers: EventRequest['headers'], name: string): string | undefined {
	const wanted = name.toLowerCase();
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
	const value = key === undefined ? undefined : headers[key];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' && first.trim() !== '' ? first.trim() : undefined;
}

export function queryValue(query: EventRequest['query'], name: string): string | undefined {
	const value = query[name];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' && first !== '' ? first : undefined;
}

function configured(secret: string | undefined, source: GatewaySource, what: string): string {
	if (secret === undefined || secret === '') throw new EventRefused(403, `${source} events are not accepted: no ${what} is set in the Autorecovery Gateway Events credential`);
	return secret;
}

function authenticateWaha(request: EventRequest, secrets: EventSecrets): void {
	const key = configured(secrets.wahaHmacKey, 'waha', 'WAHA HMAC key');
	const signature = headerValue(request.headers, WAHA_HMAC_HEADER);
	if (signature === undefined) throw new EventRefused(401, `missing ${WAHA_HMAC_HEADER} header: set hmac.key on the WAHA webhook`);
	const algorithm = headerValue(request.headers, WAHA_HMAC_ALGORITHM_HEADER);
	if (algorithm !== undefined && algorithm.toLowerCase() !== 'sha512') throw new EventRefused(403, `unsupported ${WAHA_HMAC_ALGORITHM_HEADER} (only sha512)`);
	const expected = createHmac('sha512', key).update(request.rawBody).digest();
	if (!sameHexDigest(signature, expected)) throw new EventRefused(403, `${WAHA_HMAC_HEADER} does not match the body`);
}

function authenticateMeta(request: EventRequest, secrets: EventSecrets): void {
	const appSecret = configured(secrets.metaAppSecret, 'meta', 'Meta app secret');
	const header = headerValue(request.headers, META_SIGNATURE_HEADER);
	if (header === undefined) throw new EventRefused(401, `missing ${META_SIGNATURE_HEADER} header: forward Meta's header with the body, unchanged`);
	const match = /^sha256=([0-9a-f]+)$/i.exec(header);
	const expected = createHmac('sha256', appSecret).update(request.rawBody).digest();
	if (!match || !sameHexDigest(match[1], expected)) throw new EventRefused(403, `${META_SIGNATURE_HEADER} does not match the body`);
}

function authenticateEvolution(request: EventRequest, secrets: EventSecrets): void {
	const token = configured(secrets.evolutionToken, 'evolution', 'Evolution token');
	const given = headerValue(request.headers, EVOLUTION_TOKEN_HEADER) ?? queryValue(request.query, 'token');
	if (given === undefined) throw new EventRefused(401, `missing ${EVOLUTION_TOKEN_HEADER} header (or token query parameter)`);
	if (!sameSecret(given, token)) throw new EventRefused(403, 'the Evolution token is wrong');
}

/** Throws EventRefused (401 missing, 403 wrong or not configured) unless the request is the source's. */
export function authenticateEvent(source: GatewaySource, request: EventRequest, secrets: EventSecrets): void {
	if (source === 'waha') authenticateWaha(request, secrets);
	else if (source === 'meta') authenticateMeta(request, secrets);
	else authenticateEvolution(request, secrets);
}

/**
 * Meta's GET verification handshake: `hub.mode=subscribe` and the verify token we set in
 * the App Dashboard → the `hub.challenge` to echo back (HTTP 200, plain text).
 */
export function answerMetaHandshake(query: EventRequest['query'], secrets: EventSecrets): string {
	const verifyToken = configured(secrets.metaVerifyToken, 'meta', 'Meta verify token');
	const mode = queryValue(query, 'hub.mode');
	const given = queryValue(query, 'hub.verify_token');
	const challenge = queryValue(query, 'hub.challenge');
	if (given === undefined) throw new EventRefused(401, 'missing hub.verify_token');
	if (!sameSecret(given, verifyToken)) throw new EventRefused(403, 'hub.verify_token is wrong');
	if (mode !== 'subscribe' || challenge === undefined || !/^[A-Za-z0-9_-]{1,128}$/.test(challenge)) throw new EventRefused(400, 'expected hub.mode=subscribe and a hub.challenge');
	return challenge;
}
