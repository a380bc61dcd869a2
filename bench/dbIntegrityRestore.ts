/**
 * DB Integrity restore benchmark (targets: restoring 100,000 missing images among
 * 1,000,000 products takes ≤ 1.5× ONE hand-written UPDATE … FROM backup, and the
 * node's RSS grows ≤ 50 MB while it runs).
 *
 *   npx tsx bench/dbIntegrityRestore.ts [--products 1000000] [--batch 10000] [--runs 3]
 *
 * Seeds one real Postgres (embedded, or $AUTORECOVERY_TEST_PG_URL) once; before every
 * run the same rows are emptied again (and the table vacuumed), so each run sees the
 * same data. Runs alternate (baseline/ours, ours/baseline, …) so neither side always
 * gets the warmer cache. Prints medians, the ratio and the peak RSS growth.
 */
import { parseArgs } from 'node:util';

import { Pool, type Client } from 'pg';

import { DEFAULT_LAYOUT } from '../nodes/DbIntegrity/catalog/types';
import { restoreImages, type RestoreImagesOutcome } from '../nodes/DbIntegrity/repair/restoreImages';
import { startPostgres } from '../dev/stack/postgres';
import { applySchema } from '../dev/stack/schema';
import { seedCatalog } from '../dev/stack/seed';

const BASELINE_SQL = `UPDATE products p SET image_url = b.image_url FROM product_images_backup b
WHERE p.sku = b.sku AND (p.image_url IS NULL OR p.image_url = '')`;

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function emptyCount(db: Client): Promise<number> {
	const { rows } = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM products WHERE image_url IS NULL OR image_url = ''");
	return Number(rows[0]?.n);
}

/** Empties the same rows again and vacuums, so every run starts from identical data. */
async function reset(db: Client, expected: number): Promise<void> {
	await db.query('UPDATE products SET image_url = NULL WHERE id IN (SELECT id FROM bench_missing)');
	await db.query('VACUUM ANALYZE products');
	const empty = await emptyCount(db);
	if (empty !== expected) throw new Error(`reset left ${empty} empty images, expected ${expected}`);
}

async function runBaseline(db: Client): Promise<number> {
	const started = performance.now();
	await db.query(BASELINE_SQL);
	return performance.now() - started;
}

async function runOurs(db: Client, batchSize: number): Promise<{ ms: number; rssGrowth: number; outcome: RestoreImagesOutcome }> {
	global.gc?.();
	const rssBefore = process.memoryUsage().rss;
	let peak = rssBefore;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	const started = performance.now();
	try {
		const outcome = await restoreImages(db, {
			layout: DEFAULT_LAYOUT,
			source: { kind: 'table', table: 'product_images_backup', skuColumn: 'sku', imageColumn: 'image_url' },
			batchSize,
			maxRows: 10_000_000,
			dryRun: false,
			sampleSize: 10,
			statementTimeoutMs: 60_000,
		});
		const ms = performance.now() - started;
		peak = Math.max(peak, process.memoryUsage().rss);
		return { ms, rssGrowth: peak - rssBefore, outcome };
	} finally {
		clearInterval(sampler);
	}
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			products: { type: 'string', default: '1000000' },
			batch: { type: 'string', default: '10000' },
			runs: { type: 'string', default: '3' },
		},
	});
	const products = Number(values.products);
	const batchSize = Number(values.batch);
	const runs = Number(values.runs);
	const pg = await startPostgres();
	try {
		await applySchema(pg.connectionString);
		const pool = new Pool({ connectionString: pg.connectionString, max: 2 });
		pool.on('error', () => undefined);
		const seeded = await seedCatalog(pool, { products, missingImagesPct: 10, concurrency: 2 }).finally(() => pool.end());
		console.log(`seeded ${products.toLocaleString('en-US')} products (${seeded.missingImages.toLocaleString('en-US')} without image) in ${secs(seeded.durationMs)}`);

		const db = await pg.connect();
		await db.query('SET application_name = $$bench-db-integrity$$');
		await db.query('CREATE TABLE bench_missing AS SELECT id FROM products WHERE image_url IS NULL');
		await db.query('ALTER TABLE bench_missing ADD PRIMARY KEY (id)');
		const missing = seeded.missingImages;

		const baseline: number[] = [];
		const ours: Array<{ ms: number; rssGrowth: number; outcome: RestoreImagesOutcome }> = [];
		for (let run = 0; run < runs; run++) {
			const order = run % 2 === 0 ? (['baseline', 'ours'] as const) : (['ours', 'baseline'] as const);
			for (const side of order) {
				await reset(db, missing);
				if (side === 'baseline') {
					baseline.push(await runBaseline(db));
					console.log(`  run ${run + 1} baseline: ${secs(baseline[baseline.length - 1] as number)}`);
				} else {
					const result = await runOurs(db, batchSize);
					ours.push(result);
					if (result.outcome.changed !== missing) throw new Error(`ours changed ${result.outcome.changed}, expected ${missing}`);
					console.log(`  run ${run + 1} ours:     ${secs(result.ms)} (${result.outcome.batches} batches, RSS +${mb(result.rssGrowth)})`);
				}
				const left = await emptyCount(db);
				if (left !== 0) throw new Error(`${side} left ${left} empty images`);
			}
		}
		await db.end();

		const baselineMs = median(baseline);
		const oursMs = median(ours.map((run) => run.ms));
		const rssPeak = Math.max(...ours.map((run) => run.rssGrowth));
		console.log(`DB Integrity restore benchmark: ${products.toLocaleString('en-US')} products, restore ${missing.toLocaleString('en-US')} missing images, ${runs} runs each`);
		console.log(`  baseline (one UPDATE … FROM, one transaction): median ${secs(baselineMs)}`);
		console.log(`  restoreImages (batch ${batchSize}, plan + keyset batches): median ${secs(oursMs)} → ${(oursMs / baselineMs).toFixed(2)}× the baseline (target ≤ 1.5×)`);
		console.log(`  peak RSS growth during restoreImages: ${mb(rssPeak)} (target ≤ 50 MB)`);
	} finally {
		await pg.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.stack : String(error));
	process.exit(1);
});
