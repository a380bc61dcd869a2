/**
 * Table and delete mode on a plain table: sweep the table's pages in order, one short
 * statement per range of pages (`ctid >= '(from,0)' AND ctid < '(to,0)'`, a TID Range
 * Scan, Postgres 14+), moving the old rows found there.
 *
 * Why pages rather than the key: each row is read once, straight from its page, as the
 * single `DELETE … RETURNING` statement reads it. Selecting a batch by key first reads
 * each row through the key index (to test its timestamp) and then again by ctid, which
 * cost the run about half again the single statement's time. Each range starts where
 * the last one ended, so no batch walks over rows an earlier one moved.
 *
 * Completeness: the sweep covers every page the table had when it started. Pages added
 * later hold only rows inserted after the cut-off was fixed, stamped now(), which are
 * not old (the same assumption as file mode: nobody inserts back-dated rows during a
 * run). A kill at any point leaves each batch moved whole or not at all; the next run
 * sweeps again from page 0 and finds only what is left.
 */
import type { ClientBase } from 'pg';

import { quoteIdentifier } from '../../shared/sql/identifiers';
import type { Batch, RunContext } from './batches';
import type { QuotedNames } from './sql';

/** A range never spans more pages than this (2 MB of 8 kB pages): bounds a batch over pages of new rows. */
export const MAX_PAGES_PER_BATCH = 256;

/** Postgres' ceiling on tuples per 8 kB page; the density guess before anything is known. */
const MAX_TUPLES_PER_PAGE = 291;

/** What a sweep needs to know about the table, read once at the start. */
interface SweepTarget {
	/** Pages the table has now; the sweep covers [0, pages). */
	pages: number;
	/** Average live rows per page from the planner statistics (or the ceiling, when unknown). */
	rowsPerPage: number;
}

/**
 * The table's size in pages and its row density, or null when a page sweep does not
 * apply: a server before 14 (no TID Range Scan: each batch would read the whole table),
 * a partitioned table or one with inheritance children (their rows live in other
 * relations, with their own page numbers), or anything that is not a plain table.
 */
export async function sweepTarget(client: ClientBase, quotedTable: string): Promise<SweepTarget | null> {
	const { rows } = await client.query<{ version: number; kind: string; children: boolean; pages: string; tuples: number; relpages: number }>(
		`SELECT current_setting('server_version_num')::int AS version, c.relkind AS kind, c.relhassubclass AS children,
		        (pg_relation_size(c.oid) / current_setting('block_size')::int)::text AS pages,
		        c.reltuples::float8 AS tuples, c.relpages AS relpages
		   FROM pg_class c WHERE c.oid = $1::regclass`,
		[quotedTable],
	);
	const row = rows[0];
	if (!row || row.version < 140000 || row.kind !== 'r' || row.children) return null;
	const known = row.tuples > 0 && row.relpages > 0;
	return {
		pages: Number(row.pages),
		rowsPerPage: known ? Math.min(MAX_TUPLES_PER_PAGE, Math.max(1, row.tuples / row.relpages)) : MAX_TUPLES_PER_PAGE,
	};
}

/**
 * Pages for the next range, aiming at `rowLimit` old rows: the limit over the old-row
 * density seen so far, at least 1, growing at most 2× per batch (a dense region after a
 * sparse one costs at most one larger batch) and never beyond MAX_PAGES_PER_BATCH.
 */
export function nextPageCount(rowLimit: number, density: number, previousPages: number): number {
	const wanted = density > 0 ? Math.floor(rowLimit / density) : MAX_PAGES_PER_BATCH;
	return Math.max(1, Math.min(wanted, 2 * previousPages, MAX_PAGES_PER_BATCH));
}

/**
 * Table mode, one statement per range: the DELETE and the INSERT commit together, so
 * every row is in exactly one of the two tables at every moment. Columns are listed by
 * name (an archive table with another order or extra columns still works). The row
 * count is the INSERT's own (no RETURNING to aggregate). $1 = cut-off, $2/$3 = tids.
 */
export function sweepMoveSql(names: QuotedNames, columns: string[]): string {
	if (!names.archive) throw new Error('sweepMoveSql needs an archive table');
	const list = columns.map((column) => quoteIdentifier(column, `column of ${names.table}`)).join(', ');
	return `WITH moved AS (
	DELETE FROM ${names.table} WHERE ctid >= $2::tid AND ctid < $3::tid AND ${names.timestamp} < $1
	RETURNING ${list}
)
INSERT INTO ${names.archive} (${list}) SELECT ${list} FROM moved`;
}

/** Delete mode: the same range, without keeping the rows. */
export function sweepDeleteSql(names: QuotedNames): string {
	return `DELETE FROM ${names.table} WHERE ctid >= $2::tid AND ctid < $3::tid AND ${names.timestamp} < $1`;
}

/**
 * A batch over the next range of pages: `rowLimit` (from the batch loop, which halves
 * it after a slow or timed-out batch) sets how many pages, through the density of old
 * rows seen in the previous range. A failed statement moved nothing and does not
 * advance the sweep, so a retry covers the same pages.
 */
export function pageRangeBatch(context: RunContext, target: SweepTarget, sql: string): Batch {
	let from = 0;
	let pages = 0;
	let density = target.rowsPerPage;
	return async (rowLimit) => {
		if (from >= target.pages) return { changed: 0, done: true };
		pages = nextPageCount(rowLimit, density, pages === 0 ? MAX_PAGES_PER_BATCH : pages);
		const to = Math.min(from + pages, target.pages);
		const result = await context.client.query(sql, [context.cutoff, `(${from},0)`, `(${to},0)`]);
		const changed = result.rowCount ?? 0;
		density = changed / (to - from);
		from = to;
		return { changed, done: from >= target.pages };
	};
}
