/**
 * The Postgres repairs' SQL. Every table/column name goes through the shared identifier
 * quoting (validated up front, before any statement runs), every value is a bind
 * parameter, and every transaction bounds its statements with SET LOCAL statement_timeout.
 */
import type { ClientBase } from 'pg';

import { quoteIdentifier, quoteQualifiedName } from '../../shared/sql/identifiers';
import type { CatalogLayout } from '../catalog/types';
import { USABLE_IMAGE_SQL_PATTERN } from './sourceRows';
import type { RepairSource } from './types';
import { quoteLayout as quoteCatalogLayout } from '../catalog/quotedLayout';

/** The catalog's names, quoted. */
export interface QuotedLayout {
	/** `"schema"."table"` or `"table"`; also a regclass literal and a row type name. */
	products: string;
	id: string;
	sku: string;
	image: string;
}

/** Where a repair reads (sku, image) pairs: a table of the user's, or our staged temp table. */
export interface QuotedSource {
	table: string;
	sku: string;
	image: string;
}

/** The names a repair touches, validated and quoted by the catalog's one layout check. */
export function quoteLayout(layout: CatalogLayout): QuotedLayout {
	const quoted = quoteCatalogLayout({ ...layout, priceColumn: '', orphanPairs: [] });
	return { products: quoted.productsTable, id: quoted.idColumn, sku: quoted.skuColumn, image: quoted.imageColumn };
}

/** A table source's names, quoted; the sku/image columns only when the repair needs them. */
export function quoteSourceTable(source: Extract<RepairSource, { kind: 'table' }>, withColumns: boolean): QuotedSource {
	return {
		table: quoteQualifiedName(source.table, 'source.table'),
		sku: withColumns ? quoteIdentifier(source.skuColumn, 'source.skuColumn') : '',
		image: withColumns ? quoteIdentifier(source.imageColumn, 'source.imageColumn') : '',
	};
}

/**
 * File and URL pairs are staged in a session-private temp table (`pg_temp` can never
 * name one of the user's tables); other sessions never see it, and it is dropped at the
 * end of the run (or with the session, if the run is killed).
 */
export const STAGED_SOURCE: QuotedSource = { table: 'pg_temp."autorecovery_repair_source"', sku: '"sku"', image: '"value"' };

export const STAGED_SOURCE_CREATE_SQL = `DROP TABLE IF EXISTS ${STAGED_SOURCE.table};
CREATE TEMP TABLE "autorecovery_repair_source" (sku text NOT NULL, value text NOT NULL)`;
/** $1 = SKUs, $2 = values (same length): one chunk per statement, never one giant one. */
export const STAGED_SOURCE_INSERT_SQL = `INSERT INTO ${STAGED_SOURCE.table} (sku, value) SELECT * FROM unnest($1::text[], $2::text[])`;
/** Statistics for the planner (autovacuum never analyzes temp tables). */
export const STAGED_SOURCE_ANALYZE_SQL = `ANALYZE ${STAGED_SOURCE.table}`;
export const STAGED_SOURCE_DROP_SQL = `DROP TABLE IF EXISTS ${STAGED_SOURCE.table}`;

/**
 * The plan of a restore: one row per product needing an image (id, ctid, sku) with the lowest
 * and highest usable source value of its SKU and how many of its SKU's source rows are
 * unusable. `planned` (low = high, or low alone for a unique-SKU source): it gets `low`;
 * low NULL: no value; `low <> high`: a conflict. Kept in a session temp table so the
 * batches walk only the planned rows (by id) instead of re-scanning the products table
 * and re-reading the source for every batch (measured: finding each batch's rows again,
 * 10,000 index probes into the source per batch, cost more than the plan itself).
 */
const PLAN_TABLE = 'pg_temp."autorecovery_repair_plan"';
export const PLAN_DROP_SQL = `DROP TABLE IF EXISTS ${PLAN_TABLE}`;

/**
 * Blank text (empty or only spaces: what btrim removes) starts with a byte below '!'
 * (0x21), so comparing the raw bytes (COLLATE "C": memcmp, no allocation) rules out
 * almost every present value before btrim has to copy it. Same result as btrim alone;
 * measured on 1,000,000 products: the emptiness scan took 680 ms of CPU with btrim on
 * every row and 270 ms with this test in front.
 */
function couldBeBlankSql(text: string): string {
	return `(${text} COLLATE "C") < '!'`;
}

/** `text` is empty or only spaces (NULL stays NULL). */
export function isBlankSql(text: string): string {
	return `(${couldBeBlankSql(text)} AND btrim(${text}) = '')`;
}

/** `text` has something besides spaces (NULL stays NULL). */
export function isNotBlankSql(text: string): string {
	return `(NOT ${couldBeBlankSql(text)} OR btrim(${text}) <> '')`;
}

/** A product that needs an image: NULL or blank after trimming (the catalog check's definition of missing). */
function emptyImageSql(alias: string, names: QuotedLayout): string {
	return `(${alias}.${names.image} IS NULL OR ${isBlankSql(`${alias}.${names.image}::text`)})`;
}

/** A source row that can give an image: a non-blank SKU and an http(s) URL (see sourceRows.ts). */
function usableSourceSql(alias: string, source: QuotedSource): string {
	return `(${isNotBlankSql(`${alias}.${source.sku}::text`)} AND btrim(${alias}.${source.image}) ~* '${USABLE_IMAGE_SQL_PATTERN}')`;
}

/**
 * Builds the plan table (a multi-statement text: no bind parameters, none needed). The
 * source is joined to the products needing an image (a hash join: one pass over each
 * table), and the usable-value test runs once per joined row, never on the whole source.
 * An index on id serves the batches' keyset; statistics on the two columns the batches
 * filter on make the planner walk that index instead of sorting the rest of the plan for
 * every batch (the text columns' statistics would cost more than they help).
 */
export function createPlanSql(names: QuotedLayout, source: QuotedSource, uniqueSourceSku = false): string {
	const value = `btrim(s.${source.image})`;
	const usable = usableSourceSql('s', source);
	const needing = `SELECT p.${names.id} AS id, p.ctid AS tid, p.${names.sku}::text AS sku FROM ${names.products} AS p WHERE ${emptyImageSql('p', names)}`;
	// With a unique SKU in the source, a product joins at most one source row: no grouping
	// is needed to find conflicts (there can be none), which saves a sort of the whole plan,
	// and `high` stays NULL (`low <> NULL` is never a conflict) instead of a copy of `low`.
	const rows = uniqueSourceSku
		? `SELECT j.id, j.tid, j.sku, j.low, NULL::text AS high, (j.matched AND j.low IS NULL)::int AS unusable, j.low IS NOT NULL AS planned FROM (
	SELECT n.id, n.tid, n.sku, CASE WHEN coalesce(${usable}, false) THEN ${value} END AS low, s.${source.sku} IS NOT NULL AS matched
	FROM (${needing}) AS n
	LEFT JOIN ${source.table} AS s ON s.${source.sku} = n.sku
	OFFSET 0 -- a fence: the usable test (a regex) runs once per row, not once for each of the four columns that read \`low\`
) AS j`
		: `SELECT g.*, coalesce(g.low = g.high, false) AS planned FROM (
	SELECT j.id, j.tid, j.sku,
		min(j.value) FILTER (WHERE j.usable) AS low,
		max(j.value) FILTER (WHERE j.usable) AS high,
		count(*) FILTER (WHERE j.matched AND NOT j.usable)::int AS unusable
	FROM (
		SELECT n.id, n.tid, n.sku, ${value} AS value, s.${source.sku} IS NOT NULL AS matched, coalesce(${usable}, false) AS usable
		FROM (${needing}) AS n
		LEFT JOIN ${source.table} AS s ON s.${source.sku} = n.sku
		OFFSET 0 -- a fence: the usable test (a regex) runs once per joined row, not once per aggregate
	) AS j
	GROUP BY j.id, j.tid, j.sku
) AS g`;
	// work_mem for this transaction only: the join's hash and the grouping stay in memory
	// instead of spilling to disk (the default 4 MB is far too small for 100,000 rows).
	return `SET LOCAL work_mem = '${PLAN_WORK_MEM}';
DROP TABLE IF EXISTS ${PLAN_TABLE};
CREATE TEMP TABLE "autorecovery_repair_plan" AS
${rows};
CREATE INDEX ON ${PLAN_TABLE} (id);
ANALYZE ${PLAN_TABLE} (id, planned)`;
}

/** Whether a table has a unique index on exactly this one column (then a SKU has at most one source row). */
export async function hasUniqueColumn(client: ClientBase, quotedTable: string, column: string): Promise<boolean> {
	const { rows } = await client.query<{ unique: boolean }>(
		`SELECT EXISTS (
			SELECT 1 FROM pg_index AS i JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
			WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indnkeyatts = 1 AND i.indpred IS NULL AND a.attname = $2
		) AS unique`,
		[quotedTable, column],
	);
	return rows[0]?.unique === true;
}

/** Memory for the plan's join and grouping (server side, this transaction only). */
const PLAN_WORK_MEM = '64MB';

/** What the plan summary returns. */
export interface PlanRow {
	planned: number;
	unmatched: number;
	conflicting_rows: number;
	conflicting_skus: number;
	/** Unusable source rows of the SKUs in the plan (each SKU counted once). */
	unusable: number;
	conflicts: string[];
	sample: Array<{ sku: string; value: string }>;
}

/**
 * Counts of the plan, the first conflicting SKUs ($2 of them) and the first planned
 * changes by id ($1 of them: exactly what the batches, also by id, change first).
 */
export const PLAN_SUMMARY_SQL = `SELECT
	count(*) FILTER (WHERE planned)::int AS planned,
	count(*) FILTER (WHERE NOT planned)::int AS unmatched,
	count(*) FILTER (WHERE low <> high)::int AS conflicting_rows,
	count(DISTINCT sku) FILTER (WHERE low <> high)::int AS conflicting_skus,
	(SELECT coalesce(sum(unusable), 0)::int FROM (SELECT DISTINCT sku, unusable FROM ${PLAN_TABLE} WHERE unusable > 0) AS u) AS unusable,
	(SELECT coalesce(json_agg(c.sku ORDER BY c.sku), '[]') FROM (
		SELECT DISTINCT sku FROM ${PLAN_TABLE} WHERE low <> high ORDER BY sku LIMIT $2
	) AS c) AS conflicts,
	(SELECT coalesce(json_agg(json_build_object('sku', x.sku, 'value', x.low) ORDER BY x.id), '[]') FROM (
		SELECT id, sku, low FROM ${PLAN_TABLE} WHERE planned ORDER BY id LIMIT $1
	) AS x) AS sample
FROM ${PLAN_TABLE}`;

/** What a batch statement returns. */
export interface BatchRow {
	/** Largest id the batch looked at (changed or not): the next batch starts after it. */
	last: string | null;
	scanned: number;
	changed: number;
	sample: Array<{ sku: string; value: string }>;
}

/**
 * One batch, one statement: the next `$1` planned rows after the last id seen (`$3`;
 * keyset over the plan's id index) and their UPDATE. Each planned row remembers where
 * its product was (`tid`, the ctid at planning time), so the UPDATE reads it straight
 * from its page instead of probing the id index 10,000 times (measured: batches took a
 * third less time). A product updated by somebody else since (a new row version, so a
 * new ctid), or a slot reused after a vacuum (the id check), is not found that way and
 * is updated by id instead, in the same statement. Both UPDATEs re-check emptiness on
 * the row they lock (Postgres re-evaluates the WHERE on the newest version), so an
 * image the bot wrote meanwhile is kept. $2 = how many changed rows to return as a sample.
 * `= ANY (ARRAY(…))` keeps each UPDATE a TID/index lookup per row: with a plain join the
 * planner may hash-join the batch against a sequential scan of the whole products table
 * (measured: 10,000-row batches took 5× longer than 5,000-row ones).
 */
export function restoreBatchSql(names: QuotedLayout, afterKey: boolean): string {
	const after = afterKey ? ' AND id > $3' : '';
	return `WITH batch AS MATERIALIZED (
	SELECT id, tid, sku, low AS value FROM ${PLAN_TABLE} WHERE planned${after} ORDER BY id LIMIT $1
), by_tid AS (
	UPDATE ${names.products} AS p SET ${names.image} = b.value
	FROM batch AS b
	WHERE p.ctid = ANY (ARRAY(SELECT tid FROM batch)) AND p.ctid = b.tid AND p.${names.id} = b.id AND ${emptyImageSql('p', names)}
	RETURNING b.id, b.sku, b.value
), moved AS MATERIALIZED (
	SELECT b.id, b.sku, b.value FROM batch AS b WHERE NOT EXISTS (SELECT FROM by_tid AS t WHERE t.id = b.id)
), by_id AS (
	UPDATE ${names.products} AS p SET ${names.image} = m.value
	FROM moved AS m
	WHERE p.${names.id} = ANY (ARRAY(SELECT id FROM moved)) AND p.${names.id} = m.id AND ${emptyImageSql('p', names)}
	RETURNING m.id, m.sku, m.value
), updated AS (
	SELECT * FROM by_tid UNION ALL SELECT * FROM by_id
)
SELECT
	(SELECT max(id)::text FROM batch) AS last,
	(SELECT count(*) FROM batch)::int AS scanned,
	(SELECT count(*) FROM updated)::int AS changed,
	(SELECT coalesce(json_agg(json_build_object('sku', u.sku, 'value', u.value) ORDER BY u.id), '[]') FROM (
		SELECT id, sku, value FROM updated ORDER BY id LIMIT $2
	) AS u) AS sample`;
}

/** One column of a table: its name and whether it may be written by an INSERT. */
export interface TableColumn {
	name: string;
	/** '' (plain), 'a' (GENERATED ALWAYS AS IDENTITY) or 'd' (BY DEFAULT). */
	identity: string;
	generated: boolean;
}

/** The columns of a table in order, or null when it does not exist (resolved like the SQL will: search_path). */
export async function tableColumns(client: ClientBase, quotedTable: string): Promise<TableColumn[] | null> {
	const exists = await client.query<{ oid: string | null }>('SELECT to_regclass($1)::oid::text AS oid', [quotedTable]);
	if (!exists.rows[0]?.oid) return null;
	const result = await client.query<{ name: string; identity: string; generated: boolean }>(
		`SELECT attname AS name, attidentity::text AS identity, attgenerated <> '' AS generated
		FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
		[quotedTable],
	);
	return result.rows;
}

/** Import: the whole load runs under this lock, which keeps the bot's inserts out (and a second import). */
export function lockProductsSql(names: QuotedLayout): string {
	return `LOCK TABLE ${names.products} IN SHARE ROW EXCLUSIVE MODE`;
}

export function tableIsEmptySql(table: string): string {
	return `SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`;
}

export function countRowsSql(table: string): string {
	return `SELECT count(*)::text AS n FROM ${table}`;
}

function columnList(columns: string[]): string {
	return columns.map((column) => quoteIdentifier(column, 'column')).join(', ');
}

/** Import from a table of the same database: one INSERT … SELECT of the shared columns. */
export function importFromTableSql(names: QuotedLayout, sourceTable: string, columns: string[], overriding: boolean): string {
	const list = columnList(columns);
	return `INSERT INTO ${names.products} (${list})${overriding ? ' OVERRIDING SYSTEM VALUE' : ''} SELECT ${list} FROM ${sourceTable}`;
}

/**
 * Import of one chunk of file rows, $1 = a JSON array of objects: json_populate_recordset
 * converts each value to its column's type by name (text "12.50" → numeric, null → NULL),
 * so no type name is ever written into the SQL.
 */
export function importChunkSql(names: QuotedLayout, columns: string[], overriding: boolean): string {
	const list = columnList(columns);
	return `INSERT INTO ${names.products} (${list})${overriding ? ' OVERRIDING SYSTEM VALUE' : ''}
	SELECT ${list} FROM json_populate_recordset(NULL::${names.products}, $1::json)`;
}

/** A sample of a table source: its first rows (by id when copied), as JSON objects of the shared columns. */
export function tableSampleSql(sourceTable: string, columns: string[], orderBy: string | null): string {
	return `SELECT row_to_json(x)::text AS row FROM (SELECT ${columnList(columns)} FROM ${sourceTable}${orderBy ? ` ORDER BY ${quoteIdentifier(orderBy, 'column')}` : ''} LIMIT $1) AS x`;
}

/**
 * After ids were copied: moves the id sequence (serial or identity) past the largest id,
 * so the bot's next plain INSERT gets a fresh one. No-op when the column has no sequence.
 * $1 = the table (quoted, as text), $2 = the id column's plain name.
 */
export function advanceIdSequenceSql(names: QuotedLayout): string {
	return `SELECT setval(seq, greatest(coalesce((SELECT max(${names.id}) FROM ${names.products}), 1), 1), (SELECT count(*) > 0 FROM ${names.products}))::text AS value
	FROM (SELECT pg_get_serial_sequence($1, $2) AS seq) AS s WHERE seq IS NOT NULL`;
}

/**
 * Runs `work` in its own transaction with `SET LOCAL statement_timeout`, so no statement
 * of it can hold locks for long or hang; rolls back on any error (and rethrows it).
 */
export async function inTransaction<T>(client: ClientBase, statementTimeoutMs: number, work: () => Promise<T>): Promise<T> {
	// SET does not take bind parameters; the value is an integer validated by the caller.
	await client.query(`BEGIN; SET LOCAL statement_timeout = ${Math.max(1, Math.floor(statementTimeoutMs))}`);
	try {
		const result = await work();
		await client.query('COMMIT');
		return result;
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw error;
	}
}
