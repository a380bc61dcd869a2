/**
 * The Postgres harness starts a real server (or uses $AUTORECOVERY_TEST_PG_URL),
 * hands out isolated databases, applies the fixture schema, and really stops.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { Client } from 'pg';

import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { isPortOpen } from '../../../scripts/lib/ports';
import { AUTHENTICATOR_PASSWORD, applySchema } from '../../../dev/stack/schema';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

function pgErrorCode(error: unknown): string | undefined {
	return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

describe('Postgres harness', () => {
	let pg: PostgresHarness;
	let client: Client;

	beforeAll(async () => {
		pg = await startPostgres();
		client = await pg.connect();
	});

	afterAll(async () => {
		await client?.end();
		await pg?.stop();
	});

	test('accepts queries and reports its version', async () => {
		const result = await client.query<{ version: string; db: string }>('SELECT version() AS version, current_database() AS db');
		expect(result.rows[0]?.version).toMatch(/^PostgreSQL \d+/);
		expect(result.rows[0]?.db).toBe(pg.connection.database);
		expect(pg.serverVersion).toMatch(/^\d+\.\d+/);
		if (pg.mode === 'embedded') expect(pg.serverVersion).toMatch(/^15\./);
	});

	test('hands out a fresh shop_<random> database, reachable through connectionString too', async () => {
		expect(pg.connection.database).toMatch(/^shop_[0-9a-f]{10}$/);
		const viaUrl = new Client({ connectionString: pg.connectionString });
		await viaUrl.connect();
		const tables = await viaUrl.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
		await viaUrl.end();
		expect(tables.rows[0]).toEqual({ n: 0 });
	});

	describe('fixture schema', () => {
		beforeAll(async () => {
			await applySchema(client);
			// Idempotent: applying it again (through a URL this time) must not fail.
			await applySchema(pg.connectionString);
		});

		test('creates the bot tables and the created_at index', async () => {
			const tables = await client.query<{ tablename: string }>(
				"SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
			);
			expect(tables.rows.map((row) => row.tablename)).toEqual(['categories', 'product_images_backup', 'products', 'system_logs']);
			const indexes = await client.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE tablename = 'system_logs'");
			expect(indexes.rows.map((row) => row.indexdef).join('\n')).toMatch(/\(created_at\)/);
			const defaults = await client.query<{ currency: string; active: boolean }>(
				"INSERT INTO products (name) VALUES ('Remera') RETURNING currency, active",
			);
			expect(defaults.rows[0]).toEqual({ currency: 'ARS', active: true });
		});

		test('allows duplicate SKUs and orphan category ids on purpose', async () => {
			await client.query("INSERT INTO categories (name) VALUES ('Remeras')");
			await client.query(
				"INSERT INTO products (sku, name, category_id) VALUES ('DUP-1', 'a', 1), ('DUP-1', 'b', 1), ('ORPHAN-1', 'c', 424242)",
			);
			const dup = await client.query("SELECT count(*)::int AS n FROM products WHERE sku = 'DUP-1'");
			expect(dup.rows[0]).toEqual({ n: 2 });
		});

		test('sets up PostgREST roles: authenticator logs in and switches to anon / service_role', async () => {
			const roles = await client.query<{ rolname: string; rolcanlogin: boolean }>(
				"SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname IN ('anon', 'service_role', 'authenticator') ORDER BY rolname",
			);
			expect(roles.rows).toEqual([
				{ rolname: 'anon', rolcanlogin: false },
				{ rolname: 'authenticator', rolcanlogin: true },
				{ rolname: 'service_role', rolcanlogin: false },
			]);

			const authenticator = new Client({ ...pg.connection, user: 'authenticator', password: AUTHENTICATOR_PASSWORD });
			await authenticator.connect();
			try {
				await authenticator.query('SET ROLE anon');
				const read = await authenticator.query('SELECT count(*)::int AS n FROM products');
				expect(read.rows[0]?.n).toBeGreaterThan(0);
				const insert = await authenticator.query("INSERT INTO products (name) VALUES ('x')").catch((error: unknown) => error);
				expect(pgErrorCode(insert)).toBe('42501');
				const logs = await authenticator.query('SELECT 1 FROM system_logs').catch((error: unknown) => error);
				expect(pgErrorCode(logs)).toBe('42501');

				await authenticator.query('SET ROLE service_role');
				await authenticator.query("INSERT INTO system_logs (level, message) VALUES ('info', 'from service_role')");
				await authenticator.query("INSERT INTO product_images_backup (sku, image_url) VALUES ('S-1', 'https://x/s1.jpg')");
			} finally {
				await authenticator.end();
			}
		});
	});

	test('createDatabase/dropDatabase manage more databases on the same server', async () => {
		const extra = await pg.createDatabase();
		expect(extra.connection.port).toBe(pg.connection.port);
		const extraClient = new Client({ connectionString: extra.connectionString });
		await extraClient.connect();
		const db = await extraClient.query<{ db: string }>('SELECT current_database() AS db');
		await extraClient.end();
		expect(db.rows[0]?.db).toBe(extra.name);

		await pg.dropDatabase(extra.name);
		const gone = await new Client(extra.connection).connect().catch((error: unknown) => error);
		expect(pgErrorCode(gone)).toBe('3D000'); // invalid_catalog_name: database does not exist
	});

	describe('a second harness', () => {
		let other: PostgresHarness;

		beforeAll(async () => {
			other = await startPostgres();
		});

		afterAll(async () => {
			await other?.stop();
		});

		test('gets an isolated database', async () => {
			expect(other.connection.database).not.toBe(pg.connection.database);
			const otherClient = await other.connect();
			try {
				await otherClient.query('CREATE TABLE only_here (id int)');
				const seen = await client.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_here'");
				expect(seen.rows[0]).toEqual({ n: 0 });
			} finally {
				await otherClient.end();
			}
		});

		test('stop() really stops it: new connections are refused and the data dir is gone', async () => {
			await other.stop();
			await other.stop(); // idempotent

			const attempt = await new Client({ ...other.connection, connectionTimeoutMillis: 2000 }).connect().catch((error: unknown) => error);
			if (other.mode === 'embedded') {
				expect(pgErrorCode(attempt)).toBe('ECONNREFUSED');
				expect(await isPortOpen(other.connection.port)).toBe(false);
				expect(fs.existsSync(path.dirname(other.dataDir ?? '/nonexistent/x'))).toBe(false);
			} else {
				expect(pgErrorCode(attempt)).toBe('3D000');
			}
			// The first harness is unaffected.
			expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
		});
	});

	const embeddedOnly = process.env.AUTORECOVERY_TEST_PG_URL ? test.skip : test;
	embeddedOnly('no orphan server survives a test process killed with SIGKILL', async () => {
		const script =
			"require('./dev/stack/postgres').startPostgres().then((pg) => {" +
			' console.log(JSON.stringify({ port: pg.connection.port, dataDir: pg.dataDir })); setInterval(() => {}, 1000); })';
		const doomedProcess = spawn(process.execPath, ['--import', 'tsx', '--eval', script], {
			cwd: REPO_ROOT,
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		const started = await new Promise<{ port: number; dataDir: string }>((resolve, reject) => {
			doomedProcess.stdout.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString('utf8')) as { port: number; dataDir: string }));
			doomedProcess.once('exit', (code) => reject(new Error(`test process exited early (${code})`)));
		});
		expect(await isPortOpen(started.port)).toBe(true);

		doomedProcess.kill('SIGKILL');
		const deadline = Date.now() + 15_000;
		while (Date.now() < deadline && ((await isPortOpen(started.port)) || fs.existsSync(started.dataDir))) {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		expect(await isPortOpen(started.port)).toBe(false);
		expect(fs.existsSync(path.dirname(started.dataDir))).toBe(false);
	});
});
