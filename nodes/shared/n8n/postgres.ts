/**
 * n8n glue for the shared Postgres credential: settings from the credential, a
 * credential test that answers in plain words, and a client per run that is always
 * closed (no connections leak across runs).
 */
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';
import { Client } from 'pg';

import { describePgError } from '../sql/describePgError';
import { credentialText } from './credentials';
import { pgClientConfig, type PostgresSettings, type PostgresTimeouts } from '../sql/postgresConnection';

export const POSTGRES_CREDENTIAL = 'autorecoveryPostgresApi';

export function postgresSettingsFrom(credentials: ICredentialDataDecryptedObject): PostgresSettings {
	const text = (key: string) => credentialText(credentials, key);
	const ssl = text('ssl');
	return {
		connectionString: text('connectionString') || undefined,
		host: text('host') || 'localhost',
		port: typeof credentials.port === 'number' ? credentials.port : Number(credentials.port) || 5432,
		database: text('database') || undefined,
		user: text('user') || undefined,
		password: typeof credentials.password === 'string' ? credentials.password : undefined,
		ssl: ssl === 'require' || ssl === 'verify-full' ? ssl : 'disable',
	};
}

/** Opens a client, runs `work`, and always closes the client. */
export async function withPostgres<T>(settings: PostgresSettings, timeouts: PostgresTimeouts, work: (client: Client) => Promise<T>): Promise<T> {
	const client = new Client(pgClientConfig(settings, timeouts));
	// A server that dies mid-run emits 'error' on the client; without a listener it would crash n8n.
	client.on('error', () => undefined);
	try {
		await client.connect();
		return await work(client);
	} finally {
		await client.end().catch(() => undefined);
	}
}

export async function autorecoveryPostgresConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const version = await withPostgres(postgresSettingsFrom(credential.data ?? {}), { connectTimeoutMs: 10_000, statementTimeoutMs: 10_000 }, async (client) => {
			const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
			return rows[0]?.server_version ?? 'unknown';
		});
		return { status: 'OK', message: `Connected (PostgreSQL ${version})` };
	} catch (error) {
		return { status: 'Error', message: describePgError(error, 'Postgres').summary };
	}
}
