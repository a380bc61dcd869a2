/**
 * Parameters more than one DB Integrity operation shows (backend, catalog layout,
 * timeouts) and their readers, which turn parameter mistakes into NodeOperationErrors
 * naming the parameter.
 */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { numberParameter, withinRun } from '../../shared/n8n/parameters';
import { POSTGRES_CREDENTIAL, postgresSettingsFrom } from '../../shared/n8n/postgres';
import { IdentifierError } from '../../shared/sql/identifiers';
import type { PostgresSettings, PostgresTimeouts } from '../../shared/sql/postgresConnection';
import { quoteLayout, type QuotedLayout } from '../catalog/quotedLayout';
import { DEFAULT_LAYOUT, type CatalogLayout, type OrphanPair } from '../catalog/types';
import { asNodeError } from '../../shared/n8n/errors';

export const SUPABASE_CREDENTIAL = 'autorecoverySupabaseApi';

type Backend = 'postgres' | 'supabase';

export const backendField: INodeProperties = {
	displayName: 'Connect Through',
	name: 'backend',
	type: 'options',
	options: [
		{ name: 'Postgres', value: 'postgres', description: 'A direct connection (host, user, password or a connection string)' },
		{ name: 'Supabase API', value: 'supabase', description: 'The project URL and a service-role key (PostgREST); no custom SQL checks' },
	],
	default: 'postgres',
};

/** The catalog table and its columns, shown by Check and Repair. */
export function layoutFields(show: Record<string, string[]>): INodeProperties[] {
	const displayOptions = { show };
	return [
		{ displayName: 'Products Table', name: 'productsTable', type: 'string', default: 'products', description: 'The catalog table (table or schema.table)', displayOptions },
		{ displayName: 'ID Column', name: 'idColumn', type: 'string', default: 'id', description: 'A unique, indexed column (normally the primary key)', displayOptions },
		{ displayName: 'SKU Column', name: 'skuColumn', type: 'string', default: 'sku', displayOptions },
		{ displayName: 'Image Column', name: 'imageColumn', type: 'string', default: 'image_url', displayOptions },
	];
}

function text(ctx: IExecuteFunctions, name: string, itemIndex: number, fallback: string): string {
	const value = ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	if (typeof value !== 'string') throw new NodeOperationError(ctx.getNode(), `Parameter "${name}" must be text`, { itemIndex });
	return value.trim();
}

export function readBackend(ctx: IExecuteFunctions, itemIndex: number): Backend {
	const backend = ctx.getNodeParameter('backend', itemIndex, 'postgres') as string;
	if (backend !== 'postgres' && backend !== 'supabase') {
		throw new NodeOperationError(ctx.getNode(), `Parameter "Connect Through" has an unsupported value: ${backend}`, { itemIndex });
	}
	return backend;
}

/** The layout from the parameters, validated (bad names → an error naming the parameter, before any SQL). */
export function readLayout(ctx: IExecuteFunctions, itemIndex: number, extra: { priceColumn?: string; orphanPairs?: OrphanPair[] } = {}): { layout: CatalogLayout; quoted: QuotedLayout } {
	const layout: CatalogLayout = {
		productsTable: text(ctx, 'productsTable', itemIndex, DEFAULT_LAYOUT.productsTable),
		idColumn: text(ctx, 'idColumn', itemIndex, DEFAULT_LAYOUT.idColumn),
		skuColumn: text(ctx, 'skuColumn', itemIndex, DEFAULT_LAYOUT.skuColumn),
		imageColumn: text(ctx, 'imageColumn', itemIndex, DEFAULT_LAYOUT.imageColumn),
		priceColumn: extra.priceColumn ?? '',
		orphanPairs: extra.orphanPairs ?? [],
	};
	return { layout, quoted: guardIdentifiers(ctx, itemIndex, () => quoteLayout(layout)) };
}

/** Runs a validation that may throw IdentifierError (or RangeError) and re-throws it as a NodeOperationError. */
export function guardIdentifiers<T>(ctx: IExecuteFunctions, itemIndex: number, validate: () => T): T {
	try {
		return validate();
	} catch (error) {
		if (error instanceof IdentifierError || error instanceof RangeError) throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex });
		throw asNodeError(ctx, error, itemIndex);
	}
}

export const postgresTimeoutFields: INodeProperties[] = [
	{ displayName: 'Connect Timeout (Ms)', name: 'connectTimeoutMs', type: 'number', typeOptions: { minValue: 100 }, default: 10000 },
	{ displayName: 'Statement Timeout (Ms)', name: 'statementTimeoutMs', type: 'number', typeOptions: { minValue: 100 }, default: 30000, description: 'Every query is cancelled by the server after this long' },
];

/** Both cut to what is left of the node's run when it is part of a bounded one (a Monitor tick). */
export function readPostgresTimeouts(ctx: IExecuteFunctions, itemIndex: number): PostgresTimeouts {
	return {
		connectTimeoutMs: withinRun(ctx, itemIndex, numberParameter(ctx, 'options.connectTimeoutMs', 'Connect Timeout (Ms)', itemIndex, 10_000, { min: 100, max: 300_000 })),
		statementTimeoutMs: withinRun(ctx, itemIndex, numberParameter(ctx, 'options.statementTimeoutMs', 'Statement Timeout (Ms)', itemIndex, 30_000, { min: 100, max: 3_600_000 })),
	};
}

export async function readPostgresSettings(ctx: IExecuteFunctions, itemIndex: number): Promise<PostgresSettings> {
	return postgresSettingsFrom(await ctx.getCredentials(POSTGRES_CREDENTIAL, itemIndex));
}
