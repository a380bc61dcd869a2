/**
 * Restore a custom-format dump into the database of `settings`: checksum first, then
 * `pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error`, so
 * a failed restore leaves the target as it was. A target that already has tables is
 * refused unless `overwrite` is set. The password reaches pg_restore only through its
 * environment.
 */
import path from 'node:path';

import { redact } from '../../shared/redact';
import type { PostgresSettings } from '../../shared/sql/postgresConnection';
import { postgresSecrets } from '../../shared/sql/postgresConnection';
import { backupCause } from './causes';
import { classifyToolExit } from './classifyToolError';
import { toolConnection } from './connectionArgs';
import { BackupFailure } from './errors';
import { requireAbsolutePath, requireTimeout } from './params';
import { runTool } from './runTool';
import { databaseLabel, readServerInfo } from './serverInfo';
import { pgToolVersion } from './toolVersion';
import type { OperationFailure, RestoreOptions, RestoreOutcome } from './types';
import { checkChecksum } from './verifyDump';

const VERSION_TIMEOUT_MS = 10_000;

export async function restoreDump(file: string, settings: PostgresSettings, options: RestoreOptions): Promise<RestoreOutcome> {
	requireAbsolutePath(file, 'file');
	const pgRestoreBinary = requireAbsolutePath(options.pgRestoreBinary, 'pgRestoreBinary');
	const timeoutMs = requireTimeout(options.timeoutMs);
	const connection = toolConnection(settings, timeoutMs);
	const database = databaseLabel(settings);
	const secrets = postgresSecrets(settings);
	const startedAt = Date.now();
	const remaining = (): number => Math.max(1, timeoutMs - (Date.now() - startedAt));
	let stage: OperationFailure['stage'] = 'checksum';
	try {
		await checkChecksum(file);
		stage = 'tool';
		await pgToolVersion(pgRestoreBinary, 'pgRestoreBinary', 'pg_restore', Math.min(remaining(), VERSION_TIMEOUT_MS));
		stage = 'connect';
		const before = await readServerInfo(settings, remaining());
		stage = 'precheck';
		if (before.tables.length > 0 && !options.overwrite) {
			throw new BackupFailure(
				backupCause(
					'backup.restore_target_not_empty',
					`Restore refused: database ${database} already has ${before.tables.length} table(s); set overwrite to replace them.`,
				),
			);
		}
		stage = 'restore';
		const run = await runTool({
			binary: pgRestoreBinary,
			args: [...connection.args, '--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', '--no-password', file],
			env: connection.env,
			timeoutMs: remaining(),
			secrets,
			hooks: options.hooks,
		});
		if (run.code !== 0 || run.timedOut || run.spawnError) {
			throw new BackupFailure(classifyToolExit(run, 'pg_restore', 'pgRestoreBinary', 'backup.restore_failed', timeoutMs));
		}
		stage = 'connect';
		const after = await readServerInfo(settings, remaining());
		return { ok: true, database, durationMs: Date.now() - startedAt, file, tablesBefore: before.tables.length, tables: after.tables };
	} catch (error) {
		const cause =
			error instanceof BackupFailure
				? error.cause
				: backupCause('backup.restore_failed', redact(`Restoring ${path.basename(file)} failed: ${error instanceof Error ? error.message : String(error)}.`, { secrets }));
		return { ok: false, database, durationMs: Date.now() - startedAt, stage, cause };
	}
}
