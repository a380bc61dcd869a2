/**
 * The error-rate check against a real Postgres with generated log histories: a steady
 * bot, a spike, a quiet bot with a few errors, a quiet baseline with a burst, and the
 * top messages redacted before they leave the node.
 */
import type { Client } from 'pg';

import { checkErrorRateViaPostgres } from '../../../nodes/DbIntegrity/errorRate/checkErrorRateViaPostgres';
import { DEFAULT_ERROR_RATE, validateErrorRatePlan, type ErrorRatePlan } from '../../../nodes/DbIntegrity/errorRate/errorRate';
import type { CheckResult } from '../../../nodes/shared/contract';
import { IdentifierError } from '../../../nodes/shared/sql/identifiers';
import type { PostgresSettings } from '../../../nodes/shared/sql/postgresConnection';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { applySchema } from '../../../dev/stack/schema';

const NOW = new Date('2026-11-20T12:00:00Z');
const TIMEOUTS = { connectTimeoutMs: 2_000, statementTimeoutMs: 5_000 };
const LEAKED_TOKEN = 'tok-9f8e7d6c5b4a-not-real';
const PHONE = '+54 9 11 5555-1234';

interface LogSpec {
	level: string;
	message: string;
	/** Minutes before NOW of the first row, and of the last; rows are spread evenly. */
	fromMinutesAgo: number;
	toMinutesAgo: number;
	rows: number;
}

describe('DB Integrity error-rate check', () => {
	let pg: PostgresHarness;
	let client: Client;
	let settings: PostgresSettings;

	async function history(specs: LogSpec[]): Promise<void> {
		await client.query('TRUNCATE system_logs');
		for (const spec of specs) {
			await client.query(
				`INSERT INTO system_logs (level, message, created_at)
				 SELECT $1, $2, $3::timestamptz - make_interval(secs => ($4::float8 - ($4::float8 - $5::float8) * g / greatest($6 - 1, 1)) * 60)
				 FROM generate_series(0, $6 - 1) AS g`,
				[spec.level, spec.message, NOW, spec.fromMinutesAgo, spec.toMinutesAgo, spec.rows],
			);
		}
	}

	async function run(overrides: Partial<ErrorRatePlan> = {}): Promise<CheckResult> {
		const result = await checkErrorRateViaPostgres(settings, TIMEOUTS, { ...DEFAULT_ERROR_RATE, now: NOW, ...overrides });
		expect(validateCheckResult(result)).toEqual([]);
		const text = JSON.stringify(result);
		expect(text).not.toContain(pg.connection.password);
		expect(text).not.toContain(LEAKED_TOKEN);
		expect(text).not.toContain(PHONE);
		return result;
	}

	beforeAll(async () => {
		pg = await startPostgres();
		client = await pg.connect();
		await applySchema(client);
		const { host, port, database, user, password } = pg.connection;
		settings = { host, port, database, user, password };
	});

	afterAll(async () => {
		await client?.end();
		await pg?.stop();
	});

	/** 4 errors per 15-minute window over the 24 h before the window, plus plenty of info noise. */
	const steadyBaseline: LogSpec[] = [
		{ level: 'error', message: 'catalog sync retry', fromMinutesAgo: 24 * 60 + 14, toMinutesAgo: 16, rows: 384 },
		{ level: 'info', message: 'message received', fromMinutesAgo: 24 * 60 + 14, toMinutesAgo: 0, rows: 2000 },
	];

	test('a steady bot is healthy: the same rate as the baseline', async () => {
		await history([...steadyBaseline, { level: 'error', message: 'catalog sync retry', fromMinutesAgo: 14, toMinutesAgo: 1, rows: 5 }]);
		const result = await run();
		expect(result).toMatchObject({ component: 'logs', target: `postgres:${pg.name}/system_logs`, status: 'healthy' });
		expect(result.details).toMatchObject({ recent: 5, baselineTotal: 384, baselinePerWindow: 4, ratio: 1.3, spike: false });
		expect(result.checks.find((entry) => entry.name === 'error_rate')?.message).toBe('5 errors in the last 15 min (1.3× the usual 4)');
	});

	test('a spike is degraded with logs.error_spike and the top 3 messages, redacted', async () => {
		await history([
			...steadyBaseline,
			{ level: 'error', message: `payment webhook failed: token=${LEAKED_TOKEN}`, fromMinutesAgo: 14, toMinutesAgo: 1, rows: 25 },
			{ level: 'ERROR', message: `could not deliver to ${PHONE}`, fromMinutesAgo: 10, toMinutesAgo: 2, rows: 10 },
			{ level: 'error', message: 'catalog sync retry', fromMinutesAgo: 12, toMinutesAgo: 3, rows: 4 },
			{ level: 'error', message: 'rare one', fromMinutesAgo: 5, toMinutesAgo: 5, rows: 1 },
		]);
		const result = await run();
		expect(result.status).toBe('degraded');
		expect(result.cause).toMatchObject({ code: 'logs.error_spike', retryable: false, needsHuman: true });
		expect(result.details).toMatchObject({ recent: 40, baselinePerWindow: 4, ratio: 10, spike: true });
		const top = result.details?.topMessages as Array<{ message: string; count: number }>;
		expect(top.map((entry) => entry.count)).toEqual([25, 10, 4]);
		expect(top[0]?.message).toBe('payment webhook failed: token=[REDACTED]');
		expect(top[1]?.message).toBe('could not deliver to [PHONE]');
		expect(result.cause?.message).toContain('40 errors in the last 15 min (10× the usual 4)');
	});

	test('a quiet bot with a few errors is not a spike, even against an empty baseline', async () => {
		await history([{ level: 'error', message: 'one-off', fromMinutesAgo: 10, toMinutesAgo: 2, rows: 19 }]);
		const result = await run();
		expect(result.status).toBe('healthy');
		expect(result.details).toMatchObject({ recent: 19, baselineTotal: 0, ratio: null, spike: false });
	});

	test('a burst of at least the minimum after a quiet baseline is a spike', async () => {
		await history([
			{ level: 'error', message: 'old', fromMinutesAgo: 600, toMinutesAgo: 500, rows: 2 },
			{ level: 'error', message: 'gateway down', fromMinutesAgo: 10, toMinutesAgo: 2, rows: 20 },
		]);
		const result = await run();
		expect(result.status).toBe('degraded');
		expect(result.details).toMatchObject({ recent: 20, baselineTotal: 2, spike: true });
	});

	test('many errors that are the usual rate are not a spike (factor not reached)', async () => {
		await history([
			{ level: 'error', message: 'noisy', fromMinutesAgo: 24 * 60 + 14, toMinutesAgo: 16, rows: 96 * 30 },
			{ level: 'error', message: 'noisy', fromMinutesAgo: 14, toMinutesAgo: 1, rows: 100 },
		]);
		const result = await run();
		expect(result.status).toBe('healthy');
		expect(result.details).toMatchObject({ recent: 100, baselinePerWindow: 30, spike: false });
	});

	test('rows outside the baseline and window, and future rows, are not counted; the factor and minimum are parameters', async () => {
		await history([
			{ level: 'error', message: 'two days ago', fromMinutesAgo: 48 * 60, toMinutesAgo: 47 * 60, rows: 500 },
			{ level: 'error', message: 'clock skew', fromMinutesAgo: -30, toMinutesAgo: -5, rows: 50 },
			{ level: 'error', message: 'now', fromMinutesAgo: 14, toMinutesAgo: 1, rows: 6 },
			{ level: 'warn', message: 'not an error', fromMinutesAgo: 14, toMinutesAgo: 1, rows: 300 },
		]);
		const strict = await run();
		expect(strict.details).toMatchObject({ recent: 6, baselineTotal: 0, spike: false });
		const sensitive = await run({ minErrors: 5, errorLevels: ['error', 'warn'] });
		expect(sensitive.status).toBe('degraded');
		expect(sensitive.details).toMatchObject({ recent: 306 });
	});

	test('bad parameters throw naming the parameter; bad identifiers never reach SQL', () => {
		const plan = { ...DEFAULT_ERROR_RATE, now: NOW };
		expect(() => validateErrorRatePlan({ ...plan, table: 'system_logs; DROP TABLE system_logs' })).toThrow(IdentifierError);
		expect(() => validateErrorRatePlan({ ...plan, levelColumn: 'level"' })).toThrow(/Level Column/);
		expect(() => validateErrorRatePlan({ ...plan, windowMinutes: 0 })).toThrow(/Window/);
		expect(() => validateErrorRatePlan({ ...plan, baselineHours: 0.1 })).toThrow(/Baseline/);
		expect(() => validateErrorRatePlan({ ...plan, spikeFactor: 0.5 })).toThrow(/Spike Factor/);
		expect(() => validateErrorRatePlan({ ...plan, errorLevels: [] })).toThrow(/Error Levels/);
	});

	test('a missing log table is down with database.schema_mismatch; an unreachable server with net.unreachable', async () => {
		const missing = await run({ table: 'bot_logs' });
		expect(missing.status).toBe('down');
		expect(missing.cause?.code).toBe('database.schema_mismatch');
		const unreachable = await checkErrorRateViaPostgres({ ...settings, port: 1 }, TIMEOUTS, { ...DEFAULT_ERROR_RATE, now: NOW });
		expect(unreachable.cause?.code).toBe('net.unreachable');
		expect(unreachable.checks[0]?.name).toBe('connect');
	});
});
