/**
 * Alert Message's Slack > Post and the Slack webhook credential's test, against the Slack
 * emulator: the alert arrives, and no answer of Slack (4xx, 5xx, 429, a dropped
 * connection) puts the webhook URL, its path or its secret segment in an output or error.
 */
import { NodeOperationError, type ICredentialTestFunctions, type IDataObject, type INodeExecutionData } from 'n8n-workflow';

import type { Emulator } from '../../../dev/emulators/core/emulator';
import { createSlackEmulator, receivedSlackMessages, slackDefaults, type SlackState } from '../../../dev/emulators/alerts/slack';
import { autorecoverySlackWebhookTest } from '../../../nodes/AlertMessage/methods/slackWebhookTest';
import { router } from '../../../nodes/AlertMessage/actions/router';
import { postToWebhook } from '../../../nodes/AlertMessage/transport/slackWebhook';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';

const SECRET_SEGMENT = slackDefaults.webhookPath.split('/').at(-1) as string;
/** Another webhook of the same team stays: Slack then answers `no_service` (an unknown team is `no_team`). */
const REVOKED = { webhookPaths: ['/services/T000TEST/B000TEST/another-webhook'] };
const MESSAGE = JSON.stringify({ text: '⚠️ WhatsApp is down (evolution:ventas)' });

describe('Alert Message Slack > Post against the Slack emulator', () => {
	let emulator: Emulator<SlackState>;
	let webhookUrl: string;

	beforeAll(async () => {
		emulator = await createSlackEmulator().start();
		webhookUrl = `${emulator.url}${slackDefaults.webhookPath}`;
	});
	afterAll(async () => {
		await emulator.close();
	});
	beforeEach(() => emulator.reset());

	/** Fails the test when any form of the URL is in the text. */
	function expectNoUrlIn(text: string): void {
		for (const secret of [webhookUrl, slackDefaults.webhookPath, SECRET_SEGMENT]) expect({ secret, leaked: text.includes(secret) }).toEqual({ secret, leaked: false });
	}

	const post = (options: { input?: IDataObject[]; message?: unknown; continueOnFail?: boolean; url?: string } = {}) =>
		router.call(
			fakeExecuteFunctions({
				parameters: { resource: 'slack', operation: 'post', message: options.message ?? MESSAGE },
				input: options.input ?? [{ alertMessage: { slackBody: MESSAGE } }],
				continueOnFail: options.continueOnFail ?? true,
				credentials: { autorecoverySlackWebhookApi: { webhookUrl: options.url ?? webhookUrl } },
			}),
		);

	/** The one output item of a post with continueOnFail, checked for the URL. */
	async function outputOf(options: Parameters<typeof post>[0] = {}): Promise<IDataObject> {
		const [items] = await post(options);
		expect(items).toHaveLength(1);
		const item = items[0] as INodeExecutionData;
		expectNoUrlIn(JSON.stringify(item));
		return item.json;
	}

	test('posts the message; the output says it was sent and holds no URL', async () => {
		const output = await outputOf();
		expect(output).toEqual({ sent: true, status: 200, durationMs: expect.any(Number) });
		expect(receivedSlackMessages(emulator)).toEqual([JSON.parse(MESSAGE)]);
	});

	test('takes the message as an object too', async () => {
		await outputOf({ message: { text: 'as an object' } });
		expect(receivedSlackMessages(emulator)).toEqual([{ text: 'as an object' }]);
	});

	test('a revoked webhook (404 no_service): says so and what to do, without the URL', async () => {
		emulator.patchState(REVOKED);
		const { error } = await outputOf();
		expect(error).toMatch(/^The alert was not posted to Slack: Slack does not know this webhook \(HTTP 404 no_service\)/);
		expect(error).toContain('Slack webhook credential');
	});

	test('an archived channel (410)', async () => {
		emulator.patchState({ archivedWebhookPaths: [slackDefaults.webhookPath] });
		expect((await outputOf()).error).toMatch(/channel is archived \(HTTP 410 channel_is_archived\)/);
	});

	test.each([
		[403, /refused the post \(HTTP 403 action_prohibited\)/],
		[429, /rate limiting this webhook \(HTTP 429 rate_limited, retry after 1 s\)/],
		[500, /server error \(HTTP 500 rollup_error\)/],
		[503, /server error \(HTTP 503 service_unavailable\)/],
	])('Slack answers %i', async (status, expected) => {
		emulator.setFault('slack.incomingWebhook', { status });
		expect((await outputOf()).error).toMatch(expected);
	});

	test('Slack drops the connection (reset): not reachable, no URL', async () => {
		emulator.setFault('slack.incomingWebhook', { reset: true });
		expect((await outputOf()).error).toMatch(/^The alert was not posted to Slack: Slack could not be reached: POST 127\.0\.0\.1:\d+ failed/);
	});

	test('nothing listens at the URL (refused): no URL in the error', async () => {
		const closed = await createSlackEmulator().start();
		const url = `${closed.url}${slackDefaults.webhookPath}`;
		await closed.close();
		const [items] = await post({ url });
		const error = String((items[0] as INodeExecutionData).json.error);
		// n8n words a refused connection its own way ("The service refused the connection").
		expect(error).toMatch(/Slack could not be reached|refused the connection/);
		expect(error).not.toContain(SECRET_SEGMENT);
	});

	test('without continueOnFail the node fails with the same message, no URL in any field of the error', async () => {
		emulator.patchState(REVOKED);
		const failure = await post({ continueOnFail: false }).then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(NodeOperationError);
		const error = failure as NodeOperationError;
		expect(error.message).toMatch(/HTTP 404 no_service/);
		expectNoUrlIn(`${error.message}\n${String(error.description)}\n${JSON.stringify(error.context)}\n${error.stack ?? ''}`);
	});

	test('Slack slow past the deadline: says so within it, no URL', async () => {
		emulator.setFault('slack.incomingWebhook', { hang: true });
		const outcome = await postToWebhook(webhookUrl, { text: 'x' }, 300);
		expect(outcome.ok).toBe(false);
		if (!outcome.ok) {
			expect(outcome.message).toMatch(/did not answer within 300 ms/);
			expectNoUrlIn(outcome.message);
		}
	});

	test('an item from an Alert workflow that still has the URL in Channels: told where it goes now, nothing posted, URL not repeated', async () => {
		const oldUrl = `${emulator.url}/services/T000TEST/B000TEST/old-channels-secret-123`;
		const [items] = await post({ input: [{ slackWebhookUrl: oldUrl, alertMessage: { slackBody: MESSAGE } }] });
		const error = String((items[0] as INodeExecutionData).json.error);
		expect(error).toContain('"slackWebhookUrl"');
		expect(error).toContain('Autorecovery Slack Webhook');
		expect(error).toContain('sendToSlack');
		expect(error).not.toContain('old-channels-secret-123');
		expect(receivedSlackMessages(emulator)).toEqual([]);
	});

	test('a Message without text or blocks is a parameter error; nothing posted', async () => {
		expect((await outputOf({ message: '{"text": "  "}' })).error).toBe('Parameter "Message" must be Slack message JSON with a "text" or "blocks"');
		expect((await outputOf({ message: 'not json' })).error).toMatch(/Parameter "Message"/);
		expect(receivedSlackMessages(emulator)).toEqual([]);
	});

	test('a credential whose URL is not a URL: says so without echoing it', async () => {
		const { error } = await outputOf({ url: `hooks.slack.com${slackDefaults.webhookPath}` });
		expect(error).toBe("The Slack webhook credential's Webhook URL is not a URL");
	});
});

describe('the Slack webhook credential test against the Slack emulator', () => {
	let emulator: Emulator<SlackState>;
	beforeAll(async () => {
		emulator = await createSlackEmulator().start();
	});
	afterAll(async () => {
		await emulator.close();
	});
	beforeEach(() => emulator.reset());

	const test_ = (webhookUrl: string) =>
		autorecoverySlackWebhookTest.call({} as ICredentialTestFunctions, { id: 'c1', name: 'Autorecovery Slack Webhook', type: 'autorecoverySlackWebhookApi', data: { webhookUrl } });

	test('a live webhook passes, and nothing reaches the channel', async () => {
		expect(await test_(`${emulator.url}${slackDefaults.webhookPath}`)).toEqual({ status: 'OK', message: 'Slack knows this webhook (the test posts nothing to the channel)' });
		expect(receivedSlackMessages(emulator)).toEqual([]);
	});

	test('a revoked webhook fails with what to do, without the URL', async () => {
		emulator.patchState(REVOKED);
		const result = await test_(`${emulator.url}${slackDefaults.webhookPath}`);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/HTTP 404 no_service/);
		expect(result.message).not.toContain(SECRET_SEGMENT);
	});

	test('Slack drops the connection: an error without the URL', async () => {
		emulator.setFault('slack.incomingWebhook', { reset: true });
		const result = await test_(`${emulator.url}${slackDefaults.webhookPath}`);
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^Slack could not be reached/) });
		expect(result.message).not.toContain(SECRET_SEGMENT);
	});

	test('an empty or malformed URL fails before any request', async () => {
		expect(await test_('')).toEqual({ status: 'Error', message: 'The Slack webhook credential has no Webhook URL' });
		expect(await test_('ftp://hooks.slack.com/services/T/B/secret-x')).toEqual({ status: 'Error', message: "The Slack webhook credential's Webhook URL must start with https://" });
		expect(emulator.requests()).toEqual([]);
	});
});
