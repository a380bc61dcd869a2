/**
 * `database.restore_images` on Postgres: fills empty product images (NULL or blank)
 * from a source keyed by SKU, and never overwrites a present image.
 *
 * Order of events: names and numbers are checked (nothing has run yet); a file/URL
 * source is read and staged in a session temp table; the whole repair is counted
 * into a session temp table, one row per product needing an image (planned, unmatched,
 * conflicts, sample); a dry run or a plan above `maxRows` stops there. Otherwise
 * batches of `batchSize` planned products, by id (keyset), each ONE statement in its
 * own short transaction. Killed at any point, committed batches stay and the next run
 * (re-planning from the current state) fills exactly the rest. Temp tables are dropped
 * at the end (and die with the session when killed).
 *
 * SKUs are compared as stored in products; file/URL SKUs are trimmed, table SKUs are
 * compared as stored. A product with no SKU is unmatched.
 */
import type { ClientBase } from 'pg';

import type { Cause } from '../../shared/contract';
import { assertRepairParameters, SourceFormatError } from './errors';
import { invalidSourceCause, readSourceRecords } from './loadSource';
import { toImagePairs, type ImagePair } from './sourceRows';
import {
	createPlanSql,
	hasUniqueColumn,
	inTransaction,
	PLAN_DROP_SQL,
	PLAN_SUMMARY_SQL,
	quoteLayout,
	quoteSourceTable,
	restoreBatchSql,
	STAGED_SOURCE,
	STAGED_SOURCE_ANALYZE_SQL,
	STAGED_SOURCE_CREATE_SQL,
	STAGED_SOURCE_DROP_SQL,
	STAGED_SOURCE_INSERT_SQL,
	type BatchRow,
	type PlanRow,
	type QuotedLayout,
	type QuotedSource,
} from './sql';
import type { ChangeSample, RepairOutcome, RepairPlan } from './types';

/** At most this many conflicting SKUs are listed (conflictingSkusTotal has the count). */
export const MAX_LISTED_CONFLICTS = 50;
/** File/URL pairs per staging INSERT. */
const STAGE_CHUNK_ROWS = 10_000;

export type RestorePlan = RepairPlan & { statementTimeoutMs: number };

/** Test and progress hooks; the node passes none. */
export interface RepairHooks {
	/** After each committed batch (restore) or each inserted chunk (import, inside its transaction). */
	afterBatch?(progress: { batches: number; rows: number }): void | Promise<void>;
}

/** RepairOutcome plus what only a Postgres restore knows (optional fields proposed for types.ts). */
export interface RestoreImagesOutcome extends RepairOutcome {
	action: 'database.restore_images';
	/** All conflicting SKUs of products needing an image; `conflictingSkus` lists the first MAX_LISTED_CONFLICTS. */
	conflictingSkusTotal: number;
	/** Products left empty because their SKU is conflicting (also counted in `unmatched`). */
	conflictingRows: number;
	/**
	 * Source rows with an empty SKU or no usable image (not an http(s) URL). A file/URL is
	 * counted whole; a table only for the SKUs of products needing an image (counting a
	 * whole table would test every row of it, which costs more than the repair).
	 */
	ignoredSourceRows: number;
	/** File/URL rows that were not records at all (not an object; wrong CSV field count). */
	invalidSourceRecords: number;
	/** Why the source could not be used (then `refused` is set and nothing changed). */
	sourceFailure?: Cause;
}

type Counts = Omit<RestoreImagesOutcome, 'action' | 'dryRun' | 'durationMs' | 'refused' | 'sourceFailure'>;

const NOTHING: Counts = {
	planned: 0,
	changed: 0,
	batches: 0,
	unmatched: 0,
	conflictingSkus: [],
	conflictingSkusTotal: 0,
	conflictingRows: 0,
	ignoredSourceRows: 0,
	invalidSourceRecords: 0,
	sample: [],
};

export async function restoreImages(client: ClientBase, plan: RestorePlan, hooks: RepairHooks = {}): Promise<RestoreImagesOutcome> {
	const startedAt = Date.now();
	assertRepairParameters(plan, true);
	const names = quoteLayout(plan.layout);
	const tableSource = plan.source.kind === 'table' ? quoteSourceTable(plan.source, true) : null;
	const finish = (counts: Partial<Counts>, extra: { refused?: string; sourceFailure?: Cause } = {}): RestoreImagesOutcome => ({
		action: 'database.restore_images',
		dryRun: plan.dryRun,
		...NOTHING,
		...counts,
		...extra,
		durationMs: Date.now() - startedAt,
	});

	if (plan.source.kind === 'table') {
		try {
			return await restoreFrom(client, plan, names, tableSource as QuotedSource, { ignoredSourceRows: null, invalidSourceRecords: 0 }, finish, hooks);
		} finally {
			await dropTempTables(client);
		}
	}
	const read = await readSourceRecords(plan.source);
	if (!read.ok) return finish({}, { refused: `the source could not be read: ${read.cause.message}`, sourceFailure: read.cause });
	let pairs: ImagePair[];
	let ignored: number;
	try {
		({ pairs, ignored } = toImagePairs(read.parsed, plan.source.skuField.trim(), plan.source.imageField.trim()));
	} catch (error) {
		if (!(error instanceof SourceFormatError)) throw error;
		const cause = invalidSourceCause(plan.source, error);
		return finish({ invalidSourceRecords: read.parsed.invalidRecords }, { refused: `the source cannot be used: ${cause.message}`, sourceFailure: cause });
	}
	const timeoutMs = plan.statementTimeoutMs;
	try {
		await inTransaction(client, timeoutMs, () => stagePairs(client, pairs));
		return await restoreFrom(client, plan, names, STAGED_SOURCE, { ignoredSourceRows: ignored, invalidSourceRecords: read.parsed.invalidRecords }, finish, hooks);
	} finally {
		await dropTempTables(client);
	}
}

/** The temp tables would go with the session anyway; a pooled session should not keep them. */
async function dropTempTables(client: ClientBase): Promise<void> {
	await client.query(`${PLAN_DROP_SQL}; ${STAGED_SOURCE_DROP_SQL}`).catch(() => undefined);
}

/** Loads the pairs into the session temp table, one chunk per statement. */
async function stagePairs(client: ClientBase, pairs: ImagePair[]): Promise<void> {
	await client.query(STAGED_SOURCE_CREATE_SQL);
	for (let start = 0; start < pairs.length; start += STAGE_CHUNK_ROWS) {
		const chunk = pairs.slice(start, start + STAGE_CHUNK_ROWS);
		await client.query(STAGED_SOURCE_INSERT_SQL, [chunk.map((pair) => pair.sku), chunk.map((pair) => pair.value)]);
	}
	await client.query(STAGED_SOURCE_ANALYZE_SQL);
}

async function restoreFrom(
	client: ClientBase,
	plan: RestorePlan,
	names: QuotedLayout,
	source: QuotedSource,
	known: { ignoredSourceRows: number | null; invalidSourceRecords: number },
	finish: (counts: Partial<Counts>, extra?: { refused?: string }) => RestoreImagesOutcome,
	hooks: RepairHooks,
): Promise<RestoreImagesOutcome> {
	const timeoutMs = plan.statementTimeoutMs;
	const uniqueSku = plan.source.kind === 'table' && (await hasUniqueColumn(client, source.table, plan.source.skuColumn.trim()));
	const row = await inTransaction(client, timeoutMs, async () => {
		await client.query(createPlanSql(names, source, uniqueSku));
		const summary = await client.query<PlanRow>(PLAN_SUMMARY_SQL, [plan.sampleSize, MAX_LISTED_CONFLICTS]);
		return summary.rows[0] as PlanRow;
	});
	// A file was counted whole while parsing; a table only where it matters (its SKUs in the plan).
	const ignoredSourceRows = known.ignoredSourceRows ?? row.unusable;
	const counts: Counts = {
		...NOTHING,
		planned: row.planned,
		unmatched: row.unmatched,
		conflictingSkus: row.conflicts,
		conflictingSkusTotal: row.conflicting_skus,
		conflictingRows: row.conflicting_rows,
		ignoredSourceRows,
		invalidSourceRecords: known.invalidSourceRecords,
		sample: row.sample.map(toSample),
	};
	if (plan.dryRun) return finish(counts);
	if (row.planned > plan.maxRows) {
		return finish(counts, {
			refused: `${row.planned} products would get an image, more than maxRows (${plan.maxRows}); nothing was changed`,
		});
	}
	if (row.planned === 0) return finish(counts);
	return finish({ ...counts, ...(await runBatches(client, plan, names, hooks)) });
}

/** The batch loop: until a batch finds no product needing an image after the last id seen. */
async function runBatches(
	client: ClientBase,
	plan: RestorePlan,
	names: QuotedLayout,
	hooks: RepairHooks,
): Promise<{ changed: number; batches: number; sample: ChangeSample[] }> {
	const first = restoreBatchSql(names, false);
	const next = restoreBatchSql(names, true);
	let lastId: string | null = null;
	let changed = 0;
	let batches = 0;
	const sample: ChangeSample[] = [];
	for (;;) {
		const sampleLeft = Math.max(0, plan.sampleSize - sample.length);
		const params: unknown[] = lastId === null ? [plan.batchSize, sampleLeft] : [plan.batchSize, sampleLeft, lastId];
		const { rows } = await inTransaction(client, plan.statementTimeoutMs, () => client.query<BatchRow>(lastId === null ? first : next, params));
		const batch = rows[0] as BatchRow;
		if (batch.scanned === 0 || batch.last === null) break;
		lastId = batch.last;
		batches += 1;
		changed += batch.changed;
		sample.push(...batch.sample.map(toSample));
		await hooks.afterBatch?.({ batches, rows: changed });
	}
	return { changed, batches, sample };
}

function toSample(row: { sku: string; value: string }): ChangeSample {
	return { sku: row.sku, value: row.value };
}
