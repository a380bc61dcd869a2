import { COMMON_CAUSES } from '../../../nodes/shared/causes';
import { CAUSE_CODE_PATTERN, type Cause } from '../../../nodes/shared/contract';
import { CATALOG_CAUSES } from '../../../nodes/DbIntegrity/catalog/causes';
import { classifyPostgrestError, isConnectivityCause, type PostgrestFailure } from '../../../nodes/DbIntegrity/supabase/classifyPostgrestError';

const FAKE_KEY = 'test-service-key-not-real-0123456789';
const FAKE_JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.not-a-real-signature';

const pgrst = (code: string, message: string) => ({ code, details: null, hint: null, message });
/** What supabase-js returns (status 0) when fetch rejects. */
const fetchFailure = (name: string, message: string, cause = '') => ({
	message: `${name}: ${message}`,
	details: `${name}: ${message}${cause ? `\n\nCaused by: Error: ${cause}` : ''}`,
	hint: '',
	code: '',
});

function expectWellFormed(cause: Cause): void {
	expect(cause.code).toMatch(CAUSE_CODE_PATTERN);
	expect(cause.message).toMatch(/[.!?]$/);
	const template = { ...COMMON_CAUSES, ...CATALOG_CAUSES }[cause.code as keyof typeof COMMON_CAUSES & keyof typeof CATALOG_CAUSES];
	expect(template).toBeDefined();
	expect({ retryable: cause.retryable, needsHuman: cause.needsHuman }).toEqual(template);
}

describe('classifyPostgrestError', () => {
	const table: Array<[string, PostgrestFailure, string, RegExp | null]> = [
		// Network failures and deadlines (status 0).
		['fetch rejected with the deadline', { status: 0, error: fetchFailure('TimeoutError', 'The operation was aborted due to timeout') }, 'net.timeout', null],
		['fetch aborted', { status: 0, error: fetchFailure('AbortError', 'This operation was aborted') }, 'net.timeout', null],
		['undici connect timeout', { status: 0, error: fetchFailure('TypeError', 'fetch failed', 'Connect Timeout Error (UND_ERR_CONNECT_TIMEOUT)') }, 'net.timeout', null],
		['connection refused', { status: 0, error: fetchFailure('TypeError', 'fetch failed', 'connect ECONNREFUSED 127.0.0.1:1 (ECONNREFUSED)') }, 'net.unreachable', /cannot be reached/],
		['host not found', { status: 0, error: fetchFailure('TypeError', 'fetch failed', 'getaddrinfo ENOTFOUND nope.supabase.co') }, 'net.unreachable', /host name/],
		['connection reset', { status: 0, error: fetchFailure('TypeError', 'fetch failed', 'other side closed (UND_ERR_SOCKET)') }, 'net.reset', null],
		['unknown network error', { status: 0, error: 'weird' }, 'net.unreachable', null],
		// Gateway (Kong) bodies: no code.
		['gateway: invalid key', { status: 401, error: { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' } }, 'auth.invalid_credentials', /Invalid API key/],
		['gateway: missing key', { status: 401, error: { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' } }, 'auth.invalid_credentials', null],
		['gateway: upstream dead', { status: 502, error: { message: 'An invalid response was received from the upstream server' } }, 'provider.server_error', /HTTP 502/],
		['gateway: no route (wrong URL)', { status: 404, error: { message: 'no Route matched with those values' } }, 'provider.not_found', /project URL/],
		['gateway timeout', { status: 504, error: { message: 'upstream timed out' } }, 'net.timeout', null],
		// PostgREST bodies.
		['unknown table (PostgREST 12.0)', { status: 404, error: pgrst('42P01', 'relation "public.nope" does not exist') }, 'database.schema_mismatch', /public\.nope/],
		['unknown table (PostgREST 12.2+)', { status: 404, error: pgrst('PGRST205', "Could not find the table 'public.nope' in the schema cache") }, 'database.schema_mismatch', null],
		['unknown column', { status: 400, error: pgrst('42703', 'column products.photo does not exist') }, 'database.schema_mismatch', /products\.photo/],
		['schema not exposed', { status: 406, error: pgrst('PGRST106', 'The schema must be one of the following: public') }, 'database.schema_mismatch', null],
		['permission denied, anon role', { status: 401, error: pgrst('42501', 'permission denied for table products') }, 'auth.forbidden', /anon \(public\) key/],
		['permission denied, other role', { status: 403, error: pgrst('42501', 'permission denied for table products') }, 'auth.forbidden', /this key/],
		['JWT invalid', { status: 401, error: pgrst('PGRST301', 'JWSError JWSInvalidSignature') }, 'auth.invalid_credentials', /token/],
		['JWT expired', { status: 401, error: pgrst('PGRST301', 'JWT expired') }, 'auth.invalid_credentials', null],
		['anonymous access disabled', { status: 401, error: pgrst('PGRST302', 'Anonymous access is disabled') }, 'auth.invalid_credentials', null],
		['database unreachable from PostgREST', { status: 503, error: pgrst('PGRST000', 'Database connection error. Retrying the connection.') }, 'provider.server_error', /PGRST000/],
		['schema cache not loaded', { status: 503, error: pgrst('PGRST002', 'Could not query the database for the schema cache. Retrying.') }, 'provider.server_error', null],
		['statement timeout', { status: 500, error: pgrst('57014', 'canceling statement due to statement timeout') }, 'net.timeout', /statement timeout/],
		['Cloudflare 520', { status: 520, error: { message: '<html>error</html>' } }, 'provider.server_error', /HTTP 520/],
		['rate limited', { status: 429, error: { message: 'Too Many Requests' } }, 'provider.rate_limited', null],
		['forbidden without code', { status: 403, error: { message: 'Forbidden' } }, 'auth.forbidden', null],
		['unparsable success body', { status: 200, error: { message: '<html>' } }, 'provider.malformed_response', null],
		['constraint violation', { status: 400, error: pgrst('23502', 'null value in column "name" violates not-null constraint') }, 'provider.bad_request', /23502/],
	];

	test.each(table)('%s', (_name, failure, code, message) => {
		const cause = classifyPostgrestError(failure, { what: 'Supabase (abc.supabase.co)' });
		expect(cause.code).toBe(code);
		expectWellFormed(cause);
		expect(cause.message).toMatch(/^Supabase \(abc\.supabase\.co\)/);
		if (message) expect(cause.message).toMatch(message);
	});

	test('is deterministic: the same failure gives the same cause', () => {
		const failure: PostgrestFailure = { status: 404, error: pgrst('42P01', 'relation "public.nope" does not exist') };
		expect(classifyPostgrestError(failure)).toEqual(classifyPostgrestError(failure));
		expect(classifyPostgrestError(failure).message).toMatch(/^Supabase has no such table/);
	});

	test('never repeats a key or token the server echoed', () => {
		const echoed: PostgrestFailure = { status: 400, error: pgrst('22P02', `invalid input syntax: ${FAKE_KEY} and ${FAKE_JWT}`) };
		const cause = classifyPostgrestError(echoed, { secrets: [FAKE_KEY] });
		expect(cause.code).toBe('provider.bad_request');
		expect(cause.message).not.toContain(FAKE_KEY);
		expect(cause.message).not.toContain(FAKE_JWT);
		expect(cause.message).toContain('[REDACTED]');
	});

	test('connectivity causes fail the connect check; catalog causes do not', () => {
		expect(isConnectivityCause(classifyPostgrestError({ status: 0, error: fetchFailure('TimeoutError', 'x') }))).toBe(true);
		expect(isConnectivityCause(classifyPostgrestError({ status: 401, error: { message: 'Invalid API key' } }))).toBe(true);
		expect(isConnectivityCause(classifyPostgrestError({ status: 502, error: { message: 'bad gateway' } }))).toBe(true);
		expect(isConnectivityCause(classifyPostgrestError({ status: 404, error: pgrst('42P01', 'relation "x" does not exist') }))).toBe(false);
	});
});
