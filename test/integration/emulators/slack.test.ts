import {
	createSlackEmulator,
	receivedSlackMessages,
	slackDefaults,
	type SlackState,
} from '../../../dev/emulators/alerts/slack';
import type { Emulator } from '../../../dev/emulators/core/emulator';
import { call, describeTransportFaults, type RawResult } from './selfTest';

const JSON_UTF8 = 'application/json; charset=utf-8';
const alertBlocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Groq 429 storm*' } }];

function record(result: RawResult): Record<string, unknown> {
	expect(typeof result.json).toBe('object');
	return result.json as Record<string, unknown>;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('Slack emulator', () => {
	let emulator: Emulator<SlackState>;
	beforeEach(async () => {
		emulator = await createSlackEmulator().start();
	});
	afterEach(async () => {
		await emulator.close();
	});

	const webhook = (body: string, path: string = slackDefaults.webhookPath, contentType = 'application/json') =>
		call(emulator.url + path, { method: 'POST', headers: { 'content-type': contentType }, body });

	const postMessage = (
		body: Record<string, unknown> | string,
		headers: Record<string, string> = { authorization: `Bearer ${slackDefaults.botToken}`, 'content-type': JSON_UTF8 },
	) =>
		call(`${emulator.url}/api/chat.postMessage`, {
			method: 'POST',
			headers,
			body: typeof body === 'string' ? body : JSON.stringify(body),
		});

	/** Asserts the Web API's "HTTP 200 but ok:false" convention. */
	async function expectLogicalError(result: Promise<RawResult>, error: string): Promise<Record<string, unknown>> {
		const settled = await result;
		expect(settled.status).toBe(200);
		const body = record(settled);
		expect(body).toMatchObject({ ok: false, error });
		return body;
	}

	test('the fake bot token never looks like a real one', () => {
		expect(slackDefaults.botToken).toMatch(/^xoxb-test-/);
		expect(slackDefaults.botToken).not.toMatch(/xox[bp]-[0-9]{6,}/);
	});

	describe('incoming webhook', () => {
		test('a JSON message: 200 text/plain "ok", and it is recorded', async () => {
			const result = await webhook(JSON.stringify({ text: '⚠️ Groq 429 storm', blocks: alertBlocks }));
			expect(result.status).toBe(200);
			expect(result.text).toBe('ok');
			expect(result.headers.get('content-type')).toMatch(/^text\/plain/);
			expect(receivedSlackMessages(emulator)).toEqual([{ text: '⚠️ Groq 429 storm', blocks: alertBlocks }]);
			expect(emulator.state.received[0]).toMatchObject({ via: 'webhook', target: slackDefaults.webhookPath });
		});

		test('blocks without text are enough', async () => {
			expect((await webhook(JSON.stringify({ blocks: alertBlocks }))).text).toBe('ok');
		});

		test('the legacy form body payload=<json> is accepted', async () => {
			const form = new URLSearchParams({ payload: JSON.stringify({ text: 'from a form' }) }).toString();
			const result = await webhook(form, slackDefaults.webhookPath, 'application/x-www-form-urlencoded');
			expect(result.text).toBe('ok');
			expect(receivedSlackMessages(emulator)).toEqual([{ text: 'from a form' }]);
		});

		test.each([
			['an empty body', ''],
			['a body that is not JSON', 'text=hello'],
			['JSON without text or blocks', JSON.stringify({ username: 'bot' })],
			['an empty text', JSON.stringify({ text: '  ' })],
		])('%s: 400 plain-text invalid_payload', async (_label, body) => {
			const result = await webhook(body);
			expect(result.status).toBe(400);
			expect(result.text).toBe('invalid_payload');
			expect(result.headers.get('content-type')).toMatch(/^text\/plain/);
			expect(receivedSlackMessages(emulator)).toEqual([]);
		});

		test('an unknown webhook of a known team: 404 no_service; of an unknown team: 404 no_team', async () => {
			const otherSecret = await webhook(JSON.stringify({ text: 'x' }), '/services/T000TEST/B000TEST/wrong');
			expect(otherSecret.status).toBe(404);
			expect(otherSecret.text).toBe('no_service');
			const otherTeam = await webhook(JSON.stringify({ text: 'x' }), '/services/T999/B999/nope');
			expect(otherTeam.status).toBe(404);
			expect(otherTeam.text).toBe('no_team');
		});

		test('revoking the webhook (taking it out of webhookPaths) makes it 404 no_service', async () => {
			const patched = await call(`${emulator.url}/__emulator/state`, {
				method: 'PATCH',
				body: JSON.stringify({ webhookPaths: ['/services/T000TEST/B000NEW/yyyyTESTyyyy'] }),
			});
			expect(patched.status).toBe(200);
			const revoked = await webhook(JSON.stringify({ text: 'x' }));
			expect([revoked.status, revoked.text]).toEqual([404, 'no_service']);
			expect((await webhook(JSON.stringify({ text: 'x' }), '/services/T000TEST/B000NEW/yyyyTESTyyyy')).text).toBe('ok');
		});

		test('an archived channel: 410 channel_is_archived', async () => {
			emulator.patchState({ archivedWebhookPaths: [slackDefaults.webhookPath] });
			const result = await webhook(JSON.stringify({ text: 'x' }));
			expect(result.status).toBe(410);
			expect(result.text).toBe('channel_is_archived');
		});
	});

	describe('chat.postMessage', () => {
		test('success: {ok, channel, ts, message}', async () => {
			const result = await postMessage({ channel: slackDefaults.channelId, text: 'hola', blocks: alertBlocks });
			expect(result.status).toBe(200);
			const body = record(result);
			expect(body).toMatchObject({ ok: true, channel: slackDefaults.channelId });
			expect(String(body.ts)).toMatch(/^\d{10}\.\d{6}$/);
			expect(body.message).toMatchObject({
				type: 'message',
				text: 'hola',
				ts: body.ts,
				bot_id: slackDefaults.botId,
				blocks: alertBlocks,
			});
			expect(body).not.toHaveProperty('warning');
			expect(receivedSlackMessages(emulator, 'chat.postMessage')).toEqual([
				{ channel: slackDefaults.channelId, text: 'hola', blocks: alertBlocks },
			]);
			expect(receivedSlackMessages(emulator, 'webhook')).toEqual([]);
		});

		test('a channel name, with or without #, resolves to its id', async () => {
			expect(record(await postMessage({ channel: '#alerts', text: 'a' })).channel).toBe(slackDefaults.channelId);
			expect(record(await postMessage({ channel: 'alerts', text: 'b' })).channel).toBe(slackDefaults.channelId);
		});

		test('JSON without charset still posts, with the missing_charset warning', async () => {
			const result = await postMessage(
				{ channel: slackDefaults.channelId, text: 'x' },
				{ authorization: `Bearer ${slackDefaults.botToken}`, 'content-type': 'application/json' },
			);
			expect(record(result)).toMatchObject({
				ok: true,
				warning: 'missing_charset',
				response_metadata: { warnings: ['missing_charset'] },
			});
		});

		test('a form body may carry the token; it is not kept in the recorded message', async () => {
			const form = new URLSearchParams({ token: slackDefaults.botToken, channel: slackDefaults.channelId, text: 'via form' });
			const result = await postMessage(form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
			expect(record(result).ok).toBe(true);
			expect(receivedSlackMessages(emulator)).toEqual([{ channel: slackDefaults.channelId, text: 'via form' }]);
		});

		test('no token: HTTP 200 not_authed (a token inside a JSON body does not count)', async () => {
			const noHeader = { 'content-type': JSON_UTF8 };
			await expectLogicalError(postMessage({ channel: slackDefaults.channelId, text: 'x' }, noHeader), 'not_authed');
			const tokenInJson = { token: slackDefaults.botToken, channel: slackDefaults.channelId, text: 'x' };
			await expectLogicalError(postMessage(tokenInJson, noHeader), 'not_authed');
		});

		test('an unknown token: HTTP 200 invalid_auth; botTokens decides', async () => {
			await expectLogicalError(
				postMessage(
					{ channel: slackDefaults.channelId, text: 'x' },
					{ authorization: 'Bearer xoxb-test-other', 'content-type': JSON_UTF8 },
				),
				'invalid_auth',
			);
			emulator.patchState({ botTokens: [] });
			await expectLogicalError(postMessage({ channel: slackDefaults.channelId, text: 'x' }), 'invalid_auth');
		});

		test('without chat:write: HTTP 200 missing_scope with needed and provided', async () => {
			emulator.patchState({ botScopes: ['incoming-webhook', 'channels:read'] });
			const body = await expectLogicalError(postMessage({ channel: slackDefaults.channelId, text: 'x' }), 'missing_scope');
			expect(body).toEqual({
				ok: false,
				error: 'missing_scope',
				needed: 'chat:write',
				provided: 'incoming-webhook,channels:read',
			});
		});

		test('channel errors: channel_not_found, is_archived, not_in_channel (all HTTP 200)', async () => {
			await expectLogicalError(postMessage({ text: 'x' }), 'channel_not_found');
			await expectLogicalError(postMessage({ channel: 'C999', text: 'x' }), 'channel_not_found');
			emulator.patchState({ channels: { C000ARCHIVED: { name: 'old', isArchived: true, isMember: true } } });
			await expectLogicalError(postMessage({ channel: 'C000ARCHIVED', text: 'x' }), 'is_archived');
			emulator.patchState({ channels: { [slackDefaults.channelId]: { isMember: false } } });
			await expectLogicalError(postMessage({ channel: slackDefaults.channelId, text: 'x' }), 'not_in_channel');
		});

		test('message errors: no_text and msg_too_long (HTTP 200); nothing is recorded', async () => {
			await expectLogicalError(postMessage({ channel: slackDefaults.channelId }), 'no_text');
			await expectLogicalError(postMessage({ channel: slackDefaults.channelId, text: 'x'.repeat(40_001) }), 'msg_too_long');
			expect(receivedSlackMessages(emulator)).toEqual([]);
		});
	});

	describe('rateLimitPerSecond', () => {
		test('is off by default', async () => {
			for (let i = 0; i < 5; i += 1) expect((await webhook(JSON.stringify({ text: `m${i}` }))).status).toBe(200);
			expect(receivedSlackMessages(emulator)).toHaveLength(5);
		});

		test('webhook: over the limit is 429 rate_limited + Retry-After; it recovers after a second', async () => {
			emulator.patchState({ rateLimitPerSecond: 1 });
			expect((await webhook(JSON.stringify({ text: 'first' }))).status).toBe(200);
			const limited = await webhook(JSON.stringify({ text: 'second' }));
			expect(limited.status).toBe(429);
			expect(limited.text).toBe('rate_limited');
			expect(limited.headers.get('retry-after')).toBe('1');
			await sleep(1_050);
			expect((await webhook(JSON.stringify({ text: 'third' }))).status).toBe(200);
			expect(receivedSlackMessages(emulator).map((m) => m.text)).toEqual(['first', 'third']);
		});

		test('chat.postMessage: throttling is a real HTTP 429 with Retry-After, per channel', async () => {
			emulator.patchState({
				rateLimitPerSecond: 1,
				channels: { C000OTHER: { name: 'other', isArchived: false, isMember: true } },
			});
			expect(record(await postMessage({ channel: slackDefaults.channelId, text: 'a' })).ok).toBe(true);
			const limited = await postMessage({ channel: slackDefaults.channelId, text: 'b' });
			expect(limited.status).toBe(429);
			expect(limited.headers.get('retry-after')).toBe('1');
			expect(limited.json).toEqual({ ok: false, error: 'rate_limited' });
			expect(record(await postMessage({ channel: 'C000OTHER', text: 'c' })).ok).toBe(true);
		});
	});

	describe('injected status faults', () => {
		test.each([
			[401, 'invalid_token'],
			[403, 'action_prohibited'],
			[500, 'rollup_error'],
		])('webhook %i: plain-text %s', async (status, text) => {
			emulator.setFault('slack.incomingWebhook', { status });
			const result = await webhook(JSON.stringify({ text: 'x' }));
			expect(result.status).toBe(status);
			expect(result.text).toBe(text);
			expect(result.headers.get('content-type')).toMatch(/^text\/plain/);
			expect(receivedSlackMessages(emulator)).toEqual([]);
		});

		test('webhook 429 with Retry-After', async () => {
			emulator.setFault('slack.incomingWebhook', { status: 429, retryAfter: 5 });
			const result = await webhook(JSON.stringify({ text: 'x' }));
			expect([result.status, result.text]).toEqual([429, 'rate_limited']);
			expect(result.headers.get('retry-after')).toBe('5');
		});

		test('webhook 429 without Retry-After when retryAfter is null', async () => {
			emulator.setFault('slack.incomingWebhook', { status: 429, retryAfter: null });
			const result = await webhook(JSON.stringify({ text: 'x' }));
			expect(result.status).toBe(429);
			expect(result.headers.get('retry-after')).toBeNull();
		});

		test.each([
			[401, 'invalid_auth'],
			[500, 'internal_error'],
			[503, 'service_unavailable'],
		])('chat.postMessage %i: {ok:false,error:%s} JSON with that status', async (status, error) => {
			emulator.setFault('slack.chatPostMessage', { status });
			const result = await postMessage({ channel: slackDefaults.channelId, text: 'x' });
			expect(result.status).toBe(status);
			expect(result.json).toEqual({ ok: false, error });
		});

		test('chat.postMessage 429 with Retry-After', async () => {
			emulator.setFault('slack.chatPostMessage', { status: 429, retryAfter: 3 });
			const result = await postMessage({ channel: slackDefaults.channelId, text: 'x' });
			expect(result.status).toBe(429);
			expect(result.headers.get('retry-after')).toBe('3');
			expect(result.json).toEqual({ ok: false, error: 'rate_limited' });
		});
	});

	test('unknown paths: Web API unknown_method JSON, otherwise plain-text no_service', async () => {
		const method = await call(`${emulator.url}/api/chat.nope`, { method: 'POST' });
		expect(method.status).toBe(404);
		expect(method.json).toEqual({ ok: false, error: 'unknown_method', req_method: 'chat.nope' });
		const other = await call(`${emulator.url}/elsewhere`);
		expect([other.status, other.text]).toEqual([404, 'no_service']);
	});

	describeTransportFaults(() => emulator, {
		routeId: 'slack.incomingWebhook',
		path: slackDefaults.webhookPath,
		init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'probe' }) },
	});
});
