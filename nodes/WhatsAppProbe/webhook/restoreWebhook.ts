/**
 * The requests that put the expected webhook back, as data (method, path, body) for the
 * gateway code to send. Bodies after /work/shared/reference/whatsapp-canary-webhooks.md:
 * Evolution `POST /webhook/set/{instance}` with the nested v2.1+ body (`byEvents`/`base64`,
 * not the read model's `webhookByEvents`); WAHA `PUT /api/sessions/{session}` with the whole
 * config (PUT replaces it, and restarts the session); Meta `POST /{WABA_ID}/subscribed_apps`.
 * Secret values (header values, HMAC key, verify token) are passed in by the caller from
 * credentials; they go into the request only and never into anything returned otherwise.
 */
import { isRecord } from '../../shared/json';
import { DEFAULT_REQUIRED_EVENTS, type ExpectedWebhook } from './expectedWebhook';
import { webhookUrlKey } from './webhookConfig';

export interface RestoreRequest {
	method: 'POST' | 'PUT';
	path: string;
	body?: Record<string, unknown>;
	/** WAHA stops and starts the session to apply a config: seconds without WhatsApp. */
	restartsSession: boolean;
}

export type RestorePlan = { ok: true; request: RestoreRequest } | { ok: false; reason: string };

export interface RestoreSecrets {
	/** Values of the headers the expected configuration names, by lower-case name. */
	headerValues?: Record<string, string>;
	/** WAHA HMAC key. */
	hmacKey?: string;
	/** Meta: the verify token for an override callback. */
	verifyToken?: string;
}

function cannot(reason: string): RestorePlan {
	return { ok: false, reason };
}

function urlProblem(expected: ExpectedWebhook): string | undefined {
	if (!expected.url) return 'the expected webhook URL is not known; set the Webhook URL parameter';
	if (expected.urlIncomplete) return 'the remembered webhook URL had a query or credentials that were not stored; set the Webhook URL parameter';
	return undefined;
}

function headersFor(expected: ExpectedWebhook, secrets: RestoreSecrets): Record<string, string> | string {
	const names = expected.headerNames ?? [];
	const values = Object.fromEntries(Object.entries(secrets.headerValues ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
	const missing = names.filter((name) => !values[name]);
	if (missing.length > 0) return `the value of header ${missing.join(', ')} is needed to restore the webhook (it is never stored)`;
	return Object.fromEntries(names.map((name) => [name, values[name]]));
}

/** Evolution v2.1+ `POST /webhook/set/{instance}`. `enabled` with `events: []` means every event. */
export function evolutionWebhookSetRequest(instance: string, expected: ExpectedWebhook, secrets: RestoreSecrets = {}): RestorePlan {
	const problem = urlProblem(expected);
	if (problem) return cannot(problem);
	const headers = headersFor(expected, secrets);
	if (typeof headers === 'string') return cannot(headers);
	if (expected.signed && !secrets.headerValues?.jwt_key) return cannot('the jwt_key header value is needed to restore the signed webhook (it is never stored)');
	const allHeaders = { ...headers, ...(expected.signed && secrets.headerValues?.jwt_key ? { jwt_key: secrets.headerValues.jwt_key } : {}) };
	const events = expected.allEvents ? [] : expected.events.length > 0 ? expected.events : [...DEFAULT_REQUIRED_EVENTS.evolution];
	return {
		ok: true,
		request: {
			method: 'POST',
			path: `/webhook/set/${encodeURIComponent(instance)}`,
			body: {
				webhook: {
					enabled: true,
					url: expected.url,
					...(Object.keys(allHeaders).length > 0 ? { headers: allHeaders } : {}),
					byEvents: expected.byEvents ?? false,
					base64: expected.base64 ?? false,
					events,
				},
			},
			restartsSession: false,
		},
	};
}

/**
 * WAHA `PUT /api/sessions/{session}` from the session's current info: the whole config comes
 * back (PUT drops what is omitted), with the webhook to the expected URL patched in place
 * (its events completed, its HMAC and headers kept) or added.
 */
export function wahaSessionUpdateRequest(session: string, currentSessionInfo: unknown, expected: ExpectedWebhook, secrets: RestoreSecrets = {}): RestorePlan {
	const problem = urlProblem(expected);
	if (problem || !expected.url) return cannot(problem ?? 'no URL');
	const config = isRecord(currentSessionInfo) && isRecord(currentSessionInfo.config) ? currentSessionInfo.config : {};
	const hooks = Array.isArray(config.webhooks) ? config.webhooks.filter(isRecord) : [];
	const key = webhookUrlKey(expected.url);
	const index = hooks.findIndex((hook) => typeof hook.url === 'string' && webhookUrlKey(hook.url) === key);
	const existing = index >= 0 ? hooks[index] : undefined;
	const wanted = expected.allEvents ? ['*'] : expected.events.length > 0 ? expected.events : [...DEFAULT_REQUIRED_EVENTS.waha];
	const current = Array.isArray(existing?.events) ? existing.events.filter((event): event is string => typeof event === 'string') : [];
	const events = current.includes('*') ? ['*'] : [...new Set([...current, ...wanted])];

	const hasHmac = isRecord(existing?.hmac) && typeof existing.hmac.key === 'string' && existing.hmac.key !== '';
	if (expected.signed && !hasHmac && !secrets.hmacKey) return cannot('the HMAC key is needed to restore the signed webhook (it is never stored)');
	const currentHeaders = Array.isArray(existing?.customHeaders) ? existing.customHeaders.filter(isRecord) : [];
	const presentNames = currentHeaders.map((header) => String(header.name ?? '').toLowerCase());
	const absent = (expected.headerNames ?? []).filter((name) => !presentNames.includes(name));
	const values = Object.fromEntries(Object.entries(secrets.headerValues ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
	const unknown = absent.filter((name) => !values[name]);
	if (unknown.length > 0) return cannot(`the value of header ${unknown.join(', ')} is needed to restore the webhook (it is never stored)`);
	const customHeaders = [...currentHeaders, ...absent.map((name) => ({ name, value: values[name] }))];

	const restored: Record<string, unknown> = {
		...(existing ?? {}),
		url: existing?.url ?? expected.url,
		events,
		...(hasHmac ? {} : secrets.hmacKey ? { hmac: { key: secrets.hmacKey } } : {}),
		...(customHeaders.length > 0 ? { customHeaders } : {}),
	};
	const webhooks = index >= 0 ? hooks.map((hook, i) => (i === index ? restored : hook)) : [...hooks, restored];
	return {
		ok: true,
		request: { method: 'PUT', path: `/api/sessions/${encodeURIComponent(session)}`, body: { config: { ...config, webhooks } }, restartsSession: true },
	};
}

/** Meta `POST /{version}/{WABA_ID}/subscribed_apps`: subscribes the token's app; an override callback needs its verify token. */
export function metaSubscribeRequest(graphVersion: string, wabaId: string, expected: ExpectedWebhook, secrets: RestoreSecrets = {}): RestorePlan {
	if (!/^\d+$/.test(wabaId)) return cannot('the WhatsApp Business Account id is not set (digits expected)');
	const path = `/${encodeURIComponent(graphVersion)}/${wabaId}/subscribed_apps`;
	if (!expected.url) return { ok: true, request: { method: 'POST', path, restartsSession: false } };
	if (expected.urlIncomplete) return cannot(urlProblem(expected) ?? '');
	if (!secrets.verifyToken) return cannot('the verify token is needed to restore the override callback URL (it is never stored)');
	return { ok: true, request: { method: 'POST', path, body: { override_callback_uri: expected.url, verify_token: secrets.verifyToken }, restartsSession: false } };
}
