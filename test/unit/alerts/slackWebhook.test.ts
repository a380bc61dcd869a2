/** What is secret in a Slack webhook URL, and how Slack's answers are told without it. */
import { slackRefusal, webhookTestVerdict, webhookUrlProblem, webhookUrlSecrets } from '../../../nodes/shared/alerts/slackWebhook';
import type { HttpFailure } from '../../../nodes/shared/http';
import { redact } from '../../../nodes/shared/redact';

const URL_ = 'https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx';

const answered = (status: number, data: unknown, retryAfterMs: number | null = null): HttpFailure => ({
	ok: false,
	kind: status >= 500 ? 'server_error' : 'client_error',
	status,
	data,
	durationMs: 5,
	retryAfterMs,
	message: `POST hooks.slack.com answered HTTP ${status}`,
});

describe('webhookUrlSecrets', () => {
	test('masks the URL whole, its path alone and its secret segment alone', () => {
		const text = `posting to ${URL_}; path /services/T0AAAAAAA/B0BBBBBBB/abcdefghijklmnopqrstuvwx; segment abcdefghijklmnopqrstuvwx`;
		const masked = redact(text, { secrets: webhookUrlSecrets(URL_) });
		expect(masked).not.toContain('abcdefghijklmnopqrstuvwx');
		expect(masked).toContain('posting to');
	});

	test('a value that is not a URL is masked whole', () => {
		expect(webhookUrlSecrets('not a url at all')).toEqual(['not a url at all', 'not a url at all']);
	});
});

describe('webhookUrlProblem', () => {
	test('https and http URLs are fine; anything else is named, never echoed', () => {
		expect(webhookUrlProblem(URL_)).toBeUndefined();
		expect(webhookUrlProblem('http://127.0.0.1:3908/services/T/B/x')).toBeUndefined();
		for (const bad of ['hooks.slack.com/services/T/B/secret-x', 'ftp://hooks.slack.com/services/T/B/secret-x']) {
			expect(webhookUrlProblem(bad)).toMatch(/Webhook URL/);
			expect(webhookUrlProblem(bad)).not.toContain('secret-x');
		}
		expect(webhookUrlProblem('')).toBe('The Slack webhook credential has no Webhook URL');
	});
});

describe('slackRefusal', () => {
	test('quotes Slack\'s bare error code', () => {
		expect(slackRefusal(answered(404, 'no_service'))).toMatch(/^Slack does not know this webhook \(HTTP 404 no_service\): it was removed or the URL is wrong/);
		expect(slackRefusal(answered(400, 'invalid_payload'))).toBe('Slack refused the message (HTTP 400 invalid_payload)');
		expect(slackRefusal(answered(429, 'rate_limited', 2500))).toBe('Slack is rate limiting this webhook (HTTP 429 rate_limited, retry after 3 s)');
		expect(slackRefusal(answered(502, 'bad gateway'))).toBe('Slack had a server error (HTTP 502)');
	});

	test('never quotes a body that is not a bare code (a proxy page could echo the URL)', () => {
		const refusal = slackRefusal(answered(404, `<html>No route for ${URL_}</html>`));
		expect(refusal).toMatch(/HTTP 404\)/);
		expect(refusal).not.toContain('abcdefghijklmnopqrstuvwx');
		expect(slackRefusal(answered(400, { error: URL_ }))).toBe('Slack refused the message (HTTP 400)');
	});

	test('no answer: the transport\'s (already redacted) words', () => {
		const failure: HttpFailure = { ok: false, kind: 'reset', durationMs: 3, retryAfterMs: null, message: 'POST hooks.slack.com failed: socket hang up' };
		expect(slackRefusal(failure)).toBe('Slack could not be reached: POST hooks.slack.com failed: socket hang up');
	});
});

describe('webhookTestVerdict', () => {
	test('400 to the empty test message means the webhook exists; 404/410 mean it does not', () => {
		expect(webhookTestVerdict(answered(400, 'invalid_payload')).status).toBe('OK');
		expect(webhookTestVerdict({ ok: true, status: 200, headers: {}, data: 'ok', durationMs: 1, retryAfterMs: null }).status).toBe('OK');
		expect(webhookTestVerdict(answered(404, 'no_service'))).toEqual({ status: 'Error', message: expect.stringMatching(/does not know this webhook/) });
		expect(webhookTestVerdict(answered(410, 'channel_is_archived'))).toEqual({ status: 'Error', message: expect.stringMatching(/archived/) });
	});
});
