/**
 * The page sweep's plain parts: how many pages the next range covers, and the SQL it
 * runs (quoted names, values only as bind parameters). The sweep itself runs against a
 * real Postgres in test/integration/logArchive.
 */
import { MAX_PAGES_PER_BATCH, nextPageCount, sweepDeleteSql, sweepMoveSql } from '../../../nodes/LogArchive/archive/sweep';
import { quotePlanNames } from '../../../nodes/LogArchive/archive/sql';
import type { ArchivePlan } from '../../../nodes/LogArchive/archive/types';

describe('nextPageCount', () => {
	test('aims at the row limit through the density of old rows seen', () => {
		expect(nextPageCount(5000, 60, 100)).toBe(83);
		expect(nextPageCount(500, 59.5, 100)).toBe(8);
	});

	test('never below one page, even when one page holds more than the limit', () => {
		expect(nextPageCount(1, 60, 10)).toBe(1);
		expect(nextPageCount(100, 291, 1)).toBe(1);
	});

	test('grows at most 2x per batch: a dense region after a sparse one costs one larger batch, not a huge one', () => {
		expect(nextPageCount(5000, 1, 10)).toBe(20);
		expect(nextPageCount(5000, 0, 10)).toBe(20);
	});

	test('shrinks at once when rows turn denser', () => {
		expect(nextPageCount(5000, 250, 200)).toBe(20);
	});

	test('never spans more than MAX_PAGES_PER_BATCH pages', () => {
		expect(nextPageCount(1_000_000, 0, MAX_PAGES_PER_BATCH)).toBe(MAX_PAGES_PER_BATCH);
		expect(nextPageCount(1_000_000, 1, 10_000)).toBe(MAX_PAGES_PER_BATCH);
	});
});

describe('sweep SQL', () => {
	const plan: ArchivePlan = {
		table: 'app.bot_logs',
		timestampColumn: 'logged_at',
		keyColumn: 'log_id',
		olderThanDays: 30,
		destination: { kind: 'table', table: 'archive.bot_logs' },
		batchSize: 5000,
		pauseMs: 0,
		dryRun: false,
		maxDurationMs: 0,
		now: new Date('2024-06-01T00:00:00Z'),
	};
	const names = quotePlanNames(plan);

	test('moves one page range in one statement, columns by name, values as parameters', () => {
		const sql = sweepMoveSql(names, ['log_id', 'logged_at', 'payload']);
		expect(sql).toContain('DELETE FROM "app"."bot_logs" WHERE ctid >= $2::tid AND ctid < $3::tid AND "logged_at" < $1');
		expect(sql).toContain('RETURNING "log_id", "logged_at", "payload"');
		expect(sql).toContain('INSERT INTO "archive"."bot_logs" ("log_id", "logged_at", "payload") SELECT "log_id", "logged_at", "payload" FROM moved');
		expect(sql.match(/;/g)).toBeNull();
	});

	test('delete mode keeps nothing', () => {
		expect(sweepDeleteSql(names)).toBe('DELETE FROM "app"."bot_logs" WHERE ctid >= $2::tid AND ctid < $3::tid AND "logged_at" < $1');
	});

	test('a column name that is not a plain identifier is refused, not spliced in', () => {
		expect(() => sweepMoveSql(names, ['log_id', 'x"; DROP TABLE t; --'])).toThrow(/must be a plain identifier/);
	});

	test('the move needs an archive table', () => {
		const deleteNames = quotePlanNames({ ...plan, destination: { kind: 'delete' } });
		expect(() => sweepMoveSql(deleteNames, ['log_id'])).toThrow('sweepMoveSql needs an archive table');
	});
});
