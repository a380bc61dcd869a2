/**
 * Signed links for one incident (the relink page): HMAC-SHA256 over the incident id, the
 * target and the expiry, base64url, checked in constant time. Expired or forged tokens are
 * refused with a reason that never holds the secret or the signature. "Works once per
 * incident" is a record the caller stores (workflow static data) and these pure functions
 * decide on; the record is bounded by forgetting uses older than the longest link lifetime.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import { OptionError } from '../optionError';

/** A relink link lives long enough for an owner to open an alert e-mail, not for days. */
export const DEFAULT_LINK_TTL_MS = 2 * 60 * 60 * 1000;
/** Longest lifetime a link may be given; also how long a use is remembered. */
export const MAX_LINK_TTL_MS = 24 * 60 * 60 * 1000;
/** A shorter key is guessable offline from one token (HMAC keys should be at least the hash size). */
export const MIN_SECRET_CHARS = 32;
/** The parameter a person sets the key in, named in errors. */
export const LINK_SECRET_PARAMETER = 'Relink Link Secret';

export interface LinkClaims {
	incidentId: string;
	target: string;
	/** Epoch ms after which the link is refused. */
	expiresAt: number;
}

export type LinkRejection = 'malformed' | 'forged' | 'expired' | 'wrong_target' | 'already_used';

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: LinkRejection; message: string };

/** What a person reads when a link is refused: no secret, no signature, no token. */
const REJECTION_MESSAGES: Record<LinkRejection, string> = {
	malformed: 'This link is not a valid relink link.',
	forged: 'This link was not issued by this Monitor.',
	expired: 'This link has expired; use the link in the latest alert.',
	wrong_target: 'This link is for another WhatsApp number.',
	already_used: 'This link was already used for this incident.',
};

function rejected(reason: LinkRejection): LinkCheck {
	return { ok: false, reason, message: REJECTION_MESSAGES[reason] };
}

function checkSecret(secret: unknown): string {
	if (typeof secret !== 'string' || secret.length < MIN_SECRET_CHARS) {
		throw new OptionError(LINK_SECRET_PARAMETER, `Parameter "${LINK_SECRET_PARAMETER}" must be at least ${MIN_SECRET_CHARS} characters long`);
	}
	return secret;
}

function signature(payload: string, secret: string): Buffer {
	return createHmac('sha256', secret).update(payload).digest();
}

/** `<payload>.<signature>`, both base64url; the payload is JSON `{i, t, e}` (not secret, only signed). */
export function signIncidentLink(claims: LinkClaims, secret: string, now: number): string {
	const key = checkSecret(secret);
	if (claims.incidentId === '' || claims.target === '') throw new RangeError('a link needs an incident id and a target');
	if (!Number.isSafeInteger(claims.expiresAt) || claims.expiresAt <= now || claims.expiresAt - now > MAX_LINK_TTL_MS) {
		throw new RangeError(`a link expires after now and within ${MAX_LINK_TTL_MS} ms`);
	}
	const payload = Buffer.from(JSON.stringify({ i: claims.incidentId, t: claims.target, e: claims.expiresAt })).toString('base64url');
	return `${payload}.${signature(payload, key).toString('base64url')}`;
}

function readPayload(payload: string): LinkClaims | undefined {
	try {
		const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
		if (typeof data.i !== 'string' || typeof data.t !== 'string' || typeof data.e !== 'number' || !Number.isSafeInteger(data.e)) return undefined;
		return { incidentId: data.i, target: data.t, expiresAt: data.e };
	} catch {
		return undefined;
	}
}

/**
 * Whether a token is genuine, unexpired and (when `expectedTarget` is given) for that target.
 * The signature is checked before anything in the payload is believed.
 */
export function verifyIncidentLink(token: unknown, secret: string, now: number, expectedTarget?: string): LinkCheck {
	const key = checkSecret(secret);
	if (typeof token !== 'string' || token.length > 2048) return rejected('malformed');
	const parts = token.split('.');
	if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return rejected('malformed');
	const given = Buffer.from(parts[1], 'base64url');
	const expected = signature(parts[0], key);
	// timingSafeEqual needs equal lengths; a length mismatch reveals only the (public) digest size.
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return rejected('forged');
	const claims = readPayload(parts[0]);
	if (!claims) return rejected('malformed');
	if (now >= claims.expiresAt) return rejected('expired');
	if (expectedTarget !== undefined && claims.target !== expectedTarget) return rejected('wrong_target');
	return { ok: true, claims };
}

/** Incidents whose link was used (the relink completed), by incident id → when. Stored by the caller. */
export interface UsedLinks {
	v: 1;
	used: Record<string, number>;
}

export function emptyUsedLinks(): UsedLinks {
	return { v: 1, used: {} };
}

/** A stored record, or an empty one when it is missing or not this version (a lost record only re-opens expired-anyway links). */
export function readUsedLinks(value: unknown): UsedLinks {
	if (typeof value !== 'object' || value === null || (value as { v?: unknown }).v !== 1) return emptyUsedLinks();
	const used = (value as { used?: unknown }).used;
	if (typeof used !== 'object' || used === null) return emptyUsedLinks();
	const entries = Object.entries(used).filter((entry): entry is [string, number] => typeof entry[1] === 'number');
	return { v: 1, used: Object.fromEntries(entries) };
}

/** A verified token, refused when its incident's link was already used: links work once per incident. */
export function checkLinkUse(check: LinkCheck, record: UsedLinks): LinkCheck {
	if (!check.ok) return check;
	return Object.prototype.hasOwnProperty.call(record.used, check.claims.incidentId) ? rejected('already_used') : check;
}

/** The record after the incident's link was used; uses older than any link's lifetime are forgotten. */
export function markLinkUsed(record: UsedLinks, incidentId: string, now: number): UsedLinks {
	const kept = Object.entries(record.used).filter(([, at]) => now - at < MAX_LINK_TTL_MS);
	return { v: 1, used: { ...Object.fromEntries(kept), [incidentId]: now } };
}
