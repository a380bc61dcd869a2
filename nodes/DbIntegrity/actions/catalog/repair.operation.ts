/**
 * Repair: restore missing images, import an empty catalog, or reconnect — chosen by
 * the caller or (auto) by the check's cause — as a contract recovery result. The
 * result is the re-check of what the repair touches (images after restoring images),
 * so `recovery.success` says whether this repair fixed its problem.
 */
import path from 'node:path';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { CheckResult, RecoveryResult } from '../../../shared/contract';
import { credentialText } from '../../../shared/n8n/credentials';
import { flagParameter, numberParameter, recoveryDeadlineField, recoveryDeadlineMs, timeoutOptionField, timeoutParameter } from '../../../shared/n8n/parameters';
import { withPostgres } from '../../../shared/n8n/postgres';
import { redact } from '../../../shared/redact';
import { runRecovery, type LadderRung } from '../../../shared/recovery/runRecovery';
import { quoteIdentifier, quoteQualifiedName } from '../../../shared/sql/identifiers';
import { postgresSecrets } from '../../../shared/sql/postgresConnection';
import { checkCatalogViaPostgres } from '../../catalog/checkCatalogViaPostgres';
import type { CatalogScope } from '../../catalog/evaluateCatalog';
import type { CatalogThresholds } from '../../catalog/types';
import { isRepairAction, REPAIR_DESCRIPTIONS, repairForCause, scopeOfRepair, type RepairAction } from '../../repair/chooseRepair';
import { assertRepairParameters, RepairParameterError } from '../../repair/errors';
import { importCatalog } from '../../repair/importCatalog';
import { readSourceRecords } from '../../repair/loadSource';
import { restoreImages } from '../../repair/restoreImages';
import { toImagePairs } from '../../repair/sourceRows';
import type { RepairOutcome, RepairPlan, RepairSource } from '../../repair/types';
import { checkCatalogViaSupabase } from '../../supabase/checkCatalogViaSupabase';
import { createSupabaseCatalogClient, supabaseSecrets, type SupabaseSettings } from '../../supabase/client';
import { RepairPlanError, restoreImagesViaSupabase, type SourcePairs } from '../../supabase/restoreImagesViaSupabase';
import { causeOfPgFailure } from '../../transport/postgres';
import { guardIdentifiers, layoutFields, postgresTimeoutFields, readBackend, readLayout, readPostgresSettings, readPostgresTimeouts, SUPABASE_CREDENTIAL } from '../fields';
import { optionsCollection } from '../../../shared/n8n/fields';
import { asNodeError } from '../../../shared/n8n/errors';

const show = { operation: ['repair'] };
const withSource = { show: { ...show, repairAction: ['auto', 'database.restore_images', 'database.import_catalog'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Repair',
		name: 'repairAction',
		type: 'options',
		options: [
			{ name: 'Automatic (From the Check)', value: 'auto', description: 'Check first, then run the repair that fits the cause (or escalate when none does)' },
			{ name: 'Import Catalog', value: 'database.import_catalog', description: 'Load the catalog from the source, only when the table is empty (Postgres only)' },
			{ name: 'Reconnect', value: 'database.reconnect', description: 'Open a fresh connection and re-check' },
			{ name: 'Restore Images', value: 'database.restore_images', description: 'Fill missing product images from the source; never overwrites a present image' },
		],
		default: 'auto',
		description: 'Action IDs are accepted as expressions, e.g. the first recommended action of a diagnosis',
		displayOptions: { show },
	},
	...layoutFields(show),
	{
		displayName: 'Source',
		name: 'sourceKind',
		type: 'options',
		options: [
			{ name: 'Table', value: 'table', description: 'A table in the same database, e.g. a backup of the catalog or of its images' },
			{ name: 'File', value: 'file', description: 'A JSON (array of objects) or CSV (with a header) file on the n8n host' },
			{ name: 'URL', value: 'url', description: 'A JSON or CSV document fetched over HTTP(S)' },
		],
		default: 'table',
		displayOptions: withSource,
	},
	{ displayName: 'Source Table', name: 'sourceTable', type: 'string', default: 'product_images_backup', displayOptions: { show: { ...withSource.show, sourceKind: ['table'] } } },
	{ displayName: 'Source File Path', name: 'sourcePath', type: 'string', default: '', placeholder: '/backups/catalog.json', displayOptions: { show: { ...withSource.show, sourceKind: ['file'] } } },
	{ displayName: 'Source URL', name: 'sourceUrl', type: 'string', default: '', placeholder: 'https://example.com/catalog.csv', displayOptions: { show: { ...withSource.show, sourceKind: ['url'] } } },
	{
		displayName: 'Source Format',
		name: 'sourceFormat',
		type: 'options',
		options: [
			{ name: 'JSON', value: 'json' },
			{ name: 'CSV', value: 'csv' },
		],
		default: 'json',
		displayOptions: { show: { ...withSource.show, sourceKind: ['file', 'url'] } },
	},
	{ displayName: 'Source SKU Field', name: 'sourceSkuField', type: 'string', default: 'sku', description: 'The column or field of the source that holds the SKU', displayOptions: withSource },
	{ displayName: 'Source Image Field', name: 'sourceImageField', type: 'string', default: 'image_url', description: 'The column or field of the source that holds the image URL', displayOptions: withSource },
	{ displayName: 'Max Rows', name: 'maxRows', type: 'number', typeOptions: { minValue: 0 }, default: 10000, description: 'Refuse, changing nothing, when more rows than this would change', displayOptions: withSource },
	{ displayName: 'Dry Run', name: 'dryRun', type: 'boolean', default: false, description: 'Whether to only report exactly what would change', displayOptions: { show } },
	recoveryDeadlineField(show),
	optionsCollection(show, [
			{ displayName: 'Batch Size', name: 'batchSize', type: 'number', typeOptions: { minValue: 1 }, default: 5000, description: 'Rows changed per transaction' },
			...postgresTimeoutFields,
			{ displayName: 'Sample Size', name: 'sampleSize', type: 'number', typeOptions: { minValue: 0 }, default: 10, description: 'How many example changes to report' },
			timeoutOptionField('The deadline of each HTTP request (URL sources, Supabase)'),
		]),
];

interface RepairRequest {
	mode: RepairAction | 'auto';
	deadlineMs: number;
	plan: RepairPlan;
	thresholds: CatalogThresholds;
}

/** What one repair run did, as the rung reports it to the recovery engine. */
interface RungReport {
	ok: boolean;
	message: string;
	outcome?: RepairOutcome;
}

function readSource(ctx: IExecuteFunctions, itemIndex: number, timeoutMs: number): RepairSource {
	const text = (name: string, fallback = '') => String(ctx.getNodeParameter(name, itemIndex, fallback) ?? '').trim();
	const kind = text('sourceKind', 'table');
	const skuField = text('sourceSkuField', 'sku');
	const imageField = text('sourceImageField', 'image_url');
	if (kind === 'table') {
		const table = text('sourceTable', 'product_images_backup');
		// Validated here, before anything runs, so the error names the parameter.
		guardIdentifiers(ctx, itemIndex, () => {
			quoteQualifiedName(table, 'Parameter "Source Table"');
			quoteIdentifier(skuField, 'Parameter "Source SKU Field"');
			quoteIdentifier(imageField, 'Parameter "Source Image Field"');
		});
		return { kind, table, skuColumn: skuField, imageColumn: imageField };
	}
	const format = text('sourceFormat', 'json');
	if (format !== 'json' && format !== 'csv') throw new NodeOperationError(ctx.getNode(), `Parameter "Source Format" must be JSON or CSV, got ${format}`, { itemIndex });
	if (kind === 'file') {
		const filePath = text('sourcePath');
		if (!path.isAbsolute(filePath)) throw new NodeOperationError(ctx.getNode(), 'Parameter "Source File Path" must be an absolute path', { itemIndex });
		return { kind, path: filePath, format, skuField, imageField };
	}
	if (kind === 'url') {
		const url = text('sourceUrl');
		if (!/^https?:\/\/\S+$/i.test(url)) throw new NodeOperationError(ctx.getNode(), 'Parameter "Source URL" must be an http(s) URL', { itemIndex });
		return { kind, url, format, skuField, imageField, timeoutMs };
	}
	throw new NodeOperationError(ctx.getNode(), `Parameter "Source" has an unsupported value: ${kind}`, { itemIndex });
}

function readRequest(ctx: IExecuteFunctions, itemIndex: number): RepairRequest & { timeoutMs: number } {
	const mode = String(ctx.getNodeParameter('repairAction', itemIndex, 'auto')).trim();
	if (mode !== 'auto' && !isRepairAction(mode)) {
		throw new NodeOperationError(ctx.getNode(), `Parameter "Repair" must be auto, database.restore_images, database.import_catalog or database.reconnect, got ${JSON.stringify(mode)}`, { itemIndex });
	}
	const timeoutMs = timeoutParameter(ctx, itemIndex);
	const sampleSize = numberParameter(ctx, 'options.sampleSize', 'Sample Size', itemIndex, 10, { min: 0, max: 1000 });
	const { layout } = readLayout(ctx, itemIndex);
	const needsSource = mode !== 'database.reconnect';
	const plan: RepairPlan = {
		layout,
		source: needsSource ? readSource(ctx, itemIndex, timeoutMs) : { kind: 'table', table: 'product_images_backup', skuColumn: 'sku', imageColumn: 'image_url' },
		batchSize: numberParameter(ctx, 'options.batchSize', 'Batch Size', itemIndex, 5000, { min: 1, max: 1_000_000 }),
		maxRows: needsSource ? numberParameter(ctx, 'maxRows', 'Max Rows', itemIndex, 10_000, { min: 0 }) : 0,
		dryRun: flagParameter(ctx, 'dryRun', itemIndex),
		sampleSize,
	};
	try {
		assertRepairParameters({ ...plan, statementTimeoutMs: 1_000 }, mode === 'database.restore_images' || mode === 'auto');
	} catch (error) {
		if (error instanceof RepairParameterError) throw new NodeOperationError(ctx.getNode(), `Parameter ${error.message}`, { itemIndex });
		throw asNodeError(ctx, error, itemIndex);
	}
	return { mode, plan, thresholds: { missingImagesAbove: 0, sampleSize }, timeoutMs, deadlineMs: recoveryDeadlineMs(ctx, itemIndex) };
}

function describeOutcome(outcome: RepairOutcome): RungReport {
	const verb = outcome.action === 'database.restore_images' ? 'fill' : 'import';
	if (outcome.refused) return { ok: false, message: `refused, nothing changed: ${outcome.refused}`, outcome };
	const extra = [
		outcome.unmatched > 0 ? `${outcome.unmatched} without a value in the source` : '',
		outcome.conflictingSkus.length > 0 ? `${outcome.conflictingSkus.length} conflicting SKU(s) skipped` : '',
	].filter(Boolean);
	const tail = extra.length > 0 ? ` (${extra.join('; ')})` : '';
	if (outcome.dryRun) return { ok: true, message: `dry run: would ${verb} ${outcome.planned} row(s)${tail}`, outcome };
	return { ok: true, message: `${verb === 'fill' ? 'filled' : 'imported'} ${outcome.changed} row(s) in ${outcome.batches} batch(es)${tail}`, outcome };
}

/** Runs the chosen repair between two checks of what it touches; auto picks the repair from a full check. */
async function recover(
	request: RepairRequest,
	check: (scope: CatalogScope | 'connection') => Promise<CheckResult>,
	run: (action: RepairAction) => Promise<RungReport>,
): Promise<RecoveryResult> {
	let action: RepairAction | null = request.mode === 'auto' ? null : request.mode;
	let full: CheckResult | undefined;
	if (request.mode === 'auto') {
		full = await check('all');
		action = repairForCause(full);
	}
	const outcomes: RepairOutcome[] = [];
	const ladder = (): LadderRung[] =>
		action
			? [
					{
						action,
						description: REPAIR_DESCRIPTIONS[action],
						run: async () => {
							const report = await run(action as RepairAction);
							if (report.outcome) outcomes.push(report.outcome);
							return { ok: report.ok, message: report.message };
						},
					},
				]
			: [];
	const scoped = action ? scopeOfRepair(action) : 'all';
	let first = true;
	const { result } = await runRecovery({
		// Auto: the full check already taken decides; its first use is the "before" state when no repair applies.
		check: async () => {
			if (first && full && !action) {
				first = false;
				return full;
			}
			first = false;
			return check(scoped);
		},
		ladder,
		...(action ? { idleAction: action } : {}),
		// The repair's own dry run reports exactly what would change, so the rung always runs.
		dryRun: false,
		maxSteps: 1,
		deadlineMs: request.deadlineMs,
	});
	const outcome = outcomes[0];
	if (outcome) {
		result.details = { ...(result.details ?? {}), repair: outcome };
		result.recovery.changed = outcome.changed;
	}
	if (request.plan.dryRun) {
		result.recovery.dryRun = true;
		result.recovery.success = false;
	}
	return result;
}

async function loadPairs(source: Exclude<RepairSource, { kind: 'table' }>): Promise<{ pairs: SourcePairs } | { failure: string }> {
	const read = await readSourceRecords(source);
	if (!read.ok) return { failure: read.cause.message };
	try {
		return { pairs: toImagePairs(read.parsed, source.skuField, source.imageField).pairs.map((pair) => [pair.sku, pair.value] as const) };
	} catch (error) {
		return { failure: error instanceof Error ? error.message : String(error) };
	}
}

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const backend = readBackend(this, itemIndex);
	const request = readRequest(this, itemIndex);
	const fail = (error: unknown): never => {
		if (error instanceof RepairParameterError || error instanceof RepairPlanError) throw new NodeOperationError(this.getNode(), error.message, { itemIndex });
		throw asNodeError(this, error, itemIndex);
	};

	if (backend === 'supabase') {
		if (request.mode === 'database.import_catalog') {
			throw new NodeOperationError(this.getNode(), 'Parameter "Repair": Import Catalog needs the Postgres backend (it runs in one transaction)', { itemIndex });
		}
		const credentials = await this.getCredentials(SUPABASE_CREDENTIAL, itemIndex);
		const settings: SupabaseSettings = { url: credentialText(credentials, 'url'), key: credentialText(credentials, 'serviceRoleKey'), timeoutMs: request.timeoutMs };
		const secrets = supabaseSecrets(settings);
		const check = (scope: CatalogScope | 'connection') => checkCatalogViaSupabase(settings, request.plan.layout, request.thresholds, { maxScanRows: 50_000, scope });
		const run = async (action: RepairAction): Promise<RungReport> => {
			if (action === 'database.reconnect') return { ok: true, message: 'a fresh client is used for the re-check' };
			if (action === 'database.import_catalog') return { ok: false, message: 'Import Catalog needs the Postgres backend' };
			const source = request.plan.source;
			let preloaded: SourcePairs | undefined;
			if (source.kind !== 'table') {
				const loaded = await loadPairs(source);
				if ('failure' in loaded) return { ok: false, message: `the source cannot be used: ${loaded.failure}` };
				preloaded = loaded.pairs;
			}
			try {
				return describeOutcome(await restoreImagesViaSupabase(createSupabaseCatalogClient(settings), request.plan, preloaded));
			} catch (error) {
				if (error instanceof RepairPlanError) throw new NodeOperationError(this.getNode(), error.message, { itemIndex });
				return { ok: false, message: redact(error instanceof Error ? error.message : String(error), { secrets }) };
			}
		};
		const result = await recover(request, check, run).catch(fail);
		return result as unknown as IDataObject;
	}

	const settings = await readPostgresSettings(this, itemIndex);
	const timeouts = readPostgresTimeouts(this, itemIndex);
	const { layout, quoted } = readLayout(this, itemIndex);
	const secrets = postgresSecrets(settings);
	const check = (scope: CatalogScope | 'connection') =>
		checkCatalogViaPostgres({ settings, timeouts, layout, quoted, thresholds: request.thresholds, customChecks: [], scope });
	const run = async (action: RepairAction): Promise<RungReport> => {
		try {
			return await withPostgres(settings, timeouts, async (client) => {
				if (action === 'database.reconnect') {
					await client.query('SELECT 1');
					return { ok: true, message: 'a fresh connection answered' };
				}
				const plan = { ...request.plan, statementTimeoutMs: timeouts.statementTimeoutMs };
				const outcome = action === 'database.restore_images' ? await restoreImages(client, plan) : await importCatalog(client, plan);
				return describeOutcome(outcome);
			});
		} catch (error) {
			if (error instanceof RepairParameterError) throw new NodeOperationError(this.getNode(), error.message, { itemIndex });
			return { ok: false, message: causeOfPgFailure(error, 'The repair', secrets).message };
		}
	};
	const result = await recover(request, check, run).catch(fail);
	return result as unknown as IDataObject;
}
