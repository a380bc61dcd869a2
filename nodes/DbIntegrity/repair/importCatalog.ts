/**
 * `database.import_catalog` on Postgres: loads the catalog into an EMPTY products table
 * from a table of the same database or a JSON/CSV file or URL.
 *
 * The whole import is ONE transaction: lock the products table against inserts (SHARE
 * ROW EXCLUSIVE: the bot's INSERTs and a second import wait), check it is empty, insert
 * (a table source in one INSERT … SELECT, file rows in chunks of `batchSize`), move the
 * id sequence past the copied ids, commit. Killed at any point, the table is still
 * empty and a re-run imports everything, exactly once.
 *
 * Columns: the source's fields (file) or columns (table) that are also columns of the
 * products table (generated columns excepted); the others are ignored and reported in
 * `unknownFields`. The source's skuColumn/imageColumn (skuField/imageField) play no part
 * in an import: whole rows are copied. The sample shows the first rows to import: `sku`
 * is the row's layout.skuColumn value ('' when absent), `value` the row as JSON.
 */
import type { ClientBase } from 'pg';

import type { Cause } from '../../shared/contract';
import { quoteQualifiedName } from '../../shared/sql/identifiers';
import { assertRepairParameters, RepairParameterError, repairSourceCause } from './errors';
import { readSourceRecords } from './loadSource';
import type { RepairHooks, RestorePlan } from './restoreImages';
import { skuText, type SourceRecord } from './sourceRows';
import {
	advanceIdSequenceSql,
	countRowsSql,
	importChunkSql,
	importFromTableSql,
	inTransaction,
	lockProductsSql,
	quoteLayout,
	tableColumns,
	tableIsEmptySql,
	tableSampleSql,
	type QuotedLayout,
	type TableColumn,
} from './sql';
import type { ChangeSample, RepairOutcome, RepairSource } from './types';

export type ImportPlan = RestorePlan;

/** RepairOutcome plus what only an import knows (optional fields proposed for types.ts). */
export interface ImportCatalogOutcome extends RepairOutcome {
	action: 'database.import_catalog';
	/** Columns copied, in the table's order. */
	columns: string[];
	/** Source fields/columns that are not (writable) columns of the products table: not imported. */
	unknownFields: string[];
	/** File/URL rows that were not records at all (not an object; wrong CSV field count). */
	invalidSourceRecords: number;
	/** The id sequence's new value when ids were copied, else null. */
	idSequenceValue: string | null;
	/** Why the source could not be used (then `refused` is set and nothing changed). */
	sourceFailure?: Cause;
}

/** What the import will copy, prepared before the transaction. */
interface Prepared {
	columns: string[];
	unknownFields: string[];
	overriding: boolean;
	copiesId: boolean;
	/** File/URL rows; null for a table source. */
	records: SourceRecord[] | null;
	invalidSourceRecords: number;
	sourceTable: string | null;
}

type Finish = (counts: Partial<ImportCatalogOutcome>, refused?: string, sourceFailure?: Cause) => ImportCatalogOutcome;

export async function importCatalog(client: ClientBase, plan: ImportPlan, hooks: RepairHooks = {}): Promise<ImportCatalogOutcome> {
	const startedAt = Date.now();
	assertRepairParameters(plan, false);
	const names = quoteLayout(plan.layout);
	const sourceTable = plan.source.kind === 'table' ? quoteQualifiedName(plan.source.table, 'source.table') : null;
	const finish: Finish = (counts, refused, sourceFailure) => ({
		action: 'database.import_catalog',
		dryRun: plan.dryRun,
		planned: 0,
		changed: 0,
		batches: 0,
		unmatched: 0,
		conflictingSkus: [],
		sample: [],
		columns: [],
		unknownFields: [],
		invalidSourceRecords: 0,
		idSequenceValue: null,
		...counts,
		...(refused !== undefined ? { refused } : {}),
		...(sourceFailure ? { sourceFailure } : {}),
		durationMs: Date.now() - startedAt,
	});

	const productColumns = await tableColumns(client, names.products);
	if (productColumns === null) throw new RepairParameterError('layout.productsTable', `names a table that does not exist: ${plan.layout.productsTable}`);

	const prepared = await prepare(client, plan.source, sourceTable, productColumns, plan.layout.idColumn.trim());
	if ('cause' in prepared) return finish(prepared.counts, `the source cannot be used: ${prepared.cause.message}`, prepared.cause);
	const base: Partial<ImportCatalogOutcome> = {
		columns: prepared.columns,
		unknownFields: prepared.unknownFields,
		invalidSourceRecords: prepared.invalidSourceRecords,
	};
	const sampleOf = (): Promise<ChangeSample[]> => sample(client, prepared, plan.sampleSize, plan.layout.skuColumn.trim(), plan.layout.idColumn.trim());

	if (plan.dryRun) {
		const { empty, rows, samples } = await inTransaction(client, plan.statementTimeoutMs, async () => ({
			empty: await isEmpty(client, names.products),
			rows: await sourceRowCount(client, prepared),
			samples: await sampleOf(),
		}));
		const refused = refusal(empty, rows, plan.maxRows, plan.layout.productsTable);
		return finish({ ...base, planned: rows, sample: samples }, refused);
	}

	// Refusals found inside the transaction roll it back: nothing changed, no lock kept.
	let outcome: ImportCatalogOutcome | null = null;
	try {
		outcome = await inTransaction(client, plan.statementTimeoutMs, async () => {
			await client.query(lockProductsSql(names));
			const empty = await isEmpty(client, names.products);
			const rows = await sourceRowCount(client, prepared);
			const refused = refusal(empty, rows, plan.maxRows, plan.layout.productsTable);
			if (refused !== undefined) throw new Refusal(finish({ ...base, planned: rows }, refused));
			const samples = await sampleOf();
			const { changed, batches } = await insertRows(client, names, prepared, plan.batchSize, hooks);
			const idSequenceValue = prepared.copiesId ? await advanceIdSequence(client, names, plan.layout.idColumn.trim()) : null;
			return finish({ ...base, planned: rows, changed, batches, sample: samples, idSequenceValue });
		});
	} catch (error) {
		if (error instanceof Refusal) return error.outcome;
		throw error;
	}
	return outcome;
}

/** Carries a refusal out of the transaction (so it rolls back); never leaves this module. */
class Refusal extends Error {
	constructor(readonly outcome: ImportCatalogOutcome) {
		super(outcome.refused);
	}
}

function refusal(empty: boolean, rows: number, maxRows: number, table: string): string | undefined {
	if (!empty) return `${table} is not empty: the import only fills an empty catalog; nothing was changed`;
	if (rows === 0) return 'the source has no rows; nothing was changed';
	if (rows > maxRows) return `the source has ${rows} rows, more than maxRows (${maxRows}); nothing was changed`;
	return undefined;
}

async function isEmpty(client: ClientBase, table: string): Promise<boolean> {
	const { rows } = await client.query<{ empty: boolean }>(tableIsEmptySql(table));
	return rows[0]?.empty ?? false;
}

async function sourceRowCount(client: ClientBase, prepared: Prepared): Promise<number> {
	if (prepared.records !== null) return prepared.records.length;
	const { rows } = await client.query<{ n: string }>(countRowsSql(prepared.sourceTable as string));
	return Number(rows[0]?.n ?? 0);
}

/** Columns shared by source and table, what is left over, and the rows of a file/URL. */
async function prepare(
	client: ClientBase,
	source: RepairSource,
	sourceTable: string | null,
	productColumns: TableColumn[],
	idColumn: string,
): Promise<Prepared | { cause: Cause; counts: Partial<ImportCatalogOutcome> }> {
	let fields: string[];
	let records: SourceRecord[] | null = null;
	let invalidSourceRecords = 0;
	if (source.kind === 'table') {
		const columns = await tableColumns(client, sourceTable as string);
		if (columns === null) throw new RepairParameterError('source.table', `names a table that does not exist: ${source.table}`);
		fields = columns.map((column) => column.name);
	} else {
		const read = await readSourceRecords(source);
		if (!read.ok) return { cause: read.cause, counts: {} };
		({ fields, records } = read.parsed);
		invalidSourceRecords = read.parsed.invalidRecords;
	}
	const writable = productColumns.filter((column) => !column.generated);
	const copied = writable.filter((column) => fields.includes(column.name));
	const columns = copied.map((column) => column.name);
	const unknownFields = fields.filter((field) => !columns.includes(field));
	if (columns.length === 0 && (records === null || records.length > 0)) {
		const cause = repairSourceCause(
			'database.repair_source_invalid',
			`None of the source's fields (${fields.slice(0, 20).join(', ') || 'none'}) is a column of the products table.`,
		);
		return { cause, counts: { unknownFields, invalidSourceRecords } };
	}
	return {
		columns,
		unknownFields,
		overriding: copied.some((column) => column.identity === 'a'),
		copiesId: columns.includes(idColumn),
		records,
		invalidSourceRecords,
		sourceTable,
	};
}

function pick(record: SourceRecord, columns: string[]): Record<string, unknown> {
	const row: Record<string, unknown> = {};
	for (const column of columns) row[column] = record[column] ?? null;
	return row;
}

async function sample(client: ClientBase, prepared: Prepared, size: number, skuColumn: string, idColumn: string): Promise<ChangeSample[]> {
	if (size === 0) return [];
	let rows: Array<Record<string, unknown>>;
	if (prepared.records !== null) {
		rows = prepared.records.slice(0, size).map((record) => pick(record, prepared.columns));
	} else {
		const orderBy = prepared.copiesId ? idColumn : null;
		const result = await client.query<{ row: string }>(tableSampleSql(prepared.sourceTable as string, prepared.columns, orderBy), [size]);
		rows = result.rows.map((row) => JSON.parse(row.row) as Record<string, unknown>);
	}
	return rows.map((row) => ({ sku: skuText(row[skuColumn]) ?? '', value: JSON.stringify(row) }));
}

async function insertRows(
	client: ClientBase,
	names: QuotedLayout,
	prepared: Prepared,
	batchSize: number,
	hooks: RepairHooks,
): Promise<{ changed: number; batches: number }> {
	if (prepared.records === null) {
		const result = await client.query(importFromTableSql(names, prepared.sourceTable as string, prepared.columns, prepared.overriding));
		const changed = result.rowCount ?? 0;
		await hooks.afterBatch?.({ batches: 1, rows: changed });
		return { changed, batches: 1 };
	}
	const sql = importChunkSql(names, prepared.columns, prepared.overriding);
	let changed = 0;
	let batches = 0;
	for (let start = 0; start < prepared.records.length; start += batchSize) {
		const chunk = prepared.records.slice(start, start + batchSize).map((record) => pick(record, prepared.columns));
		const result = await client.query(sql, [JSON.stringify(chunk)]);
		changed += result.rowCount ?? 0;
		batches += 1;
		await hooks.afterBatch?.({ batches, rows: changed });
	}
	return { changed, batches };
}

async function advanceIdSequence(client: ClientBase, names: QuotedLayout, idColumn: string): Promise<string | null> {
	const { rows } = await client.query<{ value: string }>(advanceIdSequenceSql(names), [names.products, idColumn]);
	return rows[0]?.value ?? null;
}
