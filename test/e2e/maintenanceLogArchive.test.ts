/**
 * The shipped "Maintenance: Log Archive" workflow, imported as a user imports it (only
 * its Settings node edited), run by real n8n against a real Postgres: a healthy run
 * archives and alerts nobody; a failing database alerts by email and Slack.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Client } from 'pg';

import { PROJECT_ROOT } from '../../scripts/lib/paths';
import { createSlackEmulator, receivedSlackMessages, slackDefaults, type SlackState } from '../../dev/emulators/alerts/slack';
import type { Emulator } from '../../dev/emulators/core/emulator';
import { startPostgres, type PostgresHarness } from '../../dev/stack/postgres';
import { applySchema } from '../../dev/stack/schema';
import { seedLogs } from '../../dev/stack/seed';
import { startSmtp, type SmtpHarness } from '../../dev/stack/smtp';
import { createTestN8n, nodeItems, type TestN8n, type WorkflowJson } from '../../dev/n8n/testN8n';

const SHIPPED = path.join(PROJECT_ROOT, 'workflows', 'maintenance-log-archive.json');

function shippedWorkflowWithSettings(values: Record<string, unknown>): WorkflowJson {
	const workflow = JSON.parse(fs.readFileSync(SHIPPED, 'utf8')) as WorkflowJson;
	const settings = workflow.nodes.find((n) => n.name === 'Settings') as { parameters: { assignments: { assignments: Array<{ name: string; value: unknown }> } } };
	for (const assignment of settings.parameters.assignments.assignments) {
		if (assignment.name in values) assignment.value = values[assignment.name];
	}
	return workflow;
}

describe('shipped workflow: Maintenance: Log Archive', () => {
	let pg: PostgresHarness;
	let db: Client;
	let smtp: SmtpHarness;
	let slack: Emulator<SlackState>;
	let env: TestN8n;
	let workflowId: string;

	beforeAll(async () => {
		pg = await startPostgres();
		db = await pg.connect();
		await applySchema(db);
		await seedLogs(db, { rows: 3_000, days: 60, now: new Date() });
		smtp = await startSmtp();
		slack = await createSlackEmulator().start();
		env = await createTestN8n();
		await env.importCredentials([
			{ id: 'autorecoveryPg001', name: 'Autorecovery Postgres', type: 'autorecoveryPostgresApi', data: { ...pg.connection, ssl: 'disable' } },
			{ id: 'autorecoverySmtp01', name: 'Autorecovery alerts SMTP', type: 'smtp', data: { host: smtp.host, port: smtp.port, secure: false, disableStartTls: true, user: '', password: '' } },
		]);
		const workflow = shippedWorkflowWithSettings({ alertEmailTo: 'owner@shop.local', slackWebhookUrl: `${slack.url}${slackDefaults.webhookPath}` });
		workflowId = workflow.id;
		await env.importWorkflow(workflow);
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
		expect(run.data.resultData.runData['Send Email']).toBeUndefined();
		expect(receivedSlackMessages(slack)).toEqual([]);
		expect(smtp.messages()).toEqual([]);
	});

	test('a database that refuses connections alerts by email and Slack with the cause', async () => {
		await env.importCredentials([
			{ id: 'autorecoveryPg001', name: 'Autorecovery Postgres', type: 'autorecoveryPostgresApi', data: { ...pg.connection, port: 1, ssl: 'disable' } },
		]);
		const run = await env.execute(workflowId);
		expect(nodeItems(run, 'Log Archive')[0]).toMatchObject({ status: 'down', cause: { code: 'net.unreachable' } });
		const [mail] = await smtp.waitForMessages(1, 10_000);
		expect(mail.subject).toMatch(/\[autorecovery\] Log archive down/);
		expect(mail.text).toMatch(/connection refused/);
		expect(receivedSlackMessages(slack)).toEqual([{ text: expect.stringMatching(/Log archive down[\s\S]*connection refused/) }]);
	});
});
