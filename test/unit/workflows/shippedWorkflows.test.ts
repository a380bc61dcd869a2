/**
 * The shipped workflow JSON is what the generator writes (run `npm run workflows:build`
 * after changing scripts/workflows), and it keeps the rules a user relies on: every
 * connection points at a node, credentials are the fixed ids `npm start` creates, no
 * `$env`, no hard-coded URL or number outside the Settings/Channels nodes, healthy
 * Monitor ticks are not saved while every Recover and Alert run is.
 */
import fs from 'node:fs';
import path from 'node:path';

import { CREDENTIAL_SPECS } from '../../../scripts/lib/credentialsFromEnv';
import type { WorkflowJson } from '../../../scripts/workflows/builder';
import { CREDENTIALS, WORKFLOW_IDS } from '../../../scripts/workflows/ids';
import { generatedWorkflows, workflowText } from '../../../scripts/workflows/shipped';

const DIR = path.resolve(__dirname, '..', '..', '..', 'workflows');
const generated = generatedWorkflows();

describe('shipped workflows', () => {
	test.each(Object.keys(generated))('workflows/%s is up to date with the generator', (file) => {
		expect(fs.readFileSync(path.join(DIR, file), 'utf8')).toBe(workflowText(generated[file]));
	});

	test('building twice gives identical JSON (no random ids)', () => {
		const again = generatedWorkflows();
		for (const [file, workflow] of Object.entries(generated)) expect(workflowText(again[file])).toBe(workflowText(workflow));
	});

	test.each(Object.entries(generated))('%s: connections point at existing nodes; node names and ids are unique', (_file, workflow) => {
		const names = new Set(workflow.nodes.map((node) => node.name));
		expect(names.size).toBe(workflow.nodes.length);
		expect(new Set(workflow.nodes.map((node) => node.id)).size).toBe(workflow.nodes.length);
		for (const [from, { main }] of Object.entries(workflow.connections)) {
			expect(names.has(from)).toBe(true);
			for (const output of main) for (const connection of output) expect(names.has(connection.node)).toBe(true);
		}
	});

	test.each(Object.entries(generated))('%s: only the fixed credentials npm start creates; no $env; URLs and numbers only in Settings/Channels', (_file, workflow) => {
		const known = new Map(CREDENTIAL_SPECS.map((spec) => [spec.id, spec]));
		for (const node of workflow.nodes) {
			for (const [type, credential] of Object.entries(node.credentials ?? {})) {
				expect(known.get(credential.id)?.type).toBe(type);
			}
			const text = JSON.stringify(node.parameters);
			expect(text).not.toContain('$env');
			if (node.name !== 'Settings' && node.name !== 'Channels') expect(text).not.toMatch(/https?:\/\//);
		}
	});

	/** Field names that would hold a channel secret (webhook URL, bot token, password, gateway key). */
	const SECRET_FIELD = /webhook|token|password|passwd|secret|api_?key|pin$/i;
	/** Values shaped like a Slack webhook or token, whatever field they sit in. */
	const SECRET_VALUE = /hooks\.slack\.com|\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/|xox[abprs]-/i;

	test.each(Object.entries(generated))('%s: no Set node field and no node parameter holds a channel secret', (_file, workflow) => {
		for (const node of workflow.nodes) {
			expect({ node: node.name, parameters: JSON.stringify(node.parameters) }).not.toEqual({ node: node.name, parameters: expect.stringMatching(SECRET_VALUE) });
			if (node.type !== 'n8n-nodes-base.set') continue;
			const fields = ((node.parameters.assignments as { assignments?: Array<{ name: string }> } | undefined)?.assignments ?? []).map((assignment) => assignment.name);
			expect({ node: node.name, secretFields: fields.filter((field) => SECRET_FIELD.test(field)) }).toEqual({ node: node.name, secretFields: [] });
		}
	});

	test('the Alert workflow: Channels says only where alerts go; each channel sends through its credential', () => {
		const alert = Object.values(generated).find((workflow) => workflow.id === WORKFLOW_IDS.alert) as WorkflowJson;
		const byName = new Map(alert.nodes.map((node) => [node.name, node]));
		const channels = (byName.get('Channels')?.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }).assignments;
		expect(channels.map((field) => [field.name, field.value])).toEqual([
			['sendToSlack', false],
			['emailTo', ''],
			['emailFrom', ''],
			['whatsappAdminNumber', ''],
		]);
		expect(byName.get('Post to Slack')).toMatchObject({
			type: 'n8n-nodes-autorecovery.alertMessage',
			parameters: { resource: 'slack', operation: 'post' },
			credentials: { autorecoverySlackWebhookApi: CREDENTIALS.slackWebhook },
		});
		expect(byName.get('Send Email')?.credentials).toEqual({ smtp: CREDENTIALS.smtp });
		expect(byName.get('Message the Admin')?.credentials).toEqual({ autorecoveryEvolutionApi: CREDENTIALS.evolution });
		// No node reads the field older Alert workflows kept the URL in.
		expect(JSON.stringify(alert.nodes)).not.toContain('slackWebhookUrl');
	});

	test('saving: healthy Monitor ticks are not saved; every Recover and Alert run is; all report failures to the Error Handler', () => {
		const byId = Object.fromEntries(Object.values(generated).map((workflow) => [workflow.id, workflow]));
		expect(byId[WORKFLOW_IDS.monitor].settings).toMatchObject({ saveDataSuccessExecution: 'none', saveDataErrorExecution: 'all', errorWorkflow: WORKFLOW_IDS.errorHandler });
		expect(byId[WORKFLOW_IDS.recover].settings).toMatchObject({ saveDataSuccessExecution: 'all', errorWorkflow: WORKFLOW_IDS.errorHandler });
		expect(byId[WORKFLOW_IDS.alert].settings).toMatchObject({ saveDataSuccessExecution: 'all' });
		// Every 5 minutes, from Autorecovery: Triggers; it has no error workflow: a failed Monitor run alerts through the Monitor's (not twice).
		expect(byId[WORKFLOW_IDS.triggers].nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger')?.parameters).toEqual({
			rule: { interval: [{ field: 'minutes', minutesInterval: 5 }] },
		});
		expect(byId[WORKFLOW_IDS.triggers].settings).toMatchObject({ saveDataSuccessExecution: 'none' });
		expect(byId[WORKFLOW_IDS.triggers].settings.errorWorkflow).toBeUndefined();
	});

	test('every workflow a Monitor node calls is shipped', () => {
		const ids = new Set(Object.values(generated).map((workflow) => workflow.id));
		for (const workflow of Object.values(generated)) {
			for (const node of workflow.nodes.filter((candidate) => candidate.type === 'n8n-nodes-base.executeWorkflow')) {
				expect(ids.has((node.parameters.workflowId as { value: string }).value)).toBe(true);
			}
		}
	});

	test('Maintenance: Backup runs daily at 03:00 or on demand, reads every path and number from Settings, and alerts through the Alert sub-workflow', () => {
		const backup = generated['maintenance-backup.json'];
		expect(backup.id).toBe(WORKFLOW_IDS.backup);
		expect(backup.settings).toMatchObject({ saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all', errorWorkflow: WORKFLOW_IDS.errorHandler });
		const byName = new Map(backup.nodes.map((node) => [node.name, node]));
		expect(backup.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger')?.parameters).toEqual({
			rule: { interval: [{ field: 'cronExpression', expression: '0 3 * * *' }] },
		});
		expect(backup.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger')).toBe(true);
		const settings = (byName.get('Settings')?.parameters.assignments as { assignments: Array<{ name: string }> }).assignments.map((a) => a.name);
		expect(settings).toEqual(expect.arrayContaining(['dataFolder', 'backupFolder', 'keepLast', 'keepDays']));
		const steps = backup.nodes.filter((node) => node.type === 'n8n-nodes-autorecovery.volumeBackup');
		expect(steps.map((node) => node.parameters.operation)).toEqual(['backupDirectory', 'verify', 'backupPostgres', 'verify', 'prune']);
		for (const node of steps) {
			// A failing step must not stop the run: later steps and the alert still happen.
			expect(node.onError).toBe('continueRegularOutput');
			for (const [name, value] of Object.entries(node.parameters)) {
				if (['sourceDir', 'backupDir', 'keepLast', 'keepDays'].includes(name)) expect(value).toMatch(/^=\{\{ \$\('Settings'\)/);
			}
		}
		expect(byName.get('Back Up Database')?.credentials).toEqual({ autorecoveryPostgresApi: { id: 'autorecoveryPg001', name: 'Autorecovery Postgres' } });
		const send = backup.nodes.find((node) => node.type === 'n8n-nodes-base.executeWorkflow');
		expect((send?.parameters.workflowId as { value: string }).value).toBe(WORKFLOW_IDS.alert);
		// The chain: triggers → Settings → the five steps in order → Summary → Any Failure? → Send Alert.
		expect(chainFrom(backup, 'Settings')).toEqual(['Settings', ...steps.map((node) => node.name), 'Summary', 'Any Failure?', 'Send Alert']);
		// Summary reads every step's result and leaves out a Verify whose backup failed.
		expect(byName.get('Summary')).toMatchObject({ type: 'n8n-nodes-autorecovery.alertMessage', parameters: { operation: 'formatMaintenanceAlert', task: 'backup' } });
		const listed = (byName.get('Summary')?.parameters.steps as { step: Array<{ name: string; result: string; needs: string }> }).step;
		expect(listed.map((step) => [step.name, step.needs])).toEqual([
			['Back Up n8n Data', ''],
			['Verify n8n Data Backup', 'Back Up n8n Data'],
			['Back Up Database', ''],
			['Verify Database Backup', 'Back Up Database'],
			['Prune Old Backups', ''],
		]);
		for (const step of listed) expect(step.result).toBe(`={{ $('${step.name}').first().json }}`);
	});

	test('Maintenance: Log Archive keeps its id and Sunday 03:00 schedule, reads Settings, and alerts through the Alert sub-workflow', () => {
		const archive = generated['maintenance-log-archive.json'];
		expect(archive).toMatchObject({ id: 'arMaintLogArch01', name: 'Maintenance: Log Archive' });
		expect(archive.id).toBe(WORKFLOW_IDS.logArchive);
		expect(archive.settings).toMatchObject({ saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all', errorWorkflow: WORKFLOW_IDS.errorHandler });
		expect(archive.nodes.find((node) => node.type === 'n8n-nodes-base.scheduleTrigger')?.parameters).toEqual({
			rule: { interval: [{ field: 'cronExpression', expression: '0 3 * * 0' }] },
		});
		expect(archive.nodes.some((node) => node.type === 'n8n-nodes-base.manualTrigger')).toBe(true);
		const byName = new Map(archive.nodes.map((node) => [node.name, node]));
		expect(byName.get('Log Archive')).toMatchObject({ type: 'n8n-nodes-autorecovery.logArchive', onError: 'continueRegularOutput', credentials: { autorecoveryPostgresApi: CREDENTIALS.postgres } });
		for (const name of ['olderThanDays', 'destination', 'archiveTable', 'directory']) expect(byName.get('Log Archive')?.parameters[name]).toMatch(/^=\{\{ \$\('Settings'\)/);
		// No channel of its own: email, Slack and WhatsApp are the Alert sub-workflow's.
		expect(archive.nodes.map((node) => node.type)).not.toEqual(expect.arrayContaining(['n8n-nodes-base.emailSend']));
		expect(archive.nodes.map((node) => node.type)).not.toEqual(expect.arrayContaining(['n8n-nodes-base.httpRequest']));
		expect(byName.get('Summary')).toMatchObject({ parameters: { operation: 'formatMaintenanceAlert', task: 'logArchive' } });
		expect((byName.get('Send Alert')?.parameters.workflowId as { value: string }).value).toBe(WORKFLOW_IDS.alert);
		expect(chainFrom(archive, 'Settings')).toEqual(['Settings', 'Log Archive', 'Summary', 'Any Failure?', 'Send Alert']);
	});
});

/** The nodes from `start` along each node's only first-output connection. */
function chainFrom(workflow: WorkflowJson, start: string): string[] {
	const next = (name: string) => workflow.connections[name]?.main[0]?.map((connection) => connection.node) ?? [];
	const order = [start];
	while (next(order[order.length - 1] as string).length === 1) order.push(next(order[order.length - 1] as string)[0] as string);
	return order;
}
