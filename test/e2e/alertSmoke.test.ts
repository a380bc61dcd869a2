/**
 * Proves the end-to-end harness with built-in nodes only: real n8n runs a workflow
 * (CLI execute, then a published webhook on a running server) that posts to the
 * Slack emulator and mails the real SMTP server; the runs are read back from n8n's
 * execution history through its public API.
 */
import { createSlackEmulator, receivedSlackMessages, slackDefaults, type SlackState } from '../../dev/emulators/alerts/slack';
import type { Emulator } from '../../dev/emulators/core/emulator';
import { ALERT_SMOKE_ID, ALERT_SMOKE_PATH, SMTP_CREDENTIAL_ID, alertSmokeWorkflow } from '../fixtures/workflows/alertSmoke';
import { startSmtp, type SmtpHarness } from '../../dev/stack/smtp';
import { createTestN8n, nodeItems, waitFor, type TestN8n } from '../../dev/n8n/testN8n';

describe('e2e harness: a workflow of built-in nodes alerts through Slack and SMTP', () => {
	let slack: Emulator<SlackState>;
	let smtp: SmtpHarness;
	let env: TestN8n;

	beforeAll(async () => {
		slack = await createSlackEmulator().start();
		smtp = await startSmtp({ user: 'alerts', password: 'smtp-e2e-secret-pw' });
		env = await createTestN8n();
		await env.importCredentials([
			{
				id: SMTP_CREDENTIAL_ID,
				name: 'E2E SMTP',
				type: 'smtp',
				data: { host: smtp.host, port: smtp.port, secure: false, disableStartTls: true, user: smtp.user, password: smtp.password },
			},
		]);
		await env.importWorkflow(alertSmokeWorkflow(`${slack.url}${slackDefaults.webhookPath}`, 'owner@shop.local'));
	});

	afterAll(async () => {
		await env?.cleanup();
		await smtp?.stop();
		await slack?.close();
	});

	test('`n8n execute --id` runs it: Slack and SMTP both receive the alert', async () => {
		const run = await env.execute(ALERT_SMOKE_ID);
		expect(run.data.resultData.error).toBeUndefined();
		expect(nodeItems(run, 'Send Email')).toHaveLength(1);
		expect(receivedSlackMessages(slack)).toEqual([{ text: 'autorecovery smoke test via cli' }]);
		const mails = await smtp.waitForMessages(1, 10_000);
		expect(mails[0].subject).toBe('Autorecovery smoke test (cli)');
		expect(mails[0].text?.trim()).toBe('The alert path works: Slack and email.');
		expect(mails[0].to).toEqual(['owner@shop.local']);
	});

	test('a published webhook on a running server runs it too, and both runs are in the execution history', async () => {
		await env.n8n.publishWorkflow(ALERT_SMOKE_ID);
		await env.startServer();
		const post = () =>
			fetch(`${env.n8n.url}/webhook/${ALERT_SMOKE_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ reason: 'e2e' }),
			});
		// Published webhooks register just after the server says it is ready (about 2 s on 2.4x);
		// a 404 runs nothing, so asking again until it registers sends one run.
		const deadline = Date.now() + 60_000;
		let response = await post();
		while (response.status === 404 && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 500));
			response = await post();
		}
		expect(response.status).toBe(200);
		expect(receivedSlackMessages(slack)).toHaveLength(2);
		expect(receivedSlackMessages(slack)[1]).toEqual({ text: 'autorecovery smoke test via webhook' });
		const mails = await smtp.waitForMessages(2, 10_000);
		expect(mails[1].subject).toBe('Autorecovery smoke test (webhook)');

		const executions = await waitFor(async () => {
			const list = await env.n8n.executions({ workflowId: ALERT_SMOKE_ID });
			return list.filter((e) => e.status === 'success').length >= 2 ? list : undefined;
		}, 20_000, 'two successful executions in the history');
		expect(executions.map((e) => e.mode).sort()).toEqual(['cli', 'webhook']);
		const webhookRun = executions.find((e) => e.mode === 'webhook');
		const detail = (await env.n8n.execution(String(webhookRun?.id))) as { data?: { resultData?: { runData?: Record<string, unknown> } } };
		expect(Object.keys(detail.data?.resultData?.runData ?? {})).toEqual(
			expect.arrayContaining(['Webhook', 'Post to Slack', 'Send Email']),
		);
	});

	test('the SMTP password is not stored in clear text in n8n\'s database', () => {
		expect(env.storedText()).not.toContain('smtp-e2e-secret-pw');
	});
});
