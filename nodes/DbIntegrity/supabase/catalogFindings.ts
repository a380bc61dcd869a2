/**
 * The catalog findings (see catalog/types) read through Supabase's PostgREST: counts
 * with `count=exact`, samples ordered by id, and — because PostgREST has no GROUP BY
 * or anti-join — duplicate SKUs and orphan rows by paging through the needed columns,
 * only for tables small enough (`maxScanRows`); larger ones are reported as skipped.
 *
 * A failing request throws a SupabaseCatalogError carrying the classified cause;
 * the caller turns it into a `down` result.
 */
import type { SupabaseClient } from '@supabase/supabase-js';

import type { Cause } from '../../shared/contract';
import { isRecord } from '../../shared/json';
import { quoteIdentifier, quoteQualifiedName } from '../../shared/sql/identifiers';
import type {
	CatalogFindings,
	CatalogLayout,
	CatalogThresholds,
	CountFinding,
	DuplicateSkuFinding,
	OrphanFinding,
	OrphanPair,
	SampleRow,
	SkippedFinding,
} from '../catalog/types';
import { classifyPostgrestError } from './classifyPostgrestError';
import { fromTable } from './client';

/** Rows per page when paging through a column (Supabase's default max-rows). */
const PAGE_ROWS = 1000;

interface SupabaseFindingsOptions {
	/** Page through a table for duplicates/orphans only when it has at most this many rows. */
	maxScanRows: number;
	/** Who is asked, for cause sentences (default "Supabase"). */
	what?: string;
	/** false: skip the paged duplicate/orphan scans (reported as skipped), e.g. for a repair's re-check. Default true. */
	scan?: boolean;
}

/** A request to Supabase failed; `cause` says why in contract terms. */
export class SupabaseCatalogError extends Error {
	override name = 'SupabaseCatalogError';

	constructor(
		/** Which step failed, e.g. `count_products`; used as the failing check's name. */
		readonly step: string,
		override readonly cause: Cause,
		/** Rows already changed when a repair failed part-way (0 for reads). */
		readonly changedBeforeFailure = 0,
	) {
		super(cause.message);
	}
}

/** What every supabase-js query resolves to, narrowed to what is read here. */
interface QueryResponse {
	data: unknown;
	error: unknown;
	count: number | null;
	status: number;
}

/** Awaits a query; a failure (or a reply without the rows/count asked for) throws SupabaseCatalogError. */
export async function runQuery(step: string, query: PromiseLike<QueryResponse>, what: string): Promise<QueryResponse> {
	const response = await query;
	if (response.error !== null && response.error !== undefined) {
		throw new SupabaseCatalogError(step, classifyPostgrestError({ status: response.status, error: response.error }, { what }));
	}
	return response;
}

export function rowsOf(step: string, response: QueryResponse, what: string): Array<Record<string, unknown>> {
	if (!Array.isArray(response.data) || !response.data.every(isRecord)) {
		throw new SupabaseCatalogError(step, classifyPostgrestError({ status: response.status, error: { message: 'rows expected' } }, { what }));
	}
	return response.data;
}

function countOf(step: string, response: QueryResponse, what: string): number {
	if (typeof response.count !== 'number' || !Number.isFinite(response.count)) {
		throw new SupabaseCatalogError(step, classifyPostgrestError({ status: response.status, error: { message: 'no row count in the reply' } }, { what }));
	}
	return response.count;
}

export const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Throws IdentifierError (naming the parameter) for anything but plain names: they go into URLs and filters. */
export function checkLayout(layout: CatalogLayout): void {
	quoteQualifiedName(layout.productsTable, 'productsTable');
	quoteIdentifier(layout.idColumn, 'idColumn');
	quoteIdentifier(layout.skuColumn, 'skuColumn');
	quoteIdentifier(layout.imageColumn, 'imageColumn');
	if (layout.priceColumn !== '') quoteIdentifier(layout.priceColumn, 'priceColumn');
	layout.orphanPairs.forEach((pair, index) => {
		quoteQualifiedName(pair.childTable, `orphanPairs[${index}].childTable`);
		quoteIdentifier(pair.childColumn, `orphanPairs[${index}].childColumn`);
		quoteQualifiedName(pair.parentTable, `orphanPairs[${index}].parentTable`);
		quoteIdentifier(pair.parentColumn, `orphanPairs[${index}].parentColumn`);
	});
}

export function checkCount(value: number, parameter: string, minimum: number): void {
	if (!Number.isInteger(value) || value < minimum) {
		throw new RangeError(`${parameter} must be a whole number of at least ${minimum}, got ${value}`);
	}
}

/**
 * "Blank": only spaces, like Postgres' `btrim(x) = ''` the Postgres backend uses
 * (btrim trims spaces only), as a regex for PostgREST's `match` (`~`) operator.
 */
export const BLANK_PATTERN = '^ *$';

/** PostgREST `or` filter: the image is NULL or blank (both show a broken card). */
export function emptyValueFilter(column: string): string {
	return `${column}.is.null,${column}.match."${BLANK_PATTERN}"`;
}

/** Blank the way `btrim(x) = ''` is: empty or spaces only. */
export function isBlank(value: string): boolean {
	return /^ *$/.test(value);
}

/**
 * An exact row count. A GET of zero rows rather than a HEAD: a HEAD error has no body,
 * and supabase-js turns a bodiless 404 (unknown table) into a 204 without a count.
 */
async function countRows(client: SupabaseClient, table: string, step: string, what: string): Promise<number> {
	const response = await runQuery(step, fromTable(client, table).select('*', { count: 'exact' }).limit(0), what);
	return countOf(step, response, what);
}

function sampleRows(rows: Array<Record<string, unknown>>, layout: CatalogLayout): SampleRow[] {
	return rows.map((row) => {
		const sku = row[layout.skuColumn];
		return { id: text(row[layout.idColumn]), sku: sku === null || sku === undefined ? null : text(sku) };
	});
}

/**
 * Every row of a paged read: `page(from, to)` builds the query for one range (it must
 * be ordered). Stops at the first empty page, so a project whose max-rows is below
 * PAGE_ROWS is still read completely.
 */
export async function readAllRows(
	step: string,
	what: string,
	page: (from: number, to: number) => PromiseLike<QueryResponse>,
): Promise<Array<Record<string, unknown>>> {
	const all: Array<Record<string, unknown>> = [];
	for (;;) {
		const rows = rowsOf(step, await runQuery(step, page(all.length, all.length + PAGE_ROWS - 1), what), what);
		if (rows.length === 0) return all;
		all.push(...rows);
	}
}

/** Every non-null value of one column, ordered by it (ties do not matter: equal values are interchangeable). */
async function readColumnValues(client: SupabaseClient, table: string, column: string, step: string, what: string): Promise<string[]> {
	const rows = await readAllRows(step, what, (from, to) =>
		fromTable(client, table).select(column).not(column, 'is', null).order(column, { ascending: true }).range(from, to),
	);
	return rows.map((row) => text(row[column]));
}

function tooLarge(table: string, rows: number, maxScanRows: number, what: string): string {
	return `${table} has ${rows} rows, more than maxScanRows (${maxScanRows}); ${what} cannot group rows through its REST API, so this is only checked on tables up to that size (or use the Postgres backend)`;
}

async function findDuplicateSkus(client: SupabaseClient, layout: CatalogLayout, sampleSize: number, what: string): Promise<DuplicateSkuFinding> {
	const started = Date.now();
	const occurrences = new Map<string, number>();
	for (const sku of await readColumnValues(client, layout.productsTable, layout.skuColumn, 'duplicate_skus', what)) {
		// Blank SKUs are not SKUs (as in the Postgres backend).
		if (!isBlank(sku)) occurrences.set(sku, (occurrences.get(sku) ?? 0) + 1);
	}
	// The most repeated first, then by SKU: the Postgres backend's order.
	const duplicated = [...occurrences].filter(([, count]) => count > 1).sort(([a, n], [b, m]) => m - n || (a < b ? -1 : a > b ? 1 : 0));
	return {
		groups: duplicated.length,
		rows: duplicated.reduce((sum, [, count]) => sum + count, 0),
		sample: duplicated.slice(0, sampleSize).map(([sku]) => sku),
		durationMs: Date.now() - started,
	};
}

async function findOrphans(
	client: SupabaseClient,
	pair: OrphanPair,
	childRows: number,
	options: { maxScanRows: number; sampleSize: number; what: string },
): Promise<OrphanFinding | (SkippedFinding & { pair: OrphanPair })> {
	const started = Date.now();
	const step = `orphans:${pair.childTable}.${pair.childColumn}`;
	if (childRows > options.maxScanRows) return { pair, skipped: tooLarge(pair.childTable, childRows, options.maxScanRows, options.what) };
	const parentRows = await countRows(client, pair.parentTable, step, options.what);
	if (parentRows > options.maxScanRows) return { pair, skipped: tooLarge(pair.parentTable, parentRows, options.maxScanRows, options.what) };

	const parents = new Set(await readColumnValues(client, pair.parentTable, pair.parentColumn, step, options.what));
	const missing = (await readColumnValues(client, pair.childTable, pair.childColumn, step, options.what)).filter((value) => !parents.has(value));
	return {
		pair,
		count: missing.length,
		sample: [...new Set(missing)].slice(0, options.sampleSize),
		durationMs: Date.now() - started,
	};
}

export async function readCatalogFindingsViaSupabase(
	client: SupabaseClient,
	layout: CatalogLayout,
	thresholds: CatalogThresholds,
	options: SupabaseFindingsOptions,
): Promise<CatalogFindings> {
	checkLayout(layout);
	checkCount(thresholds.sampleSize, 'sampleSize', 0);
	checkCount(options.maxScanRows, 'maxScanRows', 0);
	const what = options.what ?? 'Supabase';
	const { productsTable: table, idColumn, skuColumn } = layout;
	const sampleColumns = `${idColumn},${skuColumn}`;

	let started = Date.now();
	const totalCount = await countRows(client, table, 'count_products', what);
	const total = { count: totalCount, durationMs: Date.now() - started };

	started = Date.now();
	const missingQuery = fromTable(client, table)
		.select(sampleColumns, { count: 'exact' })
		.or(emptyValueFilter(layout.imageColumn))
		.order(idColumn, { ascending: true })
		.limit(thresholds.sampleSize);
	const missingResponse = await runQuery('product_images', missingQuery, what);
	const missingImages: CountFinding = {
		count: countOf('product_images', missingResponse, what),
		sample: sampleRows(rowsOf('product_images', missingResponse, what), layout),
		durationMs: Date.now() - started,
	};

	let invalidPrices: CountFinding | undefined;
	if (layout.priceColumn !== '') {
		started = Date.now();
		const pricesQuery = fromTable(client, table)
			.select(sampleColumns, { count: 'exact' })
			.lte(layout.priceColumn, 0)
			.order(idColumn, { ascending: true })
			.limit(thresholds.sampleSize);
		const pricesResponse = await runQuery('prices_positive', pricesQuery, what);
		invalidPrices = {
			count: countOf('prices_positive', pricesResponse, what),
			sample: sampleRows(rowsOf('prices_positive', pricesResponse, what), layout),
			durationMs: Date.now() - started,
		};
	}

	if (options.scan === false) {
		const skipped = 'not part of this check';
		return {
			total,
			missingImages,
			duplicateSkus: { skipped },
			...(invalidPrices ? { invalidPrices } : {}),
			orphans: layout.orphanPairs.map((pair) => ({ pair, skipped })),
		};
	}

	const duplicateSkus =
		totalCount <= options.maxScanRows
			? await findDuplicateSkus(client, layout, thresholds.sampleSize, what)
			: { skipped: tooLarge(table, totalCount, options.maxScanRows, what) };

	const orphans: CatalogFindings['orphans'] = [];
	for (const pair of layout.orphanPairs) {
		const childRows = pair.childTable === table ? totalCount : await countRows(client, pair.childTable, `orphans:${pair.childTable}.${pair.childColumn}`, what);
		orphans.push(await findOrphans(client, pair, childRows, { maxScanRows: options.maxScanRows, sampleSize: thresholds.sampleSize, what }));
	}

	return { total, missingImages, duplicateSkus, ...(invalidPrices ? { invalidPrices } : {}), orphans };
}
