/**
 * DB Integrity Check benchmark (target: on 1,000,000 products with 10% missing images,
 * the Check takes ≤ 1.2× the same queries run by hand through `psql` in the same run).
 *
 *   npx tsx bench/dbIntegrityCheck.ts [--products 1000000] [--runs 5]
 *
 * Seeds one real Postgres (embedded, or $AUTORECOVERY_TEST_PG_URL). Each run times, in
 * alternating order, `psql -f` with the check's statements (connection included, as a
 * person would run them) and the node's checkCatalogViaPostgres (connection included).
 * Prints both medians and the ratio.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';

import { catalogStatementsForManualRun } from '../nodes/DbIntegrity/catalog/catalogSql';
import { checkCatalogViaPostgres } from '../nodes/DbIntegrity/catalog/checkCatalogViaPostgres';
import { quoteLayout } from '../nodes/DbIntegrity/catalog/quotedLayout';
import { DEFAULT_LAYOUT, DEFAULT_THRESHOLDS } from '../nodes/DbIntegrity/catalog/types';
import { startPostgres } from '../dev/stack/postgres';
import { applySchema } from '../dev/stack/schema';
import { seedCatalog } from '../dev/stack/seed';

const execFileAsync = promisify(execFile);

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main(): Promise<void> {
	const { values } = parseArgs({ options: { products: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '5' } } });
	const products = Number(values.products);
	const runs = Number(values.runs);
	const pg = await startPostgres({ databasePrefix: 'bench_check' });
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-check-'));
	try {
		const db = await pg.connect();
		await applySchema(db);
		const seedStarted = performance.now();
		const summary = await seedCatalog(db, { products, missingImagesPct: 10, duplicateSkus: 500, orphanRows: 200, nonPositivePrices: 100 });
		await db.query('VACUUM ANALYZE products');
		await db.end();
		console.log(`seeded ${summary.products} products (${summary.missingImages} without image) in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

		const quoted = quoteLayout(DEFAULT_LAYOUT);
		const sqlFile = path.join(dir, 'check.sql');
		// The node also asks the server version; the manual run does the same work.
		const statements = ["SELECT current_setting('server_version')", ...catalogStatementsForManualRun(quoted, DEFAULT_THRESHOLDS.sampleSize)];
		fs.writeFileSync(sqlFile, statements.map((sql) => `${sql};`).join('\n'));
		const { host, port, database, user, password } = pg.connection;
		const psqlEnv = { ...process.env, PGPASSWORD: password };
		const psql = async () => {
			const started = performance.now();
			await execFileAsync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', host, '-p', String(port), '-U', user, '-d', database, '-f', sqlFile, '-o', '/dev/null'], { env: psqlEnv });
			return performance.now() - started;
		};
		const ours = async () => {
			const started = performance.now();
			const result = await checkCatalogViaPostgres({
				settings: { host, port, database, user, password },
				timeouts: { connectTimeoutMs: 10_000, statementTimeoutMs: 120_000 },
				layout: DEFAULT_LAYOUT,
				quoted,
				thresholds: DEFAULT_THRESHOLDS,
				customChecks: [],
			});
			const ms = performance.now() - started;
			if (result.details?.productsWithoutImages !== summary.missingImages) throw new Error(`check found ${String(result.details?.productsWithoutImages)} missing images, expected ${summary.missingImages}`);
			return ms;
		};

		// One warm-up of each, so neither side pays for a cold cache.
		await psql();
		await ours();
		const manual: number[] = [];
		const node: number[] = [];
		for (let run = 0; run < runs; run += 1) {
			if (run % 2 === 0) {
				manual.push(await psql());
				node.push(await ours());
			} else {
				node.push(await ours());
				manual.push(await psql());
			}
		}
		const manualMs = median(manual);
		const nodeMs = median(node);
		console.log(`psql by hand (${statements.length} statements): median ${manualMs.toFixed(0)} ms  runs ${manual.map((v) => v.toFixed(0)).join(', ')}`);
		console.log(`DB Integrity Check:              median ${nodeMs.toFixed(0)} ms  runs ${node.map((v) => v.toFixed(0)).join(', ')}`);
		console.log(`ratio (Check / psql): ${(nodeMs / manualMs).toFixed(2)}×  (target ≤ 1.20×)`);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
		await pg.stop();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
