import { Client } from 'pg';

import { describePgError } from '../../../nodes/shared/sql/describePgError';
import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';

describe('describePgError against a real Postgres', () => {
	let pg: PostgresHarness;
	beforeAll(async () => {
		pg = await startPostgres();
	});
	afterAll(async () => {
		await pg?.stop();
	});

	async function failureOf(config: ConstructorParameters<typeof Client>[0]) {
		const client = new Client(config);
		try {
			await client.connect();
			await client.query('SELECT 1');
		} catch (error) {
			return describePgError(error);
		} finally {
			await client.end().catch(() => undefined);
		}
		throw new Error('expected the connection to fail');
	}

	test('a wrong password is "password authentication failed", without the password', async () => {
		const described = await failureOf({ ...pg.connection, password: 'definitely-wrong-pw', connectionTimeoutMillis: 5_000 });
		expect(described.summary).toMatch(/password authentication failed/);
		expect(described.cause).toMatchObject({ code: 'auth.invalid_credentials', needsHuman: true });
		expect(JSON.stringify(described)).not.toContain('definitely-wrong-pw');
	});

	test('a closed port is "connection refused"', async () => {
		const described = await failureOf({ ...pg.connection, port: 1, connectionTimeoutMillis: 5_000 });
		expect(described.summary).toMatch(/connection refused/);
		expect(described.cause.code).toBe('net.unreachable');
	});

	test('an unknown host is "host not found"', async () => {
		const described = await failureOf({ ...pg.connection, host: 'no-such-host.invalid', connectionTimeoutMillis: 5_000 });
		expect(described.summary).toMatch(/host not found/);
	});

	test('a missing database and a write in a read-only transaction are named', async () => {
		expect((await failureOf({ ...pg.connection, database: 'no_such_db_here', connectionTimeoutMillis: 5_000 })).summary).toMatch(/database does not exist/);
		const client = new Client(pg.connection);
		await client.connect();
		try {
			await client.query('BEGIN READ ONLY');
			const error = await client.query('CREATE TABLE t_ro (x int)').catch((e: unknown) => e);
			expect(describePgError(error).cause.code).toBe('database.read_only');
		} finally {
			await client.end();
		}
	});

	test('a statement past its timeout is net.timeout', async () => {
		const client = new Client({ ...pg.connection, statement_timeout: 100 });
		await client.connect();
		try {
			const error = await client.query('SELECT pg_sleep(2)').catch((e: unknown) => e);
			expect(describePgError(error).cause.code).toBe('net.timeout');
		} finally {
			await client.end();
		}
	});
});
