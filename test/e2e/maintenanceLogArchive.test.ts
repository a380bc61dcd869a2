/**
 * The shipped "Maintenance: Log Archive" workflow, imported as a user imports it with
 * the Alert and Error Handler workflows (only Settings and the Alert's Channels edited),
 * run by real n8n against a real Postgres: a healthy run archives and alerts nobody; a
 * failing database sends one alert (Format Maintenance Alert, here in English) through
 * the Alert sub-workflow to email and Slack, with the cause.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Client } from 'pg';

import { CREDENTIALS, WORKFLOW_IDS } from '../../scripts/workflows/ids';
import { createSlackEmulator, receivedSlackMessages, type SlackState } from '../../dev/emulators/alerts/slack';
import type { Emulator } from '../../dev/emulators/core/emulator';
import { startPostgres, type PostgresHarness } from '../../dev/stack/postgres';
import { applySchema } from '../../dev/stack/schema';
import { seedLogs } from '../../dev/stack/seed';
import { startSmtp, type SmtpHarness } from '../../dev/stack/smtp';
import { slackWebhookCredential } from '../../dev/n8n/monitorStack';
import { createTestN8n, nodeItems, type TestN8n, type WorkflowJson } from '../../dev/n8n/testN8n';

const SHIPPED = path.resolve(__dirname, '..', '..', 'workflows');

/** A shipped workflow file with its `nodeName` Set node's values edited, as a user does. */
function shippedWith(file: string, nodeName: string, values: Record<string, unknown>): WorkflowJson {
	const workflow = JSON.parse(fs.readFileSync(path.join(SHIPPED, file), 'utf8')) as WorkflowJson;
	const node = workflow.nodes.find((n) => n.name === nodeName) as { parameters: { assignments: { assignments: Array<{ name: string; value: unknown }> } } };
	for (const [name, value] of Object.entries(values)) {
		const assignment = node.parameters.assignments.assignments.find((candidate) => candidate.name === name);
		if (!assignment) throw new Error(`no ${name} in ${file} ${nodeName}`);
		assignment.value = value;
	}
	return workflow;
}

describe('shipped workflow: Maintenance: Log Archive', () => {
	let pg: PostgresHarness;
	let db: Client;
	let smtp: SmtpHarness;
	let slack: Emulator<SlackState>;
	let env: TestN8n;
	const workflowId = WORKFLOW_IDS.logArchive;

	beforeAll(async () => {
		pg = await startPostgres();
		db = await pg.connect();
		await applySchema(db);
		await seedLogs(db, { rows: 3_000, days: 60, now: new Date() });
		smtp = await startSmtp();
		slack = await createSlackEmulator().start();
		env = await createTestN8n();
		await env.importCredentials([
			{ ...CREDENTIALS.postgres, type: 'autorecoveryPostgresApi', data: { ...pg.connection, ssl: 'disable' } },
			slackWebhookCredential(slack),
			{ ...CREDENTIALS.smtp, type: 'smtp', data: { host: smtp.host, port: smtp.port, secure: false, disableStartTls: true, user: '', password: '' } },
		]);
		await env.startServer();
		await env.importWorkflow(shippedWith('maintenance-log-archive.json', 'Settings', { language: 'en' }));
		await env.importWorkflow(
			shippedWith('alert.json', 'Channels', { sendToSlack: true, emailTo: 'owner@shop.local', emailFrom: 'bot@shop.local', whatsappAdminNumber: '' }),
		);
		await env.importWorkflow(JSON.parse(fs.readFileSync(path.join(SHIPPED, 'error-handler.json'), 'utf8')) as WorkflowJson);
		// Sub-workflows are called in their published version.
		for (const id of [WORKFLOW_IDS.alert, WORKFLOW_IDS.errorHandler]) await env.n8n.publishWorkflow(id);
	});
	afterAll(async () => {
		await env?.cleanup();
		await slack?.close();
		await smtp?.stop();
		await db?.end();
		await pg?.stop();
	});

	test('a healthy run archives the old rows and alerts nobody', async () => {
		const run = await env.execute(workflowId);
		const [result] = nodeItems(run, 'Log Archive');
		expect(result).toMatchObject({ component: 'logs', status: 'healthy' });
		const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM system_logs WHERE created_at < now() - interval '30 days 1 minute'`);
		expect(Number(rows[0].n)).toBe(0);
		expect(nodeItems(run, 'Summary')[0]).toEqual({ component: 'logs', status: 'healthy', failures: [], leftOut: [], succeeded: ['Log Archive'], alert: false });
		expect(run.data.resultData.runData['Send Alert']).toBeUndefined();
		expect(receivedSlackMessages(slack)).toEqual([]);
		expect(smtp.messages()).toEqual([]);
	});

	test('a database that refuses connections sends one alert through the Alert sub-workflow, by email and Slack, with the cause', async () => {
		await env.importCredentials([{ ...CREDENTIALS.postgres, type: 'autorecoveryPostgresApi', data: { ...pg.connection, port: 1, ssl: 'disable' } }]);
		const run = await env.execute(workflowId);
		const result = nodeItems(run, 'Log Archive')[0] as { target: string; cause: { message: string } };
		expect(result).toMatchObject({ status: 'down', cause: { code: 'net.unreachable', message: expect.stringMatching(/connection refused/) } });
		expect(nodeItems(run, 'Summary')[0]).toMatchObject({
			component: 'logs',
			status: 'down',
			failures: [{ step: 'Log Archive', status: 'down', code: 'net.unreachable', message: result.cause.message }],
			alert: true,
		});
		expect(run.data.resultData.runData['Send Alert']).toEqual([expect.objectContaining({ executionStatus: 'success' })]);

		const title = `Log archive down on ${result.target}`;
		const failure = `Log Archive: down - ${result.cause.message} (net.unreachable)`;
		const [mail] = await smtp.waitForMessages(1, 10_000);
		expect(mail.subject).toBe(title);
		expect(mail.to).toEqual(['owner@shop.local']);
		const lines = (mail.text ?? '').trim().split('\n');
		expect(lines.slice(0, 4)).toEqual([title, '1 of 1 step(s) did not work.', '', failure]);
		// No Execution Base URL in Settings: the alert names the run by its id.
		expect(lines[4]).toMatch(/^Execution: \d+$/);
		expect(lines).toHaveLength(5);
		const slackMessages = receivedSlackMessages(slack) as Array<{ text: string }>;
		expect(slackMessages).toHaveLength(1);
		expect(slackMessages[0]?.text.split('\n')).toEqual([`*${title}*`, '1 of 1 step(s) did not work.', '', `*Log Archive:* down - ${result.cause.message} (net.unreachable)`, lines[4]?.replace(/^Execution:/, '*Execution:*')]);
	});
});
