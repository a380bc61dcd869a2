/**
 * The Log Archive's SQL: every table/column name is validated and quoted through
 * nodes/shared/sql/identifiers.ts, every value is a bind parameter, and every batch
 * runs in its own short transaction with a local statement timeout.
 */
import type { ClientBase } from 'pg';

import { quoteIdentifier, quoteQualifiedName } from '../../shared/sql/identifiers';
import { ArchiveError } from './errors';
import type { ArchivePlan } from './types';

/** Quoted names of one plan (validated once, up front, before anything runs). */
export interface QuotedNames {
	/** `"schema"."table"` or `"table"`, also usable as a regclass literal. */
	table: string;
	timestamp: string;
	key: string;
	/** The archive table in table mode. */
	archive?: string;
}

export function quotePlanNames(plan: ArchivePlan): QuotedNames {
	const names: QuotedNames = {
		table: quoteQualifiedName(plan.table, 'table'),
		timestamp: quoteIdentifier(plan.timestampColumn, 'timestampColumn'),
		key: quoteIdentifier(plan.keyColumn, 'keyColumn'),
	};
	if (plan.destination.kind === 'table') {
		names.archive = quoteQualifiedName(plan.destination.table, 'destination.table');
		if (names.archive === names.table) {
			throw new ArchiveError('destination.table must differ from table (the hot table)', 'config.invalid');
		}
	}
	return names;
}

/** Ceiling for any one batch statement; the caller's own (lower) statement_timeout still wins. */
const BATCH_STATEMENT_TIMEOUT_MS = 5_000;

/** A Postgres error code, when the error has one. */
function pgErrorCode(error: unknown): string | undefined {
	return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** 57014: statement timeout (or cancel). */
export function isStatementTimeout(error: unknown): boolean {
	return pgErrorCode(error) === '57014';
}

/** Effective per-batch timeout: the smaller of the session's statement_timeout and our ceiling. */
export async function batchTimeoutMs(client: ClientBase): Promise<number> {
	const result = await client.query<{ ms: string }>(
		"SELECT setting AS ms FROM pg_settings WHERE name = 'statement_timeout'",
	);
	const session = Number(result.rows[0]?.ms ?? 0);
	return session > 0 ? Math.min(session, BATCH_STATEMENT_TIMEOUT_MS) : BATCH_STATEMENT_TIMEOUT_MS;
}

/**
 * The session settings of a run's batches, restored afterwards: each batch is ONE
 * statement, so it is its own transaction (one round trip, no BEGIN/COMMIT), bounded
 * by `statement_timeout`. `synchronous_commit = off` spares a WAL flush per batch: a
 * crash can only undo the last batches whole (a move is one statement), which leaves
 * those rows in the hot table for the next run — never half moved, never lost.
 */
export async function withBatchSession<T>(client: ClientBase, timeoutMs: number, work: () => Promise<T>): Promise<T> {
	const previous = await client.query<{ timeout: string; commit: string }>(
		"SELECT current_setting('statement_timeout') AS timeout, current_setting('synchronous_commit') AS commit",
	);
	// SET does not take bind parameters; the value is an integer we computed.
	await client.query(`SET statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}; SET synchronous_commit = off`);
	try {
		return await work();
	} finally {
		const { timeout, commit } = previous.rows[0];
		await client
			.query('SELECT set_config($1, $2, false), set_config($3, $4, false)', ['statement_timeout', timeout, 'synchronous_commit', commit])
			.catch(() => undefined);
	}
}

/**
 * Runs `work` in its own transaction with `SET LOCAL statement_timeout`, so one batch
 * can neither hold locks for long nor hang; rolls back on any error.
 */
export async function inBatchTransaction<T>(client: ClientBase, timeoutMs: number, work: () => Promise<T>): Promise<T> {
	await client.query('BEGIN');
	try {
		// SET does not take bind parameters; the value is an integer we computed.
		await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
		const result = await work();
		await client.query('COMMIT');
		return result;
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw error;
	}
}

/** Column names of a table in order, or null when it does not exist. */
export async function tableColumns(client: ClientBase, quotedTable: string): Promise<string[] | null> {
	const exists = await client.query<{ oid: string | null }>('SELECT to_regclass($1)::oid::text AS oid', [quotedTable]);
	if (!exists.rows[0]?.oid) return null;
	const result = await client.query<{ name: string }>(
		'SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum',
		[quotedTable],
	);
	return result.rows.map((row) => row.name);
}

export async function totalRelationBytes(client: ClientBase, quotedTable: string): Promise<number> {
	const result = await client.query<{ bytes: string }>('SELECT pg_total_relation_size($1::regclass)::text AS bytes', [quotedTable]);
	return Number(result.rows[0]?.bytes ?? 0);
}

/**
 * Oldest timestamp left in the hot table (ISO), null when it is empty; only among rows
 * at or after `from` when given (the caller knows none is older).
 */
export async function oldestTimestamp(client: ClientBase, names: QuotedNames, from: string | null = null): Promise<string | null> {
	const result =
		from === null
			? await client.query<{ oldest: Date | null }>(`SELECT min(${names.timestamp}) AS oldest FROM ${names.table}`)
			: await client.query<{ oldest: Date | null }>(`SELECT min(${names.timestamp}) AS oldest FROM ${names.table} WHERE ${names.timestamp} >= $1`, [from]);
	return toIso(result.rows[0]?.oldest ?? null);
}

export function toIso(value: Date | string | null): string | null {
	if (value === null) return null;
	return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** Dry run: how many rows are older than the cut-off, and their time range. */
export function wouldMoveSql(names: QuotedNames): string {
	return `SELECT count(*)::text AS rows, min(${names.timestamp}) AS oldest, max(${names.timestamp}) AS newest
	FROM ${names.table} WHERE ${names.timestamp} < $1`;
}

export function oldRowsExistSql(names: QuotedNames): string {
	return `SELECT EXISTS (SELECT 1 FROM ${names.table} WHERE ${names.timestamp} < $1) AS remaining`;
}

/**
 * The keyset fallback (sweep.ts says when): the next batch of old rows, lowest key
 * first. Keyset paging (`key > last key of the previous batch`) keeps each batch a short
 * index range scan: restarting from the lowest key would walk over every row already
 * moved (dead index entries until vacuum), making the run quadratic. Rows are picked by
 * key, not ctid: the fallback serves partitioned tables, where a ctid names a row in each
 * partition, so a ctid list would catch other partitions' rows. No FOR UPDATE: the
 * DELETE locks what it deletes, a row deleted meanwhile by anyone else is skipped by it
 * (and so never archived twice), and the bot only inserts new rows.
 * $1 = cut-off, $2 = batch size, $3 = last key of the previous batch (absent for the first).
 */
function nextOldKeysSql(names: QuotedNames, afterKey: boolean): string {
	const after = afterKey ? ` AND ${names.key} > $3` : '';
	return `SELECT ${names.key} FROM ${names.table} WHERE ${names.timestamp} < $1${after} ORDER BY ${names.key} LIMIT $2`;
}

/*
 * The batch statements select their keys into an array (`key = ANY (ARRAY(…))`, an
 * index scan): with `key IN (subquery)` the planner hash-joins the subquery against a
 * sequential scan of the whole hot table, once per batch. The `timestamp < cut-off`
 * re-check stays on the DELETE itself.
 */

/**
 * Table mode by key, one statement per batch: the DELETE and the INSERT commit together, so
 * every row is in exactly one of the two tables at every moment (a kill at any point
 * leaves either the whole batch moved or none of it). Columns are listed by name, so
 * an archive table whose column order differs (or that has extra columns) still works.
 */
export function moveBatchSql(names: QuotedNames, columns: string[], afterKey: boolean): string {
	if (!names.archive) throw new Error('moveBatchSql needs an archive table');
	const list = columns.map((column) => quoteIdentifier(column, `column of ${names.table}`)).join(', ');
	return `WITH moved AS (
	DELETE FROM ${names.table}
	WHERE ${names.key} = ANY (ARRAY(${nextOldKeysSql(names, afterKey)})) AND ${names.timestamp} < $1
	RETURNING ${list}
), archived AS (
	INSERT INTO ${names.archive} (${list}) SELECT ${list} FROM moved
)
SELECT count(*)::int AS n, max(${names.key})::text AS last FROM moved`;
}

/** Delete mode: the same batch, without keeping the rows. */
export function deleteBatchSql(names: QuotedNames, afterKey: boolean): string {
	return `WITH deleted AS (
	DELETE FROM ${names.table} WHERE ${names.key} = ANY (ARRAY(${nextOldKeysSql(names, afterKey)})) AND ${names.timestamp} < $1
	RETURNING ${names.key}
)
SELECT count(*)::int AS n, max(${names.key})::text AS last FROM deleted`;
}

/** `CREATE TABLE IF NOT EXISTS archive (LIKE hot)`: same columns, types and NOT NULLs, no unique keys. */
export function createArchiveTableSql(names: QuotedNames): string {
	if (!names.archive) throw new Error('createArchiveTableSql needs an archive table');
	// No INCLUDING DEFAULTS: the hot table's serial default would tie the archive to its
	// sequence; no indexes/constraints: a unique key could only clash, never help.
	return `CREATE TABLE IF NOT EXISTS ${names.archive} (LIKE ${names.table})`;
}

/**
 * File mode, reading: the next page of old rows after the last key written (keyset, so
 * each read is a short index scan). `row_to_json` renders every row in Postgres' own JSON
 * (timestamps keep their microseconds, jsonb stays jsonb). $1 = cut-off, $2 = limit,
 * $3 = last key written (absent for the first page).
 */
export function readPageSql(names: QuotedNames, afterKey: boolean): string {
	return `SELECT t.${names.key}::text AS key, row_to_json(t)::text AS line FROM ${names.table} AS t
	WHERE t.${names.timestamp} < $1${afterKey ? ` AND t.${names.key} > $3` : ''}
	ORDER BY t.${names.key} LIMIT $2`;
}

/**
 * File mode, deleting exactly the rows written: old (before the cut-off) and at most the
 * largest key written. Rows the bot inserts meanwhile carry the current time, so they are
 * newer than the cut-off and never match, whatever their key. No SKIP LOCKED here: a
 * written row must not be left behind (it would be archived twice), so we wait for it,
 * bounded by the statement timeout. $1 = cut-off, $2 = batch size, $3 = max key written,
 * $4 = last key deleted by the previous batch (keyset, as above).
 */
export function deleteWrittenBatchSql(names: QuotedNames, afterKey: boolean): string {
	const after = afterKey ? ` AND ${names.key} > $4` : '';
	return `WITH deleted AS (
	DELETE FROM ${names.table} WHERE ${names.key} = ANY (ARRAY(
		SELECT ${names.key} FROM ${names.table} WHERE ${names.timestamp} < $1 AND ${names.key} <= $3${after} ORDER BY ${names.key} LIMIT $2 FOR UPDATE
	)) AND ${names.timestamp} < $1 AND ${names.key} <= $3
	RETURNING ${names.key}
)
SELECT count(*)::int AS n, max(${names.key})::text AS last FROM deleted`;
}
