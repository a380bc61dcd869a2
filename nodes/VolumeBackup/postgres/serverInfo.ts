/**
 * What the engine asks the server before running a tool: its version (for the pg_dump
 * version check) and its user tables (what a dump should hold, whether a restore target
 * is empty). Connection failures become BackupFailure with the shared Postgres causes.
 */
import { Client } from 'pg';

import { redact } from '../../shared/redact';
import { describePgError } from '../../shared/sql/describePgError';
import { pgClientConfig, postgresSecrets, type PostgresSettings } from '../../shared/sql/postgresConnection';
import { BackupFailure } from './errors';

interface ServerInfo {
	/** e.g. `15.18`. */
	serverVersion: string;
	serverVersionNum: number;
	/** `schema.table` of every ordinary and partitioned user table, sorted. */
	tables: string[];
}

const SERVER_INFO_SQL = `
SELECT current_setting('server_version') AS version,
       current_setting('server_version_num')::int AS version_num,
       coalesce((SELECT array_agg(n.nspname || '.' || c.relname ORDER BY n.nspname, c.relname)
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p')
                   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                   AND n.nspname NOT LIKE 'pg\\_toast%'
                   AND n.nspname NOT LIKE 'pg\\_temp%'), '{}') AS tables`;

export async function readServerInfo(settings: PostgresSettings, timeoutMs: number): Promise<ServerInfo> {
	const client = new Client(pgClientConfig(settings, { connectTimeoutMs: timeoutMs, statementTimeoutMs: timeoutMs }, 'n8n-autorecovery-backup'));
	// A dropped connection after connect emits 'error'; without a listener it would crash the process.
	client.on('error', () => undefined);
	try {
		await client.connect();
		const { rows } = await client.query<{ version: string; version_num: number; tables: string[] }>(SERVER_INFO_SQL);
		const row = rows[0];
		if (!row) throw new Error('no row');
		return { serverVersion: row.version, serverVersionNum: row.version_num, tables: row.tables };
	} catch (error) {
		const { cause } = describePgError(error, `The database ${databaseLabel(settings)}`);
		throw new BackupFailure({ ...cause, message: redact(cause.message, { secrets: postgresSecrets(settings) }) });
	} finally {
		await client.end().catch(() => undefined);
	}
}

/** The database name for messages and result targets, never the connection string. */
export function databaseLabel(settings: PostgresSettings): string {
	if (settings.connectionString) {
		try {
			return decodeURIComponent(new URL(settings.connectionString).pathname.replace(/^\//, '')) || 'postgres';
		} catch {
			return 'unknown';
		}
	}
	return settings.database ?? 'unknown';
}
