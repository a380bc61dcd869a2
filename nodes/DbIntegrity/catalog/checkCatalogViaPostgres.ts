/**
 * The Check operation against Postgres: connect (timed), server version, the catalog
 * findings and the user's custom checks, as one contract result (component `database`).
 * A dead, hanging or refusing server is a `down` result, never an exception.
 */
import { CheckRecorder } from '../../shared/checkRecorder';
import type { CheckResult } from '../../shared/contract';
import { withPostgres } from '../../shared/n8n/postgres';
import { postgresSecrets, type PostgresSettings, type PostgresTimeouts } from '../../shared/sql/postgresConnection';
import { causeOfPgFailure, postgresTarget } from '../transport/postgres';
import { runCustomChecks, type CustomCheck } from './customChecks';
import { evaluateCatalog, type CatalogScope } from './evaluateCatalog';
import { CatalogQueryError, readCatalogFindingsViaPostgres } from './postgresFindings';
import type { QuotedLayout } from './quotedLayout';
import type { CatalogLayout, CatalogThresholds } from './types';

export interface PostgresCatalogCheck {
	settings: PostgresSettings;
	timeouts: PostgresTimeouts;
	layout: CatalogLayout;
	quoted: QuotedLayout;
	thresholds: CatalogThresholds;
	customChecks: CustomCheck[];
	/** Which catalog checks to run: the Repair operation re-checks only what it repairs. */
	scope?: CatalogScope | 'connection';
}

export async function checkCatalogViaPostgres(check: PostgresCatalogCheck): Promise<CheckResult> {
	const recorder = new CheckRecorder('database', postgresTarget(check.settings));
	const secrets = postgresSecrets(check.settings);
	const details: Record<string, unknown> = { table: check.layout.productsTable };
	const connectStarted = performance.now();
	let connected = false;
	try {
		await withPostgres(check.settings, check.timeouts, async (client) => {
			connected = true;
			recorder.pass('connect', 'connected', { durationMs: Math.round(performance.now() - connectStarted) });
			const versionStarted = performance.now();
			const { rows } = await client.query<{ version: string }>("SELECT current_setting('server_version') AS version");
			const version = rows[0]?.version ?? 'unknown';
			details.serverVersion = version;
			recorder.pass('server_version', `PostgreSQL ${version}`, { value: version, durationMs: Math.round(performance.now() - versionStarted) });
			if (check.scope === 'connection') return;

			const findings = await readCatalogFindingsViaPostgres(client, check.quoted, check.thresholds.sampleSize);
			const scope = check.scope ?? 'all';
			Object.assign(details, evaluateCatalog(recorder, findings, check.thresholds, check.layout.productsTable, scope));
			if (scope === 'all' && check.customChecks.length > 0) {
				details.customChecks = await runCustomChecks(client, check.customChecks, check.timeouts.statementTimeoutMs, recorder);
			}
		});
	} catch (error) {
		if (error instanceof CatalogQueryError) {
			recorder.fail(error.check, causeOfPgFailure(error.error, `The ${error.check} check`, secrets));
		} else {
			recorder.fail(connected ? 'query' : 'connect', causeOfPgFailure(error, 'The catalog database', secrets), {
				durationMs: Math.round(performance.now() - connectStarted),
			});
		}
	}
	return recorder.result(details);
}
