/**
 * The expected webhook configuration: what parameters say, or what a healthy reading showed
 * ("remember what healthy looked like"), merged with parameters winning field by field. It
 * is stored in workflow static data, so it never holds a secret: header names and a flag
 * that a signing key was set, not their values; the URL without user:password or query.
 * (A hash of a header token was considered and rejected: a fast unsalted hash of a short,
 * human-chosen token can be reversed offline by anyone who reads the static data.)
 */
import { OptionError } from '../../shared/optionError';
import type { GatewayKind } from '../providers/types';
import { evolutionEventName, urlWithoutSecrets, type NormalisedWebhook, type WebhookReading } from './webhookConfig';

/** The message events a sales bot needs, per gateway (Meta's fields are not readable through the API). */
export const DEFAULT_REQUIRED_EVENTS: Record<GatewayKind, readonly string[]> = {
	evolution: ['MESSAGES_UPSERT'],
	waha: ['message'],
	cloudApi: [],
};

export const WEBHOOK_URL_PARAMETER = 'Webhook URL';

export interface ExpectedWebhook {
	v: 1;
	gateway: GatewayKind;
	/** The URL messages must go to; undefined: any URL (Meta: no override expected). */
	url?: string;
	/** A captured URL had user:password or a query, which was not kept: restoring needs the Webhook URL parameter. */
	urlIncomplete?: boolean;
	/** Events that must be sent; empty: the gateway's default message events. */
	events: string[];
	/** The gateway must send every event (captured from Evolution `[]` / WAHA `*`). */
	allEvents?: boolean;
	/** Evolution `byEvents` as it was when healthy. */
	byEvents?: boolean;
	base64?: boolean;
	/** Header names that must still be set (lower case). */
	headerNames?: string[];
	/** A signing key (WAHA HMAC, Evolution jwt_key) must be set. */
	signed?: boolean;
	/** Meta: the app that must be subscribed to the WABA. */
	appId?: string;
	/** ISO-8601, when captured from a healthy reading. */
	capturedAt?: string;
}

/** What a person may set as node parameters; empty values defer to the captured configuration. */
export interface WebhookParameters {
	url?: string;
	events?: string[];
	appId?: string;
}

function normaliseEvents(gateway: GatewayKind, events: readonly string[]): string[] {
	const cleaned = events.map((event) => event.trim()).filter((event) => event !== '');
	return [...new Set(gateway === 'evolution' ? cleaned.map(evolutionEventName) : cleaned)];
}

/** The hook a healthy reading's configuration is taken from: the first enabled one with a URL that sends the message events. */
function healthyHook(reading: WebhookReading): NormalisedWebhook | undefined {
	const needed = DEFAULT_REQUIRED_EVENTS[reading.gateway];
	return reading.hooks.find(
		(hook) =>
			hook.enabled &&
			(reading.gateway === 'cloudApi' || hook.url !== null) &&
			(hook.allEvents || needed.every((event) => hook.events.includes(event) || (event === 'message' && hook.events.includes('message.any')))),
	);
}

/**
 * The expected configuration captured from a reading taken while the conversation was
 * healthy; undefined when the reading has nothing usable (no webhook, or several Meta apps).
 */
export function captureExpectedWebhook(reading: WebhookReading, now: number): ExpectedWebhook | undefined {
	if (reading.gateway === 'cloudApi' && reading.hooks.length !== 1) return undefined;
	const hook = healthyHook(reading);
	if (!hook) return undefined;
	const url = hook.url === null ? undefined : urlWithoutSecrets(hook.url);
	return {
		v: 1,
		gateway: reading.gateway,
		...(url ? { url: url.url, ...(url.dropped ? { urlIncomplete: true } : {}) } : {}),
		events: [...hook.events],
		...(hook.allEvents ? { allEvents: true } : {}),
		...(hook.byEvents !== undefined ? { byEvents: hook.byEvents } : {}),
		...(hook.base64 !== undefined ? { base64: hook.base64 } : {}),
		...(hook.headerNames.length > 0 ? { headerNames: [...hook.headerNames] } : {}),
		...(hook.signed ? { signed: true } : {}),
		...(hook.appId ? { appId: hook.appId } : {}),
		capturedAt: new Date(now).toISOString(),
	};
}

function checkUrl(url: string): string {
	const trimmed = url.trim();
	// Evolution silently sends nothing to a URL that does not start with http(s)://.
	if (!/^https?:\/\/[^\s/]+/i.test(trimmed)) {
		throw new OptionError(WEBHOOK_URL_PARAMETER, `Parameter "${WEBHOOK_URL_PARAMETER}" must be an http(s) URL such as https://n8n.example.com/webhook/bot`);
	}
	return trimmed;
}

/**
 * Parameters win, field by field; what they leave empty comes from the captured configuration.
 * Undefined when neither says anything (nothing to compare against yet).
 */
export function mergeExpectedWebhook(gateway: GatewayKind, parameters: WebhookParameters, captured?: ExpectedWebhook): ExpectedWebhook | undefined {
	const base = captured && captured.gateway === gateway ? captured : undefined;
	const url = parameters.url?.trim() ? checkUrl(parameters.url) : undefined;
	const events = normaliseEvents(gateway, parameters.events ?? []);
	const appId = parameters.appId?.trim() || undefined;
	if (!base && !url && events.length === 0 && !appId) return undefined;
	const merged: ExpectedWebhook = { ...(base ?? { v: 1, gateway, events: [] }) };
	if (url) {
		merged.url = url;
		delete merged.urlIncomplete;
	}
	if (events.length > 0) {
		merged.events = events;
		delete merged.allEvents;
	}
	if (appId) merged.appId = appId;
	return merged;
}

/** A stored configuration, or undefined when it is missing or not this version (it is captured again). */
export function readExpectedWebhook(value: unknown): ExpectedWebhook | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const record = value as Partial<ExpectedWebhook>;
	if (record.v !== 1 || !['evolution', 'waha', 'cloudApi'].includes(String(record.gateway)) || !Array.isArray(record.events)) return undefined;
	return record as ExpectedWebhook;
}
