/**
 * The state store across real processes and when things go wrong: several OS processes
 * incrementing one counter lose nothing; a process killed mid-update (file store) or
 * while holding the row lock (Postgres) blocks nobody; a waiter gives up with 'busy'; a
 * damaged version file is kept aside and reported, never silently dropped; an unreachable
 * database is reported without its password. No assertion depends on how fast the
 * machine is: waits are on events (a line printed, a process gone), with long limits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { createFileStore, PRUNE_AFTER_MS } from '../../../nodes/shared/stateStore/fileStore';
import { createPostgresStore } from '../../../nodes/shared/stateStore/postgresStore';
import { StateStoreError, type StateStore } from '../../../nodes/shared/stateStore/types';
import { STORE_PROCESS_ENV, type StoreProcessConfig } from './storeProcessConfig';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const ENTRY = path.join(__dirname, 'storeProcess.ts');
const PROCESSES = 3;
const INCREMENTS = 40;
const LONG_MS = 120_000;

interface Counter {
	count: number;
}

interface StoreProcess {
	child: ChildProcess;
	lines: string[];
	waitFor(pattern: RegExp): Promise<string>;
	exited: Promise<number | null>;
}

function startProcess(config: StoreProcessConfig): StoreProcess {
	const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], { cwd: REPO_ROOT, env: { ...process.env, [STORE_PROCESS_ENV]: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'pipe'] });
	const lines: string[] = [];
	let stderr = '';
	const listeners = new Set<() => void>();
	let buffer = '';
	child.stdout?.on('data', (chunk: Buffer) => {
		buffer += chunk.toString('utf8');
		const parts = buffer.split('\n');
		buffer = parts.pop() ?? '';
		lines.push(...parts);
		for (const listener of listeners) listener();
	});
	child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const waitFor = (pattern: RegExp) =>
		new Promise<string>((resolve, reject) => {
			const check = () => {
				const line = lines.find((candidate) => pattern.test(candidate));
				if (line !== undefined) {
					listeners.delete(check);
					clearTimeout(timer);
					resolve(line);
				}
			};
			const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${LONG_MS} ms; stderr: ${stderr}`)), LONG_MS);
			listeners.add(check);
			void exited.then(() => {
				check();
				if (listeners.has(check)) {
					listeners.delete(check);
					clearTimeout(timer);
					reject(new Error(`the process exited before printing ${pattern}; stderr: ${stderr}`));
				}
			});
			check();
		});
	return { child, lines, waitFor, exited };
}

const increment = (store: StateStore, key: string) => store.update<Counter, undefined>(key, (current) => ({ next: { count: (current?.count ?? 0) + 1 }, result: undefined }));

async function countersFromProcesses(backend: StoreProcessConfig['backend'], key: string): Promise<void> {
	const processes = Array.from({ length: PROCESSES }, () => startProcess({ mode: 'count', key, count: INCREMENTS, backend }));
	expect(await Promise.all(processes.map((running) => running.exited))).toEqual(processes.map(() => 0));
}

describe('the file store', () => {
	let folder: string;
	const store = () => createFileStore({ folder, waitMs: LONG_MS });
	beforeAll(() => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'state-store-'));
	});
	afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

	it(`${PROCESSES} processes adding ${INCREMENTS} each lose no update`, async () => {
		await countersFromProcesses({ kind: 'file', folder }, 'processes');
		const committed = await increment(store(), 'processes');
		expect(committed).toMatchObject({ version: PROCESSES * INCREMENTS + 1, value: { count: PROCESSES * INCREMENTS + 1 } });
	}, LONG_MS * 2);

	it('a process killed in the middle of its updates leaves nothing to wait for and nothing half-written', async () => {
		const running = startProcess({ mode: 'loop', key: 'killed', backend: { kind: 'file', folder } });
		await running.waitFor(/^committed 25$/);
		running.child.kill('SIGKILL');
		await running.exited;
		const before = await store().read<Counter>('killed');
		const committed = await increment(store(), 'killed');
		expect(before?.count).toBeGreaterThanOrEqual(25);
		expect(committed.value.count).toBe((before?.count ?? 0) + 1);
		expect(committed.version).toBe(committed.value.count);
	}, LONG_MS * 2);

	it('prunes versions once they are old, keeping the newest few', async () => {
		const files = store();
		for (let index = 0; index < 12; index++) await increment(files, 'pruned');
		const versions = () => fs.readdirSync(path.join(folder, 'pruned')).filter((name) => /^v\d+\.json$/.test(name)).sort();
		// Young versions stay (a slow writer that read one of them must still collide with its successor).
		expect(versions()).toHaveLength(12);
		const old = (Date.now() - PRUNE_AFTER_MS - 60_000) / 1000;
		for (const name of versions()) fs.utimesSync(path.join(folder, 'pruned', name), old, old);
		await increment(files, 'pruned');
		expect(versions()).toEqual(['v000000000009.json', 'v000000000010.json', 'v000000000011.json', 'v000000000012.json', 'v000000000013.json']);
	});

	it('a damaged newest version is moved aside with a clear error, and the next update continues from the one before', async () => {
		const files = store();
		for (let index = 0; index < 3; index++) await increment(files, 'damaged');
		const newest = path.join(folder, 'damaged', 'v000000000003.json');
		fs.writeFileSync(newest, '{"count": 3');
		const error = await increment(files, 'damaged').catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(StateStoreError);
		expect(error).toMatchObject({ problem: 'unreadable' });
		expect((error as Error).message).toMatch(/v000000000003\.json is not valid JSON; it was moved to .*unreadable-\d+ and the next run continues from version 2/);
		const kept = fs.readdirSync(path.join(folder, 'damaged')).filter((name) => name.includes('.unreadable-'));
		expect(kept).toHaveLength(1);
		expect(fs.readFileSync(path.join(folder, 'damaged', kept[0]), 'utf8')).toBe('{"count": 3');
		expect(await increment(files, 'damaged')).toMatchObject({ version: 3, value: { count: 3 } });
	});

	it('refuses a key that is not a plain name (it becomes a folder name)', async () => {
		await expect(increment(store(), '../escape')).rejects.toMatchObject({ problem: 'invalid_key' });
	});
});

describe('the Postgres store', () => {
	let pg: PostgresHarness;
	const TABLE = 'autorecovery_state';
	const stores: StateStore[] = [];
	const store = (waitMs = LONG_MS) => {
		const created = createPostgresStore({ connection: pg.connection, schema: 'public', table: TABLE, waitMs });
		stores.push(created);
		return created;
	};

	beforeAll(async () => {
		pg = await startPostgres({ databasePrefix: 'statestore' });
	}, 180_000);
	afterAll(async () => {
		await Promise.all(stores.map((created) => created.close()));
		await pg?.stop();
	}, 60_000);

	it(`${PROCESSES} processes adding ${INCREMENTS} each lose no update`, async () => {
		await countersFromProcesses({ kind: 'postgres', connection: pg.connection, table: TABLE }, 'processes');
		expect(await increment(store(), 'processes')).toMatchObject({ version: PROCESSES * INCREMENTS + 1, value: { count: PROCESSES * INCREMENTS + 1 } });
	}, LONG_MS * 2);

	it('a waiter gives up with "busy" while another process holds the lock, and goes through once that process dies holding it', async () => {
		await increment(store(), 'held');
		const holder = startProcess({ mode: 'hold', key: 'held', backend: { kind: 'postgres', connection: pg.connection, table: TABLE } });
		await holder.waitFor(/^locked$/);
		const error = await increment(store(500), 'held').catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(StateStoreError);
		expect(error).toMatchObject({ problem: 'busy' });
		expect((error as Error).message).toBe('another update held the state for more than 500 ms');
		// The holder dies without releasing anything: Postgres ends its transaction when the connection drops.
		const waiting = increment(store(), 'held');
		holder.child.kill('SIGKILL');
		await holder.exited;
		expect(await waiting).toMatchObject({ version: 2, value: { count: 2 } });
	}, LONG_MS * 2);

	it('an unreachable database is "unavailable", in words that never carry the password', async () => {
		const password = 'state-store-password-must-not-leak';
		const unreachable = createPostgresStore({ connection: { host: '127.0.0.1', port: 1, database: 'n8n', user: 'n8n', password, connectionTimeoutMillis: 5_000 }, schema: 'public', table: TABLE, waitMs: 1_000 });
		stores.push(unreachable);
		const error = await increment(unreachable, 'any').catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(StateStoreError);
		expect(error).toMatchObject({ problem: 'unavailable' });
		expect((error as Error).message).toMatch(/n8n's Postgres database\): connection refused/);
		expect(JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack })).not.toContain(password);
	});

	it('a change that throws (a bad input) rolls back and surfaces unchanged', async () => {
		const postgres = store();
		await increment(postgres, 'bad-input');
		const problem = new RangeError('not a check result');
		await expect(
			postgres.update<Counter, undefined>('bad-input', () => {
				throw problem;
			}),
		).rejects.toBe(problem);
		expect(await postgres.read<Counter>('bad-input')).toEqual({ count: 1 });
	});
});
