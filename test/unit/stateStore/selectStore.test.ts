/** Which backend holds the tracker's state follows n8n's own database settings. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chooseStore } from '../../../nodes/shared/stateStore/selectStore';
import { KeyedMutex } from '../../../nodes/shared/stateStore/keyedMutex';

describe('chooseStore', () => {
	it('n8n on SQLite (the default): files in n8n\'s own folder', () => {
		expect(chooseStore({ HOME: '/home/node' })).toEqual({ kind: 'file', folder: '/home/node/.n8n/autorecovery-state' });
		expect(chooseStore({ HOME: '/home/node', N8N_USER_FOLDER: '/data', DB_TYPE: 'sqlite' })).toEqual({ kind: 'file', folder: '/data/.n8n/autorecovery-state' });
	});

	it('n8n on Postgres: a table in n8n\'s database, with n8n\'s settings, schema, table prefix and _FILE secrets', () => {
		const secret = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'secret-')), 'password');
		fs.writeFileSync(secret, 's3cret\n');
		const choice = chooseStore({
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: 'db',
			DB_POSTGRESDB_PORT: '6543',
			DB_POSTGRESDB_DATABASE: 'n8ndb',
			DB_POSTGRESDB_USER: 'n8nuser',
			DB_POSTGRESDB_PASSWORD_FILE: secret,
			DB_POSTGRESDB_SCHEMA: 'n8n',
			DB_TABLE_PREFIX: 'x_',
		});
		expect(choice).toMatchObject({ kind: 'postgres', schema: 'n8n', table: 'x_autorecovery_state', connection: { host: 'db', port: 6543, database: 'n8ndb', user: 'n8nuser', password: 's3cret', ssl: false } });
	});

	it('n8n\'s defaults, and SSL as n8n turns it on', () => {
		expect(chooseStore({ DB_TYPE: 'postgresdb' })).toMatchObject({ schema: 'public', table: 'autorecovery_state', connection: { host: 'localhost', port: 5432, database: 'n8n', user: 'postgres' } });
		expect(chooseStore({ DB_TYPE: 'postgresdb', DB_POSTGRESDB_SSL_ENABLED: 'true' })).toMatchObject({ connection: { ssl: true } });
		expect(chooseStore({ DB_TYPE: 'postgresdb', DB_POSTGRESDB_SSL_REJECT_UNAUTHORIZED: 'false' })).toMatchObject({ connection: { ssl: { rejectUnauthorized: false } } });
	});
});

describe('KeyedMutex', () => {
	it('runs the holders of one key one at a time, and a waiter gives up with "busy" without breaking the queue', async () => {
		const mutex = new KeyedMutex();
		let release!: () => void;
		const order: string[] = [];
		const first = mutex.run('k', 1_000, () => new Promise<void>((resolve) => (release = () => (order.push('first'), resolve()))));
		await expect(mutex.run('k', 20, async () => order.push('impatient'))).rejects.toMatchObject({ problem: 'busy' });
		const third = mutex.run('k', 10_000, async () => order.push('third'));
		// Another key is not held up.
		await mutex.run('other', 20, async () => order.push('other'));
		release();
		await Promise.all([first, third]);
		expect(order).toEqual(['other', 'first', 'third']);
	});
});
