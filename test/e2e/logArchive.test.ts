/**
 * Log Archive in real n8n against a real Postgres: a dry run changes nothing; an
 * archive to the archive table moves exactly the rows older than the cut-off; a bad
 * identifier is an error naming the parameter; the credential test answers in plain
 * words; n8n stores no database password.
 */
import type { Client } from 'pg';

import { validateCheckResult } from '../../nodes/shared/validate';
import { startPostgres, type PostgresHarness } from '../../dev/stack/postgres';
import { applySchema } from '../../dev/stack/schema';
import { seedLogs } from '../../dev/stack/seed';
import { createTestN8n, nodeItems, type TestN8n, type WorkflowJson } from '../../dev/n8n/testN8n';

const CREDENTIAL = { id: 'logArchivePg0001', name: 'E2E Postgres', type: 'autorecoveryPostgresApi' };

function archiveWorkflow(id: string, parameters: Record<string, unknown>): WorkflowJson {
	return {
		id,
		name: `E2E log archive ${id}`,
		nodes: [
			{ id: 't', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'a',
				name: 'Log Archive',
				type: 'n8n-nodes-autorecovery.logArchive',
				typeVersion: 1,
				position: [250, 0],
				parameters: { operation: 'archive', olderThanDays: 30, destination: 'table', ...parameters },
				credentials: { autorecoveryPostgresApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
			},
		],
		connections: { 'Manual Trigger': { main: [[{ node: 'Log Archive', type: 'main', index: 0 }]] } },
	};
}

async function count(client: Client, sql: string): Promise<number> {
	const { rows } = await client.query<{ n: string }>(sql);
	return Number(rows[0].n);
}

describe('Log Archive in real n8n', () => {
	let pg: PostgresHarness;
	let db: Client;
	let env: TestN8n;
	const now = new Date();

	beforeAll(async () => {
		pg = await startPostgres();
		db = await pg.connect();
		await applySchema(db);
		await seedLogs(db, { rows: 9_000, days: 90, now });
		env = await createTestN8n();
		await env.importCredentials([{ ...CREDENTIAL, data: { ...pg.connection, ssl: 'disable' } }]);
	});
	afterAll(async () => {
		await env?.cleanup();
		await db?.end();
		await pg?.stop();
	});

	test('a dry run reports the rows and range that would move and changes nothing', async () => {
		await env.importWorkflow(archiveWorkflow('logArchiveDry001', { dryRun: true }));
		const [item] = nodeItems(await env.execute('logArchiveDry001'), 'Log Archive');
		expect(validateCheckResult(item)).toEqual([]);
		const old = await count(db, `SELECT count(*) AS n FROM system_logs WHERE created_at < now() - interval '30 days'`);
		expect(old).toBeGreaterThan(5_000);
		expect(JSON.stringify(item.details)).toContain(String(old));
		expect(await count(db, 'SELECT count(*) AS n FROM system_logs')).toBe(9_000);
		expect(await count(db, `SELECT count(*) AS n FROM pg_tables WHERE tablename = 'system_logs_archive'`)).toBe(0);
	});

	test('archive to the table moves exactly the old rows, every row in exactly one table', async () => {
		const old = await count(db, `SELECT count(*) AS n FROM system_logs WHERE created_at < now() - interval '30 days'`);
		await env.importWorkflow(archiveWorkflow('logArchiveTable1', { options: { batchSize: 1000 } }));
		const [item] = nodeItems(await env.execute('logArchiveTable1'), 'Log Archive');
		expect(validateCheckResult(item)).toEqual([]);
		expect(item.component).toBe('logs');
		expect(await count(db, 'SELECT count(*) AS n FROM system_logs_archive')).toBe(old);
		expect(await count(db, 'SELECT count(*) AS n FROM system_logs')).toBe(9_000 - old);
		expect(await count(db, `SELECT count(*) AS n FROM system_logs WHERE created_at < now() - interval '30 days' - interval '1 minute'`)).toBe(0);
		expect(await count(db, 'SELECT count(*) AS n FROM system_logs s JOIN system_logs_archive a USING (id)')).toBe(0);
	});

	test('a table name that is not an identifier is an error naming the parameter, and nothing runs', async () => {
		await env.importWorkflow(archiveWorkflow('logArchiveBad001', { table: 'system_logs; DROP TABLE products' }));
		const failed = await env.execute('logArchiveBad001').catch((error: Error) => error);
		const text = failed instanceof Error ? failed.message : JSON.stringify(failed.data.resultData.error);
		expect(text).toMatch(/Parameter "Table" must be/);
		expect(await count(db, `SELECT count(*) AS n FROM pg_tables WHERE tablename = 'products'`)).toBe(1);
	});

	test('the Postgres credential test answers in plain words', async () => {
		await env.startServer();
		const test = (data: Record<string, unknown>) => env.n8n.testCredential('autorecoveryPostgresApi', data);
		expect(await test({ ...pg.connection, ssl: 'disable' })).toMatchObject({ status: 'OK', message: expect.stringMatching(/Connected \(PostgreSQL 15/) });
		expect(await test({ ...pg.connection, password: 'wrong-password-xyz', ssl: 'disable' })).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/password authentication failed/),
		});
		expect(await test({ ...pg.connection, port: 1, ssl: 'disable' })).toMatchObject({ status: 'Error', message: expect.stringMatching(/connection refused/) });
	});

	test('n8n stored no database password', () => {
		expect(pg.connection.password.length).toBeGreaterThan(3);
		expect(env.storedText()).not.toContain(pg.connection.password);
	});
});
