/**
 * Turns catalog findings (from Postgres or from PostgREST) into contract checks:
 * an empty catalog is down, missing images above the threshold, duplicate SKUs,
 * orphan rows and non-positive prices are degraded. Returns the `details` facts
 * (counts and samples, no secrets) for the result item.
 */
import type { CheckRecorder } from '../../shared/checkRecorder';
import { catalogCause } from './causes';
import { isSkipped, type CatalogFindings, type CatalogThresholds, type OrphanPair } from './types';

export const CATALOG_CHECK_NAMES = {
	notEmpty: 'catalog_not_empty',
	images: 'product_images',
	uniqueSkus: 'unique_skus',
	prices: 'prices_positive',
} as const;

/**
 * Which checks a result covers: all (Check), or only what a repair re-checks, so that
 * restoring images is judged by the images, not by duplicate SKUs it never touches.
 */
export type CatalogScope = 'all' | 'images' | 'notEmpty';

export function orphanCheckName(pair: OrphanPair): string {
	return `orphans:${pair.childTable}.${pair.childColumn}->${pair.parentTable}.${pair.parentColumn}`;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

type Details = Record<string, unknown>;

function recordNotEmpty(recorder: CheckRecorder, { total }: CatalogFindings, table: string): void {
	if (total.count === 0) {
		recorder.fail(CATALOG_CHECK_NAMES.notEmpty, catalogCause('database.catalog_empty', `The catalog table ${table} has no products: the bot has nothing to sell.`), {
			value: 0,
			durationMs: total.durationMs,
		});
	} else {
		recorder.pass(CATALOG_CHECK_NAMES.notEmpty, `${plural(total.count, 'product', 'products')} in ${table}`, { value: total.count, durationMs: total.durationMs });
	}
}

function recordImages(recorder: CheckRecorder, { total, missingImages }: CatalogFindings, thresholds: CatalogThresholds, details: Details): void {
	details.productsWithoutImages = missingImages.count;
	if (missingImages.count > thresholds.missingImagesAbove) {
		details.productsWithoutImagesSample = missingImages.sample;
		const share = total.count > 0 ? ` (${((missingImages.count / total.count) * 100).toFixed(1)}%)` : '';
		recorder.degrade(
			CATALOG_CHECK_NAMES.images,
			catalogCause('database.products_without_images', `${plural(missingImages.count, 'product has', 'products have')} no image${share}: their cards show broken.`),
			{ value: missingImages.count, durationMs: missingImages.durationMs },
		);
	} else {
		const note = missingImages.count > 0 ? ` (${missingImages.count} without one, within the threshold of ${thresholds.missingImagesAbove})` : '';
		recorder.pass(CATALOG_CHECK_NAMES.images, `products have images${note}`, { value: missingImages.count, durationMs: missingImages.durationMs });
	}
}

function recordDuplicates(recorder: CheckRecorder, { duplicateSkus }: CatalogFindings, details: Details): void {
	if (isSkipped(duplicateSkus)) {
		recorder.pass(CATALOG_CHECK_NAMES.uniqueSkus, `not checked: ${duplicateSkus.skipped}`);
		details.duplicateSkus = duplicateSkus;
	} else if (duplicateSkus.groups > 0) {
		details.duplicateSkus = { groups: duplicateSkus.groups, rows: duplicateSkus.rows, sample: duplicateSkus.sample };
		recorder.degrade(
			CATALOG_CHECK_NAMES.uniqueSkus,
			catalogCause('database.duplicate_skus', `${plural(duplicateSkus.groups, 'SKU is', 'SKUs are')} used by more than one product (${duplicateSkus.rows} rows): orders may pick the wrong one.`),
			{ value: duplicateSkus.groups, durationMs: duplicateSkus.durationMs },
		);
	} else {
		recorder.pass(CATALOG_CHECK_NAMES.uniqueSkus, 'every SKU is unique', { value: 0, durationMs: duplicateSkus.durationMs });
	}
}

function recordPrices(recorder: CheckRecorder, { invalidPrices }: CatalogFindings, details: Details): void {
	if (!invalidPrices) return;
	if (isSkipped(invalidPrices)) {
		recorder.pass(CATALOG_CHECK_NAMES.prices, `not checked: ${invalidPrices.skipped}`);
	} else if (invalidPrices.count > 0) {
		details.invalidPrices = { count: invalidPrices.count, sample: invalidPrices.sample };
		recorder.degrade(
			CATALOG_CHECK_NAMES.prices,
			catalogCause('database.invalid_prices', `${plural(invalidPrices.count, 'product has', 'products have')} a price of zero or less: payment links for them fail or give goods away.`),
			{ value: invalidPrices.count, durationMs: invalidPrices.durationMs },
		);
	} else {
		recorder.pass(CATALOG_CHECK_NAMES.prices, 'every price is positive', { value: 0, durationMs: invalidPrices.durationMs });
	}
}

function recordOrphans(recorder: CheckRecorder, { orphans }: CatalogFindings, details: Details): void {
	const orphanDetails: Details[] = [];
	for (const finding of orphans) {
		const name = orphanCheckName(finding.pair);
		if (isSkipped(finding)) {
			recorder.pass(name, `not checked: ${finding.skipped}`);
			continue;
		}
		const { pair } = finding;
		if (finding.count > 0) {
			orphanDetails.push({ ...pair, count: finding.count, sample: finding.sample });
			recorder.degrade(
				name,
				catalogCause(
					'database.orphan_rows',
					`${plural(finding.count, 'row', 'rows')} of ${pair.childTable} point to a ${pair.parentTable} that does not exist (${pair.childColumn} → ${pair.parentColumn}).`,
				),
				{ value: finding.count, durationMs: finding.durationMs },
			);
		} else {
			recorder.pass(name, `every ${pair.childTable}.${pair.childColumn} has its ${pair.parentTable}`, { value: 0, durationMs: finding.durationMs });
		}
	}
	if (orphanDetails.length > 0) details.orphans = orphanDetails;
}

export function evaluateCatalog(recorder: CheckRecorder, findings: CatalogFindings, thresholds: CatalogThresholds, table: string, scope: CatalogScope = 'all'): Details {
	const details: Details = { products: findings.total.count };
	if (scope === 'all' || scope === 'notEmpty') recordNotEmpty(recorder, findings, table);
	if (scope === 'all' || scope === 'images') recordImages(recorder, findings, thresholds, details);
	if (scope === 'all') {
		recordDuplicates(recorder, findings, details);
		recordPrices(recorder, findings, details);
		recordOrphans(recorder, findings, details);
	}
	return details;
}
