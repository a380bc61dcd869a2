/**
 * Reads the catalog findings straight from Postgres: one counting scan, then samples
 * and the duplicate/orphan queries. Each query is timed for its check. A failing query
 * throws a CatalogQueryError naming the check it was for; the caller makes the result.
 */
import type { ClientBase, QueryResultRow } from 'pg';

import { CATALOG_CHECK_NAMES, orphanCheckName } from './evaluateCatalog';
import { countsSql, duplicateSkusSql, invalidPricesSampleSql, missingImagesSampleSql, orphansSql } from './catalogSql';
import type { QuotedLayout } from './quotedLayout';
import type { CatalogFindings, OrphanFinding, SampleRow } from './types';

export class CatalogQueryError extends Error {
	constructor(
		readonly check: string,
		readonly error: unknown,
	) {
		super(`${check}: ${error instanceof Error ? error.message : String(error)}`);
	}
}

async function timed<R extends QueryResultRow>(client: ClientBase, check: string, sql: string, values: unknown[] = []) {
	const started = performance.now();
	try {
		const { rows } = await client.query<R>(sql, values);
		return { rows, durationMs: Math.round(performance.now() - started) };
	} catch (error) {
		throw new CatalogQueryError(check, error);
	}
}

const toNumber = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

export async function readCatalogFindingsViaPostgres(client: ClientBase, layout: QuotedLayout, sampleSize: number): Promise<CatalogFindings> {
	const counts = await timed<{ total: string; missing_images: string; invalid_prices: string | null }>(client, CATALOG_CHECK_NAMES.notEmpty, countsSql(layout));
	const row = counts.rows[0];
	const total = toNumber(row?.total);
	const missing = toNumber(row?.missing_images);
	const invalid = toNumber(row?.invalid_prices);

	const sample = async (check: string, sql: string, count: number): Promise<{ sample: SampleRow[]; durationMs: number }> => {
		if (count === 0 || sampleSize === 0) return { sample: [], durationMs: 0 };
		const result = await timed<SampleRow>(client, check, sql, [sampleSize]);
		return { sample: result.rows.map((r) => ({ id: r.id, sku: r.sku })), durationMs: result.durationMs };
	};
	const missingSample = await sample(CATALOG_CHECK_NAMES.images, missingImagesSampleSql(layout), missing);
	const invalidSample = layout.priceColumn ? await sample(CATALOG_CHECK_NAMES.prices, invalidPricesSampleSql(layout), invalid) : undefined;

	const duplicates = await timed<{ sku: string; n: string; groups: string; rows: string }>(client, CATALOG_CHECK_NAMES.uniqueSkus, duplicateSkusSql(layout), [Math.max(1, sampleSize)]);
	const orphans: OrphanFinding[] = [];
	for (const pair of layout.orphanPairs) {
		const result = await timed<{ value: string; total: string }>(client, orphanCheckName(pair.pair), orphansSql(pair), [Math.max(1, sampleSize)]);
		orphans.push({
			pair: pair.pair,
			count: toNumber(result.rows[0]?.total),
			sample: result.rows.slice(0, sampleSize).map((r) => r.value),
			durationMs: result.durationMs,
		});
	}

	// The counting scan serves three checks; each is charged the scan plus its own sample query.
	return {
		total: { count: total, durationMs: counts.durationMs },
		missingImages: { count: missing, sample: missingSample.sample, durationMs: counts.durationMs + missingSample.durationMs },
		duplicateSkus: {
			groups: toNumber(duplicates.rows[0]?.groups),
			rows: toNumber(duplicates.rows[0]?.rows),
			sample: duplicates.rows.slice(0, sampleSize).map((r) => r.sku),
			durationMs: duplicates.durationMs,
		},
		...(invalidSample ? { invalidPrices: { count: invalid, sample: invalidSample.sample, durationMs: counts.durationMs + invalidSample.durationMs } } : {}),
		orphans,
	};
}
