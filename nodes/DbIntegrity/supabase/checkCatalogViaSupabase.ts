/**
 * DB Integrity's Check through Supabase: one contract result (component `database`,
 * target `supabase:<project host>`) with a `connect` check — the round trip of one
 * row of the catalog, which also proves the table and columns exist — followed by
 * the catalog checks shared with the Postgres backend (evaluateCatalog).
 */
import { CheckRecorder } from '../../shared/checkRecorder';
import type { CheckResult } from '../../shared/contract';
import { redactDeep, redactError } from '../../shared/redact';
import { evaluateCatalog, type CatalogScope } from '../catalog/evaluateCatalog';
import type { CatalogLayout, CatalogThresholds } from '../catalog/types';
import { isConnectivityCause } from './classifyPostgrestError';
import { checkCount, checkLayout, readCatalogFindingsViaSupabase, runQuery, SupabaseCatalogError } from './catalogFindings';
import { createSupabaseCatalogClient, fromTable, supabaseSecrets, supabaseTarget, type SupabaseSettings } from './client';

interface SupabaseCheckOptions {
	/** Page through tables for duplicates/orphans only up to this many rows. */
	maxScanRows: number;
	/**
	 * Which catalog checks to run (default all): a repair re-checks only what it repairs;
	 * `connection` stops after the connect check. Only `all` pages through tables.
	 */
	scope?: CatalogScope | 'connection';
}

const CONNECT_CHECK = 'connect';
/** The failing check when the connection works but the catalog's table/columns do not exist. */
const SCHEMA_CHECK = 'catalog_schema';

function layoutColumns(layout: CatalogLayout): string {
	const columns = [layout.idColumn, layout.skuColumn, layout.imageColumn, ...(layout.priceColumn !== '' ? [layout.priceColumn] : [])];
	return [...new Set(columns)].join(',');
}

export async function checkCatalogViaSupabase(
	settings: SupabaseSettings,
	layout: CatalogLayout,
	thresholds: CatalogThresholds,
	options: SupabaseCheckOptions,
): Promise<CheckResult> {
	// Misuse (bad URL, key, names or numbers) throws before anything is sent.
	checkLayout(layout);
	checkCount(options.maxScanRows, 'maxScanRows', 0);
	checkCount(thresholds.sampleSize, 'sampleSize', 0);
	const target = supabaseTarget(settings);
	const client = createSupabaseCatalogClient(settings);
	const what = `Supabase (${target.slice('supabase:'.length)})`;
	const recorder = new CheckRecorder('database', target);
	const scope = options.scope ?? 'all';
	const details: Record<string, unknown> = { backend: 'supabase', table: layout.productsTable };

	const secrets = supabaseSecrets(settings);
	const finish = (): CheckResult => redactDeep(recorder.result(details), { secrets });

	const started = Date.now();
	try {
		await runQuery(CONNECT_CHECK, fromTable(client, layout.productsTable).select(layoutColumns(layout)).limit(1), what);
		recorder.pass(CONNECT_CHECK, `${what} answered`, { durationMs: Date.now() - started });
		if (scope === 'connection') return finish();
	} catch (error) {
		if (!(error instanceof SupabaseCatalogError)) throw redactError(error, { secrets });
		const durationMs = Date.now() - started;
		if (isConnectivityCause(error.cause)) {
			recorder.failure(CONNECT_CHECK, error.cause, { durationMs });
		} else {
			// It answered, but the catalog is not where the parameters say.
			recorder.pass(CONNECT_CHECK, `${what} answered`, { durationMs });
			recorder.fail(SCHEMA_CHECK, error.cause);
		}
		return finish();
	}

	try {
		const findings = await readCatalogFindingsViaSupabase(client, layout, thresholds, { maxScanRows: options.maxScanRows, what, scan: scope === 'all' });
		Object.assign(details, evaluateCatalog(recorder, findings, thresholds, layout.productsTable, scope));
	} catch (error) {
		if (!(error instanceof SupabaseCatalogError)) throw redactError(error, { secrets });
		recorder.failure(error.step, error.cause);
	}
	return finish();
}
