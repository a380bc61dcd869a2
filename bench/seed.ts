/**
 * Large-volume seeding benchmark (kept out of the test run).
 *
 *   npx tsx bench/seed.ts                          # 1M products, 10M logs, 1 and 2 connections
 *   npx tsx bench/seed.ts --products 200000 --logs 0 --concurrency 2
 *
 * Starts a throw-away embedded Postgres unless --url (or $AUTORECOVERY_TEST_PG_URL)
 * names a server, in which case a fresh database is created there and dropped after.
 */
import { parseArgs } from 'node:util';

import { Pool } from 'pg';

import { startPostgres } from '../dev/stack/postgres';
import { applySchema } from '../dev/stack/schema';
import { seedCatalog, seedLogs } from '../dev/stack/seed';

function rate(rows: number, ms: number): string {
	return `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;
}

function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			url: { type: 'string' },
			products: { type: 'string', default: '1000000' },
			logs: { type: 'string', default: '10000000' },
			concurrency: { type: 'string', multiple: true },
		},
	});
	const products = Number(values.products);
	const logs = Number(values.logs);
	const concurrencies = (values.concurrency ?? ['1', '2']).map(Number);

	let started = Date.now();
	const pg = await startPostgres({ existingServerUrl: values.url });
	console.log(`Postgres ${pg.serverVersion} (${pg.mode}) ready in ${Date.now() - started} ms`);
	try {
		await applySchema(pg.connectionString);
		for (const concurrency of concurrencies) {
			const pool = new Pool({ connectionString: pg.connectionString, max: concurrency });
			// Idle pooled connections may see the server stop as an 'error' event.
			pool.on('error', () => undefined);
			try {
				if (products > 0) {
					started = Date.now();
					await seedCatalog(pool, { products, missingImagesPct: 10, duplicateSkus: 1000, orphanRows: 500, nonPositivePrices: 200, concurrency });
					const ms = Date.now() - started;
					console.log(`products     ${products.toLocaleString('en-US')} (+ image backups), ${concurrency} conn: ${seconds(ms)}  ${rate(products, ms)}`);
				}
				if (logs > 0) {
					started = Date.now();
					await seedLogs(pool, { rows: logs, days: 30, errorPct: 5, concurrency });
					const ms = Date.now() - started;
					console.log(`system_logs  ${logs.toLocaleString('en-US')}, ${concurrency} conn: ${seconds(ms)}  ${rate(logs, ms)}`);
				}
			} finally {
				await pool.end();
			}
		}
		const size = await pg.connect().then(async (client) => {
			const result = await client.query<{ size: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS size');
			await client.end();
			return result.rows[0]?.size ?? '?';
		});
		console.log(`database size: ${size}`);
	} finally {
		await pg.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
