/**
 * Seeds a database with the bot's fixture catalog and logs.
 *
 *   npx tsx scripts/seed-db.ts --url postgres://user:pw@host:5432/db \
 *     --products 1000000 --logs 10000000 --missing-images 10
 *
 * Applies dev/stack/schema.sql first (idempotent; --no-schema skips it). Replaces
 * existing catalog/log rows unless --append is given.
 */
import { parseArgs } from 'node:util';

import { Pool } from 'pg';

import { applySchema } from '../dev/stack/schema';
import { DEFAULT_SEED, seedCatalog, seedLogs } from '../dev/stack/seed';

const USAGE = `Usage: npx tsx scripts/seed-db.ts --url postgres://… [options]
  --url URL                 target database (default: $DATABASE_URL)
  --products N              product rows (default 1000)
  --missing-images PCT      % of products without image_url (default 10)
  --duplicate-skus N        rows reusing another product's SKU (default 0)
  --orphans N               rows whose category does not exist (default 0)
  --non-positive-prices N   rows with price <= 0 (default 0)
  --logs N                  system_logs rows (default 0)
  --days N                  spread logs over the last N days (default 7)
  --error-pct PCT           % of logs with level 'error' (default 5)
  --seed N                  PRNG seed (default ${DEFAULT_SEED})
  --concurrency N           parallel connections (default 2)
  --append                  keep existing rows (default: replace them)
  --no-schema               do not apply dev/stack/schema.sql first`;

function integer(value: string | undefined, fallback: number, name: string): number {
	if (value === undefined) return fallback;
	const parsed = Number(value.replace(/_/g, ''));
	if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative number, got "${value}"`);
	return parsed;
}

function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(1)} s`;
}

function perSecond(rows: number, ms: number): string {
	return `${Math.round(rows / Math.max(ms / 1000, 0.001)).toLocaleString('en-US')} rows/s`;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			url: { type: 'string' },
			products: { type: 'string' },
			'missing-images': { type: 'string' },
			'duplicate-skus': { type: 'string' },
			orphans: { type: 'string' },
			'non-positive-prices': { type: 'string' },
			logs: { type: 'string' },
			days: { type: 'string' },
			'error-pct': { type: 'string' },
			seed: { type: 'string' },
			concurrency: { type: 'string' },
			append: { type: 'boolean', default: false },
			'no-schema': { type: 'boolean', default: false },
			help: { type: 'boolean', default: false },
		},
	});
	if (values.help) {
		console.log(USAGE);
		return;
	}
	const url = values.url ?? process.env.DATABASE_URL;
	if (url === undefined || url === '') throw new Error(`--url is required\n${USAGE}`);

	const seed = integer(values.seed, DEFAULT_SEED, 'seed');
	const concurrency = Math.max(1, integer(values.concurrency, 2, 'concurrency'));
	const truncate = !values.append;
	const pool = new Pool({ connectionString: url, max: concurrency });
	// Idle pooled connections see the server going away as an 'error' event.
	pool.on('error', () => undefined);
	const started = Date.now();
	try {
		if (!values['no-schema']) {
			await applySchema(url);
			console.log('schema applied (dev/stack/schema.sql)');
		}
		const catalog = await seedCatalog(pool, {
			products: integer(values.products, 1000, 'products'),
			missingImagesPct: integer(values['missing-images'], 10, 'missing-images'),
			duplicateSkus: integer(values['duplicate-skus'], 0, 'duplicate-skus'),
			orphanRows: integer(values.orphans, 0, 'orphans'),
			nonPositivePrices: integer(values['non-positive-prices'], 0, 'non-positive-prices'),
			seed,
			truncate,
			concurrency,
		});
		console.log(
			`products: ${catalog.products.toLocaleString('en-US')} rows (${catalog.distinctSkus.toLocaleString('en-US')} distinct SKUs; ` +
				`${catalog.missingImages} without image, ${catalog.duplicateSkus} duplicate SKUs, ${catalog.orphanRows} orphans, ` +
				`${catalog.nonPositivePrices} prices <= 0), ${catalog.backupImages.toLocaleString('en-US')} backup images, ` +
				`${catalog.categories} categories in ${seconds(catalog.durationMs)} (${perSecond(catalog.products, catalog.durationMs)})`,
		);
		const logRows = integer(values.logs, 0, 'logs');
		if (logRows > 0) {
			const logs = await seedLogs(pool, {
				rows: logRows,
				days: integer(values.days, 7, 'days'),
				errorPct: integer(values['error-pct'], 5, 'error-pct'),
				seed,
				truncate,
				concurrency,
			});
			console.log(
				`system_logs: ${logs.rows.toLocaleString('en-US')} rows (error ${logs.byLevel.error}, warn ${logs.byLevel.warn}, ` +
					`info ${logs.byLevel.info}) from ${logs.from.toISOString()} to ${logs.to.toISOString()} ` +
					`in ${seconds(logs.durationMs)} (${perSecond(logs.rows, logs.durationMs)})`,
			);
		}
		console.log(`done in ${seconds(Date.now() - started)} (seed ${seed}, ${concurrency} connection(s))`);
	} finally {
		await pool.end();
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
