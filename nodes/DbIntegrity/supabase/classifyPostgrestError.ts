/**
 * What a failed supabase-js (PostgREST) request means, as a contract cause. The
 * error comes in three shapes: PostgREST's own `{code, details, hint, message}`,
 * the Supabase gateway's `{message, hint}` (no code, before PostgREST), and
 * supabase-js' status 0 for network failures and aborted (timed out) requests.
 */
import { commonCause } from '../../shared/causes';
import type { Cause } from '../../shared/contract';
import { isRecord, trimmedText } from '../../shared/json';
import { redact } from '../../shared/redact';
import { catalogCause } from '../catalog/causes';

/** A failed request as supabase-js returns it: `{ error, status }`. */
export interface PostgrestFailure {
	/** 0 for network failures and aborted requests. */
	status: number;
	error: unknown;
}

interface ClassifyOptions {
	/** Who failed, for the sentence, e.g. "Supabase (abc.supabase.co)". */
	what?: string;
	/** Values masked if PostgREST echoes them. */
	secrets?: Iterable<string>;
}

interface ErrorFields {
	code: string;
	message: string;
	details: string;
	hint: string;
}

function fieldsOf(error: unknown): ErrorFields {
	if (!isRecord(error)) return { code: '', message: typeof error === 'string' ? error : '', details: '', hint: '' };
	const text = (value: unknown) => (typeof value === 'string' ? value : '');
	return { code: text(error.code), message: text(error.message), details: text(error.details), hint: text(error.hint) };
}

/** PostgREST codes for a table, column, schema or relationship that does not exist. */
const SCHEMA_MISMATCH_CODES = new Set(['42P01', 'PGRST205', '42703', 'PGRST204', 'PGRST200', 'PGRST106', '3F000', '42883', 'PGRST202']);
/** PostgREST could not reach or load the database (it answers 503). */
const DATABASE_UNAVAILABLE_CODES = new Set(['PGRST000', 'PGRST001', 'PGRST002']);
/** JWT problems: invalid or expired token, anonymous access refused, bad claims. */
const JWT_CODES = new Set(['PGRST301', 'PGRST302', 'PGRST303']);

function networkCause(fields: ErrorFields, what: string): Cause {
	const text = `${fields.message}\n${fields.details}\n${fields.hint}`;
	if (/TimeoutError|AbortError|aborted|timed? ?out|ETIMEDOUT|UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT/i.test(text)) {
		return commonCause('net.timeout', `${what} did not answer in time.`);
	}
	if (/ECONNRESET|socket hang up|other side closed|UND_ERR_SOCKET|EPIPE/i.test(text)) {
		return commonCause('net.reset', `${what} dropped the connection.`);
	}
	if (/ENOTFOUND|EAI_AGAIN/i.test(text)) {
		return commonCause('net.unreachable', `${what} cannot be reached: the host name does not resolve (check the project URL).`);
	}
	return commonCause('net.unreachable', `${what} cannot be reached (connection refused or no route); check the project URL and that the project is running.`);
}

function classify(failure: PostgrestFailure, what: string): Cause {
	const fields = fieldsOf(failure.error);
	const { status } = failure;
	const { code } = fields;
	const said = trimmedText(fields.message);
	const quoted = said ? ` (${said})` : '';

	if (!Number.isFinite(status) || status <= 0) return networkCause(fields, what);

	if (SCHEMA_MISMATCH_CODES.has(code)) {
		return catalogCause('database.schema_mismatch', `${what} has no such table, column or schema${quoted}: check the table and column parameters, or whether a migration is missing.`);
	}
	if (code === '42501') {
		const whose = status === 401 ? 'the anon (public) key' : 'this key';
		return commonCause('auth.forbidden', `${what} refused access for ${whose}${quoted}: use the service role or secret key, or grant the needed rights.`);
	}
	if (JWT_CODES.has(code)) {
		return commonCause('auth.invalid_credentials', `${what} rejected the key's token${quoted}: check the service role key in n8n.`);
	}
	if (DATABASE_UNAVAILABLE_CODES.has(code) || code.startsWith('08') || code === '57P01' || code === '57P03' || code === '53300') {
		return commonCause('provider.server_error', `${what} cannot reach its database right now (${code || `HTTP ${status}`}).`);
	}
	if (code === '57014') {
		return commonCause('net.timeout', `${what} cancelled the query: it ran past the database's statement timeout.`);
	}
	if (code.startsWith('28')) {
		return commonCause('auth.invalid_credentials', `${what} could not log in to its database (${code}).`);
	}
	if (status === 401) {
		// The gateway's {message, hint} without a code: a missing or unknown key.
		return commonCause('auth.invalid_credentials', `${what} rejected the API key${quoted}: check the service role or secret key in n8n.`);
	}
	if (status === 403) {
		return commonCause('auth.forbidden', `${what} refused access with this key${quoted}.`);
	}
	if (status === 429) return commonCause('provider.rate_limited', `${what} is rate limiting us.`);
	if (status === 504) return commonCause('net.timeout', `${what}'s gateway timed out waiting for the database.`);
	if (status >= 500) return commonCause('provider.server_error', `${what} had a server error (HTTP ${status}${code ? `, ${code}` : ''}).`);
	if (status === 404) {
		// A 404 without a PostgREST code comes from the gateway: the URL does not lead to a project's REST API.
		return commonCause('provider.not_found', `${what} answered 404${quoted}: check the project URL.`);
	}
	if (status >= 200 && status < 300) {
		// supabase-js turns an unparsable success body into {message: body}.
		return commonCause('provider.malformed_response', `${what} sent a response that could not be read (HTTP ${status}).`);
	}
	return commonCause('provider.bad_request', `${what} rejected the request (HTTP ${status}${code ? `, ${code}` : ''})${quoted}.`);
}

export function classifyPostgrestError(failure: PostgrestFailure, options: ClassifyOptions = {}): Cause {
	const cause = classify(failure, options.what ?? 'Supabase');
	return { ...cause, message: redact(cause.message, { secrets: options.secrets }) };
}

/** Causes that mean "could not talk to the project at all" (the `connect` check fails for these). */
export function isConnectivityCause(cause: Cause): boolean {
	return /^(net|auth|provider)\./.test(cause.code);
}
