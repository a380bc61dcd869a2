/**
 * Log Archive: moves rows older than `olderThanDays` out of the hot table (normally
 * `system_logs`) into an archive table, a gzip JSON Lines file, or nowhere (delete),
 * in short batches that never hold the bot's table for long. Safe to kill at any
 * point and re-run (see sweep.ts and sql.ts for table/delete mode, toFile.ts for file mode).
 */
import type { ClientBase } from 'pg';

import { keysetBatch, runBatches, type ArchiveHooks, type Batch, type RunContext } from './batches';
import { ArchiveError } from './errors';
import {
	batchTimeoutMs,
	createArchiveTableSql,
	deleteBatchSql,
	moveBatchSql,
	oldestTimestamp,
	oldRowsExistSql,
	quotePlanNames,
	tableColumns,
	toIso,
	totalRelationBytes,
	wouldMoveSql,
	type QuotedNames,
	withBatchSession,
} from './sql';
import { pageRangeBatch, sweepDeleteSql, sweepMoveSql, sweepTarget } from './sweep';
import { archiveToFile } from './toFile';
import type { ArchiveFile, ArchiveOutcome, ArchivePlan } from './types';

export type { ArchiveHooks } from './batches';
export { ArchiveError } from './errors';

const DAY_MS = 24 * 3600 * 1000;

export async function archiveLogs(client: ClientBase, plan: ArchivePlan, hooks: ArchiveHooks = {}): Promise<ArchiveOutcome> {
	const startedAt = Date.now();
	validateNumbers(plan);
	const names = quotePlanNames(plan);
	const cutoff = new Date(plan.now.getTime() - plan.olderThanDays * DAY_MS).toISOString();

	const columns = await tableColumns(client, names.table);
	if (columns === null) throw new ArchiveError(`table ${plan.table} does not exist`, 'logs.table_missing');
	for (const [parameter, column] of [
		['timestampColumn', plan.timestampColumn],
		['keyColumn', plan.keyColumn],
	] as const) {
		if (!columns.includes(column.trim())) {
			throw new ArchiveError(`${parameter} "${column.trim()}" is not a column of ${plan.table}`, 'config.invalid');
		}
	}
	const tableBytesBefore = await totalRelationBytes(client, names.table);

	if (plan.dryRun) return dryRun(client, names, cutoff, startedAt, tableBytesBefore);
	return withArchiveLock(client, names.table, () => archive(client, plan, names, columns, cutoff, startedAt, tableBytesBefore, hooks));
}

/**
 * One archive run per hot table at a time (the weekly cron and a manual run, or two n8n
 * workers): a session advisory lock keyed by the table, released when the run ends (or
 * when its connection dies). A second run is refused at once rather than waiting.
 */
async function withArchiveLock<T>(client: ClientBase, quotedTable: string, work: () => Promise<T>): Promise<T> {
	const key = `n8n-autorecovery:log-archive:${quotedTable}`;
	const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
	if (!rows[0]?.locked) {
		throw new ArchiveError(`another archive run of ${quotedTable} is still going; this one did nothing`, 'logs.archive_running');
	}
	try {
		return await work();
	} finally {
		await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
	}
}

async function archive(
	client: ClientBase,
	plan: ArchivePlan,
	names: QuotedNames,
	columns: string[],
	cutoff: string,
	startedAt: number,
	tableBytesBefore: number,
	hooks: ArchiveHooks,
): Promise<ArchiveOutcome> {

	const context: RunContext = {
		client,
		plan,
		names,
		cutoff,
		batchTimeoutMs: await batchTimeoutMs(client),
		startedAt,
		hooks,
		stats: { batches: 0, longestBatchMs: 0 },
	};
	let rowsMoved = 0;
	let stoppedByDeadline = false;
	let file: ArchiveFile | undefined;
	await withBatchSession(client, context.batchTimeoutMs, async () => {
		switch (plan.destination.kind) {
			case 'table': {
				const archiveColumns = await prepareArchiveTable(client, names, columns);
				({ rows: rowsMoved, stoppedByDeadline } = await runBatches(
					context,
					await tableBatch(context, sweepMoveSql(names, archiveColumns), (afterKey) => moveBatchSql(names, archiveColumns, afterKey)),
					true,
				));
				break;
			}
			case 'delete': {
				({ rows: rowsMoved, stoppedByDeadline } = await runBatches(
					context,
					await tableBatch(context, sweepDeleteSql(names), (afterKey) => deleteBatchSql(names, afterKey)),
					true,
				));
				break;
			}
			case 'file': {
				const result = await archiveToFile(context, plan.destination.directory);
				({ rowsMoved, stoppedByDeadline, file } = result);
				break;
			}
		}
	});

	// Only a deadline can leave old rows behind on purpose.
	const incomplete = stoppedByDeadline && (await oldRowsRemain(client, names, cutoff));
	// A finished run left no row older than the cut-off (see sweep.ts on back-dated rows),
	// so the oldest remaining one is searched from the cut-off on: the index entries of
	// the rows just moved stay until vacuum, and walking them costs a second pass.
	const oldestRemaining = await oldestTimestamp(client, names, incomplete ? null : cutoff);
	return {
		dryRun: false,
		cutoff,
		rowsMoved,
		batches: context.stats.batches,
		durationMs: Date.now() - startedAt,
		longestBatchMs: context.stats.longestBatchMs,
		oldestRemaining,
		tableBytesBefore,
		// Deleted rows only become free space after (auto)vacuum, so this rarely drops at once.
		tableBytesAfter: await totalRelationBytes(client, names.table),
		incomplete,
		...(file ? { file } : {}),
	};
}

/**
 * Table and delete mode: a sweep over the table's pages where Postgres and the table
 * allow one (sweep.ts), else keyset batches by the key column (sql.ts).
 */
async function tableBatch(context: RunContext, sweepSql: string, keysetSql: (afterKey: boolean) => string): Promise<Batch> {
	const target = await sweepTarget(context.client, context.names.table);
	return target ? pageRangeBatch(context, target, sweepSql) : keysetBatch(context, keysetSql);
}

function validateNumbers(plan: ArchivePlan): void {
	const problems: string[] = [];
	if (!(Number.isFinite(plan.olderThanDays) && plan.olderThanDays >= 0)) problems.push('olderThanDays must be a number ≥ 0');
	if (!(Number.isInteger(plan.batchSize) && plan.batchSize >= 1)) problems.push('batchSize must be an integer ≥ 1');
	if (!(Number.isFinite(plan.pauseMs) && plan.pauseMs >= 0)) problems.push('pauseMs must be a number ≥ 0');
	if (!(Number.isFinite(plan.maxDurationMs) && plan.maxDurationMs >= 0)) problems.push('maxDurationMs must be a number ≥ 0');
	if (!(plan.now instanceof Date) || Number.isNaN(plan.now.getTime())) problems.push('now must be a valid date');
	if (plan.destination.kind === 'file' && plan.destination.directory.trim() === '') problems.push('destination.directory must not be empty');
	if (problems.length > 0) throw new ArchiveError(problems.join('; '), 'config.invalid');
}

async function dryRun(client: ClientBase, names: QuotedNames, cutoff: string, startedAt: number, tableBytes: number): Promise<ArchiveOutcome> {
	const result = await client.query<{ rows: string; oldest: Date | null; newest: Date | null }>(wouldMoveSql(names), [cutoff]);
	const row = result.rows[0];
	return {
		dryRun: true,
		cutoff,
		rowsMoved: 0,
		batches: 0,
		durationMs: Date.now() - startedAt,
		longestBatchMs: 0,
		oldestRemaining: await oldestTimestamp(client, names),
		wouldMove: { rows: Number(row?.rows ?? 0), from: toIso(row?.oldest ?? null), to: toIso(row?.newest ?? null) },
		tableBytesBefore: tableBytes,
		tableBytesAfter: tableBytes,
		incomplete: false,
	};
}

/** Creates the archive table when missing; checks an existing one can take every hot column. */
async function prepareArchiveTable(client: ClientBase, names: QuotedNames, hotColumns: string[]): Promise<string[]> {
	await client.query(createArchiveTableSql(names));
	const archiveColumns = (await tableColumns(client, names.archive as string)) ?? [];
	const missing = hotColumns.filter((column) => !archiveColumns.includes(column));
	if (missing.length > 0) {
		throw new ArchiveError(
			`archive table ${names.archive} lacks column(s) ${missing.join(', ')} of ${names.table}; add them (ALTER TABLE ... ADD COLUMN) and re-run`,
			'logs.archive_schema_mismatch',
		);
	}
	return hotColumns;
}

async function oldRowsRemain(client: ClientBase, names: QuotedNames, cutoff: string): Promise<boolean> {
	const result = await client.query<{ remaining: boolean }>(oldRowsExistSql(names), [cutoff]);
	return result.rows[0]?.remaining ?? false;
}
