/**
 * n8n's file-access rules in real n8n: with N8N_RESTRICT_FILE_ACCESS_TO set, a folder
 * backup and a log archive outside the allowed folders fail with an error naming the
 * parameter and the folders, and leave the disk and the table as they were; a backup of
 * n8n's own folder is refused; the same operations inside the allowed folders succeed.
 * One n8n instance, one execution (the refused nodes continue on fail, so their errors are items).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Client } from 'pg';

import { startPostgres, type PostgresHarness } from '../../dev/stack/postgres';
import { applySchema } from '../../dev/stack/schema';
import { seedLogs } from '../../dev/stack/seed';
import { createTestN8n, nodeItems, type TestN8n, type WorkflowJson } from '../../dev/n8n/testN8n';

const PG = { id: 'fileAccessPg0001', name: 'E2E Postgres', type: 'autorecoveryPostgresApi' };

interface Step {
	name: string;
	node: 'volumeBackup' | 'logArchive';
	parameters: Record<string, unknown>;
	/** Let the run go on with the error as the item (the node's "On Error: Continue"). */
	continueOnFail?: boolean;
}

function chain(id: string, steps: Step[]): WorkflowJson {
	const nodes = [
		{ id: 't', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		...steps.map((step, index) => ({
			id: `s${index}`,
			name: step.name,
			type: `n8n-nodes-autorecovery.${step.node}`,
			typeVersion: 1,
			position: [250 * (index + 1), 0],
			parameters: step.parameters,
			credentials: { autorecoveryPostgresApi: { id: PG.id, name: PG.name } },
			...(step.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		})),
	];
	const names = nodes.map((node) => node.name);
	const connections = Object.fromEntries(names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]));
	return { id, name: `E2E file access ${id}`, nodes, connections };
}

const archive = (directory: string) => ({ resource: 'logs', operation: 'archive', olderThanDays: 30, destination: 'file', directory, options: { batchSize: 1000 } });
const backup = (sourceDir: string, backupDir: string) => ({ resource: 'backup', operation: 'backupDirectory', sourceDir, backupDir, options: {} });

describe('n8n file-access rules in real n8n', () => {
	let pg: PostgresHarness;
	let db: Client;
	let env: TestN8n;
	let dir: string;
	let allowed: string;
	let outside: string;
	const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0].n);

	beforeAll(async () => {
		pg = await startPostgres();
		db = await pg.connect();
		await applySchema(db);
		await seedLogs(db, { rows: 2_000, days: 60, now: new Date() });
		dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'file-access-e2e-')));
		allowed = path.join(dir, 'allowed');
		outside = path.join(dir, 'outside');
		fs.mkdirSync(path.join(allowed, 'n8n-data'), { recursive: true });
		fs.writeFileSync(path.join(allowed, 'n8n-data', 'config'), '{"encryptionKey":"kept-in-the-backup"}');
		env = await createTestN8n({ env: { N8N_RESTRICT_FILE_ACCESS_TO: `${allowed};${path.join(dir, 'second')}` } });
		await env.importCredentials([{ ...PG, data: { ...pg.connection, ssl: 'disable' } }]);
	});
	afterAll(async () => {
		await env?.cleanup();
		await db?.end();
		await pg?.stop();
		if (dir) fs.rmSync(dir, { recursive: true, force: true });
	});

	const folders = () => `${allowed}, ${path.join(dir, 'second')} (set by N8N_RESTRICT_FILE_ACCESS_TO)`;

	test("outside the allowed folders or in n8n's own: refused, naming the parameter, nothing touched; inside: backed up and archived", async () => {
		const n8nFolder = path.join(env.userFolder, '.n8n');
		const rowsBefore = await count('SELECT count(*) AS n FROM system_logs');
		await env.importWorkflow(
			chain('fileAccessRun01', [
				{ name: 'Archive Outside', node: 'logArchive', parameters: archive(path.join(outside, 'logs')), continueOnFail: true },
				{ name: 'Backup Outside', node: 'volumeBackup', parameters: backup(path.join(allowed, 'n8n-data'), path.join(outside, 'backups')), continueOnFail: true },
				{ name: 'Backup n8n Folder', node: 'volumeBackup', parameters: backup(n8nFolder, path.join(allowed, 'backups')), continueOnFail: true },
				{ name: 'Backup Inside', node: 'volumeBackup', parameters: backup(path.join(allowed, 'n8n-data'), path.join(allowed, 'backups')) },
				{ name: 'Archive Inside', node: 'logArchive', parameters: archive(path.join(allowed, 'logs')) },
			]),
		);
		const run = await env.execute('fileAccessRun01');
		expect(nodeItems(run, 'Archive Outside')).toEqual([
			{ error: `Parameter "Directory": ${path.join(outside, 'logs')} is outside the folders n8n lets nodes use: ${folders()}; nothing was read, written or deleted` },
		]);
		expect(nodeItems(run, 'Backup Outside')).toEqual([
			{ error: `Parameter "Backup Folder": ${path.join(outside, 'backups')} is outside the folders n8n lets nodes use: ${folders()}; nothing was read, written or deleted` },
		]);
		expect(nodeItems(run, 'Backup n8n Folder')).toEqual([
			{ error: `Parameter "Source Folder": ${n8nFolder} is inside n8n's own files (${n8nFolder}), which n8n keeps nodes away from unless N8N_BLOCK_FILE_ACCESS_TO_N8N_FILES=false; nothing was read, written or deleted` },
		]);
		expect(nodeItems(run, 'Backup Inside')[0]).toMatchObject({ component: 'backup', status: 'healthy' });
		// Every row that left the table went to the archive inside: the one outside moved none.
		const rowsGone = rowsBefore - (await count('SELECT count(*) AS n FROM system_logs'));
		expect(rowsGone).toBeGreaterThan(0);
		expect(nodeItems(run, 'Archive Inside')[0]).toMatchObject({ component: 'logs', checks: expect.arrayContaining([expect.objectContaining({ name: 'archive', status: 'healthy', value: rowsGone })]) });
		expect(fs.readdirSync(path.join(allowed, 'backups')).filter((name) => name.endsWith('.tar.gz'))).toHaveLength(1);
		expect(fs.readdirSync(path.join(allowed, 'logs')).filter((name) => name.endsWith('.jsonl.gz'))).toHaveLength(1);
		expect(fs.existsSync(outside)).toBe(false);
	});
});
