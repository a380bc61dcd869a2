/**
 * Volume Backup in real n8n: a folder with a live SQLite database is backed up,
 * verified, restored byte-identically (the database passes its integrity check); the
 * real Postgres is dumped and the dump verified; a relative path is an error naming the
 * parameter; n8n stores no database password.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { validateCheckResult } from '../../nodes/shared/validate';
import { startPostgres, type PostgresHarness } from '../../dev/stack/postgres';
import { applySchema } from '../../dev/stack/schema';
import { seedCatalog } from '../../dev/stack/seed';
import { createTestN8n, nodeItems, type TestN8n, type WorkflowJson } from '../../dev/n8n/testN8n';

const PG = { id: 'volumeBackupPg01', name: 'E2E Postgres', type: 'autorecoveryPostgresApi' };

function workflow(id: string, steps: Array<{ name: string; parameters: Record<string, unknown> }>): WorkflowJson {
	const nodes = [
		{ id: 't', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
		...steps.map((step, index) => ({
			id: `s${index}`,
			name: step.name,
			type: 'n8n-nodes-autorecovery.volumeBackup',
			typeVersion: 1,
			position: [250 * (index + 1), 0] as [number, number],
			parameters: step.parameters,
			credentials: { autorecoveryPostgresApi: { id: PG.id, name: PG.name } },
		})),
	];
	const names = nodes.map((node) => node.name);
	const connections = Object.fromEntries(names.slice(0, -1).map((name, index) => [name, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }]));
	return { id, name: `E2E volume backup ${id}`, nodes, connections };
}

describe('Volume Backup in real n8n', () => {
	let pg: PostgresHarness;
	let env: TestN8n;
	let dir: string;

	beforeAll(async () => {
		pg = await startPostgres();
		const db = await pg.connect();
		await applySchema(db);
		await seedCatalog(db, { products: 500, seed: 8 });
		await db.end();
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'volume-backup-e2e-'));
		const source = path.join(dir, 'n8n-data');
		fs.mkdirSync(path.join(source, 'nodes'), { recursive: true });
		fs.writeFileSync(path.join(source, 'config'), '{"encryptionKey":"kept-in-the-backup"}');
		fs.writeFileSync(path.join(source, 'nodes', 'package.json'), '{"dependencies":{}}');
		execFileSync('sqlite3', [path.join(source, 'database.sqlite'), 'PRAGMA journal_mode=WAL; CREATE TABLE workflow_entity (id TEXT, name TEXT); INSERT INTO workflow_entity VALUES (\'1\', \'Monitor\');']);
		env = await createTestN8n();
		await env.importCredentials([{ ...PG, data: { ...pg.connection, ssl: 'disable' } }]);
	});
	afterAll(async () => {
		await env?.cleanup();
		await pg?.stop();
		if (dir) fs.rmSync(dir, { recursive: true, force: true });
	});

	test('folder: backup → verify → restore gives the same files and a sound database; Postgres: dump → verify', async () => {
		const source = path.join(dir, 'n8n-data');
		const backups = path.join(dir, 'backups');
		const restored = path.join(dir, 'restored');
		await env.importWorkflow(
			workflow('volumeBackupRun1', [
				{ name: 'Backup Folder', parameters: { operation: 'backupDirectory', sourceDir: source, backupDir: backups, options: {} } },
				{ name: 'Verify Folder', parameters: { operation: 'verify', file: "={{ $('Backup Folder').item.json.details.file }}", options: {} } },
				{ name: 'Restore Folder', parameters: { operation: 'restoreDirectory', file: "={{ $('Backup Folder').item.json.details.file }}", targetDir: restored, options: {} } },
				{ name: 'Backup Database', parameters: { operation: 'backupPostgres', backupDir: backups, options: {} } },
				{ name: 'Verify Database', parameters: { operation: 'verify', file: "={{ $('Backup Database').item.json.details.file }}", options: {} } },
			]),
		);
		const run = await env.execute('volumeBackupRun1');
		for (const name of ['Backup Folder', 'Verify Folder', 'Restore Folder', 'Backup Database', 'Verify Database']) {
			const [item] = nodeItems(run, name);
			expect(validateCheckResult(item)).toEqual([]);
			expect([name, item.status]).toEqual([name, 'healthy']);
			expect(item.component).toBe('backup');
		}
		expect(fs.readFileSync(path.join(restored, 'config'), 'utf8')).toBe(fs.readFileSync(path.join(source, 'config'), 'utf8'));
		expect(execFileSync('sqlite3', [path.join(restored, 'database.sqlite'), 'PRAGMA integrity_check; SELECT name FROM workflow_entity;']).toString().trim().split('\n')).toEqual(['ok', 'Monitor']);
		expect(fs.readdirSync(backups).some((file) => file.endsWith('.dump'))).toBe(true);
		expect(JSON.stringify(nodeItems(run, 'Backup Database'))).not.toContain(pg.connection.password);
	});

	test('a relative backup folder is an error naming the parameter, and nothing is written', async () => {
		await env.importWorkflow(workflow('volumeBackupBad01', [{ name: 'Backup Folder', parameters: { operation: 'backupDirectory', sourceDir: path.join(dir, 'n8n-data'), backupDir: 'backups', options: {} } }]));
		const failed = await env.execute('volumeBackupBad01').catch((error: Error) => error);
		const text = failed instanceof Error ? failed.message : JSON.stringify(failed.data.resultData.error);
		expect(text).toMatch(/Parameter "Backup Folder" must be an absolute path/);
	});

	test('n8n stored no database password', () => {
		expect(env.storedText()).not.toContain(pg.connection.password);
	});
});
