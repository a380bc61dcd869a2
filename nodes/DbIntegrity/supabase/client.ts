/**
 * The supabase-js client DB Integrity talks to a Supabase project with: REST only,
 * no session, no token refresh, a hard deadline on every request and no automatic
 * retries (supabase-js would otherwise retry GETs on 503/520 and on network errors
 * for about 7 s, far past a probe's timeout).
 */
import { SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js';

export interface SupabaseSettings {
	/** The project URL, e.g. https://<ref>.supabase.co. */
	url: string;
	/** The service-role (legacy JWT) or secret (`sb_secret_…`) key. */
	key: string;
	/** Deadline of every single request, ms. */
	timeoutMs: number;
}

/** A setting the caller passed is unusable (the message names it). */
export class SupabaseSettingsError extends Error {
	override name = 'SupabaseSettingsError';
}

type RealtimeTransport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>;

/**
 * supabase-js builds its Realtime client eagerly, and on Node 20 (no global WebSocket)
 * createClient throws unless a transport is given. DB Integrity never subscribes, so
 * the transport refuses to be used.
 */
class RealtimeNotUsed {
	constructor() {
		throw new Error('DB Integrity does not use Supabase Realtime');
	}
}

/** The same client with PostgREST's automatic retries off for every query it builds. */
class CatalogSupabaseClient extends SupabaseClient {
	constructor(url: string, key: string, options: SupabaseClientOptions<'public'>) {
		super(url, key, options);
		// `from()`/`schema()` copy this into each query builder; false: one attempt per request.
		this.rest.retry = false;
	}
}

/** Wraps fetch so each request (headers and body) is aborted after `timeoutMs`. */
function fetchWithDeadline(timeoutMs: number, baseFetch: typeof fetch = fetch): typeof fetch {
	return (input, init) => {
		const deadline = AbortSignal.timeout(timeoutMs);
		const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
		return baseFetch(input, { ...init, signal });
	};
}

/** The project URL, checked: http(s), no credentials in it. Throws SupabaseSettingsError. */
function parseProjectUrl(url: string): URL {
	let parsed: URL;
	try {
		parsed = new URL(url.trim());
	} catch {
		throw new SupabaseSettingsError(`url must be the Supabase project URL (https://<project>.supabase.co), got ${JSON.stringify(url)}`);
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new SupabaseSettingsError(`url must start with https:// (or http:// for a local project), got ${JSON.stringify(parsed.protocol)}`);
	}
	if (parsed.username !== '' || parsed.password !== '') {
		throw new SupabaseSettingsError('url must not contain a user name or password');
	}
	return parsed;
}

function checkSettings(settings: SupabaseSettings): URL {
	const url = parseProjectUrl(settings.url);
	if (typeof settings.key !== 'string' || settings.key.trim() === '') {
		throw new SupabaseSettingsError('key must be the project\'s service role or secret key, got an empty value');
	}
	if (!Number.isFinite(settings.timeoutMs) || settings.timeoutMs <= 0) {
		throw new SupabaseSettingsError(`timeoutMs must be a positive number of milliseconds, got ${settings.timeoutMs}`);
	}
	return url;
}

export function createSupabaseCatalogClient(settings: SupabaseSettings): SupabaseClient {
	const url = checkSettings(settings);
	return new CatalogSupabaseClient(url.href, settings.key.trim(), {
		// The class never produces a socket, so it cannot honour the WebSocket shape the type asks for.
		realtime: { transport: RealtimeNotUsed as unknown as RealtimeTransport },
		auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
		global: { fetch: fetchWithDeadline(settings.timeoutMs) },
	});
}

/** `supabase:<project host>`, the contract target of a Supabase-backed check. */
export function supabaseTarget(settings: Pick<SupabaseSettings, 'url'>): string {
	return `supabase:${parseProjectUrl(settings.url).host}`;
}

/** Secret values of the settings, for redaction. */
export function supabaseSecrets(settings: Pick<SupabaseSettings, 'key'>): string[] {
	const key = typeof settings.key === 'string' ? settings.key.trim() : '';
	return key === '' ? [] : [...new Set([key, settings.key])];
}

/**
 * A table as PostgREST addresses it: `table` in the client's schema, or `schema.table`
 * through `Accept-Profile`/`Content-Profile` (the schema must be exposed by the project).
 */
export function fromTable(client: SupabaseClient, table: string) {
	const parts = table.trim().split('.');
	if (parts.length === 2) return client.schema(parts[0] as string).from(parts[1] as string);
	return client.from(table.trim());
}
