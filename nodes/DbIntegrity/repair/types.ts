/**
 * The repairs DB Integrity may run (`database.restore_images`, `database.import_catalog`),
 * their sources and what they report. Shared by the Postgres and the Supabase backends.
 */
import type { CatalogLayout } from '../catalog/types';

/** Where known-good values come from, keyed by SKU. */
export type RepairSource =
	/** A table in the same database (e.g. `product_images_backup`, or a full `products_backup`). */
	| { kind: 'table'; table: string; skuColumn: string; imageColumn: string }
	/** A JSON (array of objects) or CSV (header row) file on the n8n host. */
	| { kind: 'file'; path: string; format: 'json' | 'csv'; skuField: string; imageField: string }
	/** The same, fetched over HTTP(S). */
	| { kind: 'url'; url: string; format: 'json' | 'csv'; skuField: string; imageField: string; timeoutMs: number };

export interface RepairPlan {
	layout: CatalogLayout;
	source: RepairSource;
	/** Rows changed per transaction. */
	batchSize: number;
	/** Refuse (change nothing) when more rows than this would change. */
	maxRows: number;
	dryRun: boolean;
	/** How many example changes to report. */
	sampleSize: number;
}

/** One example change: which row and the value it gets (or got). */
export interface ChangeSample {
	sku: string;
	value: string;
}

export interface RepairOutcome {
	action: 'database.restore_images' | 'database.import_catalog';
	dryRun: boolean;
	/** Rows that need the repair and have a value in the source (dry run: exactly what would change). */
	planned: number;
	/** Rows changed by this run (0 in a dry run or when refused). */
	changed: number;
	batches: number;
	/** Rows that need the repair but have no usable value in the source. */
	unmatched: number;
	/** SKUs the source gives more than one different value for (skipped, never guessed). */
	conflictingSkus: string[];
	sample: ChangeSample[];
	/** Set when the repair refused to run (maxRows exceeded, table not empty, ...): nothing changed. */
	refused?: string;
	durationMs: number;
}
