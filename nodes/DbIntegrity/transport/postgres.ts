/** How DB Integrity names a Postgres target and words its failures (shared by check, error rate and repair). */
import type { Cause } from '../../shared/contract';
import { redact } from '../../shared/redact';
import { describePgError } from '../../shared/sql/describePgError';
import type { PostgresSettings } from '../../shared/sql/postgresConnection';
import { catalogCause } from '../catalog/causes';

export function postgresTarget(settings: PostgresSettings): string {
	if (settings.database) return `postgres:${settings.database}`;
	try {
		return `postgres:${new URL(settings.connectionString ?? '').pathname.replace(/^\//, '') || 'db'}`;
	} catch {
		return 'postgres:db';
	}
}

/** A Postgres error as a cause: missing tables/columns are schema mismatches (the server's words say which). */
export function causeOfPgFailure(error: unknown, what: string, secrets: string[]): Cause {
	const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
	if (code === '42P01' || code === '42703') {
		const serverMessage = error instanceof Error ? redact(error.message, { secrets }) : '';
		return catalogCause('database.schema_mismatch', `${what}: ${serverMessage} (check the table and column parameters).`);
	}
	return describePgError(error, what).cause;
}
