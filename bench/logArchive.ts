/**
 * Log Archive benchmark (issue: 10,000,000 rows over 90 days, archive the oldest 60
 * days to the archive table: total time ≤ 1.3× the best single hand-written statement,
 * no transaction of ours over ~1 s, a concurrent writer's p99 insert latency ≤ 2× its
 * idle p99, peak RSS ≤ 100 MB).
 *
 *   npx tsx bench/logArchive.ts [--rows 10000000] [--batch 5000] [--runs 3]
 *
 * Seeds one database on a real Postgres (embedded, or $AUTORECOVERY_TEST_PG_URL); each
 * run copies it twice, runs the single statement on one copy and our batched archive on
 * the other, each with a writer inserting alongside, and checks both moved the same
 * rows. Prints each run and the medians; compare only ratios within one invocation.
 */
import { parseArgs } from 'node:util';

import type { Client } from 'pg';

import { archiveLogs } from '../nodes/LogArchive/archive/archiveLogs';
import { startPostgres, type PostgresHarness } from '../dev/stack/postgres';
import { applySchema } from '../dev/stack/schema';
import { seedLogs } from '../dev/stack/seed';

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

interface RunResult {
	baselineMs: number;
	oursMs: number;
	rowsMoved: number;
	batches: number;
	longestBatchMs: number;
	idleP99: number;
	baselineWriterP99: number;
	oursWriterP99: number;
	peakRssMb: number;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function countArchived(client: Client): Promise<number> {
	const { rows } = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM system_logs_archive');
	return Number(rows[0]?.n);
}

/**
 * One run on two fresh copies of the seeded database: the single statement on one, ours
 * on the other, each with a writer inserting alongside. `oursFirst` alternates the order
 * between runs; between the two phases the first one's dead rows are vacuumed and dirty
 * pages written out, so neither phase pays for the other's leftovers.
 */
async function benchRun(pg: PostgresHarness, run: number, batchSize: number, now: Date, oursFirst: boolean): Promise<RunResult> {
	const names = { baseline: `bench_baseline_${run}`, ours: `bench_ours_${run}` };
	const admin = await pg.connect('postgres');
	for (const name of Object.values(names)) await admin.query(`CREATE DATABASE ${name} TEMPLATE "${pg.name}"`);
	await admin.end();
	const [baselineDb, baselineWriterDb, oursDb, oursWriterDb] = [
		await pg.connect(names.baseline),
		await pg.connect(names.baseline),
		await pg.connect(names.ours),
		await pg.connect(names.ours),
	];
	try {
		const cutoff = new Date(now.getTime() - 30 * DAY_MS);
		const idle = await measureIdleWriter(baselineWriterDb, 3_000);
		const result: Partial<RunResult> = { idleP99: percentile(idle, 99) };

		const baseline = async (): Promise<void> => {
			// The best single statement, one transaction for the whole move.
			await baselineDb.query('CREATE TABLE system_logs_archive (LIKE system_logs INCLUDING DEFAULTS)');
			await baselineDb.query('CHECKPOINT');
			const writer = startWriter(baselineWriterDb);
			const started = performance.now();
			await baselineDb.query(
				'WITH moved AS (DELETE FROM system_logs WHERE created_at < $1 RETURNING *) INSERT INTO system_logs_archive SELECT * FROM moved',
				[cutoff],
			);
			result.baselineMs = performance.now() - started;
			result.baselineWriterP99 = percentile(await writer.stop(), 99);
			await baselineDb.query('VACUUM system_logs, system_logs_archive');
		};
		const ours = async (): Promise<void> => {
			// Batched, resumable, each batch its own short transaction.
			await oursDb.query('CHECKPOINT');
			const rssBefore = process.memoryUsage().rss;
			let peakRss = rssBefore;
			const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
			const writer = startWriter(oursWriterDb);
			const started = performance.now();
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
			result.oursMs = performance.now() - started;
			result.oursWriterP99 = percentile(await writer.stop(), 99);
			clearInterval(sampler);
			Object.assign(result, { rowsMoved: outcome.rowsMoved, batches: outcome.batches, longestBatchMs: outcome.longestBatchMs, peakRssMb: peakRss / 2 ** 20 });
			await oursDb.query('VACUUM system_logs, system_logs_archive');
		};
		for (const phase of oursFirst ? [ours, baseline] : [baseline, ours]) {
			await phase();
			await oursDb.query('CHECKPOINT');
		}
		// Both moved the same rows (a fast wrong answer is no answer).
		const [baselineRows, oursRows] = [await countArchived(baselineDb), await countArchived(oursDb)];
		if (baselineRows !== oursRows || oursRows !== result.rowsMoved) {
			throw new Error(`row counts differ: single statement archived ${baselineRows}, ours ${oursRows} (reported ${result.rowsMoved})`);
		}
		return result as RunResult;
	} finally {
		for (const client of [baselineDb, baselineWriterDb, oursDb, oursWriterDb]) await client.end();
		for (const name of Object.values(names)) await pg.dropDatabase(name);
	}
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { rows: { type: 'string', default: '10000000' }, batch: { type: 'string', default: '5000' }, runs: { type: 'string', default: '3' } },
	});
	const rows = Number(values.rows);
	const batchSize = Number(values.batch);
	const runs = Number(values.runs);
	const now = new Date();
	const pg = await startPostgres();
	try {
		// Seeded once; every run works on fresh copies (CREATE DATABASE … TEMPLATE).
		const template = await pg.connect();
		await applySchema(template);
		const seeded = await seedLogs(template, { rows, days: 90, now });
		await template.query('VACUUM ANALYZE system_logs');
		await template.end();
		console.log(`seeded ${seeded.rows.toLocaleString('en-US')} rows in ${(seeded.durationMs / 1000).toFixed(1)} s`);

		const results: RunResult[] = [];
		for (let run = 1; run <= runs; run++) {
			const oursFirst = run % 2 === 0;
			const r = await benchRun(pg, run, batchSize, now, oursFirst);
			results.push(r);
			console.log(
				`run ${run}${oursFirst ? ' (ours first)' : ''}: single statement ${(r.baselineMs / 1000).toFixed(1)} s, ours ${(r.oursMs / 1000).toFixed(1)} s → ${(r.oursMs / r.baselineMs).toFixed(2)}×; ` +
					`${r.batches} batches, longest ${r.longestBatchMs} ms; writer p99 idle ${r.idleP99.toFixed(1)} / single ${r.baselineWriterP99.toFixed(1)} / ours ${r.oursWriterP99.toFixed(1)} ms → ${(r.oursWriterP99 / r.idleP99).toFixed(2)}×; peak RSS ${r.peakRssMb.toFixed(0)} MB`,
			);
		}
		const rowsMoved = results[0]?.rowsMoved ?? 0;
		console.log(`Log Archive benchmark: ${rows.toLocaleString('en-US')} rows over 90 days, move the oldest 60 days (${rowsMoved.toLocaleString('en-US')} rows), ${runs} run(s), medians:`);
		console.log(`  single statement: ${(median(results.map((r) => r.baselineMs)) / 1000).toFixed(1)} s in one transaction`);
		console.log(
			`  ours (batch ${batchSize}): ${(median(results.map((r) => r.oursMs)) / 1000).toFixed(1)} s → ${median(results.map((r) => r.oursMs / r.baselineMs)).toFixed(2)}× the single statement (target ≤ 1.3×)`,
		);
		console.log(`  longest batch transaction: ${Math.max(...results.map((r) => r.longestBatchMs))} ms (worst run; target ≤ ~1000 ms)`);
		console.log(`  writer p99 during ours vs idle: ${median(results.map((r) => r.oursWriterP99 / r.idleP99)).toFixed(2)}× (target ≤ 2×)`);
		console.log(`  peak RSS ${Math.max(...results.map((r) => r.peakRssMb)).toFixed(0)} MB (worst run; target ≤ 100 MB)`);
	} finally {
		await pg.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.stack : String(error));
	process.exit(1);
});
