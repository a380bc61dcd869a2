/**
 * Validates every table and column name of a catalog layout (they are node parameters)
 * and returns them quoted, so SQL builders only ever see safe, quoted identifiers.
 * An invalid name throws an IdentifierError naming the parameter, before any SQL runs.
 */
import { quoteIdentifier, quoteQualifiedName } from '../../shared/sql/identifiers';
import type { CatalogLayout, OrphanPair } from './types';

export interface QuotedOrphanPair {
	pair: OrphanPair;
	childTable: string;
	childColumn: string;
	parentTable: string;
	parentColumn: string;
}

export interface QuotedLayout {
	productsTable: string;
	idColumn: string;
	skuColumn: string;
	imageColumn: string;
	/** Null when the layout has no price column. */
	priceColumn: string | null;
	orphanPairs: QuotedOrphanPair[];
}

export function quoteLayout(layout: CatalogLayout): QuotedLayout {
	return {
		productsTable: quoteQualifiedName(layout.productsTable, 'Parameter "Products Table"'),
		idColumn: quoteIdentifier(layout.idColumn, 'Parameter "ID Column"'),
		skuColumn: quoteIdentifier(layout.skuColumn, 'Parameter "SKU Column"'),
		imageColumn: quoteIdentifier(layout.imageColumn, 'Parameter "Image Column"'),
		priceColumn: layout.priceColumn.trim() === '' ? null : quoteIdentifier(layout.priceColumn, 'Parameter "Price Column"'),
		orphanPairs: layout.orphanPairs.map((pair, index) => {
			const where = `Parameter "Orphan Checks" (entry ${index + 1})`;
			return {
				pair,
				childTable: quoteQualifiedName(pair.childTable, `${where} child table`),
				childColumn: quoteIdentifier(pair.childColumn, `${where} child column`),
				parentTable: quoteQualifiedName(pair.parentTable, `${where} parent table`),
				parentColumn: quoteIdentifier(pair.parentColumn, `${where} parent column`),
			};
		}),
	};
}
