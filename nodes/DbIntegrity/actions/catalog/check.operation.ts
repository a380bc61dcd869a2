/** Check: the catalog's health as one contract result (component `database`). */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { numberParameter, runDeadlineOptionFields, timeoutOptionField, timeoutParameter } from '../../../shared/n8n/parameters';
import { credentialText } from '../../../shared/n8n/credentials';
import { checkCatalogViaPostgres } from '../../catalog/checkCatalogViaPostgres';
import { CustomCheckDefinitionError, validateCustomChecks, type CustomCheck } from '../../catalog/customChecks';
import { DEFAULT_LAYOUT, DEFAULT_THRESHOLDS, type CatalogThresholds, type OrphanPair } from '../../catalog/types';
import { checkCatalogViaSupabase } from '../../supabase/checkCatalogViaSupabase';
import { layoutFields, postgresTimeoutFields, readBackend, readLayout, readPostgresSettings, readPostgresTimeouts, SUPABASE_CREDENTIAL } from '../fields';
import { optionsCollection } from '../../../shared/n8n/fields';
import { asNodeError } from '../../../shared/n8n/errors';

const show = { operation: ['check'] };

export const description: INodeProperties[] = [
	...layoutFields(show),
	{ displayName: 'Price Column', name: 'priceColumn', type: 'string', default: 'price', description: 'Leave empty when the catalog has no price column', displayOptions: { show } },
	{
		displayName: 'Degrade Above (Products Without Image)',
		name: 'missingImagesAbove',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'The result is degraded when more products than this have no image (0: any product without an image)',
		displayOptions: { show },
	},
	{
		displayName: 'Orphan Checks',
		name: 'orphanChecks',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Orphan Check',
		description: 'Foreign-key-like pairs: every non-empty child value must exist in the parent table',
		default: { pair: [{ childTable: 'products', childColumn: 'category_id', parentTable: 'categories', parentColumn: 'id' }] },
		displayOptions: { show },
		options: [
			{
				displayName: 'Pair',
				name: 'pair',
				values: [
					{ displayName: 'Child Table', name: 'childTable', type: 'string', default: 'products' },
					{ displayName: 'Child Column', name: 'childColumn', type: 'string', default: '' },
					{ displayName: 'Parent Table', name: 'parentTable', type: 'string', default: '' },
					{ displayName: 'Parent Column', name: 'parentColumn', type: 'string', default: 'id' },
				],
			},
		],
	},
	{
		displayName: 'Custom Checks',
		name: 'customChecks',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Custom Check',
		description: 'Named read-only SQL queries that each return a count (Postgres only). They run in a READ ONLY transaction with the statement timeout, so they can never change data.',
		default: {},
		displayOptions: { show: { ...show, backend: ['postgres'] } },
		options: [
			{
				displayName: 'Check',
				name: 'check',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Query', name: 'query', type: 'string', typeOptions: { rows: 3 }, default: '', placeholder: 'SELECT count(*) FROM products WHERE stock < 0' },
					{ displayName: 'Maximum Count', name: 'maxCount', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'A count above this is a finding' },
					{
						displayName: 'Severity',
						name: 'severity',
						type: 'options',
						options: [
							{ name: 'Degraded', value: 'degraded' },
							{ name: 'Down', value: 'down' },
						],
						default: 'degraded',
					},
				],
			},
		],
	},
	optionsCollection(show, [
			...postgresTimeoutFields,
			{ displayName: 'Max Rows Scanned Through the API', name: 'maxScanRows', type: 'number', typeOptions: { minValue: 0 }, default: 50000, description: 'Supabase only: duplicate and orphan checks page through the table only up to this size' },
			{ displayName: 'Sample Size', name: 'sampleSize', type: 'number', typeOptions: { minValue: 0 }, default: 10, description: 'How many example IDs/SKUs each finding lists' },
			timeoutOptionField('Supabase only: the deadline of each API request'),
			...runDeadlineOptionFields(),
		]),
];

interface FixedCollection<T> {
	[key: string]: T[] | undefined;
}

function listParameter<T>(ctx: IExecuteFunctions, name: string, key: string, itemIndex: number): T[] {
	const value = ctx.getNodeParameter(name, itemIndex, {}) as FixedCollection<T>;
	return Array.isArray(value?.[key]) ? (value[key] as T[]) : [];
}

function readCustomChecks(ctx: IExecuteFunctions, itemIndex: number): CustomCheck[] {
	const checks = listParameter<Partial<CustomCheck>>(ctx, 'customChecks', 'check', itemIndex).map((entry) => ({
		name: String(entry.name ?? '').trim(),
		query: String(entry.query ?? ''),
		maxCount: typeof entry.maxCount === 'number' ? entry.maxCount : 0,
		severity: entry.severity === 'down' ? ('down' as const) : ('degraded' as const),
	}));
	try {
		validateCustomChecks(checks);
	} catch (error) {
		if (error instanceof CustomCheckDefinitionError) throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex });
		throw asNodeError(ctx, error, itemIndex);
	}
	return checks;
}

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const backend = readBackend(this, itemIndex);
	const orphanPairs = listParameter<OrphanPair>(this, 'orphanChecks', 'pair', itemIndex).map((pair) => ({
		childTable: String(pair.childTable ?? '').trim(),
		childColumn: String(pair.childColumn ?? '').trim(),
		parentTable: String(pair.parentTable ?? '').trim(),
		parentColumn: String(pair.parentColumn ?? '').trim(),
	}));
	const priceColumn = (this.getNodeParameter('priceColumn', itemIndex, DEFAULT_LAYOUT.priceColumn) as string).trim();
	const { layout, quoted } = readLayout(this, itemIndex, { priceColumn, orphanPairs });
	const thresholds: CatalogThresholds = {
		missingImagesAbove: numberParameter(this, 'missingImagesAbove', 'Degrade Above (Products Without Image)', itemIndex, 0, { min: 0 }),
		sampleSize: numberParameter(this, 'options.sampleSize', 'Sample Size', itemIndex, DEFAULT_THRESHOLDS.sampleSize, { min: 0, max: 1000 }),
	};

	if (backend === 'supabase') {
		const credentials = await this.getCredentials(SUPABASE_CREDENTIAL, itemIndex);
		const result = await checkCatalogViaSupabase(
			{ url: credentialText(credentials, 'url'), key: credentialText(credentials, 'serviceRoleKey'), timeoutMs: timeoutParameter(this, itemIndex) },
			layout,
			thresholds,
			{ maxScanRows: numberParameter(this, 'options.maxScanRows', 'Max Rows Scanned Through the API', itemIndex, 50_000, { min: 0 }) },
		);
		return result as unknown as IDataObject;
	}
	const result = await checkCatalogViaPostgres({
		settings: await readPostgresSettings(this, itemIndex),
		timeouts: readPostgresTimeouts(this, itemIndex),
		layout,
		quoted,
		thresholds,
		customChecks: readCustomChecks(this, itemIndex),
	});
	return result as unknown as IDataObject;
}
