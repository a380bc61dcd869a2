/**
 * The Postgres backup engine against a real Postgres 15 and the real pg_dump/pg_restore:
 * backup → verify → restore gives an equal database; tool, auth, disk and corruption
 * failures are clear failed outcomes that leave no partial file and no password behind.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';

import type { Client } from 'pg';

import { backupPostgres, PARTIAL_SUFFIX } from '../../../nodes/VolumeBackup/postgres/backupPostgres';
import { dumpOutcomeToResult, restoreOutcomeToResult, verifyOutcomeToResult } from '../../../nodes/VolumeBackup/postgres/outcomeToResult';
import { restoreDump } from '../../../nodes/VolumeBackup/postgres/restoreDump';
import type { BackupOptions, DumpOutcome, DumpSuccess, DumpWriteStreamFactory } from '../../../nodes/VolumeBackup/postgres/types';
import { verifyDump } from '../../../nodes/VolumeBackup/postgres/verifyDump';
import { isVerified } from '../../../nodes/VolumeBackup/directory/sidecars';
import type { PostgresSettings } from '../../../nodes/shared/sql/postgresConnection';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { startPostgres, toConnectionString, type PostgresHarness } from '../../../dev/stack/postgres';
import { applySchema, FIXTURE_TABLES } from '../../../dev/stack/schema';
import { seedCatalog, seedLogs } from '../../../dev/stack/seed';

const PG_DUMP = '/usr/bin/pg_dump';
const PG_RESTORE = '/usr/bin/pg_restore';
const NOW = new Date('2026-01-15T03:00:00.000Z');
const EXPECTED_TABLES = FIXTURE_TABLES.map((table) => `public.${table}`).sort();

let pg: PostgresHarness;
let client: Client;
let settings: PostgresSettings;
let password: string;
const scratch: string[] = [];

function tempDir(label: string): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pgbackup-${label}-`));
	scratch.push(dir);
	return dir;
}

function options(backupDir: string, overrides: Partial<BackupOptions> = {}): BackupOptions {
	return { settings, pgDumpBinary: PG_DUMP, backupDir, now: NOW, timeoutMs: 30_000, ...overrides };
}

/** Row count and an md5 over every row's text form, per table. */
async function digest(target: Client): Promise<Record<string, { rows: number; md5: string | null }>> {
	const result: Record<string, { rows: number; md5: string | null }> = {};
	for (const table of FIXTURE_TABLES) {
		const { rows } = await target.query<{ n: string; md5: string | null }>(
			`SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS md5 FROM ${table} t`,
		);
		result[table] = { rows: Number(rows[0]?.n), md5: rows[0]?.md5 ?? null };
	}
	return result;
}

/** The password must appear nowhere in what the engine hands back. */
function expectNoPassword(...values: unknown[]): void {
	for (const value of values) {
		const text = value instanceof Error ? `${value.message}\n${value.stack}` : JSON.stringify(value);
		expect(text).not.toContain(password);
	}
}

function expectValid(result: unknown): void {
	expect(validateCheckResult(result)).toEqual([]);
}

function expectOk(outcome: DumpOutcome): asserts outcome is DumpSuccess {
	if (!outcome.ok) throw new Error(`backup failed: ${outcome.cause.code} ${outcome.cause.message}`);
}

function filesIn(dir: string): string[] {
	return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
	pg = await startPostgres();
	await applySchema(pg.connectionString);
	client = await pg.connect();
	await seedCatalog(client, { products: 3000, missingImagesPct: 5, duplicateSkus: 20, now: NOW });
	await seedLogs(client, { rows: 3000, days: 30, now: NOW });
	password = pg.connection.password;
	settings = { host: pg.connection.host, port: pg.connection.port, database: pg.name, user: pg.connection.user, password };
}, 120_000);

afterAll(async () => {
	await client?.end();
	await pg?.stop();
	for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

describe('backup → verify → restore (real Postgres, real pg_dump/pg_restore)', () => {
	test('round trip gives a database with equal rows in every table', async () => {
		expect(pg.serverVersion).toMatch(/^15\./);
		const dir = tempDir('roundtrip');
		const dumped = await backupPostgres(options(dir));
		expectOk(dumped);
		expect(dumped.file).toBe(path.join(dir, `postgres-${pg.name}-20260115T030000000Z.dump`));
		expect(dumped.tables).toEqual(EXPECTED_TABLES);
		expect(dumped.serverVersion).toBe(pg.serverVersion);
		expect(dumped.toolVersion).toMatch(/^15\./);
		expect(dumped.bytes).toBe(fs.statSync(dumped.file).size);
		expect(fs.readFileSync(dumped.checksumFile, 'utf8')).toBe(`${dumped.sha256}  ${path.basename(dumped.file)}\n`);
		expect(filesIn(dir)).toEqual([path.basename(dumped.file), path.basename(dumped.checksumFile)]);
		const backupResult = dumpOutcomeToResult(dumped);
		expectValid(backupResult);
		expect(backupResult).toMatchObject({ component: 'backup', target: `postgres:${pg.name}`, status: 'healthy' });

		const verified = await verifyDump(dumped.file, { pgRestoreBinary: PG_RESTORE, expectedTables: dumped.tables, timeoutMs: 30_000 });
		expect(verified).toMatchObject({ ok: true, database: pg.name, sha256: dumped.sha256, tables: EXPECTED_TABLES });
		expectValid(verifyOutcomeToResult(verified));
		// A pass leaves the marker Prune relies on (never delete a series' only verified backup).
		expect(await isVerified(dumped.file)).toBe(true);

		const target = await pg.createDatabase();
		const targetSettings = { ...settings, database: target.name };
		const restored = await restoreDump(dumped.file, targetSettings, { pgRestoreBinary: PG_RESTORE, overwrite: false, timeoutMs: 30_000 });
		expect(restored).toMatchObject({ ok: true, tablesBefore: 0, tables: EXPECTED_TABLES });
		const restoreResult = restoreOutcomeToResult(restored);
		expectValid(restoreResult);
		expect(restoreResult.status).toBe('healthy');

		const restoredClient = await pg.connect(target.name);
		try {
			const original = await digest(client);
			expect(original.products?.rows).toBe(3000);
			expect(original.system_logs?.rows).toBe(3000);
			expect(await digest(restoredClient)).toEqual(original);
		} finally {
			await restoredClient.end();
		}

		// A target with tables is refused unless told to overwrite; overwrite replaces them.
		const refused = await restoreDump(dumped.file, targetSettings, { pgRestoreBinary: PG_RESTORE, overwrite: false, timeoutMs: 30_000 });
		expect(refused).toMatchObject({ ok: false, stage: 'precheck', cause: { code: 'backup.restore_target_not_empty' } });
		expectValid(restoreOutcomeToResult(refused));
		const changer = await pg.connect(target.name);
		try {
			await changer.query('DELETE FROM system_logs WHERE id % 2 = 0');
			const again = await restoreDump(dumped.file, targetSettings, { pgRestoreBinary: PG_RESTORE, overwrite: true, timeoutMs: 30_000 });
			expect(again).toMatchObject({ ok: true, tablesBefore: 4 });
			expect(await digest(changer)).toEqual(await digest(client));
		} finally {
			await changer.end();
		}
		expectNoPassword(dumped, backupResult, verified, restored, refused);
	});

	test('a connection string works too, and the password stays out of outputs', async () => {
		const dir = tempDir('connstr');
		const viaUrl: PostgresSettings = { connectionString: toConnectionString({ ...pg.connection, database: pg.name }) };
		const dumped = await backupPostgres(options(dir, { settings: viaUrl, name: 'nightly' }));
		expectOk(dumped);
		expect(path.basename(dumped.file)).toBe('nightly-20260115T030000000Z.dump');
		expectNoPassword(dumped, dumpOutcomeToResult(dumped));
	});
});

describe('no password on the command line', () => {
	test('while pg_dump runs, its /proc cmdline has no password; the password travels in its environment', async () => {
		const dir = tempDir('cmdline');
		// Hold a lock pg_dump must wait for, so it stays alive long enough to inspect.
		const locker = await pg.connect();
		await locker.query('BEGIN');
		await locker.query('LOCK TABLE products IN ACCESS EXCLUSIVE MODE');
		let pid: number | undefined;
		const running = backupPostgres(options(dir, { hooks: { onChildSpawned: (childPid) => (pid = childPid) } }));
		try {
			for (let i = 0; i < 100 && pid === undefined; i++) await sleep(50);
			expect(pid).toBeDefined();
			// Let it reach the lock wait (it connected and is dumping).
			await sleep(500);
			const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
			// Debian's /usr/bin/pg_dump is a wrapper that execs the versioned binary in the same process.
			expect(cmdline[0]).toMatch(/\/pg_dump$/);
			expect(cmdline).toEqual(expect.arrayContaining(['-h', settings.host, '-U', settings.user, '-d', pg.name, '--format=custom']));
			expect(cmdline.join(' ')).not.toContain(password);
			const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
			expect(environ).toContain(`PGPASSWORD=${password}`);
			// Still running: no finished file yet, only the temporary one.
			expect(filesIn(dir).every((name) => name.endsWith(PARTIAL_SUFFIX))).toBe(true);
		} finally {
			await locker.query('COMMIT');
			await locker.end();
		}
		const outcome = await running;
		expectOk(outcome);
		expectNoPassword(outcome, dumpOutcomeToResult(outcome));
	});

	test('a dump that outlives timeoutMs is killed: net.timeout, no file left', async () => {
		const dir = tempDir('timeout');
		const locker = await pg.connect();
		await locker.query('BEGIN');
		await locker.query('LOCK TABLE products IN ACCESS EXCLUSIVE MODE');
		try {
			const started = Date.now();
			const outcome = await backupPostgres(options(dir, { timeoutMs: 2_500 }));
			expect(Date.now() - started).toBeLessThan(10_000);
			expect(outcome).toMatchObject({ ok: false, stage: 'dump', cause: { code: 'net.timeout', retryable: true } });
			expect(filesIn(dir)).toEqual([]);
			expectValid(dumpOutcomeToResult(outcome));
		} finally {
			await locker.query('COMMIT');
			await locker.end();
		}
	});
});

describe('tool problems', () => {
	test('a missing pg_dump binary names the parameter', async () => {
		const dir = tempDir('missing');
		const outcome = await backupPostgres(options(dir, { pgDumpBinary: '/nonexistent/bin/pg_dump' }));
		expect(outcome).toMatchObject({ ok: false, stage: 'tool', cause: { code: 'backup.tool_missing', needsHuman: true } });
		if (outcome.ok) return;
		expect(outcome.cause.message).toContain('pgDumpBinary');
		expect(outcome.cause.message).toContain('/nonexistent/bin/pg_dump');
		expect(filesIn(dir)).toEqual([]);
		expectValid(dumpOutcomeToResult(outcome));
	});

	test('a pg_dump older than the server is refused before dumping', async () => {
		const dir = tempDir('old');
		const binDir = tempDir('oldbin');
		const fake = path.join(binDir, 'pg_dump');
		const marker = path.join(binDir, 'dump-was-run');
		// Prints an old version; would leave a marker if asked to actually dump.
		fs.writeFileSync(fake, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) 11.0"; exit 0; fi\ntouch ${marker}\n`, { mode: 0o755 });
		const outcome = await backupPostgres(options(dir, { pgDumpBinary: fake }));
		expect(outcome).toMatchObject({ ok: false, cause: { code: 'backup.tool_too_old' } });
		if (outcome.ok) return;
		expect(outcome.cause.message).toMatch(/pg_dump 11\.0 \(parameter pgDumpBinary\) cannot dump server 15\./);
		expect(fs.existsSync(marker)).toBe(false);
		expect(filesIn(dir)).toEqual([]);
		expectValid(dumpOutcomeToResult(outcome));
	});

	test('something that is not pg_dump is unusable', async () => {
		const outcome = await backupPostgres(options(tempDir('notdump'), { pgDumpBinary: '/bin/true' }));
		expect(outcome).toMatchObject({ ok: false, cause: { code: 'backup.tool_unusable' } });
	});

	test('a missing pg_restore binary names its parameter when verifying', async () => {
		const dir = tempDir('norestore');
		const dumped = await backupPostgres(options(dir));
		expectOk(dumped);
		const verified = await verifyDump(dumped.file, { pgRestoreBinary: '/nonexistent/pg_restore', timeoutMs: 10_000 });
		expect(verified).toMatchObject({ ok: false, cause: { code: 'backup.tool_missing' } });
		if (!verified.ok) expect(verified.cause.message).toContain('pgRestoreBinary');
	});
});

describe('database problems', () => {
	test('a wrong password is an auth cause, and neither password leaks', async () => {
		const dir = tempDir('auth');
		const wrong = 'wrong-password-not-real-123';
		const outcome = await backupPostgres(options(dir, { settings: { ...settings, password: wrong } }));
		expect(outcome).toMatchObject({ ok: false, stage: 'connect', cause: { code: 'auth.invalid_credentials', needsHuman: true } });
		const result = dumpOutcomeToResult(outcome);
		expectValid(result);
		expect(result.status).toBe('down');
		expectNoPassword(outcome, result);
		expect(JSON.stringify(result)).not.toContain(wrong);
		expect(filesIn(dir)).toEqual([]);

		const viaUrl = toConnectionString({ ...pg.connection, database: pg.name, password: wrong });
		const restored = await restoreDump(path.join(dir, 'x.dump'), { connectionString: viaUrl }, { pgRestoreBinary: PG_RESTORE, overwrite: false, timeoutMs: 10_000 });
		expect(restored.ok).toBe(false);
		expect(JSON.stringify(restored)).not.toContain(wrong);
	});

	test('an unreachable server is net.unreachable, quickly', async () => {
		const outcome = await backupPostgres(options(tempDir('unreach'), { settings: { ...settings, port: 1 }, timeoutMs: 5_000 }));
		expect(outcome).toMatchObject({ ok: false, stage: 'connect', cause: { code: 'net.unreachable' } });
	});
});

describe('disk problems', () => {
	test('an unwritable backup folder is backup.unwritable and leaves nothing behind', async () => {
		const parent = tempDir('unwritable');
		const blocker = path.join(parent, 'not-a-folder');
		fs.writeFileSync(blocker, 'a file where the backup folder should be');
		const outcome = await backupPostgres(options(path.join(blocker, 'backups')));
		expect(outcome).toMatchObject({ ok: false, stage: 'write', cause: { code: 'backup.unwritable' } });
		expect(filesIn(parent)).toEqual(['not-a-folder']);
		expectValid(dumpOutcomeToResult(outcome));

		const readOnly: DumpWriteStreamFactory = () =>
			new Writable({
				write(_chunk, _encoding, callback): void {
					callback(Object.assign(new Error('read-only file system'), { code: 'EROFS' }));
				},
			});
		const viaSeam = await backupPostgres(options(tempDir('erofs'), { createWriteStream: readOnly }));
		expect(viaSeam).toMatchObject({ ok: false, stage: 'write', cause: { code: 'backup.unwritable' } });
	});

	test('a disk that fills up mid-dump: backup.disk_full, partial file removed, earlier backups untouched', async () => {
		const dir = tempDir('enospc');
		const earlier = await backupPostgres(options(dir, { now: new Date('2026-01-14T03:00:00.000Z') }));
		expectOk(earlier);
		const earlierBytes = fs.readFileSync(earlier.file);
		const earlierChecksum = fs.readFileSync(earlier.checksumFile, 'utf8');

		let partialPath = '';
		let bytesOnDisk = 0;
		// Writes the first 4 KiB to the real temporary file, then hits a real ENOSPC (/dev/full).
		const fillsUp: DumpWriteStreamFactory = (temporaryPath) => {
			partialPath = temporaryPath;
			const fd = fs.openSync(temporaryPath, 'wx');
			const full = fs.openSync('/dev/full', 'w');
			const close = (): void => {
				fs.closeSync(fd);
				fs.closeSync(full);
			};
			return new Writable({
				write(chunk: Buffer, _encoding, callback): void {
					try {
						const room = Math.max(0, 4096 - bytesOnDisk);
						const fits = chunk.subarray(0, room);
						if (fits.length > 0) bytesOnDisk += fs.writeSync(fd, fits);
						if (fits.length < chunk.length) fs.writeSync(full, chunk.subarray(fits.length));
						callback();
					} catch (error) {
						close();
						callback(error as Error);
					}
				},
				final(callback): void {
					close();
					callback();
				},
			});
		};
		const outcome = await backupPostgres(options(dir, { createWriteStream: fillsUp }));
		expect(outcome).toMatchObject({ ok: false, stage: 'write', cause: { code: 'backup.disk_full', needsHuman: true } });
		expect(partialPath.endsWith(PARTIAL_SUFFIX)).toBe(true);
		expect(bytesOnDisk).toBeGreaterThan(0);
		expect(fs.existsSync(partialPath)).toBe(false);
		expect(filesIn(dir)).toEqual([path.basename(earlier.file), path.basename(earlier.checksumFile)]);
		expect(fs.readFileSync(earlier.file).equals(earlierBytes)).toBe(true);
		expect(fs.readFileSync(earlier.checksumFile, 'utf8')).toBe(earlierChecksum);
		expectValid(dumpOutcomeToResult(outcome));
		expectNoPassword(outcome);
	});

	test('an existing backup of the same name is never overwritten', async () => {
		const dir = tempDir('same');
		const first = await backupPostgres(options(dir));
		expectOk(first);
		const bytes = fs.readFileSync(first.file);
		const second = await backupPostgres(options(dir));
		expect(second).toMatchObject({ ok: false, cause: { code: 'backup.unwritable' } });
		expect(fs.readFileSync(first.file).equals(bytes)).toBe(true);
		expect(filesIn(dir)).toHaveLength(2);
	});
});

describe('verify detects damaged dumps', () => {
	let dumped: DumpSuccess;
	beforeAll(async () => {
		const outcome = await backupPostgres(options(tempDir('verify')));
		expectOk(outcome);
		dumped = outcome;
	});

	function damagedCopy(label: string, damage: (bytes: Buffer) => void, rewriteChecksum: boolean): string {
		const dir = tempDir(label);
		const file = path.join(dir, path.basename(dumped.file));
		const bytes = fs.readFileSync(dumped.file);
		damage(bytes);
		fs.writeFileSync(file, bytes);
		const checksum = rewriteChecksum
			? `${createHash('sha256').update(bytes).digest('hex')}  ${path.basename(file)}\n`
			: fs.readFileSync(dumped.checksumFile, 'utf8');
		fs.writeFileSync(file + '.sha256', checksum);
		return file;
	}

	test('flipped bytes fail the checksum', async () => {
		const file = damagedCopy('flip', (bytes) => {
			const middle = Math.floor(bytes.length / 2);
			for (let i = middle; i < middle + 16; i++) bytes[i] = (bytes[i] as number) ^ 0xff;
		}, false);
		// A marker from an earlier pass must not survive a failed verification.
		fs.writeFileSync(`${file}.verified.json`, '{"verifiedAt":"2026-01-01T00:00:00.000Z","sha256":"stale"}');
		const verified = await verifyDump(file, { pgRestoreBinary: PG_RESTORE, timeoutMs: 10_000 });
		expect(verified).toMatchObject({ ok: false, stage: 'checksum', cause: { code: 'backup.checksum_mismatch' } });
		expectValid(verifyOutcomeToResult(verified));
		expect(fs.existsSync(`${file}.verified.json`)).toBe(false);
		// And restore refuses it, leaving the target empty.
		const target = await pg.createDatabase();
		const restored = await restoreDump(file, { ...settings, database: target.name }, { pgRestoreBinary: PG_RESTORE, overwrite: false, timeoutMs: 10_000 });
		expect(restored).toMatchObject({ ok: false, cause: { code: 'backup.checksum_mismatch' } });
	});

	test('a damaged header with a matching checksum fails pg_restore --list', async () => {
		const file = damagedCopy('header', (bytes) => bytes.write('XXXXX', 0, 'latin1'), true);
		const verified = await verifyDump(file, { pgRestoreBinary: PG_RESTORE, timeoutMs: 10_000 });
		expect(verified).toMatchObject({ ok: false, stage: 'list', cause: { code: 'backup.dump_unreadable' } });
		expectValid(verifyOutcomeToResult(verified));
	});

	test('a missing checksum file or expected table is reported', async () => {
		const dir = tempDir('nosum');
		const file = path.join(dir, 'copy.dump');
		fs.copyFileSync(dumped.file, file);
		expect(await verifyDump(file, { pgRestoreBinary: PG_RESTORE, timeoutMs: 10_000 })).toMatchObject({
			ok: false,
			cause: { code: 'backup.checksum_missing' },
		});
		const missing = await verifyDump(dumped.file, { pgRestoreBinary: PG_RESTORE, expectedTables: [...EXPECTED_TABLES, 'public.orders'], timeoutMs: 10_000 });
		expect(missing).toMatchObject({ ok: false, cause: { code: 'backup.tables_missing' } });
		if (!missing.ok) expect(missing.cause.message).toContain('public.orders');
	});
});
