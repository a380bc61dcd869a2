/**
 * Backup, verify and restore outcomes as contract check results (component `backup`,
 * target `postgres:<database>`). A failure is `down`: the backup does not exist or
 * cannot be trusted, whatever the bot itself is doing.
 */
import { CheckRecorder } from '../../shared/checkRecorder';
import type { CheckResult } from '../../shared/contract';
import type { DumpOutcome, OperationFailure, RestoreOutcome, VerifyOutcome } from './types';

function failed(outcome: OperationFailure, now: () => number): CheckResult {
	return new CheckRecorder('backup', `postgres:${outcome.database}`, now)
		.fail(outcome.stage, outcome.cause, { durationMs: outcome.durationMs })
		.result({ stage: outcome.stage, durationMs: outcome.durationMs });
}

export function dumpOutcomeToResult(outcome: DumpOutcome, now: () => number = Date.now): CheckResult {
	if (!outcome.ok) return failed(outcome, now);
	return new CheckRecorder('backup', `postgres:${outcome.database}`, now)
		.pass('dump', `pg_dump ${outcome.toolVersion} wrote ${outcome.bytes} bytes (${outcome.tables.length} tables) to ${outcome.file}`, {
			value: outcome.bytes,
			durationMs: outcome.durationMs,
		})
		.pass('checksum', `sha256 ${outcome.sha256} written to ${outcome.checksumFile}`, { value: outcome.sha256 })
		.result({
			file: outcome.file,
			checksumFile: outcome.checksumFile,
			bytes: outcome.bytes,
			sha256: outcome.sha256,
			durationMs: outcome.durationMs,
			serverVersion: outcome.serverVersion,
			toolVersion: outcome.toolVersion,
			tables: outcome.tables,
		});
}

export function verifyOutcomeToResult(outcome: VerifyOutcome, now: () => number = Date.now): CheckResult {
	if (!outcome.ok) return failed(outcome, now);
	return new CheckRecorder('backup', `postgres:${outcome.database}`, now)
		.pass('checksum', `${outcome.file} matches its sha256 ${outcome.sha256}`, { value: outcome.sha256 })
		.pass('list', `pg_restore --list reads the dump: ${outcome.tables.length} tables`, { value: outcome.tables.length, durationMs: outcome.durationMs })
		.result({ file: outcome.file, sha256: outcome.sha256, tables: outcome.tables, durationMs: outcome.durationMs });
}

export function restoreOutcomeToResult(outcome: RestoreOutcome, now: () => number = Date.now): CheckResult {
	if (!outcome.ok) return failed(outcome, now);
	return new CheckRecorder('backup', `postgres:${outcome.database}`, now)
		.pass('restore', `restored ${outcome.file}: ${outcome.tables.length} tables (${outcome.tablesBefore} before)`, {
			value: outcome.tables.length,
			durationMs: outcome.durationMs,
		})
		.result({ file: outcome.file, tablesBefore: outcome.tablesBefore, tables: outcome.tables, durationMs: outcome.durationMs });
}
