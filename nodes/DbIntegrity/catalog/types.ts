/**
 * What DB Integrity knows about the bot's catalog, independent of how it reaches the
 * database (Postgres directly, or Supabase's PostgREST): where the catalog lives, what
 * counts as a problem, and the plain findings both backends produce. The findings are
 * turned into contract checks by one function (`evaluateCatalog`), so a Postgres user
 * and a Supabase user read the same result.
 */

/** A foreign-key-like pair: every non-null `childTable.childColumn` should exist in `parentTable.parentColumn`. */
export interface OrphanPair {
	childTable: string;
	childColumn: string;
	parentTable: string;
	parentColumn: string;
}

/** Table and column names (validated identifiers; tables may be `schema.table`). */
export interface CatalogLayout {
	productsTable: string;
	idColumn: string;
	skuColumn: string;
	imageColumn: string;
	/** Empty string: the catalog has no price column, skip the price check. */
	priceColumn: string;
	orphanPairs: OrphanPair[];
}

export const DEFAULT_LAYOUT: CatalogLayout = {
	productsTable: 'products',
	idColumn: 'id',
	skuColumn: 'sku',
	imageColumn: 'image_url',
	priceColumn: 'price',
	orphanPairs: [{ childTable: 'products', childColumn: 'category_id', parentTable: 'categories', parentColumn: 'id' }],
};

export interface CatalogThresholds {
	/** Degraded when more than this many products have no image (0: any missing image degrades). */
	missingImagesAbove: number;
	/** How many example ids/SKUs each finding carries in `details`. */
	sampleSize: number;
}

export const DEFAULT_THRESHOLDS: CatalogThresholds = { missingImagesAbove: 0, sampleSize: 10 };

/** An example row of a finding: its id and SKU (SKU may be null). */
export interface SampleRow {
	id: string;
	sku: string | null;
}

/** A finding the backend could not compute (e.g. too large to page through an API). */
export interface SkippedFinding {
	skipped: string;
}

export interface CountFinding {
	count: number;
	sample: SampleRow[];
	durationMs: number;
}

export interface DuplicateSkuFinding {
	/** How many SKUs appear more than once. */
	groups: number;
	/** How many rows carry such a SKU. */
	rows: number;
	sample: string[];
	durationMs: number;
}

export interface OrphanFinding {
	pair: OrphanPair;
	count: number;
	/** Example child values that have no parent. */
	sample: string[];
	durationMs: number;
}

/** Everything one Check learned about the catalog; numbers only, no judgement. */
export interface CatalogFindings {
	total: { count: number; durationMs: number };
	missingImages: CountFinding;
	duplicateSkus: DuplicateSkuFinding | SkippedFinding;
	/** Absent when the layout has no price column. */
	invalidPrices?: CountFinding | SkippedFinding;
	orphans: Array<OrphanFinding | (SkippedFinding & { pair: OrphanPair })>;
}

export function isSkipped(finding: object): finding is SkippedFinding {
	return 'skipped' in finding;
}
