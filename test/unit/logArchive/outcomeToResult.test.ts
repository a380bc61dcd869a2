import {
	archiveErrorToResult,
	archiveOutcomeToResult,
	SLOW_BATCH_MS,
} from '../../../nodes/LogArchive/archive/outcomeToResult';
import { ArchiveError } from '../../../nodes/LogArchive/archive/errors';
import type { ArchiveOutcome } from '../../../nodes/LogArchive/archive/types';
import { IdentifierError } from '../../../nodes/shared/sql/identifiers';
import { validateCheckResult } from '../../../nodes/shared/validate';

const CLOCK = (): number => Date.parse('2024-06-01T00:00:00.000Z');

function outcome(overrides: Partial<ArchiveOutcome> = {}): ArchiveOutcome {
	return {
		dryRun: false,
		cutoff: '2024-05-02T00:00:00.000Z',
		rowsMoved: 1500,
		batches: 3,
		durationMs: 420,
		longestBatchMs: 180,
		oldestRemaining: '2024-05-02T00:05:00.000Z',
		tableBytesBefore: 1_000_000,
		tableBytesAfter: 990_000,
		incomplete: false,
		...overrides,
	};
}

describe('archiveOutcomeToResult', () => {
	test('a complete run is healthy and carries the outcome numbers in details', () => {
		const result = archiveOutcomeToResult(outcome(), 'postgres:shop', CLOCK);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result).toMatchObject({ component: 'logs', target: 'postgres:shop', status: 'healthy' });
		expect(result.cause).toBeUndefined();
		expect(result.details).toEqual({
			dryRun: false,
			cutoff: '2024-05-02T00:00:00.000Z',
			rowsMoved: 1500,
			batches: 3,
			durationMs: 420,
			longestBatchMs: 180,
			oldestRemaining: '2024-05-02T00:05:00.000Z',
			tableBytesBefore: 1_000_000,
			tableBytesAfter: 990_000,
			incomplete: false,
		});
		expect(result.checks.find((check) => check.name === 'archive')?.message).toBe(
			'moved 1500 rows older than 2024-05-02T00:00:00.000Z in 3 batches',
		);
	});

	test('an incomplete run is degraded with a retryable cause naming the cut-off', () => {
		const result = archiveOutcomeToResult(outcome({ incomplete: true, rowsMoved: 200 }), 'postgres:shop', CLOCK);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.status).toBe('degraded');
		expect(result.cause).toMatchObject({ code: 'logs.archive_incomplete', retryable: true, needsHuman: false });
		expect(result.cause?.message).toMatch(/after moving 200 rows.*2024-05-02T00:00:00.000Z.*next run continues/);
		expect(result.details).toMatchObject({ incomplete: true, rowsMoved: 200 });
	});

	test('a batch that held the table too long degrades the result', () => {
		const result = archiveOutcomeToResult(outcome({ longestBatchMs: SLOW_BATCH_MS + 1 }), 'postgres:shop', CLOCK);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.status).toBe('degraded');
		expect(result.cause?.code).toBe('logs.archive_slow_batch');
	});

	test('a dry run is healthy and reports what would move', () => {
		const result = archiveOutcomeToResult(
			outcome({
				dryRun: true,
				rowsMoved: 0,
				batches: 0,
				longestBatchMs: 0,
				wouldMove: { rows: 42, from: '2024-03-01T00:00:00.000Z', to: '2024-05-01T23:00:00.000Z' },
			}),
			'postgres:shop',
			CLOCK,
		);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.status).toBe('healthy');
		expect(result.checks).toHaveLength(1);
		expect(result.checks[0]?.message).toMatch(/^dry run: 42 rows .* would move \(2024-03-01T00:00:00.000Z … 2024-05-01T23:00:00.000Z\)/);
		expect(result.details).toMatchObject({ wouldMove: { rows: 42 } });
	});

	test('file mode adds a file check and the file in details', () => {
		const file = { path: '/archive/system_logs-x.jsonl.gz', sha256: 'ab'.repeat(32), rows: 1500, bytes: 12_345 };
		const result = archiveOutcomeToResult(outcome({ file }), 'postgres:shop', CLOCK);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.checks.map((check) => check.name)).toEqual(['archive', 'batch_duration', 'file']);
		expect(result.details).toMatchObject({ file });
	});
});

describe('archiveErrorToResult', () => {
	test.each([
		[new IdentifierError('table must be a plain identifier'), 'config.invalid', false, true],
		[new ArchiveError('archive directory /x is not writable: EACCES', 'logs.archive_dir_unwritable'), 'logs.archive_dir_unwritable', false, true],
		[new ArchiveError('could not write archive file: ENOSPC; no rows were deleted', 'logs.archive_file_failed'), 'logs.archive_file_failed', true, false],
		[Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }), 'net.timeout', true, false],
		[new Error('connection terminated'), 'logs.archive_failed', true, false],
	])('%s → degraded %s', (error, code, retryable, needsHuman) => {
		const result = archiveErrorToResult(error, 'postgres:shop', CLOCK);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.status).toBe('degraded');
		expect(result.cause).toMatchObject({ code, retryable, needsHuman });
		expect(result.cause?.message).toContain(error.message);
	});
});
