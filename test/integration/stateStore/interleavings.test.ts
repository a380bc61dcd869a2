/**
 * Issue 20, "one state, concurrent writers": 100 seeded interleavings of ticks, events,
 * recovery results and resets against each real backend (files on disk; a real Postgres),
 * through three store instances standing for three n8n processes. Every interleaving
 * must equal its sequential replay. A last-writer-wins store (what static data does) run
 * through the same check must fail it, so the check can see a lost update.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createPrng } from '../../../dev/stack/permutation';
import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { createFileStore } from '../../../nodes/shared/stateStore/fileStore';
import { createPostgresStore } from '../../../nodes/shared/stateStore/postgresStore';
import type { Change, Committed, StateStore } from '../../../nodes/shared/stateStore/types';
import { generateOps, runInterleaving, type InterleavingReport } from './interleaving';

const INTERLEAVINGS = 100;
const OPS_PER_INTERLEAVING = 12;
const PROCESSES = 3;
const SEED = 20;
/** Generous: on a loaded 2-core machine a commit can wait seconds for the disk; nothing here should ever wait this long. */
const WAIT_MS = 60_000;

async function runAll(stores: StateStore[], prefix: string, seed = SEED): Promise<{ reports: InterleavingReport[]; failed: string[] }> {
	const random = createPrng(seed);
	const reports: InterleavingReport[] = [];
	const failed: string[] = [];
	for (let index = 0; index < INTERLEAVINGS; index++) {
		const report = await runInterleaving(stores, `${prefix}-${index}`, generateOps(random, OPS_PER_INTERLEAVING), random);
		reports.push(report);
		if (report.problems.length > 0) failed.push(`#${index}: ${report.problems.join('; ')}`);
	}
	return { reports, failed };
}

function summary(reports: InterleavingReport[]): string {
	const sum = (pick: (report: InterleavingReport) => number) => reports.reduce((total, report) => total + pick(report), 0);
	return `${reports.length} interleavings, ${sum((report) => report.runs)} runs, ${sum((report) => report.overlapped)} committed while another was in flight, ${sum((report) => report.recomputed)} decisions recomputed after a conflict, ${sum((report) => report.recoverDecisions)} recover decisions`;
}

/** What static data does: read at the start, write at the end, whatever happened in between. */
function lastWriterWins(store: StateStore): StateStore {
	return {
		...store,
		async update<T, R>(key: string, change: Change<T, R>): Promise<Committed<T, R>> {
			const { next, result } = change(await store.read<T>(key));
			await new Promise((resolve) => setTimeout(resolve, 2));
			return { ...(await store.update<T, undefined>(key, () => ({ next, result: undefined }))), result };
		},
	};
}

describe('the file store (n8n on SQLite)', () => {
	let folder: string;
	beforeAll(() => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'state-store-'));
	});
	afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

	it(`${INTERLEAVINGS} interleavings of ticks and events equal their sequential replay`, async () => {
		const stores = Array.from({ length: PROCESSES }, () => createFileStore({ folder, waitMs: WAIT_MS }));
		const { reports, failed } = await runAll(stores, 'file');
		console.log(`file store: ${summary(reports)}`);
		expect(failed).toEqual([]);
		expect(reports.reduce((total, report) => total + report.overlapped, 0)).toBeGreaterThan(INTERLEAVINGS);
	}, 600_000);

	it('the check catches the lost updates of a last-writer-wins store', async () => {
		const stores = Array.from({ length: PROCESSES }, () => lastWriterWins(createFileStore({ folder, waitMs: WAIT_MS })));
		const { failed } = await runAll(stores, 'naive');
		console.log(`last-writer-wins: ${failed.length} of ${INTERLEAVINGS} interleavings caught`);
		expect(failed.length).toBeGreaterThan(INTERLEAVINGS / 2);
	}, 600_000);
});

describe('the Postgres store (n8n on Postgres, regular or queue mode)', () => {
	let pg: PostgresHarness;
	const stores: StateStore[] = [];

	beforeAll(async () => {
		pg = await startPostgres({ databasePrefix: 'statestore' });
	}, 180_000);
	afterAll(async () => {
		await Promise.all(stores.map((store) => store.close()));
		await pg?.stop();
	}, 60_000);

	it(`${INTERLEAVINGS} interleavings of ticks and events equal their sequential replay`, async () => {
		for (let index = 0; index < PROCESSES; index++) {
			stores.push(createPostgresStore({ connection: pg.connection, schema: 'public', table: 'autorecovery_state', waitMs: WAIT_MS }));
		}
		const { reports, failed } = await runAll(stores, 'pg');
		console.log(`postgres store: ${summary(reports)}`);
		expect(failed).toEqual([]);
		expect(reports.reduce((total, report) => total + report.overlapped, 0)).toBeGreaterThan(INTERLEAVINGS);
	}, 600_000);
});
