/**
 * Log Archive's own credential (the Postgres password, or a connection string holding it)
 * never appears in what the node outputs, on each way a run can fail: a refused password,
 * no server, a table that is not there, a connection string that is not a URL. Run
 * through the node's execute(), so the router's and the operation's error handling are
 * both in the path. The passwords have no recognisable shape: only the node's own secrets
 * list can hide them.
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { LogArchive } from '../../../nodes/LogArchive/LogArchive.node';
import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';

const WRONG_PASSWORD = 'wrong pass zebra/ocelot 91';

let pg: PostgresHarness;

beforeAll(async () => {
	pg = await startPostgres();
});

afterAll(async () => {
	await pg?.stop();
});

/** A dry run (nothing deleted) of the node with `credentials`; continueOnFail so a thrown error becomes an item too. */
async function runNode(credentials: ICredentialDataDecryptedObject, table = 'system_logs'): Promise<INodeExecutionData[][]> {
	const fake = fakeExecuteFunctions({
		parameters: {
			resource: 'logs',
			operation: 'archive',
			table,
			timestampColumn: 'created_at',
			keyColumn: 'id',
			olderThanDays: 30,
			destination: 'delete',
			dryRun: true,
			options: { connectTimeoutMs: 2_000, statementTimeoutMs: 5_000 },
		},
		input: [{}],
		continueOnFail: true,
	});
	const ctx = new Proxy(fake, {
		get: (target, property) => (property === 'getCredentials' ? async () => credentials : Reflect.get(target, property)),
	}) as IExecuteFunctions;
	return await new LogArchive().execute.call(ctx);
}

const parts = (password: string, port = pg.connection.port): ICredentialDataDecryptedObject => ({
	host: pg.connection.host,
	port,
	database: pg.connection.database,
	user: pg.connection.user,
	password,
});

async function closedPort(): Promise<number> {
	const net = await import('node:net');
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

function expectNone(output: INodeExecutionData[][], secrets: string[]): string {
	const text = JSON.stringify(output);
	for (const secret of secrets) {
		expect(text).not.toContain(secret);
		expect(text).not.toContain(encodeURIComponent(secret));
	}
	return text;
}

test('a refused password: a down result that names neither the wrong password nor the right one', async () => {
	const output = await runNode(parts(WRONG_PASSWORD));
	const text = expectNone(output, [WRONG_PASSWORD, pg.connection.password]);
	expect(output[0][0].json).toMatchObject({ status: 'down' });
	expect(text).toMatch(/auth|password|credential/i);
});

test('no server behind a connection string: a down result without the string or its password', async () => {
	const password = 'conn pass heron/lynx 27';
	const connectionString = `postgres://${pg.connection.user}:${encodeURIComponent(password)}@127.0.0.1:${await closedPort()}/${pg.connection.database}`;
	const output = await runNode({ connectionString });
	expectNone(output, [connectionString, password]);
	expect(output[0][0].json).toMatchObject({ status: 'down' });
});

test('a table that is not there, with the right password: the result without the password', async () => {
	const output = await runNode(parts(pg.connection.password), 'no_such_logs');
	const text = expectNone(output, [pg.connection.password]);
	expect(text).toContain('no_such_logs');
});

test('a connection string that is not a URL: whatever the driver says, not the string or the password in it', async () => {
	const password = 'plain pass otter/finch 63';
	const connectionString = `postgres://${pg.connection.user}:${password}@[::bad-host:port/${pg.connection.database}`;
	const output = await runNode({ connectionString });
	expectNone(output, [connectionString, password]);
	expect(output[0]).toHaveLength(1);
});
