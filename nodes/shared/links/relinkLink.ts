/**
 * The relink page's link as an alert carries it: which causes need a person to scan a QR
 * (so the alert offers the page), and the page URL with its signed token. Plain module:
 * the token is signed by ./incidentLinkToken, the secret comes from a credential (glue).
 */
import { DEFAULT_LINK_TTL_MS, MAX_LINK_TTL_MS, signIncidentLink } from './incidentLinkToken';

/** Causes a person fixes by linking the phone again (Evolution, WAHA `SCAN_QR_CODE` → qr_required). */
export const QR_CAUSE_CODES: readonly string[] = ['whatsapp.qr_required', 'whatsapp.qr_limit_reached', 'whatsapp.qr_not_ready'];

/** The query parameter the page reads the token from. */
export const LINK_TOKEN_PARAMETER = 't';

/** Whether an alert about this cause (or one carrying a QR image) should offer the relink page. */
export function needsRelinkPage(causeCode: string | undefined, hasQr: boolean): boolean {
	return hasQr || (causeCode !== undefined && QR_CAUSE_CODES.includes(causeCode));
}

/** The page's base URL when it is a web URL without a fragment, else undefined (never a link). */
export function relinkBaseUrl(value: string | undefined): string | undefined {
	const trimmed = value?.trim() ?? '';
	if (!/^https?:\/\//i.test(trimmed) || trimmed.includes('#')) return undefined;
	try {
		new URL(trimmed);
	} catch {
		return undefined;
	}
	return trimmed;
}

/** `base?t=<token>` (or `&t=` when the base has a query already). */
export function relinkPageUrl(base: string, token: string): string {
	return `${base}${base.includes('?') ? '&' : '?'}${LINK_TOKEN_PARAMETER}=${encodeURIComponent(token)}`;
}

export interface RelinkLinkRequest {
	baseUrl: string;
	secret: string;
	incidentId: string;
	target: string;
	now: number;
	/** How long the link works; default 2 h, at most 24 h. */
	ttlMs?: number;
}

/** The signed link for one incident and its expiry (epoch ms). */
export function signedRelinkLink(request: RelinkLinkRequest): { url: string; expiresAt: number } {
	const ttl = Math.min(Math.max(request.ttlMs ?? DEFAULT_LINK_TTL_MS, 60_000), MAX_LINK_TTL_MS);
	const expiresAt = request.now + ttl;
	const token = signIncidentLink({ incidentId: request.incidentId, target: request.target, expiresAt }, request.secret, request.now);
	return { url: relinkPageUrl(request.baseUrl, token), expiresAt };
}
