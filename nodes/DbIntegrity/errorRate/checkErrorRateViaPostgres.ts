/** The Check Error Rate operation against Postgres: one contract result, component `logs`. */
import { CheckRecorder } from '../../shared/checkRecorder';
import type { CheckResult } from '../../shared/contract';
import { withPostgres } from '../../shared/n8n/postgres';
import { postgresSecrets, type PostgresSettings, type PostgresTimeouts } from '../../shared/sql/postgresConnection';
import { causeOfPgFailure, postgresTarget } from '../transport/postgres';
import { evaluateErrorRate, readErrorRate, validateErrorRatePlan, type ErrorRatePlan } from './errorRate';

export async function checkErrorRateViaPostgres(settings: PostgresSettings, timeouts: PostgresTimeouts, plan: ErrorRatePlan): Promise<CheckResult> {
	validateErrorRatePlan(plan);
	const recorder = new CheckRecorder('logs', `${postgresTarget(settings)}/${plan.table}`);
	const secrets = postgresSecrets(settings);
	let details: Record<string, unknown> | undefined;
	const started = performance.now();
	let connected = false;
	try {
		await withPostgres(settings, timeouts, async (client) => {
			connected = true;
			recorder.pass('connect', 'connected', { durationMs: Math.round(performance.now() - started) });
			const queryStarted = performance.now();
			const finding = await readErrorRate(client, plan, secrets);
			details = evaluateErrorRate(recorder, finding, plan, Math.round(performance.now() - queryStarted));
		});
	} catch (error) {
		recorder.fail(connected ? 'error_rate' : 'connect', causeOfPgFailure(error, 'The log database', secrets), { durationMs: Math.round(performance.now() - started) });
	}
	return recorder.result(details);
}
