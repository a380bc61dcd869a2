/**
 * Runs one Postgres repair in its own process so the kill tests can SIGKILL it mid-run.
 *
 *   node --import tsx repairChild.ts <connectionString> <restore|import> <sourceFile|->
 *
 * restore reads product_images_backup when the source is `-`, else a JSON file of
 * {sku, image_url}; import reads a JSON file of products. Batches of CHILD_BATCH_SIZE,
 * and a pause after each (so an outside kill lands mid-run); prints `batch <n> <rows>`
 * after every batch (restore: committed; import: inserted inside the one transaction).
 */
import { Client } from 'pg';

import { DEFAULT_LAYOUT } from '../../../nodes/DbIntegrity/catalog/types';
import { importCatalog } from '../../../nodes/DbIntegrity/repair/importCatalog';
import { restoreImages, type RepairHooks } from '../../../nodes/DbIntegrity/repair/restoreImages';
import type { RepairSource } from '../../../nodes/DbIntegrity/repair/types';

export const CHILD_BATCH_SIZE = 20;
export const CHILD_PAUSE_MS = 40;

async function main(): Promise<void> {
	const [connectionString, action, sourceFile = '-'] = process.argv.slice(2);
	if (!connectionString || (action !== 'restore' && action !== 'import')) {
		throw new Error('usage: repairChild.ts <connectionString> <restore|import> <sourceFile|->');
	}
	const source: RepairSource =
		sourceFile === '-'
			? { kind: 'table', table: 'product_images_backup', skuColumn: 'sku', imageColumn: 'image_url' }
			: { kind: 'file', path: sourceFile, format: 'json', skuField: 'sku', imageField: 'image_url' };
	const hooks: RepairHooks = {
		afterBatch: async ({ batches, rows }) => {
			process.stdout.write(`batch ${batches} ${rows}\n`);
			await new Promise((resolve) => setTimeout(resolve, CHILD_PAUSE_MS));
		},
	};
	const client = new Client({ connectionString, application_name: 'repair-child' });
	await client.connect();
	try {
		const plan = {
			layout: DEFAULT_LAYOUT,
			source,
			batchSize: CHILD_BATCH_SIZE,
			maxRows: 1_000_000,
			dryRun: false,
			sampleSize: 3,
			statementTimeoutMs: 10_000,
		};
		const outcome = action === 'restore' ? await restoreImages(client, plan, hooks) : await importCatalog(client, plan, hooks);
		process.stdout.write(`done ${JSON.stringify(outcome)}\n`);
	} finally {
		await client.end();
	}
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	});
}
