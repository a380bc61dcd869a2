/**
 * The relink page's decision, without n8n: is the link good (signed, unexpired, for this
 * target, not used up), and what does the gateway say now (a QR waiting, connected, not
 * ready). The answer is a model the renderer turns into HTML; a refused link gets a 403
 * model that carries the refusal and nothing else (no QR, no target, no token).
 *
 * The link works once per incident: the glue marks it used when the page has shown
 * "connected" (`markUsed`), and every later visit is refused.
 */
import { checkLinkUse, verifyIncidentLink, type LinkRejection, type UsedLinks } from '../../shared/links/incidentLinkToken';
import { redact } from '../../shared/redact';
import type { QrOutcome } from '../providers/types';

export type RelinkLanguage = 'es' | 'en';

/** Seconds between refreshes while a person is scanning: a rotated QR shows up within this. */
export const REFRESH_SECONDS = 5;
/** After a pairing code is shown the page waits longer, so the code stays readable while it is typed. */
export const PAIRING_REFRESH_SECONDS = 60;

export type RelinkPageModel =
	| { state: 'refused'; statusCode: 403; language: RelinkLanguage; reason: LinkRejection }
	| {
			state: 'scan';
			statusCode: 200;
			language: RelinkLanguage;
			token: string;
			refreshSeconds: number;
			/** The current QR as base64 PNG (absent when the gateway gave only a pairing code). */
			qrPng?: string;
			pairingCode?: string;
			pairingNumber?: string;
			/** The number typed was not a phone number. */
			numberInvalid?: boolean;
			/** When the link stops working (epoch ms). */
			expiresAt: number;
	  }
	| { state: 'connected'; statusCode: 200; language: RelinkLanguage; markUsed: true; incidentId: string }
	| {
			state: 'waiting';
			statusCode: 200;
			language: RelinkLanguage;
			token: string;
			refreshSeconds: number;
			/** Why there is no QR now, redacted, one line. */
			reason: string;
			expiresAt: number;
	  };

/** What the gateway said when asked for the current QR. */
export type GatewayView = { kind: 'qr'; png?: Buffer; pairingCode?: string } | { kind: 'connected' } | { kind: 'waiting'; reason: string };

/** A QR outcome as the page sees it: connected means the re-check after "no QR" came back healthy. */
export function gatewayView(outcome: QrOutcome, secrets: readonly string[]): GatewayView {
	if (outcome.pending) {
		return { kind: 'qr', ...(outcome.qr.png ? { png: outcome.qr.png } : {}), ...(outcome.qr.pairingCode ? { pairingCode: outcome.qr.pairingCode } : {}) };
	}
	if (outcome.result.status === 'healthy') return { kind: 'connected' };
	const reason = redact(outcome.result.cause?.message ?? outcome.reason, { secrets: [...secrets] }).split(/\r?\n/, 1)[0] ?? '';
	return { kind: 'waiting', reason: reason.length > 200 ? `${reason.slice(0, 199)}…` : reason };
}

/** E.164 digits of a typed phone number; '' when nothing was typed; null when it is not a phone number. */
export function pairingNumberOf(value: unknown): string | null {
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	if (trimmed === '') return '';
	const digits = trimmed.replace(/[\s()+.-]/g, '');
	return /^\d{8,15}$/.test(digits) ? digits : null;
}

export interface LinkInput {
	token: unknown;
	secret: string;
	target: string;
	now: number;
	used: UsedLinks;
}

/** The link's verdict: signature, expiry, target, then whether its incident's relink is done. */
export function checkRelinkLink(input: LinkInput) {
	return checkLinkUse(verifyIncidentLink(input.token, input.secret, input.now, input.target), input.used);
}

export function refusedModel(reason: LinkRejection, language: RelinkLanguage): RelinkPageModel {
	return { state: 'refused', statusCode: 403, language, reason };
}

export interface PageInput {
	language: RelinkLanguage;
	token: string;
	incidentId: string;
	expiresAt: number;
	view: GatewayView;
	/** The typed number ('' none, null not a phone number). */
	pairingNumber: string | null;
}

/** The page for a good link, from what the gateway said. */
export function relinkPageModel(input: PageInput): RelinkPageModel {
	const { language, token, expiresAt, view } = input;
	if (view.kind === 'connected') return { state: 'connected', statusCode: 200, language, markUsed: true, incidentId: input.incidentId };
	if (view.kind === 'waiting') return { state: 'waiting', statusCode: 200, language, token, refreshSeconds: REFRESH_SECONDS, reason: view.reason, expiresAt };
	const pairing = view.pairingCode && input.pairingNumber ? { pairingCode: view.pairingCode, pairingNumber: input.pairingNumber } : {};
	return {
		state: 'scan',
		statusCode: 200,
		language,
		token,
		refreshSeconds: pairing.pairingCode ? PAIRING_REFRESH_SECONDS : REFRESH_SECONDS,
		...(view.png ? { qrPng: view.png.toString('base64') } : {}),
		...pairing,
		...(input.pairingNumber === null ? { numberInvalid: true } : {}),
		expiresAt,
	};
}
