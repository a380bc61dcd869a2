/**
 * The Postgres connection settings shared by DB Integrity, Log Archive and Volume
 * Backup (one credential type), and how they become `pg` client options with
 * connect and statement timeouts on every connection.
 */
import type { ClientConfig } from 'pg';

export interface PostgresSettings {
	/** Either a connection string... */
	connectionString?: string;
	/** ...or the parts. */
	host?: string;
	port?: number;
	database?: string;
	user?: string;
	password?: string;
	ssl?: 'disable' | 'require' | 'verify-full';
}

export interface PostgresTimeouts {
	/** Connecting (TCP + auth), ms. */
	connectTimeoutMs: number;
	/** Any one statement, ms (server-side `statement_timeout`). */
	statementTimeoutMs: number;
}

export function pgClientConfig(settings: PostgresSettings, timeouts: PostgresTimeouts, applicationName = 'n8n-autorecovery'): ClientConfig {
	const ssl =
		settings.ssl === 'require' ? { rejectUnauthorized: false } : settings.ssl === 'verify-full' ? { rejectUnauthorized: true } : undefined;
	const base: ClientConfig = settings.connectionString
		? { connectionString: settings.connectionString }
		: { host: settings.host, port: settings.port ?? 5432, database: settings.database, user: settings.user, password: settings.password };
	return {
		...base,
		...(ssl ? { ssl } : {}),
		connectionTimeoutMillis: timeouts.connectTimeoutMs,
		statement_timeout: timeouts.statementTimeoutMs,
		query_timeout: timeouts.statementTimeoutMs + 1_000,
		application_name: applicationName,
	};
}

/** Secret values of the settings, for redaction (the password, and the whole connection string). */
export function postgresSecrets(settings: PostgresSettings): string[] {
	const secrets: string[] = [];
	if (settings.password) secrets.push(settings.password);
	if (settings.connectionString) {
		secrets.push(settings.connectionString);
		try {
			const password = decodeURIComponent(new URL(settings.connectionString).password);
			if (password) secrets.push(password);
		} catch {
			// not a URL-style connection string: the whole string is masked above
		}
	}
	return secrets;
}
