/**
 * Applies dev/stack/schema.sql (the bot's catalog tables and the PostgREST
 * roles) to a database. Idempotent.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

import { Client, type ClientConfig } from 'pg';

export const SCHEMA_SQL_PATH = path.join(__dirname, 'schema.sql');

/** PostgREST's login role; its password is fixed in schema.sql. */
export const AUTHENTICATOR_ROLE = 'authenticator';
export const AUTHENTICATOR_PASSWORD = 'authenticator-test-password';
export const ANON_ROLE = 'anon';
export const SERVICE_ROLE = 'service_role';

export const FIXTURE_TABLES = ['categories', 'products', 'product_images_backup', 'system_logs'] as const;

/** A connected client (left open), a postgres:// URL, or pg connection settings. */
export type DatabaseTarget = Client | string | ClientConfig;

export async function applySchema(target: DatabaseTarget): Promise<void> {
	const sql = await fs.readFile(SCHEMA_SQL_PATH, 'utf8');
	await withClient(target, async (client) => {
		// Simple-query protocol: the whole file runs as one implicit transaction.
		await client.query(sql);
	});
}

/** Runs `work` with `target`'s client, or with a temporary one it opens and closes. */
export async function withClient<T>(target: DatabaseTarget, work: (client: Client) => Promise<T>): Promise<T> {
	if (target instanceof Client) return work(target);
	const client = new Client(typeof target === 'string' ? { connectionString: target } : target);
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}
