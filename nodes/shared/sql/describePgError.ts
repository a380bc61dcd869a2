/**
 * Postgres connection and query errors in plain words, for credential tests and for
 * contract causes: "connection refused", "host not found", "password authentication
 * failed", ... never with the password or connection string.
 */
import type { Cause } from '../contract';

interface PgLikeError {
	code?: string;
	message?: string;
}

interface DescribedPgError {
	cause: Cause;
	/** Short plain words, e.g. for a credential test. */
	summary: string;
}

function asPgError(error: unknown): PgLikeError {
	return typeof error === 'object' && error !== null ? (error as PgLikeError) : { message: String(error) };
}

export function describePgError(error: unknown, what = 'The database'): DescribedPgError {
	const { code = '', message = '' } = asPgError(error);
	const make = (causeCode: string, summary: string, retryable: boolean, needsHuman: boolean): DescribedPgError => ({
		summary,
		cause: { code: causeCode, message: `${what}: ${summary}.`, retryable, needsHuman },
	});
	if (code === 'ECONNREFUSED') return make('net.unreachable', 'connection refused (is the server running, and is the port right?)', true, false);
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return make('net.unreachable', 'host not found (check the host name)', true, true);
	if (code === 'ECONNRESET') return make('net.reset', 'the connection was dropped', true, false);
	if (code === 'ETIMEDOUT' || /timeout expired|Connection terminated due to connection timeout|Query read timeout/i.test(message)) {
		return make('net.timeout', 'did not answer in time', true, false);
	}
	if (code === '57014') return make('net.timeout', 'a statement ran past its timeout and was cancelled', true, false);
	if (code === '28P01') return make('auth.invalid_credentials', 'password authentication failed (check the user and password)', false, true);
	if (code === '28000') return make('auth.invalid_credentials', 'the server rejected this user (pg_hba.conf or role settings)', false, true);
	if (code === '3D000') return make('config.invalid', 'the database does not exist', false, true);
	if (code === '42P01') return make('config.invalid', 'a table does not exist', false, true);
	if (code === '42703') return make('config.invalid', 'a column does not exist', false, true);
	if (code === '42501') return make('auth.forbidden', 'permission denied for this user', false, true);
	if (code === '25006') return make('database.read_only', 'the statement tried to write in a read-only transaction', false, true);
	if (code.startsWith('08')) return make('net.unreachable', 'the connection failed', true, false);
	if (code === '53300') return make('database.too_many_connections', 'too many connections', true, false);
	if (code === '57P01' || code === '57P03') return make('database.unavailable', 'the server is shutting down or starting up', true, false);
	if (/self.signed|certificate|SSL/i.test(message)) return make('config.invalid', 'the SSL settings do not match the server', false, true);
	return make('database.error', code ? `failed with SQLSTATE ${code}` : 'failed', false, true);
}
