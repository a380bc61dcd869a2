/**
 * Runs one archive in its own process so the kill test can SIGKILL it mid-run.
 *
 *   node --import tsx archiveChild.ts <connectionString> <table|delete|file> <directory|-> <killPoint>
 *
 * killPoint: `none` (the parent kills us from outside), `beforeVerify`, `afterRename`,
 * or `afterBatch:N`: the process SIGKILLs itself at that exact point. Prints
 * `batch <n> <rows>` after every committed batch so the parent knows progress.
 */
import { Client } from 'pg';

import { archiveLogs, type ArchiveHooks } from '../../../nodes/LogArchive/archive/archiveLogs';
import type { ArchiveDestination } from '../../../nodes/LogArchive/archive/types';

export const CHILD_NOW = new Date('2024-06-01T00:00:00.000Z');
export const CHILD_BATCH_SIZE = 100;

function selfKill(): never {
	process.kill(process.pid, 'SIGKILL');
	throw new Error('unreachable: SIGKILL did not stop the process');
}

async function main(): Promise<void> {
	const [connectionString, mode, directory, killPoint = 'none'] = process.argv.slice(2);
	if (!connectionString || !mode) throw new Error('usage: archiveChild.ts <connectionString> <mode> <directory|-> <killPoint>');
	const destination: ArchiveDestination =
		mode === 'table' ? { kind: 'table', table: 'system_logs_archive' } : mode === 'file' ? { kind: 'file', directory: directory ?? '' } : { kind: 'delete' };
	const killAfterBatch = killPoint.startsWith('afterBatch:') ? Number(killPoint.slice('afterBatch:'.length)) : Infinity;
	const hooks: ArchiveHooks = {
		afterBatch: ({ batches, rows }) => {
			process.stdout.write(`batch ${batches} ${rows}\n`);
			if (batches >= killAfterBatch) selfKill();
		},
		beforeVerify: () => {
			if (killPoint === 'beforeVerify') selfKill();
		},
		afterFileRenamed: () => {
			if (killPoint === 'afterRename') selfKill();
		},
	};
	const client = new Client({ connectionString, statement_timeout: 10_000 });
	await client.connect();
	try {
		const outcome = await archiveLogs(
			client,
			{
				table: 'system_logs',
				timestampColumn: 'created_at',
				keyColumn: 'id',
				olderThanDays: 30,
				destination,
				batchSize: CHILD_BATCH_SIZE,
				// Slow enough for the parent to kill us mid-run.
				pauseMs: 20,
				dryRun: false,
				maxDurationMs: 0,
				now: CHILD_NOW,
			},
			hooks,
		);
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
