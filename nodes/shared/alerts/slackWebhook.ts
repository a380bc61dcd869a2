/**
 * Posting an alert to a Slack incoming webhook, without n8n: what in the URL is secret,
 * and what each answer of Slack means, in words that never contain the URL. A webhook
 * URL is a bearer secret (anyone holding it can post to the channel), so it is masked
 * everywhere, and Slack's error bodies are only quoted when they are a bare error code.
 */
import type { HttpFailure, HttpOutcome } from '../http';

/** The credential that holds the URL, as errors name it. */
export const SLACK_WEBHOOK_CREDENTIAL = 'Slack webhook credential';

/** Slack's webhook errors are bare codes (`no_service`); anything else is not echoed. */
const SLACK_ERROR_CODE = /^[a-z][a-z_]{1,63}$/;

/** The URL in every form it can take in a message: whole, its path, and the secret last segment. */
export function webhookUrlSecrets(webhookUrl: string): string[] {
	const secrets = [webhookUrl, webhookUrl.replace(/\/+$/, '')];
	try {
		const url = new URL(webhookUrl);
		secrets.push(url.href, `${url.pathname}${url.search}`);
		const lastSegment = url.pathname.split('/').filter(Boolean).at(-1);
		if (lastSegment) secrets.push(lastSegment);
	} catch {
		// Not a URL: the whole value is all there is to mask.
	}
	return secrets;
}

/** The URL to post to, or an error that says what is wrong with it (never what it is). */
export function webhookUrlProblem(webhookUrl: string): string | undefined {
	if (webhookUrl === '') return `The ${SLACK_WEBHOOK_CREDENTIAL} has no Webhook URL`;
	let protocol: string;
	try {
		protocol = new URL(webhookUrl).protocol;
	} catch {
		return `The ${SLACK_WEBHOOK_CREDENTIAL}'s Webhook URL is not a URL`;
	}
	return protocol === 'https:' || protocol === 'http:' ? undefined : `The ${SLACK_WEBHOOK_CREDENTIAL}'s Webhook URL must start with https://`;
}

/** Slack's error code from a plain-text answer (`no_service`), or '' when the body is not one. */
function slackCode(failure: HttpFailure): string {
	const body = typeof failure.data === 'string' ? failure.data.trim() : '';
	return SLACK_ERROR_CODE.test(body) ? ` ${body}` : '';
}

/** Why Slack did not take the alert, and what to do about it. */
export function slackRefusal(failure: HttpFailure): string {
	if (failure.status === undefined) return `Slack could not be reached: ${failure.message}`;
	const answer = `HTTP ${failure.status}${slackCode(failure)}`;
	const wait = failure.retryAfterMs !== null ? `, retry after ${Math.ceil(failure.retryAfterMs / 1000)} s` : '';
	switch (failure.status) {
		case 400:
			return `Slack refused the message (${answer})`;
		case 401:
		case 404:
			return `Slack does not know this webhook (${answer}): it was removed or the URL is wrong; put the channel's current webhook URL in the ${SLACK_WEBHOOK_CREDENTIAL}`;
		case 403:
			return `Slack refused the post (${answer}): the workspace does not let this webhook post`;
		case 410:
			return `The webhook's channel is archived (${answer}): make a webhook for a live channel and put it in the ${SLACK_WEBHOOK_CREDENTIAL}`;
		case 429:
			return `Slack is rate limiting this webhook (${answer}${wait})`;
		default:
			return failure.status >= 500 ? `Slack had a server error (${answer})` : `Slack refused the post (${answer})`;
	}
}

export interface WebhookTestVerdict {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * The credential test posts an empty message: a live webhook refuses it with 400 (so
 * nothing reaches the channel), an unknown or revoked one answers 404/410/403.
 */
export function webhookTestVerdict(outcome: HttpOutcome): WebhookTestVerdict {
	if (outcome.ok) return { status: 'OK', message: 'Slack accepted the webhook' };
	if (outcome.status === 400) return { status: 'OK', message: 'Slack knows this webhook (the test posts nothing to the channel)' };
	return { status: 'Error', message: slackRefusal(outcome) };
}
