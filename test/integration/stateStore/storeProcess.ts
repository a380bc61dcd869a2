/**
 * A separate OS process using the state store, for the tests that need real processes
 * (another n8n worker, `n8n execute` beside `n8n start`). Configured by one JSON env
 * variable; prints one line per event on stdout.
 *  - count: adds 1 to a counter `count` times, then exits;
 *  - loop: adds 1 forever (the test kills it at a random moment);
 *  - hold: takes the Postgres row lock of the key and keeps it until killed.
 */
import { Client } from 'pg';

import { createFileStore } from '../../../nodes/shared/stateStore/fileStore';
import { createPostgresStore } from '../../../nodes/shared/stateStore/postgresStore';
import type { StateStore } from '../../../nodes/shared/stateStore/types';
import type { StoreProcessConfig } from './storeProcessConfig';
import { STORE_PROCESS_ENV } from './storeProcessConfig';

const config = JSON.parse(process.env[STORE_PROCESS_ENV] ?? '{}') as StoreProcessConfig;

function storeOf(): StateStore {
	return config.backend.kind === 'file'
		? createFileStore({ folder: config.backend.folder, waitMs: 60_000 })
		: createPostgresStore({ connection: config.backend.connection, schema: 'public', table: config.backend.table, waitMs: 60_000 });
}

const increment = (store: StateStore) => store.update<{ count: number }, number>(config.key, (current) => ({ next: { count: (current?.count ?? 0) + 1 }, result: (current?.count ?? 0) + 1 }));

async function main(): Promise<void> {
	if (config.mode === 'hold') {
		if (config.backend.kind !== 'postgres') throw new Error('hold needs Postgres');
		const client = new Client(config.backend.connection);
		await client.connect();
		await client.query('BEGIN');
		await client.query(`SELECT value FROM public.${config.backend.table} WHERE key = $1 FOR UPDATE`, [config.key]);
		console.log('locked');
		await new Promise(() => undefined);
	}
	const store = storeOf();
	for (let done = 0; config.mode === 'loop' || done < (config.count ?? 0); done++) {
		const committed = await increment(store);
		console.log(`committed ${committed.version}`);
	}
	await store.close();
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
