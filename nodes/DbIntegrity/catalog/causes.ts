/**
 * The database cause codes DB Integrity produces (network and auth causes are the
 * shared ones in `shared/causes`), with fixed flags so every path reports them alike.
 */
import type { Cause } from '../../shared/contract';

export const CATALOG_CAUSES = {
	/** No products: the bot sells nothing. `database.import_catalog` can fix it when a source is configured. */
	'database.catalog_empty': { retryable: false, needsHuman: false },
	/** Products without an image: broken cards. `database.restore_images` can fix it. */
	'database.products_without_images': { retryable: false, needsHuman: false },
	'database.duplicate_skus': { retryable: false, needsHuman: true },
	'database.orphan_rows': { retryable: false, needsHuman: true },
	'database.invalid_prices': { retryable: false, needsHuman: true },
	'database.custom_check_failed': { retryable: false, needsHuman: true },
	/** A configured table or column does not exist (wrong parameter or a migration). */
	'database.schema_mismatch': { retryable: false, needsHuman: true },
} as const;

type CatalogCauseCode = keyof typeof CATALOG_CAUSES;

export function catalogCause(code: CatalogCauseCode, message: string): Cause {
	return { code, message, ...CATALOG_CAUSES[code] };
}
