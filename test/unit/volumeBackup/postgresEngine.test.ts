/** Plain logic of the Postgres backup engine: parsing, connection args, parameters, classification, results. */
import { backupPostgres } from '../../../nodes/VolumeBackup/postgres/backupPostgres';
import { parseChecksumLine } from '../../../nodes/VolumeBackup/postgres/checksum';
import { classifyToolExit } from '../../../nodes/VolumeBackup/postgres/classifyToolError';
import { toolConnection } from '../../../nodes/VolumeBackup/postgres/connectionArgs';
import { BackupParameterError } from '../../../nodes/VolumeBackup/postgres/errors';
import { dumpOutcomeToResult, restoreOutcomeToResult, verifyOutcomeToResult } from '../../../nodes/VolumeBackup/postgres/outcomeToResult';
import { databaseInRestoreList, tablesInRestoreList } from '../../../nodes/VolumeBackup/postgres/restoreList';
import { lastStderrLine } from '../../../nodes/VolumeBackup/postgres/runTool';
import { parseToolVersion, serverMajor } from '../../../nodes/VolumeBackup/postgres/toolVersion';
import { writeFailureCause } from '../../../nodes/VolumeBackup/postgres/writeErrors';
import { validateCheckResult } from '../../../nodes/shared/validate';

const PASSWORD = 'test-db-password-not-real';
const CLOCK = (): number => Date.parse('2026-01-15T03:00:00.000Z');

describe('parseToolVersion / serverMajor', () => {
	test('reads Debian and plain version lines', () => {
		expect(parseToolVersion('pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n')).toEqual({ tool: 'pg_dump', version: '15.18', major: 15 });
		expect(parseToolVersion('pg_restore (PostgreSQL) 11.0')).toEqual({ tool: 'pg_restore', version: '11.0', major: 11 });
		expect(parseToolVersion('pg_dump (PostgreSQL) 17devel')).toEqual({ tool: 'pg_dump', version: '17', major: 17 });
		expect(parseToolVersion('GNU coreutils 9.1')).toBeNull();
		expect(parseToolVersion('')).toBeNull();
	});
	test('server majors, old and new numbering', () => {
		expect(serverMajor(150018)).toBe(15);
		expect(serverMajor(100000)).toBe(10);
		expect(serverMajor(90624)).toBe(9.6);
	});
});

describe('pg_restore --list parsing', () => {
	const listing = [
		';',
		'; Archive created at 2026-01-15 03:00:00 UTC',
		';     dbname: shop_abc',
		';',
		'215; 1259 16385 TABLE public categories postgres',
		'216; 1259 16390 TABLE public products postgres',
		'3350; 0 16385 TABLE DATA public categories postgres',
		'217; 1259 16400 SEQUENCE public products_id_seq postgres',
		'218; 1259 16500 TABLE audit events postgres',
		';218; 1259 16501 TABLE public commented_out postgres',
	].join('\n');
	test('lists TABLE entries only, sorted, as schema.table', () => {
		expect(tablesInRestoreList(listing)).toEqual(['audit.events', 'public.categories', 'public.products']);
	});
	test('reads the database name from the header', () => {
		expect(databaseInRestoreList(listing)).toBe('shop_abc');
		expect(databaseInRestoreList('no header')).toBeUndefined();
	});
});

describe('toolConnection: the password never goes on the command line', () => {
	test('parts become -h -p -U -d; the password goes to PGPASSWORD; inherited PG* variables are dropped', () => {
		const connection = toolConnection(
			{ host: 'db.internal', port: 6543, database: 'shop', user: 'bot', password: PASSWORD, ssl: 'require' },
			15_000,
			{ PATH: '/usr/bin', PGPASSFILE: '/root/.pgpass', PGHOST: 'elsewhere' },
		);
		expect(connection.args).toEqual(['-h', 'db.internal', '-p', '6543', '-U', 'bot', '-d', 'shop']);
		expect(connection.args.join(' ')).not.toContain(PASSWORD);
		expect(connection.env).toEqual({ PATH: '/usr/bin', LC_ALL: 'C', PGCONNECT_TIMEOUT: '15', PGPASSWORD: PASSWORD, PGSSLMODE: 'require' });
		expect(connection.database).toBe('shop');
	});
	test('a connection string is split; its password goes to the environment only', () => {
		const connection = toolConnection(
			{ connectionString: `postgresql://bot:${encodeURIComponent('p@ss word')}@10.0.0.5/shop?sslmode=verify-full` },
			500,
			{},
		);
		expect(connection.args).toEqual(['-h', '10.0.0.5', '-p', '5432', '-U', 'bot', '-d', 'shop']);
		expect(connection.env.PGPASSWORD).toBe('p@ss word');
		expect(connection.env.PGSSLMODE).toBe('verify-full');
		expect(connection.env.PGCONNECT_TIMEOUT).toBe('2');
	});
	test('bad settings throw BackupParameterError naming the field, without echoing secrets', () => {
		const bad = (settings: Parameters<typeof toolConnection>[0]): BackupParameterError => {
			try {
				toolConnection(settings, 1000, {});
			} catch (error) {
				expect(error).toBeInstanceOf(BackupParameterError);
				return error as BackupParameterError;
			}
			throw new Error('did not throw');
		};
		expect(bad({ connectionString: `host=x password=${PASSWORD}` }).parameter).toBe('settings.connectionString');
		expect(bad({ connectionString: `host=x password=${PASSWORD}` }).message).not.toContain(PASSWORD);
		expect(bad({ connectionString: 'mysql://a:b@h/db' }).parameter).toBe('settings.connectionString');
		expect(bad({ connectionString: 'postgres://a:b@h/' }).parameter).toBe('settings.connectionString');
		expect(bad({ database: 'shop' }).parameter).toBe('settings.host');
		expect(bad({ host: 'h' }).parameter).toBe('settings.database');
		expect(bad({ host: 'h', database: 'shop', port: 0 }).parameter).toBe('settings.port');
		expect(bad({ host: 'h', database: 'dbname=other' }).parameter).toBe('settings.database');
	});
});

describe('backupPostgres parameter checks (misuse throws before anything runs)', () => {
	const base = {
		settings: { host: 'localhost', database: 'shop', user: 'bot', password: PASSWORD },
		pgDumpBinary: '/usr/bin/pg_dump',
		backupDir: '/tmp/backups',
		now: new Date('2026-01-15T03:00:00.000Z'),
		timeoutMs: 1000,
	};
	test.each([
		['pgDumpBinary', { pgDumpBinary: 'pg_dump' }],
		['backupDir', { backupDir: 'relative/dir' }],
		['backupDir', { backupDir: '' }],
		['timeoutMs', { timeoutMs: 0 }],
		['timeoutMs', { timeoutMs: Number.NaN }],
		['now', { now: new Date('nope') }],
		['name', { name: '../escape' }],
	])('%s', async (parameter, override) => {
		const error = await backupPostgres({ ...base, ...override }).then(
			() => null,
			(thrown: unknown) => thrown,
		);
		expect(error).toBeInstanceOf(BackupParameterError);
		expect((error as BackupParameterError).parameter).toBe(parameter);
		expect((error as Error).message).toContain(parameter);
	});
});

describe('failure classification', () => {
	test('write errors by errno', () => {
		expect(writeFailureCause(Object.assign(new Error('x'), { code: 'ENOSPC' }), '/b/x.partial').code).toBe('backup.disk_full');
		expect(writeFailureCause(Object.assign(new Error('x'), { code: 'EDQUOT' }), '/b/x').code).toBe('backup.disk_full');
		for (const code of ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST']) {
			expect(writeFailureCause(Object.assign(new Error('x'), { code }), '/b/x').code).toBe('backup.unwritable');
		}
		expect(writeFailureCause(new Error('EIO-ish'), '/b/x').code).toBe('backup.write_failed');
	});
	test('tool exits by stderr', () => {
		const run = (stderr: string, extra = {}) => ({ code: 1, timedOut: false, stderr, ...extra });
		const classify = (r: ReturnType<typeof run>) => classifyToolExit(r, 'pg_dump', 'pgDumpBinary', 'backup.dump_failed', 1000).code;
		expect(classify(run('pg_dump: error: connection to server failed: FATAL:  password authentication failed for user "bot"'))).toBe('auth.invalid_credentials');
		expect(classify(run('pg_dump: error: aborting because of server version mismatch'))).toBe('backup.tool_too_old');
		expect(classify(run('pg_dump: error: could not connect to server: Connection refused'))).toBe('net.unreachable');
		expect(classify(run('pg_dump: error: query failed: ERROR:  permission denied for table secrets'))).toBe('auth.forbidden');
		expect(classify(run('pg_dump: error: something odd'))).toBe('backup.dump_failed');
		expect(classify(run('', { timedOut: true, code: null }))).toBe('net.timeout');
		expect(classify(run('', { spawnError: Object.assign(new Error('x'), { code: 'ENOENT' }) }))).toBe('backup.tool_missing');
		expect(lastStderrLine('pg_dump: warning: a\npg_dump: error: the real problem\npg_dump: detail')).toBe('the real problem');
	});
	test('checksum lines', () => {
		expect(parseChecksumLine(`${'A'.repeat(64)}  x.dump\n`)).toBe('a'.repeat(64));
		expect(parseChecksumLine('not a checksum')).toBeNull();
	});
});

describe('outcomes as contract results', () => {
	test('a successful dump is healthy with size, duration and checksum', () => {
		const result = dumpOutcomeToResult(
			{
				ok: true,
				database: 'shop',
				durationMs: 1200,
				file: '/b/postgres-shop-20260115T030000000Z.dump',
				checksumFile: '/b/postgres-shop-20260115T030000000Z.dump.sha256',
				bytes: 4096,
				sha256: 'f'.repeat(64),
				serverVersion: '15.18',
				toolVersion: '15.18',
				tables: ['public.products'],
			},
			CLOCK,
		);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result).toMatchObject({ component: 'backup', target: 'postgres:shop', status: 'healthy', details: { bytes: 4096, durationMs: 1200, sha256: 'f'.repeat(64) } });
		expect(result.checkedAt).toBe('2026-01-15T03:00:00.000Z');
	});
	test('failures are down with the cause of the failing stage', () => {
		const failure = {
			ok: false as const,
			database: 'shop',
			durationMs: 5,
			stage: 'write' as const,
			cause: writeFailureCause(Object.assign(new Error('x'), { code: 'ENOSPC' }), '/b/x.partial'),
		};
		for (const result of [dumpOutcomeToResult(failure, CLOCK), verifyOutcomeToResult(failure, CLOCK), restoreOutcomeToResult(failure, CLOCK)]) {
			expect(validateCheckResult(result)).toEqual([]);
			expect(result).toMatchObject({ status: 'down', cause: { code: 'backup.disk_full' }, checks: [{ name: 'write', status: 'down', code: 'backup.disk_full' }] });
		}
	});
});
