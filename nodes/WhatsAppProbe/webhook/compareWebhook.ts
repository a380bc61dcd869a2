/**
 * The webhook integrity check: a reading compared with the expected configuration, giving the
 * mismatches in plain words and a check entry with its own cause. WAHA may have several
 * webhooks (one must match); Meta lists the apps subscribed to the WABA (the expected one must
 * be there). Gateway-level webhooks set by environment variables are invisible to these APIs.
 */
import type { Cause, CheckEntry } from '../../shared/contract';
import { webhookCause, type WebhookCauseCode } from './causes';
import { DEFAULT_REQUIRED_EVENTS, type ExpectedWebhook } from './expectedWebhook';
import { describeWebhookUrl, webhookUrlKey, type NormalisedWebhook, type WebhookReading } from './webhookConfig';

export const WEBHOOK_CHECK_NAME = 'webhook';

export type WebhookComparison = { ok: true; problems: [] } | { ok: false; code: WebhookCauseCode; problems: string[] };

const GATEWAY_NAMES = { evolution: 'Evolution API', waha: 'WAHA', cloudApi: 'Meta' } as const;

function requiredEvents(expected: ExpectedWebhook): string[] {
	return expected.events.length > 0 ? expected.events : [...DEFAULT_REQUIRED_EVENTS[expected.gateway]];
}

function sendsEvent(hook: NormalisedWebhook, event: string): boolean {
	// WAHA's `message.any` carries incoming messages too.
	return hook.allEvents || hook.events.includes(event) || (event === 'message' && hook.events.includes('message.any'));
}

/** What is wrong with one hook, in plain words; empty when it is as expected. */
function problemsOf(hook: NormalisedWebhook, expected: ExpectedWebhook): string[] {
	const problems: string[] = [];
	if (expected.appId && hook.appId !== expected.appId) problems.push(`the subscribed app is ${hook.appId ?? 'unknown'}, expected app ${expected.appId}`);
	if (expected.url) {
		if (hook.url === null) problems.push(`it has no URL (expected ${describeWebhookUrl(expected.url)})`);
		else if (webhookUrlKey(hook.url) !== webhookUrlKey(expected.url)) problems.push(`it points to ${describeWebhookUrl(hook.url)}, expected ${describeWebhookUrl(expected.url)}`);
	}
	if (!hook.enabled) problems.push('it is disabled');
	if (expected.allEvents && !hook.allEvents) problems.push('it no longer sends every event, as it did when healthy');
	const missing = expected.allEvents ? [] : requiredEvents(expected).filter((event) => !sendsEvent(hook, event));
	if (missing.length > 0) problems.push(`it does not send ${missing.join(', ')}`);
	if (expected.byEvents !== undefined && hook.byEvents !== undefined && hook.byEvents !== expected.byEvents) {
		problems.push(expected.byEvents ? 'it no longer posts to one URL per event (byEvents)' : 'it now posts to one URL per event (byEvents), which the bot does not expect');
	}
	const headers = (expected.headerNames ?? []).filter((name) => !hook.headerNames.includes(name));
	if (headers.length > 0) problems.push(`the header${headers.length > 1 ? 's' : ''} ${headers.join(', ')} ${headers.length > 1 ? 'are' : 'is'} no longer set (the bot may reject its messages)`);
	if (expected.signed && !hook.signed) problems.push('its signing key is no longer set');
	return problems;
}

/** The reading compared with the expected configuration. */
export function compareWebhook(reading: WebhookReading, expected: ExpectedWebhook): WebhookComparison {
	const gateway = GATEWAY_NAMES[reading.gateway];
	if (reading.gateway === 'cloudApi') {
		if (reading.hooks.length === 0) return { ok: false, code: 'whatsapp.webhook_missing', problems: ['no app is subscribed to the WhatsApp Business Account, so Meta delivers no messages'] };
		if (expected.appId && !reading.hooks.some((hook) => hook.appId === expected.appId)) {
			return { ok: false, code: 'whatsapp.webhook_missing', problems: [`app ${expected.appId} is not subscribed to the WhatsApp Business Account`] };
		}
	} else if (reading.hooks.every((hook) => hook.url === null)) {
		return { ok: false, code: 'whatsapp.webhook_missing', problems: [`${gateway} has no webhook with a URL, so messages do not reach the bot`] };
	}
	const candidates = reading.hooks.filter((hook) => !expected.appId || hook.appId === expected.appId);
	// The closest hook: one with the expected URL first (its other problems are the real ones), then the fewest problems.
	const urlMatches = (hook: NormalisedWebhook) => !expected.url || (hook.url !== null && webhookUrlKey(hook.url) === webhookUrlKey(expected.url));
	const ranked = candidates
		.map((hook) => ({ problems: problemsOf(hook, expected), weight: urlMatches(hook) ? 0 : 1 }))
		.sort((a, b) => a.weight - b.weight || a.problems.length - b.problems.length);
	const best = ranked[0]?.problems ?? [];
	if (best.length === 0) return { ok: true, problems: [] };
	const several = reading.gateway === 'waha' && reading.hooks.length > 1 ? 'no webhook matches: in the closest one, ' : '';
	return { ok: false, code: 'whatsapp.webhook_mismatch', problems: best.map((problem, i) => (i === 0 ? `${several}${problem}` : problem)) };
}

/** The check entry of a comparison (down when anything is off: the bot is deaf or may be), with its cause. */
export function webhookCheckEntry(comparison: WebhookComparison, gateway: WebhookReading['gateway'], durationMs?: number): { entry: CheckEntry; cause?: Cause } {
	const extra = durationMs === undefined ? {} : { durationMs };
	if (comparison.ok) return { entry: { name: WEBHOOK_CHECK_NAME, status: 'healthy', message: `The ${GATEWAY_NAMES[gateway]} webhook is as expected.`, value: [], ...extra } };
	const message = `The ${GATEWAY_NAMES[gateway]} webhook is not as expected: ${comparison.problems.join('; ')}. Customers' messages may not reach the bot; restore the webhook.`;
	const cause = webhookCause(comparison.code, message);
	return { entry: { name: WEBHOOK_CHECK_NAME, status: 'down', message, code: cause.code, value: comparison.problems, ...extra }, cause };
}
