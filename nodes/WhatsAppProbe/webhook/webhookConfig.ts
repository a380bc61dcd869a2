/**
 * Each gateway's webhook configuration read into one shape, keeping only what a comparison
 * needs: URL, enabled, events, and *that* an auth header or HMAC key is set — never their
 * values (Evolution's `GET /webhook/find` returns header values in clear; WAHA's session
 * config holds the HMAC key). Shapes after /work/shared/reference/whatsapp-canary-webhooks.md
 * §1.C (Evolution), §2.C (WAHA), §3.C (Meta `subscribed_apps`).
 */
import { isRecord } from '../../shared/json';
import type { GatewayKind } from '../providers/types';

export interface NormalisedWebhook {
	/** As configured, or null when empty/absent (Meta: the override callback; the app-level one is not readable). */
	url: string | null;
	enabled: boolean;
	/** Event names in the gateway's spelling, normalised (Evolution: `MESSAGES_UPSERT`). */
	events: string[];
	/** The gateway sends every event (Evolution `enabled` with `[]`, WAHA `["*"]`). */
	allEvents: boolean;
	/** Names of custom headers, lower-case (values are secrets and are dropped). */
	headerNames: string[];
	/** A signing secret is set (WAHA `hmac.key`; Evolution's `jwt_key` header). */
	signed: boolean;
	/** Evolution: POST to `<url>/<event-name>` instead of `<url>`. */
	byEvents?: boolean;
	/** Evolution: media as base64 in the payload. */
	base64?: boolean;
	/** Meta: the subscribed app's id. */
	appId?: string;
}

export interface WebhookReading {
	gateway: GatewayKind;
	hooks: NormalisedWebhook[];
}

/** `messages.upsert`, `MESSAGES_UPSERT` and `messages-upsert` are one Evolution event. */
export function evolutionEventName(name: string): string {
	return name.trim().replace(/[.-]/g, '_').toUpperCase();
}

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim()) : [];
}

function nonEmpty(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Evolution `GET /webhook/find/{instance}`: the Webhook row, or null when there is none. */
export function readEvolutionWebhook(body: unknown): WebhookReading {
	if (!isRecord(body)) return { gateway: 'evolution', hooks: [] };
	const url = nonEmpty(body.url);
	const events = strings(body.events).map(evolutionEventName);
	const headers = isRecord(body.headers) ? Object.keys(body.headers).map((name) => name.toLowerCase()) : [];
	const enabled = body.enabled === true;
	if (url === null && events.length === 0 && !enabled) return { gateway: 'evolution', hooks: [] };
	return {
		gateway: 'evolution',
		hooks: [
			{
				url,
				enabled,
				events,
				// Evolution sends every event when enabled with an empty list (webhook.controller `set`).
				allEvents: enabled && events.length === 0,
				headerNames: headers.filter((name) => name !== 'jwt_key').sort(),
				signed: headers.includes('jwt_key'),
				byEvents: body.webhookByEvents === true,
				base64: body.webhookBase64 === true,
			},
		],
	};
}

/** WAHA `GET /api/sessions/{session}`: `config.webhooks[]` (a session without config has none). */
export function readWahaWebhooks(sessionInfo: unknown): WebhookReading {
	const config = isRecord(sessionInfo) && isRecord(sessionInfo.config) ? sessionInfo.config : undefined;
	const hooks = Array.isArray(config?.webhooks) ? config.webhooks.filter(isRecord) : [];
	return {
		gateway: 'waha',
		hooks: hooks.map((hook) => {
			const events = strings(hook.events);
			const headers = Array.isArray(hook.customHeaders) ? hook.customHeaders.filter(isRecord).map((header) => nonEmpty(header.name)?.toLowerCase()).filter((name): name is string => !!name) : [];
			return {
				url: nonEmpty(hook.url),
				// WAHA has no enabled flag: a configured webhook is on.
				enabled: true,
				events: events.filter((event) => event !== '*'),
				allEvents: events.includes('*'),
				headerNames: headers.sort(),
				signed: isRecord(hook.hmac) && nonEmpty(hook.hmac.key) !== null,
			};
		}),
	};
}

/** Meta `GET /{WABA_ID}/subscribed_apps`: one entry per app subscribed to the WABA. */
export function readMetaSubscribedApps(body: unknown): WebhookReading {
	const data = isRecord(body) && Array.isArray(body.data) ? body.data.filter(isRecord) : [];
	return {
		gateway: 'cloudApi',
		hooks: data.map((entry) => {
			const app = isRecord(entry.whatsapp_business_api_data) ? entry.whatsapp_business_api_data : {};
			const appId = nonEmpty(app.id);
			return {
				url: nonEmpty(entry.override_callback_uri),
				enabled: true,
				// The fields (messages, …) are set per app in the App Dashboard and not readable here.
				events: [],
				allEvents: false,
				headerNames: [],
				signed: false,
				...(appId ? { appId } : {}),
			};
		}),
	};
}

/**
 * What "the same URL" means here: scheme and host as the URL parser spells them (lower case),
 * the path as written (paths are case-sensitive), no trailing slash, no credentials, query or fragment.
 */
export function webhookUrlKey(url: string): string {
	try {
		const parsed = new URL(url.trim());
		return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
	} catch {
		return url.trim().replace(/[?#].*$/, '').replace(/\/+$/, '');
	}
}

/** A URL without what may be secret in it (user:password, the query): for storing. `dropped` says something was removed. */
export function urlWithoutSecrets(url: string): { url: string; dropped: boolean } {
	try {
		const parsed = new URL(url.trim());
		const dropped = parsed.username !== '' || parsed.password !== '' || parsed.search !== '';
		return { url: `${parsed.protocol}//${parsed.host}${parsed.pathname}`, dropped };
	} catch {
		const trimmed = url.trim();
		const clean = trimmed.replace(/[?#].*$/, '');
		return { url: clean, dropped: clean !== trimmed };
	}
}

/** A URL as shown in messages: origin and path only (a query may carry a token; user:password never shown). */
export function describeWebhookUrl(url: string): string {
	try {
		const parsed = new URL(url.trim());
		return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? '?…' : ''}`;
	} catch {
		return url.trim().replace(/[?#].*$/, '?…');
	}
}
