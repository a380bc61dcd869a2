/**
 * The shipped "Maintenance: Backup" workflow in real n8n, as a user runs it (Run Now),
 * with only its Settings and the Alert's Channels edited: against a data folder with a
 * live WAL-mode SQLite database and a real Postgres, it writes a verified folder backup
 * and a verified dump, prunes each series to keepLast and alerts nobody; with a wrong
 * database password the folder backup still happens and one alert (Alert Message's
 * Format Maintenance Alert, in the default Spanish) reaches Slack and email, naming the
 * failed step and its cause, linking to the run, with no password anywhere.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Client } from 'pg';

import { backupDirectory } from '../../nodes/VolumeBackup/directory/backupDirectory';
import { isVerified } from '../../nodes/VolumeBackup/directory/sidecars';
import { backupPostgres } from '../../nodes/VolumeBackup/postgres/backupPostgres';
import { validateCheckResult } from '../../nodes/shared/validate';
import { CREDENTIALS, WORKFLOW_IDS } from '../../scripts/workflows/ids';
import { generatedWorkflows } from '../../scripts/workflows/shipped';
import { createSlackEmulator, receivedSlackMessages, type SlackState } from '../../dev/emulators/alerts/slack';
import type { Emulator } from '../../dev/emulators/core/emulator';
import { startPostgres, type PostgresHarness } from '../../dev/stack/postgres';
import { applySchema } from '../../dev/stack/schema';
import { seedCatalog } from '../../dev/stack/seed';
import { startSmtp, type SmtpHarness } from '../../dev/stack/smtp';
import { slackWebhookCredential, slackWebhookSecrets } from '../../dev/n8n/monitorStack';
import { createTestN8n, nodeItems, type TestN8n, type WorkflowJson } from '../../dev/n8n/testN8n';

const SMTP_PASSWORD = 'e2e-backup-smtp-secret';
const WRONG_PASSWORD = 'e2e-wrong-db-password-not-real';
const STEPS = ['Back Up n8n Data', 'Verify n8n Data Backup', 'Back Up Database', 'Verify Database Backup', 'Prune Old Backups'];
const DAY_MS = 24 * 3600 * 1000;
const EDITOR = 'https://n8n.shop.example';
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Settings = Record<string, string | number | boolean>;

/** The shipped workflows with Settings (backup) and Channels (alert) edited, as a user does. */
function shippedWith(backup: Settings, channels: Settings): WorkflowJson[] {
	const all = Object.values(generatedWorkflows()) as unknown as WorkflowJson[];
	const patch = (id: string, nodeName: string, values: Settings) => {
		const node = all.find((workflow) => workflow.id === id)?.nodes.find((candidate) => candidate.name === nodeName);
		if (!node) throw new Error(`no ${nodeName} in ${id}`);
		const list = (node.parameters as { assignments: { assignments: Array<{ name: string; value: unknown }> } }).assignments.assignments;
		for (const [name, value] of Object.entries(values)) {
			const entry = list.find((assignment) => assignment.name === name);
			if (!entry) throw new Error(`no setting ${name}`);
			entry.value = value;
		}
	};
	patch(WORKFLOW_IDS.backup, 'Settings', backup);
	patch(WORKFLOW_IDS.alert, 'Channels', channels);
	return all.filter((workflow) => [WORKFLOW_IDS.backup, WORKFLOW_IDS.alert, WORKFLOW_IDS.errorHandler].includes(workflow.id as never));
}

describe('shipped workflow: Maintenance: Backup', () => {
	let pg: PostgresHarness;
	let db: Client;
	let smtp: SmtpHarness;
	let slack: Emulator<SlackState>;
	let env: TestN8n;
	let dir: string;
	let dataFolder: string;
	let backupFolder: string;

	const pgCredential = (password: string) => ({ ...CREDENTIALS.postgres, type: 'autorecoveryPostgresApi', data: { ...pg.connection, password, ssl: 'disable' } });
	const secrets = () => [pg.connection.password, WRONG_PASSWORD, SMTP_PASSWORD, ...slackWebhookSecrets(slack)];

	beforeAll(async () => {
		pg = await startPostgres();
		db = await pg.connect();
		await applySchema(db);
		await seedCatalog(db, { products: 200, seed: 3 });
		smtp = await startSmtp({ user: 'alerts', password: SMTP_PASSWORD });
		slack = await createSlackEmulator().start();

		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maintenance-backup-e2e-'));
		dataFolder = path.join(dir, 'n8n-data');
		backupFolder = path.join(dir, 'backups');
		fs.mkdirSync(path.join(dataFolder, 'binaryData'), { recursive: true });
		fs.writeFileSync(path.join(dataFolder, 'config'), '{"encryptionKey":"kept-in-the-backup"}');
		fs.writeFileSync(path.join(dataFolder, 'binaryData', 'left-out.bin'), 'excluded by the default globs');
		execFileSync('sqlite3', [path.join(dataFolder, 'database.sqlite'), "PRAGMA journal_mode=WAL; CREATE TABLE workflow_entity (id TEXT, name TEXT); INSERT INTO workflow_entity VALUES ('1', 'Monitor');"]);

		// Two older backups of each series, made by the same engines 10 and 20 days ago.
		for (const days of [20, 10]) {
			const at = new Date(Date.now() - days * DAY_MS);
			await backupDirectory({ sourceDir: dataFolder, backupDir: backupFolder, now: () => at });
			const dump = await backupPostgres({ settings: { ...pg.connection }, pgDumpBinary: '/usr/bin/pg_dump', backupDir: backupFolder, now: at, timeoutMs: 30_000 });
			if (!dump.ok) throw new Error(`seeding an old dump failed: ${dump.cause.message}`);
		}

		env = await createTestN8n();
		await env.importCredentials([
			pgCredential(pg.connection.password),
			slackWebhookCredential(slack),
			{ ...CREDENTIALS.smtp, type: 'smtp', data: { host: smtp.host, port: smtp.port, secure: false, user: 'alerts', password: SMTP_PASSWORD, disableStartTls: true } },
		]);
		await env.startServer();
		const workflows = shippedWith(
			{ dataFolder, backupFolder, keepLast: 2, keepDays: 0, timeoutMs: 60_000, executionBaseUrl: EDITOR },
			{ sendToSlack: true, emailTo: 'owner@shop.local', emailFrom: 'bot@shop.local', whatsappAdminNumber: '' },
		);
		for (const workflow of workflows) await env.importWorkflow(workflow);
		// Sub-workflows are called in their published version.
		for (const id of [WORKFLOW_IDS.alert, WORKFLOW_IDS.errorHandler]) await env.n8n.publishWorkflow(id);
	});
	afterAll(async () => {
		await env?.cleanup();
		await slack?.close();
		await smtp?.stop();
		await db?.end();
		await pg?.stop();
		if (dir) fs.rmSync(dir, { recursive: true, force: true });
	});

	const listed = (suffix: string) => fs.readdirSync(backupFolder).filter((name) => name.endsWith(suffix)).sort();

	test('a healthy run backs up the data folder and the database, verifies both, prunes each series to keepLast, alerts nobody', async () => {
		const before = { archives: listed('.tar.gz'), dumps: listed('.dump') };
		expect(before.archives).toHaveLength(2);
		expect(before.dumps).toHaveLength(2);

		const run = await env.execute(WORKFLOW_IDS.backup);
		for (const step of STEPS) {
			const [item] = nodeItems(run, step);
			expect(validateCheckResult(item)).toEqual([]);
			expect(item).toMatchObject({ component: 'backup', status: 'healthy' });
		}
		const folder = nodeItems(run, 'Back Up n8n Data')[0] as { details: { file: string; sqliteSnapshots: unknown[] } };
		const dump = nodeItems(run, 'Back Up Database')[0] as { details: { file: string } };
		expect(folder.details.sqliteSnapshots).toEqual([expect.objectContaining({ path: 'database.sqlite', method: 'vacuum_into' })]);

		// The oldest of each series went; the new ones and the 10-day-old ones stay, the new ones verified.
		const archives = listed('.tar.gz');
		const dumps = listed('.dump');
		expect(archives).toEqual([before.archives[1], path.basename(folder.details.file)]);
		expect(dumps).toEqual([before.dumps[1], path.basename(dump.details.file)]);
		expect(await isVerified(folder.details.file)).toBe(true);
		expect(await isVerified(dump.details.file)).toBe(true);
		const manifest = JSON.parse(fs.readFileSync(`${folder.details.file}.manifest.json`, 'utf8')) as { files: Array<{ path: string }> };
		expect(manifest.files.map((entry) => entry.path)).toEqual(['config', 'database.sqlite']);

		expect(nodeItems(run, 'Summary')[0]).toEqual({ component: 'backup', status: 'healthy', failures: [], leftOut: [], succeeded: STEPS, alert: false });
		expect(run.data.resultData.runData['Send Alert']).toBeUndefined();
		expect(receivedSlackMessages(slack)).toEqual([]);
		expect(smtp.messages()).toEqual([]);
	});

	test('a wrong database password: the folder backup still happens, one alert reaches Slack and email, no password anywhere', async () => {
		await env.importCredentials([pgCredential(WRONG_PASSWORD)]);
		const archivesBefore = listed('.tar.gz').length;
		const run = await env.execute(WORKFLOW_IDS.backup);

		expect(nodeItems(run, 'Back Up n8n Data')[0]).toMatchObject({ status: 'healthy' });
		const failed = nodeItems(run, 'Back Up Database')[0];
		expect(validateCheckResult(failed)).toEqual([]);
		expect(failed).toMatchObject({ status: 'down', cause: { code: 'auth.invalid_credentials', message: expect.stringMatching(/password authentication failed/) } });
		// The alert says what the step said.
		const cause = `${(failed as { cause: { message: string } }).cause.message} (auth.invalid_credentials)`;
		// Its Verify only repeats the failure: the alert names the backup step, not the verify.
		expect(nodeItems(run, 'Summary')[0]).toMatchObject({
			component: 'backup',
			status: 'down',
			failures: [{ step: 'Back Up Database', status: 'down', code: 'auth.invalid_credentials', message: (failed as { cause: { message: string } }).cause.message }],
			leftOut: ['Verify Database Backup'],
			succeeded: ['Back Up n8n Data', 'Verify n8n Data Backup', 'Prune Old Backups'],
			alert: true,
		});
		// Pruned to keepLast again: the new folder backup pushed the oldest out.
		expect(listed('.tar.gz')).toHaveLength(Math.min(2, archivesBefore + 1));

		const [mail] = await smtp.waitForMessages(1, 15_000);
		const title = `Copia de seguridad: falló en ${backupFolder}`;
		const link = `${EDITOR}/workflow/${WORKFLOW_IDS.backup}/executions/`;
		expect(mail.subject).toBe(title);
		const lines = (mail.text ?? '').trim().split('\n');
		expect(lines.slice(0, 3)).toEqual([title, 'No funcionaron 1 de 5 paso(s).', '']);
		expect(lines[3]).toBe(`Back Up Database: caído - ${cause}`);
		expect(lines.slice(4, 6)).toEqual([
			'Omitidos (no funcionó un paso que necesitan): Verify Database Backup',
			'Funcionaron: Back Up n8n Data, Verify n8n Data Backup, Prune Old Backups',
		]);
		expect(lines[6]).toMatch(new RegExp(`^Ejecución: ${escapeRegExp(link)}\\d+$`));
		expect(lines).toHaveLength(7);
		// A whole phone-friendly page with inline styles, the title as its heading.
		expect(mail.html).toContain('<meta name="viewport"');
		expect(mail.html).toMatch(new RegExp(`<h1 style="[^"]+">${escapeRegExp(title)}</h1>`));
		const slackMessages = receivedSlackMessages(slack);
		expect(slackMessages).toHaveLength(1);
		const slackLines = (slackMessages[0] as { text: string }).text.split('\n');
		expect(slackLines.slice(0, 4)).toEqual([`*${title}*`, 'No funcionaron 1 de 5 paso(s).', '', `*Back Up Database:* caído - ${cause}`]);
		expect(slackLines.slice(4, 6)).toEqual(['*Omitidos (no funcionó un paso que necesitan):* Verify Database Backup', '*Funcionaron:* Back Up n8n Data, Verify n8n Data Backup, Prune Old Backups']);
		expect(slackLines[6]).toMatch(new RegExp(`^<${escapeRegExp(link)}\\d+\\|Abrir la ejecución>$`));
		expect(slackLines).toHaveLength(7);

		const everything = [JSON.stringify(run), JSON.stringify(slackMessages), JSON.stringify(smtp.messages()), env.storedText()].join('\n');
		for (const secret of secrets()) expect(everything).not.toContain(secret);
	});
});
