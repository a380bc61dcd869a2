/**
 * Turns what the Log Archive did into a contract check result (component `logs`).
 * An archive that stopped early, held the table too long, or failed is degraded:
 * the bot keeps working, but the table keeps growing until a run completes.
 */
import { commonCause } from '../../shared/causes';
import { CheckRecorder } from '../../shared/checkRecorder';
import type { Cause, CheckResult } from '../../shared/contract';
import { IdentifierError } from '../../shared/sql/identifiers';
import { TARGET_BATCH_MS } from './batches';
import { ArchiveError } from './errors';
import type { ArchiveOutcome } from './types';

/** A batch that held its locks more than this long slowed the bot's inserts. */
export const SLOW_BATCH_MS = 2 * TARGET_BATCH_MS;

export function archiveOutcomeToResult(outcome: ArchiveOutcome, target: string, now: () => number = Date.now): CheckResult {
	const recorder = new CheckRecorder('logs', target, now);
	if (outcome.dryRun) {
		const would = outcome.wouldMove ?? { rows: 0, from: null, to: null };
		const range = would.rows > 0 ? ` (${would.from} … ${would.to})` : '';
		recorder.pass('archive', `dry run: ${would.rows} rows older than ${outcome.cutoff} would move${range}; nothing changed`, {
			value: would.rows,
			durationMs: outcome.durationMs,
		});
	} else if (outcome.incomplete) {
		recorder.degrade(
			'archive',
			{
				code: 'logs.archive_incomplete',
				message: `Log archive stopped at its time limit after moving ${outcome.rowsMoved} rows; rows older than ${outcome.cutoff} remain (oldest ${outcome.oldestRemaining}); the next run continues.`,
				retryable: true,
				needsHuman: false,
			},
			{ value: outcome.rowsMoved, durationMs: outcome.durationMs },
		);
	} else {
		recorder.pass('archive', `moved ${outcome.rowsMoved} rows older than ${outcome.cutoff} in ${outcome.batches} batches`, {
			value: outcome.rowsMoved,
			durationMs: outcome.durationMs,
		});
	}
	if (!outcome.dryRun) {
		if (outcome.longestBatchMs > SLOW_BATCH_MS) {
			recorder.degrade(
				'batch_duration',
				{
					code: 'logs.archive_slow_batch',
					message: `The longest archive batch held the log table for ${outcome.longestBatchMs} ms; lower the batch size.`,
					retryable: true,
					needsHuman: false,
				},
				{ value: outcome.longestBatchMs },
			);
		} else {
			recorder.pass('batch_duration', `longest batch ${outcome.longestBatchMs} ms`, { value: outcome.longestBatchMs });
		}
	}
	if (outcome.file) {
		recorder.pass('file', `${outcome.file.rows} rows written to ${outcome.file.path} (sha256 ${outcome.file.sha256})`, {
			value: outcome.file.bytes,
		});
	}
	return recorder.result(outcomeDetails(outcome));
}

/** A run that threw: degraded (the bot still works) with the reason as the cause. */
export function archiveErrorToResult(error: unknown, target: string, now: () => number = Date.now): CheckResult {
	const cause = archiveErrorCause(error);
	return new CheckRecorder('logs', target, now).degrade('archive', cause).result();
}

function archiveErrorCause(error: unknown): Cause {
	const message = error instanceof Error && error.message.trim() !== '' ? error.message : String(error);
	if (error instanceof IdentifierError) return commonCause('config.invalid', message);
	if (error instanceof ArchiveError) {
		if (error.code === 'config.invalid') return commonCause('config.invalid', message);
		// A busy lock or a failed file write clear up by themselves on a later run.
		const needsHuman = error.code !== 'logs.archive_file_failed' && error.code !== 'logs.archive_running';
		return { code: error.code, message, retryable: !needsHuman, needsHuman };
	}
	const pgCode = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
	if (pgCode === '57014') return commonCause('net.timeout', `Log archive statement timed out: ${message}`);
	return { code: 'logs.archive_failed', message: `Log archive failed: ${message}`, retryable: true, needsHuman: false };
}

function outcomeDetails(outcome: ArchiveOutcome): Record<string, unknown> {
	return {
		dryRun: outcome.dryRun,
		cutoff: outcome.cutoff,
		rowsMoved: outcome.rowsMoved,
		batches: outcome.batches,
		durationMs: outcome.durationMs,
		longestBatchMs: outcome.longestBatchMs,
		oldestRemaining: outcome.oldestRemaining,
		tableBytesBefore: outcome.tableBytesBefore,
		tableBytesAfter: outcome.tableBytesAfter,
		incomplete: outcome.incomplete,
		...(outcome.wouldMove ? { wouldMove: outcome.wouldMove } : {}),
		...(outcome.file ? { file: outcome.file } : {}),
	};
}
