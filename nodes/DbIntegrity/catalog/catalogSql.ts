/**
 * The catalog check's SQL, built from a quoted layout only. Each finding is one
 * statement that returns its total and its sample together (a window count over the
 * whole set before LIMIT), so the check costs the same scans a person would run by hand.
 */
import type { QuotedLayout, QuotedOrphanPair } from './quotedLayout';

/** An image counts as missing when NULL or blank. */
function emptyImage(layout: QuotedLayout, alias = ''): string {
	const column = `${alias}${layout.imageColumn}`;
	return `(${column} IS NULL OR btrim(${column}::text) = '')`;
}

/** One scan: total rows, rows without image, rows with a price ≤ 0. */
export function countsSql(layout: QuotedLayout): string {
	const price = layout.priceColumn ? `count(*) FILTER (WHERE ${layout.priceColumn} <= 0)` : 'NULL::bigint';
	return `SELECT count(*) AS total, count(*) FILTER (WHERE ${emptyImage(layout)}) AS missing_images, ${price} AS invalid_prices FROM ${layout.productsTable}`;
}

/** First rows (by id) without an image; $1 = sample size. */
export function missingImagesSampleSql(layout: QuotedLayout): string {
	return `SELECT ${layout.idColumn}::text AS id, ${layout.skuColumn}::text AS sku FROM ${layout.productsTable} WHERE ${emptyImage(layout)} ORDER BY ${layout.idColumn} LIMIT $1`;
}

/** First rows (by id) with a price ≤ 0; $1 = sample size. */
export function invalidPricesSampleSql(layout: QuotedLayout): string {
	if (!layout.priceColumn) throw new Error('the layout has no price column');
	return `SELECT ${layout.idColumn}::text AS id, ${layout.skuColumn}::text AS sku FROM ${layout.productsTable} WHERE ${layout.priceColumn} <= 0 ORDER BY ${layout.idColumn} LIMIT $1`;
}

/** SKUs used by more than one row (blank SKUs ignored): groups, rows, and the most repeated; $1 = sample size. */
export function duplicateSkusSql(layout: QuotedLayout): string {
	return [
		`SELECT sku, n, count(*) OVER () AS groups, sum(n) OVER () AS rows FROM (`,
		`SELECT ${layout.skuColumn}::text AS sku, count(*) AS n FROM ${layout.productsTable}`,
		`WHERE ${layout.skuColumn} IS NOT NULL AND btrim(${layout.skuColumn}::text) <> ''`,
		`GROUP BY 1 HAVING count(*) > 1) AS duplicates ORDER BY n DESC, sku LIMIT $1`,
	].join(' ');
}

/** Child rows whose value has no parent row: the total and a sample of values; $1 = sample size. */
export function orphansSql(pair: QuotedOrphanPair): string {
	return [
		`SELECT c.${pair.childColumn}::text AS value, count(*) OVER () AS total FROM ${pair.childTable} AS c`,
		`WHERE c.${pair.childColumn} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${pair.parentTable} AS p WHERE p.${pair.parentColumn} = c.${pair.childColumn})`,
		`LIMIT $1`,
	].join(' ');
}

/** Every statement of one check run, in order, for a person to run by hand (the benchmark's baseline). */
export function catalogStatementsForManualRun(layout: QuotedLayout, sampleSize: number): string[] {
	const fill = (sql: string) => sql.replace('$1', String(sampleSize));
	return [
		countsSql(layout),
		fill(missingImagesSampleSql(layout)),
		...(layout.priceColumn ? [fill(invalidPricesSampleSql(layout))] : []),
		fill(duplicateSkusSql(layout)),
		...layout.orphanPairs.map((pair) => fill(orphansSql(pair))),
	];
}
