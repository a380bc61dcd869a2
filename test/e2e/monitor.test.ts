/**
 * The monitor loop end to end: the shipped Monitor, Recover, Alert and Error Handler
 * workflows in real n8n (server running, like production), against the emulated
 * WhatsApp gateway, payment providers, LLMs and Slack, a real Postgres and a real SMTP
 * server. The tests drive time: each tick is one run of the Monitor (`n8n execute`),
 * and the confirmation delay is 1 s instead of 20 s.
 */
import type { Client } from 'pg';

import { WORKFLOW_IDS } from '../../scripts/workflows/ids';
import type { Emulator } from '../../dev/emulators/core/emulator';
import type { SlackState } from '../../dev/emulators/alerts/slack';
import type { GroqState } from '../../dev/emulators/llm/groq';
import { mercadoPagoDefaults, type MercadoPagoState } from '../../dev/emulators/payments/mercadopago';
import { evolutionDefaults, type EvolutionState } from '../../dev/emulators/whatsapp/evolution';
import type { SmtpHarness } from '../../dev/stack/smtp';
import { SMTP_PASSWORD, startMonitorStack, type MonitorStack } from '../../dev/n8n/monitorStack';
import type { TestN8n } from '../../dev/n8n/testN8n';

describe('Monitor loop in real n8n', () => {
	let stack: MonitorStack;
	let db: Client;
	let smtp: SmtpHarness;
	let evolution: Emulator<EvolutionState>;
	let mercadopago: Emulator<MercadoPagoState>;
	let groq: Emulator<GroqState>;
	let slack: Emulator<SlackState>;
	let env: TestN8n;

	const tick = () => stack.tick();
	const slackTexts = () => stack.slackTexts();
	const adminMessages = () => stack.adminMessages();
	const executionsOf = (workflowId: string) => stack.executionsOf(workflowId);
	const editMonitorSettings = (changes: Parameters<MonitorStack['editMonitorSettings']>[0]) => stack.editMonitorSettings(changes);
	const decisionsOf = (run: Awaited<ReturnType<TestN8n['execute']>>) =>
		(run.data.resultData.runData.Track ?? []).flatMap((entry) => (entry.data?.main?.[0] ?? []).map((item) => item.json as { component: string; target: string; tracking: { decision: string } }));

	beforeAll(async () => {
		stack = await startMonitorStack();
		({ db, smtp, evolution, mercadopago, groq, slack, env } = stack);
	});

	afterAll(async () => {
		await stack?.close();
	});

	test('1. all healthy for 12 ticks: no alert and no saved Monitor execution', async () => {
		for (let i = 0; i < 12; i += 1) {
			const run = await tick();
			expect(run.data.resultData.error).toBeUndefined();
			const tracked = (run.data.resultData.runData.Track?.[0]?.data?.main?.[0] ?? []).map((item) => item.json as { component: string; status: string; tracking: { decision: string } });
			expect(tracked.map((item) => [item.component, item.status, item.tracking.decision])).toEqual([
				['whatsapp', 'healthy', 'ok'],
				['database', 'healthy', 'ok'],
				['logs', 'healthy', 'ok'],
				['payments', 'healthy', 'ok'],
				['llm', 'healthy', 'ok'],
				['llm', 'healthy', 'ok'],
				['llm', 'healthy', 'ok'],
				['host', 'healthy', 'ok'],
			]);
		}
		expect(slackTexts()).toEqual([]);
		expect(smtp.messages()).toEqual([]);
		expect(adminMessages()).toEqual([]);
		expect(await executionsOf(WORKFLOW_IDS.monitor)).toEqual([]);
	});

	test('2. the Evolution instance closes: confirmed, restarted, one resolved alert per channel, one saved Recover execution', async () => {
		// The session is still good: a restart brings it back (v2.3.6's no-op restart of a closed instance is scenario 3).
		evolution.patchState({ restartCloseQuirk: false, instances: { ventas: { state: 'close' } } });
		const run = await tick();
		expect(run.data.resultData.error).toBeUndefined();
		expect(evolution.state.instances.ventas.state).toBe('open');
		expect(slackTexts()).toHaveLength(1);
		expect(slackTexts()[0]).toMatch(/WhatsApp/i);
		expect(slackTexts()[0]).toMatch(/resolved|back/i);
		const mails = await smtp.waitForMessages(1, 10_000);
		expect(mails).toHaveLength(1);
		expect(adminMessages()).toHaveLength(1);
		const recoveries = await executionsOf(WORKFLOW_IDS.recover);
		expect(recoveries).toHaveLength(1);
		// n8n's executions list: succeeded, labelled with what was recovered and how it ended.
		expect(recoveries[0].status).toBe('success');
		expect(recoveries[0].customData).toMatchObject({ component: 'whatsapp', target: 'evolution:ventas', action: 'whatsapp.reconnect', outcome: 'fixed' });
		// The alert links to that recovery (Format Alert: Execution Base URL + the item's recoveryExecutionId).
		expect(slackTexts()[0]).toContain(`<${env.n8n.url}/workflow/${WORKFLOW_IDS.recover}/executions/${recoveries[0].id}|Open the execution>`);
		const entry = JSON.stringify(recoveries[0].data);
		expect(entry).toContain('whatsapp.reconnect');
		expect(entry).toContain('"diagnosis"');

		// The next tick is healthy and quiet.
		await tick();
		expect(slackTexts()).toHaveLength(1);
	});

	test('6. payment token revoked: escalated once (needs a person), no automatic action, no repeat', async () => {
		mercadopago.patchState({ revokedTokens: [mercadoPagoDefaults.productionToken] });
		const before = slackTexts().length;
		const recoveriesBefore = (await executionsOf(WORKFLOW_IDS.recover)).length;
		await tick();
		expect(slackTexts()).toHaveLength(before + 1);
		expect(slackTexts()[before]).toMatch(/payments|MercadoPago/i);
		await tick();
		await tick();
		expect(slackTexts()).toHaveLength(before + 1);
		expect(await executionsOf(WORKFLOW_IDS.recover)).toHaveLength(recoveriesBefore);
		mercadopago.patchState({ revokedTokens: [] });
		await tick();
		expect(slackTexts()).toHaveLength(before + 2);
		expect(slackTexts()[before + 1]).toMatch(/resolved/i);
	});

	test('5. 10% of the products lose their images: restored from the backup, counts in the alert, nothing else changed', async () => {
		const rowsHash = (where: string) => db.query<{ h: string }>(`SELECT md5(string_agg(p::text, '|' ORDER BY id)) AS h FROM products p WHERE ${where}`).then((r) => r.rows[0].h);
		const untouched = await rowsHash('id % 10 <> 0');
		const lost = await rowsHash('id % 10 = 0');
		const { rowCount } = await db.query('UPDATE products SET image_url = NULL WHERE id % 10 = 0');
		expect(rowCount).toBe(30);
		const before = slackTexts().length;
		await tick();
		expect(await rowsHash('id % 10 = 0')).toBe(lost);
		expect(await rowsHash('id % 10 <> 0')).toBe(untouched);
		expect(slackTexts()).toHaveLength(before + 1);
		expect(slackTexts()[before]).toMatch(/database\.restore_images/);
		expect(slackTexts()[before]).toMatch(/\b30\b/);
		const recoveries = await executionsOf(WORKFLOW_IDS.recover);
		expect(JSON.stringify(recoveries[0].data)).toContain('database.restore_images');
	});

	test('8. Slack answers 500: email and WhatsApp still delivered, the failure is in the Alert execution', async () => {
		slack.setFault('*', { status: 500 });
		const mailsBefore = smtp.messages().length;
		const adminBefore = adminMessages().length;
		const slackBefore = slackTexts().length;
		// Images lost again within the hour: the catalog's next action must wait its gap, so the incident is announced as opened.
		await db.query('UPDATE products SET image_url = NULL WHERE id % 10 = 1');
		await tick();
		slack.clearFaults();
		await smtp.waitForMessages(mailsBefore + 1, 10_000);
		expect(adminMessages()).toHaveLength(adminBefore + 1);
		expect(slackTexts()).toHaveLength(slackBefore);
		const alerts = await executionsOf(WORKFLOW_IDS.alert);
		const latest = JSON.stringify(alerts[0]?.data ?? {});
		expect(latest).toContain('Post to Slack');
		expect(latest).toContain('Slack had a server error (HTTP 500 rollup_error)');
	});

	test('4. Groq answers 500: the diagnosis comes from OpenAI and the alert says so', async () => {
		// Leave the catalog clean first (scenario 8 left images missing).
		await db.query('UPDATE products p SET image_url = b.image_url FROM product_images_backup b WHERE p.sku = b.sku AND p.image_url IS NULL');
		await tick();
		const before = slackTexts().length;
		groq.setFault('groq.chatCompletions', { status: 500 });
		await tick();
		groq.clearFaults();
		const fresh = slackTexts().slice(before);
		const llmAlert = fresh.find((text) => /groq/i.test(text) && /opened|down|Needs/i.test(text));
		expect(llmAlert).toBeDefined();
		expect(llmAlert).toMatch(/by OpenAI/);
		expect(llmAlert).toMatch(/llm\.use_fallback/);
		await tick();
		expect(slackTexts().slice(before).some((text) => /Resolved/i.test(text) && /groq/i.test(text))).toBe(true);
	});

	test('9. a maintenance window: checks recorded, no alerts, no actions; it ends by itself', async () => {
		// A window far longer than any tick on a loaded machine (a 25 s one ran out during a slow tick).
		await editMonitorSettings({ maintenanceUntil: new Date(Date.now() + 10 * 60_000).toISOString() });
		const slackBefore = slackTexts().length;
		const recoveriesBefore = (await executionsOf(WORKFLOW_IDS.recover)).length;
		evolution.patchState({ restartCloseQuirk: false, instances: { ventas: { state: 'close' } } });
		const paused = await tick();
		expect(decisionsOf(paused).find((item) => item.component === 'whatsapp')?.tracking.decision).toBe('paused');
		expect(slackTexts()).toHaveLength(slackBefore);
		expect(await executionsOf(WORKFLOW_IDS.recover)).toHaveLength(recoveriesBefore);
		expect(evolution.state.instances.ventas.state).toBe('close');
		// It ends by itself: the switch stays set, its time passes, and the next tick acts again.
		const until = Date.now() + 2_000;
		await editMonitorSettings({ maintenanceUntil: new Date(until).toISOString() });
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now() + 1_000)));
		// Acting again may take a confirmation tick on a slow machine; the decisions say why if it never does.
		const decisions: string[] = [];
		for (let i = 0; i < 3 && slackTexts().length === slackBefore; i += 1) {
			const after = await tick();
			decisions.push(decisionsOf(after).find((item) => item.component === 'whatsapp')?.tracking.decision ?? 'none');
		}
		expect({ alerted: slackTexts().length > slackBefore, decisions }).toEqual({ alerted: true, decisions: expect.not.arrayContaining(['paused']) });
		expect(slackTexts().slice(slackBefore).join('\n')).toMatch(/WhatsApp/);
		evolution.patchState({ instances: { ventas: { state: 'open' } } });
		await tick();
		expect(slackTexts().slice(slackBefore).some((text) => /Resolved/i.test(text) && /WhatsApp/.test(text))).toBe(true);
		await editMonitorSettings({ maintenanceUntil: '' });
	});

	test('7. a fault no action fixes: at most 3 automatic actions in the hour, then one escalation, then quiet', async () => {
		await editMonitorSettings({ budgetGapMinutes: 0.01 });
		// Images lost for products whose backup is gone too: restoring cannot fix it.
		await db.query('DELETE FROM product_images_backup WHERE sku IN (SELECT sku FROM products WHERE id % 10 = 2)');
		await db.query('UPDATE products SET image_url = NULL WHERE id % 10 = 2');
		const slackBefore = slackTexts().length;
		const catalogRecoveries = async () => (await executionsOf(WORKFLOW_IDS.recover)).filter((execution) => JSON.stringify(execution.data).includes('database.restore_images')).length;
		for (let i = 0; i < 5; i += 1) await tick();
		const fresh = slackTexts().slice(slackBefore);
		const isCatalogEscalation = (text: string) => /Needs you/.test(text) && /Database/.test(text);
		const escalations = fresh.filter(isCatalogEscalation);
		expect(escalations).toHaveLength(1);
		expect(escalations[0]).toMatch(/gave up after \d action/);
		expect(escalations[0]).toMatch(/budget 3\/3/);
		const attempts = await catalogRecoveries();
		expect(attempts).toBeLessThanOrEqual(3);
		// Each attempt that did not fix it is a failed execution in n8n's list, saying so; the Error Handler added no alert.
		const failedAttempts = (await executionsOf(WORKFLOW_IDS.recover)).filter((execution) => JSON.stringify(execution.data).includes('database.restore_images') && execution.customData?.outcome === 'not fixed');
		expect(failedAttempts.length).toBeGreaterThan(0);
		for (const execution of failedAttempts) {
			expect(execution.status).toBe('error');
			expect((execution.data as { resultData: { error: { message: string } } }).resultData.error.message).toMatch(/^Recovery did not fix it: database \(postgres:/);
		}
		expect(fresh.filter((text) => /Autorecovery: Recover|Recovery Did Not Fix It/.test(text))).toEqual([]);
		await tick();
		await tick();
		expect(await catalogRecoveries()).toBe(attempts);
		expect(slackTexts().slice(slackBefore).filter(isCatalogEscalation)).toHaveLength(1);
		await editMonitorSettings({ budgetGapMinutes: 5 });
	});

	test('12. an error spike in the bot\'s logs opens an incident (no automatic fix: escalated once) and resolves', async () => {
		const slackBefore = slackTexts().length;
		await db.query(`INSERT INTO system_logs (level, message, created_at) SELECT 'error', 'payment webhook failed for order ' || g, now() - interval '2 minutes' FROM generate_series(1, 30) AS g`);
		await tick();
		const fresh = slackTexts().slice(slackBefore);
		expect(fresh).toHaveLength(1);
		expect(fresh[0]).toMatch(/logs\.error_spike/);
		await tick();
		expect(slackTexts()).toHaveLength(slackBefore + 1);
		await db.query(`DELETE FROM system_logs WHERE level = 'error'`);
		await tick();
		expect(slackTexts()).toHaveLength(slackBefore + 2);
		expect(slackTexts()[slackBefore + 1]).toMatch(/Resolved/i);
	});

	test('3. the session needs a QR: one escalation with the QR image attached to the email, no repeat, resolved when it is open again', async () => {
		// Earlier scenarios spent part of the WhatsApp budget: no waiting for its gap here.
		await editMonitorSettings({ budgetGapMinutes: 0.01 });
		const slackBefore = slackTexts().length;
		const mailsBefore = smtp.messages().length;
		// v2.3.6 behaviour: restarting a closed instance does nothing, so the recovery relinks and a person must scan the QR.
		evolution.patchState({ restartCloseQuirk: true, instances: { ventas: { state: 'close' } } });
		await tick();
		const fresh = slackTexts().slice(slackBefore);
		expect(fresh).toHaveLength(1);
		expect(fresh[0]).toMatch(/whatsapp\.qr_required/);
		const mails = await smtp.waitForMessages(mailsBefore + 1, 10_000);
		const qrMail = mails[mailsBefore];
		expect(qrMail.attachments.map((attachment) => attachment.contentType)).toContain('image/png');
		for (let i = 0; i < 11; i += 1) await tick();
		expect(slackTexts()).toHaveLength(slackBefore + 1);
		evolution.patchState({ instances: { ventas: { state: 'open' } } });
		await tick();
		expect(slackTexts()).toHaveLength(slackBefore + 2);
		expect(slackTexts()[slackBefore + 1]).toMatch(/Resolved/i);
		await editMonitorSettings({ budgetGapMinutes: 5 });
	});

	test('13. the server probe: n8n\'s own health endpoint unreachable opens a host incident (escalated), resolved when it answers again', async () => {
		const slackBefore = slackTexts().length;
		await editMonitorSettings({ n8nUrl: 'http://127.0.0.1:1' });
		await tick();
		const fresh = slackTexts().slice(slackBefore);
		expect(fresh).toHaveLength(1);
		expect(fresh[0]).toMatch(/Server|host/i);
		await tick();
		expect(slackTexts()).toHaveLength(slackBefore + 1);
		await editMonitorSettings({ n8nUrl: env.n8n.url });
		await tick();
		expect(slackTexts()).toHaveLength(slackBefore + 2);
		expect(slackTexts()[slackBefore + 1]).toMatch(/Resolved/i);
	});

	test('11. a failing run (on the server) alerts through the Error Handler: failing node and message, redacted', async () => {
		const slackBefore = slackTexts().length;
		const leaked = 'token=e2e-leaky-value-7f6e5d';
		// A stand-in for any shipped workflow failing in production: same error-workflow setting, run by the server.
		await env.importWorkflow({
			id: 'e2eFailingFlow01',
			name: 'E2E failing workflow',
			nodes: [
				{ id: 'w', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: { httpMethod: 'POST', path: 'e2e-fail', responseMode: 'onReceived', options: {} }, webhookId: '3c9d2f4e-1b7a-4e3c-9a51-7d2e8f0b6c11' },
				{ id: 'f', name: 'Broken Probe', type: 'n8n-nodes-base.stopAndError', typeVersion: 1, position: [250, 0], parameters: { errorMessage: `probe misconfigured (${leaked})` } },
			],
			connections: { Webhook: { main: [[{ node: 'Broken Probe', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1', errorWorkflow: WORKFLOW_IDS.errorHandler },
		} as unknown as Parameters<TestN8n['importWorkflow']>[0]);
		await env.n8n.publishWorkflow('e2eFailingFlow01');
		// A running server picks up newly published workflows when it starts.
		await env.n8n.stop();
		await env.n8n.start();
		// The server answers before it has activated every published workflow: retry while the webhook is not there yet.
		let response = await fetch(`${env.n8n.url}/webhook/e2e-fail`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		for (let attempt = 0; response.status === 404 && attempt < 40; attempt += 1) {
			await new Promise((resolve) => setTimeout(resolve, 500));
			response = await fetch(`${env.n8n.url}/webhook/e2e-fail`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		}
		expect(response.status).toBe(200);
		const deadline = Date.now() + 30_000;
		while (slackTexts().length === slackBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
		const fresh = slackTexts().slice(slackBefore);
		expect(fresh).toHaveLength(1);
		expect(fresh[0]).toMatch(/E2E failing workflow/);
		expect(fresh[0]).toMatch(/Broken Probe/);
		expect(fresh[0]).toMatch(/probe misconfigured/);
		expect(fresh[0]).not.toContain('e2e-leaky-value-7f6e5d');
	});

	test('14. the recovery log in n8n\'s executions list: a recovery that did not fix its target failed, every one says what and how it ended', async () => {
		const recoveries = await executionsOf(WORKFLOW_IDS.recover);
		const failedOutcomes = ['not fixed', 'escalated'];
		const seen = recoveries.map((execution) => ({ status: execution.status, outcome: execution.customData?.outcome, component: execution.customData?.component }));
		for (const execution of seen) {
			expect(execution.component).toMatch(/^(whatsapp|database|payments|llm|logs|host)$/);
			expect(execution).toEqual({ ...execution, status: failedOutcomes.includes(String(execution.outcome)) ? 'error' : 'success' });
		}
		expect(seen.some((execution) => execution.status === 'error')).toBe(true);
		expect(seen.some((execution) => execution.status === 'success')).toBe(true);
		// No run of the Error Handler alerted about a recovery that did not fix it: the Monitor's alert was the one.
		expect(slackTexts().filter((text) => /Autorecovery: Recover|Recovery Did Not Fix It/.test(text))).toEqual([]);
	});

	test('10. n8n stored none of the secret values, and no channel secret reached any fake', () => {
		const stored = env.storedText();
		const received = stack.fakesReceived();
		// The scans read real data: an alert's words are both in n8n's saved executions and in what the fakes got.
		expect(smtp.messages().length).toBeGreaterThan(0);
		const alertWords = /[A-Za-z0-9 ,.:()-]{20,}/.exec(slackTexts()[0] ?? '')?.[0];
		expect(alertWords).toBeDefined();
		expect(stored).toContain(alertWords);
		expect(received).toContain(alertWords);
		// Every channel secret is in the list: the Slack webhook (URL, path, secret segment), the SMTP password, the gateway key.
		expect(stack.channelSecrets).toEqual(expect.arrayContaining([expect.stringContaining('/services/'), SMTP_PASSWORD, evolutionDefaults.apiKey]));
		for (const secret of stack.secrets) expect({ secret, stored: stored.includes(secret) }).toEqual({ secret, stored: false });
		for (const secret of stack.channelSecrets) expect({ secret, received: received.includes(secret) }).toEqual({ secret, received: false });
	});
});
