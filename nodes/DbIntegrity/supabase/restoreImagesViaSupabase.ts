/**
 * `database.restore_images` through Supabase's PostgREST: products whose image is
 * NULL or empty get the image their SKU has in the source. Safe to interrupt and to
 * repeat: every update is filtered on "image still empty", so it can never overwrite
 * a present value, and a re-run fills only what is still empty.
 *
 * PostgREST updates one value per request, so each SKU is one PATCH (two when its
 * rows mix NULL and blank images); a "batch" is a
 * group of SKUs covering at most `batchSize` rows, sent a few at a time. Each PATCH is
 * its own transaction: a failure part-way leaves earlier updates in place (reported in
 * SupabaseCatalogError.changedBeforeFailure), and a re-run completes the rest.
 */
import type { SupabaseClient } from '@supabase/supabase-js';

import { mapBounded } from '../../shared/n8n/runPerItem';
import { quoteIdentifier, quoteQualifiedName } from '../../shared/sql/identifiers';
import type { ChangeSample, RepairOutcome, RepairPlan } from '../repair/types';
import { isUsableImageValue } from '../repair/sourceRows';
import { BLANK_PATTERN, checkCount, checkLayout, emptyValueFilter, isBlank, readAllRows, rowsOf, runQuery, SupabaseCatalogError, text } from './catalogFindings';
import { fromTable } from './client';

/** Known-good values as `[sku, imageUrl]` pairs, e.g. the rows of a loaded file (pairs, not a Map: a SKU may repeat). */
export type SourcePairs = Iterable<readonly [sku: string, image: string]>;

/** The plan cannot run as given (the message names the parameter). */
export class RepairPlanError extends Error {
	override name = 'RepairPlanError';
}

interface RestoreImagesOptions {
	/** Who is asked, for cause sentences (default "Supabase"). */
	what?: string;
	/** PATCH requests in flight at once (default 4). */
	concurrency?: number;
}

interface SourceIndex {
	values: Map<string, string>;
	conflicts: Set<string>;
}

/**
 * One usable value (an http(s) URL, trimmed) per SKU; a SKU given two different values
 * is a conflict and gets none. Rows with a blank SKU or an unusable value are ignored.
 */
function indexSource(pairs: SourcePairs): SourceIndex {
	const values = new Map<string, string>();
	const conflicts = new Set<string>();
	for (const [sku, raw] of pairs) {
		if (typeof sku !== 'string' || isBlank(sku) || typeof raw !== 'string' || !isUsableImageValue(raw)) continue;
		const image = raw.trim();
		if (conflicts.has(sku)) continue;
		const known = values.get(sku);
		if (known === undefined) values.set(sku, image);
		else if (known !== image) {
			values.delete(sku);
			conflicts.add(sku);
		}
	}
	return { values, conflicts };
}

function checkPlan(plan: RepairPlan, preloaded: SourcePairs | undefined): void {
	checkLayout(plan.layout);
	checkCount(plan.batchSize, 'batchSize', 1);
	checkCount(plan.maxRows, 'maxRows', 0);
	checkCount(plan.sampleSize, 'sampleSize', 0);
	const { source } = plan;
	if (source.kind === 'table') {
		quoteQualifiedName(source.table, 'source.table');
		quoteIdentifier(source.skuColumn, 'source.skuColumn');
		quoteIdentifier(source.imageColumn, 'source.imageColumn');
		if (preloaded !== undefined) throw new RepairPlanError('source rows must not be passed for a table source: they are read from source.table');
	} else if (preloaded === undefined) {
		throw new RepairPlanError(`source rows must be passed for a ${source.kind} source (load the ${source.kind} first)`);
	}
}

async function readSourceTable(client: SupabaseClient, source: { table: string; skuColumn: string; imageColumn: string }, what: string): Promise<Array<[string, string]>> {
	const rows = await readAllRows('read_source', what, (from, to) =>
		fromTable(client, source.table)
			.select(`${source.skuColumn},${source.imageColumn}`)
			.not(source.skuColumn, 'is', null)
			.order(source.skuColumn, { ascending: true })
			.order(source.imageColumn, { ascending: true })
			.range(from, to),
	);
	return rows.map((row) => {
		const image = row[source.imageColumn];
		return [text(row[source.skuColumn]), typeof image === 'string' ? image : ''];
	});
}

interface RowNeedingImage {
	sku: string | null;
	/** NULL, or blank. */
	isNull: boolean;
}

async function readRowsWithoutImage(client: SupabaseClient, plan: RepairPlan, what: string): Promise<RowNeedingImage[]> {
	const { productsTable, idColumn, skuColumn, imageColumn } = plan.layout;
	const rows = await readAllRows('read_products', what, (from, to) =>
		fromTable(client, productsTable)
			.select(`${idColumn},${skuColumn},${imageColumn}`)
			.or(emptyValueFilter(imageColumn))
			.order(idColumn, { ascending: true })
			.range(from, to),
	);
	return rows.map((row) => {
		const sku = row[skuColumn];
		return { sku: sku === null || sku === undefined ? null : text(sku), isNull: row[imageColumn] === null || row[imageColumn] === undefined };
	});
}

/** SKUs to update with how many rows each covers, in the order their first row appears. */
interface PlannedSku {
	sku: string;
	value: string;
	rows: number;
	/** Which kinds of "empty" its rows have: each needs its own PATCH (see updateSku). */
	hasNull: boolean;
	hasBlank: boolean;
}

function groupIntoBatches(planned: PlannedSku[], batchSize: number): PlannedSku[][] {
	const batches: PlannedSku[][] = [];
	let current: PlannedSku[] = [];
	let rows = 0;
	for (const entry of planned) {
		if (current.length > 0 && rows + entry.rows > batchSize) {
			batches.push(current);
			current = [];
			rows = 0;
		}
		current.push(entry);
		rows += entry.rows;
	}
	if (current.length > 0) batches.push(current);
	return batches;
}

/**
 * Fills one SKU's empty images; returns the rows changed. Never overwrites: the
 * filters only match rows whose image is still NULL or blank. Two PATCHes with plain
 * filters rather than one with `or=(…is.null,…match…)`: PostgREST before 12.2 fails an
 * UPDATE that has both an `or` filter and a returned representation (42703 "column
 * does not exist"; supabase/supabase#47283), and the representation is what counts rows.
 */
async function updateSku(client: SupabaseClient, plan: RepairPlan, entry: PlannedSku, what: string): Promise<number> {
	const { productsTable, idColumn, skuColumn, imageColumn } = plan.layout;
	const fill = () => fromTable(client, productsTable).update({ [imageColumn]: entry.value }).eq(skuColumn, entry.sku);
	let changed = 0;
	if (entry.hasNull) {
		const response = await runQuery('update_products', fill().is(imageColumn, null).select(idColumn), what);
		changed += rowsOf('update_products', response, what).length;
	}
	if (entry.hasBlank) {
		const response = await runQuery('update_products', fill().filter(imageColumn, 'match', BLANK_PATTERN).select(idColumn), what);
		changed += rowsOf('update_products', response, what).length;
	}
	return changed;
}

/**
 * Restores missing images (NULL or blank) by SKU. The source is `plan.source` when it
 * is a table (read here, paged); for a file or URL source the caller loads it and
 * passes the rows as `preloaded` pairs. Product SKUs are compared as stored.
 *
 * `unmatched` counts rows needing an image whose SKU has no usable value in the
 * source, conflicting SKUs included (those are also listed in `conflictingSkus`).
 * A failing request throws SupabaseCatalogError (with `changedBeforeFailure`).
 */
export async function restoreImagesViaSupabase(
	client: SupabaseClient,
	plan: RepairPlan,
	preloaded?: SourcePairs,
	options: RestoreImagesOptions = {},
): Promise<RepairOutcome> {
	checkPlan(plan, preloaded);
	const started = Date.now();
	const what = options.what ?? 'Supabase';

	const source = indexSource(plan.source.kind === 'table' ? await readSourceTable(client, plan.source, what) : (preloaded as SourcePairs));
	const needing = await readRowsWithoutImage(client, plan, what);

	const bySku = new Map<string, PlannedSku>();
	const conflicting = new Set<string>();
	let unmatched = 0;
	for (const row of needing) {
		if (row.sku !== null && source.conflicts.has(row.sku)) {
			// No usable value: unmatched, and listed as a conflict.
			conflicting.add(row.sku);
			unmatched++;
			continue;
		}
		const value = row.sku === null ? undefined : source.values.get(row.sku);
		if (row.sku === null || value === undefined) {
			unmatched++;
			continue;
		}
		const entry = bySku.get(row.sku) ?? { sku: row.sku, value, rows: 0, hasNull: false, hasBlank: false };
		entry.rows++;
		if (row.isNull) entry.hasNull = true;
		else entry.hasBlank = true;
		bySku.set(row.sku, entry);
	}
	const planned = [...bySku.values()];
	const plannedRows = planned.reduce((sum, entry) => sum + entry.rows, 0);
	const sample: ChangeSample[] = planned.slice(0, plan.sampleSize).map(({ sku, value }) => ({ sku, value }));
	const outcome = (changed: number, batches: number, refused?: string): RepairOutcome => ({
		action: 'database.restore_images',
		dryRun: plan.dryRun,
		planned: plannedRows,
		changed,
		batches,
		unmatched,
		conflictingSkus: [...conflicting].sort(),
		sample,
		...(refused !== undefined ? { refused } : {}),
		durationMs: Date.now() - started,
	});

	if (plannedRows > plan.maxRows) {
		return outcome(0, 0, `${plannedRows} products would get an image, more than maxRows (${plan.maxRows}); nothing was changed`);
	}
	if (plan.dryRun || plannedRows === 0) return outcome(0, 0);

	let changed = 0;
	let batchesRun = 0;
	for (const batch of groupIntoBatches(planned, plan.batchSize)) {
		let failure: SupabaseCatalogError | null = null;
		await mapBounded(batch.length, options.concurrency ?? 4, async (index) => {
			const entry = batch[index] as PlannedSku;
			if (failure) return;
			try {
				// Not `changed += await …`: that reads `changed` before the await and loses concurrent additions.
				const rows = await updateSku(client, plan, entry, what);
				changed += rows;
			} catch (error) {
				if (!(error instanceof SupabaseCatalogError)) throw error;
				failure ??= error;
			}
		});
		if (failure !== null) {
			const { step, cause } = failure as SupabaseCatalogError;
			throw new SupabaseCatalogError(step, cause, changed);
		}
		batchesRun++;
	}
	return outcome(changed, batchesRun);
}
