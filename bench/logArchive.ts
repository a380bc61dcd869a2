/**
 * Log Archive benchmark (issue: 10,000,000 rows over 90 days, archive the oldest 60
 * days to the archive table: total time ≤ 1.3× the best single hand-written statement,
 * no transaction of ours over ~1 s, a concurrent writer's p99 insert latency ≤ 2× its
 * idle p99, peak RSS ≤ 100 MB).
 *
 *   npx tsx bench/logArchive.ts [--rows 10000000] [--batch 5000]
 *
 * Seeds two identical databases on one real Postgres (embedded, or
 * $AUTORECOVERY_TEST_PG_URL), runs the single statement on one and our batched archive
 * on the other, each with a writer inserting alongside, and prints medians and ratios.
 */
import { parseArgs } from 'node:util';

import type { Client } from 'pg';

import { archiveLogs } from '../nodes/LogArchive/archive/archiveLogs';
import { startPostgres } from '../test/harness/postgres';
import { applySchema } from '../test/harness/schema';
import { seedLogs } from '../test/harness/seed';

const DAY_MS = 24 * 3600 * 1000;

function percentile(values: number[], p: number): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Inserts one log row after another until stopped; returns each insert's latency (ms). */
function startWriter(client: Client): { stop: () => Promise<number[]> } {
	const latencies: number[] = [];
	let running = true;
	const loop = (async () => {
		while (running) {
			const started = performance.now();
			await client.query(`INSERT INTO system_logs (level, message, context) VALUES ('info', 'bench writer', '{"k":1}')`);
			latencies.push(performance.now() - started);
			await new Promise((r) => setTimeout(r, 5));
		}
	})();
	return {
		stop: async () => {
			running = false;
			await loop;
			return latencies;
		},
	};
}

async function measureIdleWriter(client: Client, ms: number): Promise<number[]> {
	const writer = startWriter(client);
	await new Promise((r) => setTimeout(r, ms));
	return writer.stop();
}

async function main(): Promise<void> {
	const { values } = parseArgs({ options: { rows: { type: 'string', default: '10000000' }, batch: { type: 'string', default: '5000' } } });
	const rows = Number(values.rows);
	const batchSize = Number(values.batch);
	const now = new Date();
	const pg = await startPostgres();
	try {
		const second = await pg.createDatabase();
		const [baselineDb, oursDb] = [await pg.connect(), await pg.connect(second.name)];
		const [baselineWriterDb, oursWriterDb] = [await pg.connect(), await pg.connect(second.name)];
		for (const db of [baselineDb, oursDb]) {
			await applySchema(db);
			const seeded = await seedLogs(db, { rows, days: 90, now });
			console.log(`seeded ${seeded.rows.toLocaleString('en-US')} rows in ${(seeded.durationMs / 1000).toFixed(1)} s`);
			await db.query('VACUUM ANALYZE system_logs');
		}
		const cutoff = new Date(now.getTime() - 30 * DAY_MS);

		const idle = await measureIdleWriter(baselineWriterDb, 3_000);

		// Baseline: the best single statement, one transaction for the whole move.
		await baselineDb.query('CREATE TABLE system_logs_archive (LIKE system_logs INCLUDING DEFAULTS)');
		let writer = startWriter(baselineWriterDb);
		let started = performance.now();
		await baselineDb.query(
			'WITH moved AS (DELETE FROM system_logs WHERE created_at < $1 RETURNING *) INSERT INTO system_logs_archive SELECT * FROM moved',
			[cutoff],
		);
		const baselineMs = performance.now() - started;
		const baselineWriter = await writer.stop();

		// Ours: batched, resumable, each batch its own short transaction.
		const rssBefore = process.memoryUsage().rss;
		let peakRss = rssBefore;
		const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
		writer = startWriter(oursWriterDb);
		started = performance.now();
		const outcome = await archiveLogs(oursDb, {
			table: 'system_logs',
			timestampColumn: 'created_at',
			keyColumn: 'id',
			olderThanDays: 30,
			destination: { kind: 'table', table: 'system_logs_archive' },
			batchSize,
			pauseMs: 0,
			dryRun: false,
			maxDurationMs: 0,
			now,
		});
		const oursMs = performance.now() - started;
		const oursWriter = await writer.stop();
		clearInterval(sampler);

		const idleP99 = percentile(idle, 99);
		console.log(`Log Archive benchmark: ${rows.toLocaleString('en-US')} rows over 90 days, move the oldest 60 days (${outcome.rowsMoved.toLocaleString('en-US')} rows)`);
		console.log(`  single statement: ${(baselineMs / 1000).toFixed(1)} s in one transaction; writer p99 ${percentile(baselineWriter, 99).toFixed(1)} ms`);
		console.log(
			`  ours (batch ${batchSize}): ${(oursMs / 1000).toFixed(1)} s in ${outcome.batches} batches → ${(oursMs / baselineMs).toFixed(2)}× the single statement (target ≤ 1.3×)`,
		);
		console.log(`  longest batch transaction: ${outcome.longestBatchMs} ms (target ≤ ~1000 ms)`);
		console.log(
			`  writer p99: idle ${idleP99.toFixed(1)} ms, during ours ${percentile(oursWriter, 99).toFixed(1)} ms → ${(percentile(oursWriter, 99) / idleP99).toFixed(2)}× (target ≤ 2×)`,
		);
		console.log(`  peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (growth ${((peakRss - rssBefore) / 2 ** 20).toFixed(0)} MB; target ≤ 100 MB)`);
		for (const client of [baselineDb, oursDb, baselineWriterDb, oursWriterDb]) await client.end();
	} finally {
		await pg.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.stack : String(error));
	process.exit(1);
});
