/**
 * The batch loop shared by every mode (run inside withBatchSession): one statement,
 * so one short transaction, per batch, a pause
 * between batches, a batch size that halves when a batch runs long (or times out),
 * and a deadline after which no new batch starts.
 */
import type { Writable } from 'node:stream';

import type { ClientBase } from 'pg';

import { isStatementTimeout, type QuotedNames } from './sql';
import type { ArchivePlan } from './types';

/** A batch should hold its locks for about this long at most; longer ones halve the next batch. */
export const TARGET_BATCH_MS = 1_000;

/** Test and progress hooks; the node passes none. */
export interface ArchiveHooks {
	/** After each committed batch that changed rows (table/delete mode, and file mode's deletes). */
	afterBatch?(progress: { batches: number; rows: number }): void | Promise<void>;
	/** File mode: after the temporary file is written and flushed, before it is verified. */
	beforeVerify?(temporaryPath: string): void | Promise<void>;
	/** File mode: after the verified file got its final name, before any row is deleted. */
	afterFileRenamed?(finalPath: string): void | Promise<void>;
	/**
	 * File mode: opens the temporary file for writing (default: fs.createWriteStream with
	 * 'wx'). A seam for tests on machines that cannot mount a small file system to fill.
	 */
	createWriteStream?(temporaryPath: string): Writable;
}

/** Everything one run needs, fixed at its start. */
export interface RunContext {
	client: ClientBase;
	plan: ArchivePlan;
	names: QuotedNames;
	/** ISO-8601 UTC; rows with an older timestamp move. */
	cutoff: string;
	batchTimeoutMs: number;
	/** Date.now() when the run started (maxDurationMs counts from here). */
	startedAt: number;
	hooks: ArchiveHooks;
	stats: { batches: number; longestBatchMs: number };
}

export function deadlinePassed(context: RunContext): boolean {
	return context.plan.maxDurationMs > 0 && Date.now() - context.startedAt >= context.plan.maxDurationMs;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One batch: moves (or deletes) at most about `limit` rows in one short transaction and
 * says how many it changed and whether nothing is left to look at.
 */
export type Batch = (limit: number) => Promise<{ changed: number; done: boolean }>;

/**
 * A keyset batch: runs `sql(afterKey)` with [cutoff, limit, ...extra, lastKey?] and
 * remembers the largest key it changed, so the next batch starts after it. Done when a
 * batch finds nothing.
 */
export function keysetBatch(context: RunContext, sql: (afterKey: boolean) => string, extra: unknown[] = []): Batch {
	const first = sql(false);
	const next = sql(true);
	let lastKey: string | null = null;
	return async (limit) => {
		const params = [context.cutoff, limit, ...extra, ...(lastKey === null ? [] : [lastKey])];
		const { rows } = await context.client.query<{ n: number; last: string | null }>(lastKey === null ? first : next, params);
		const changed = rows[0]?.n ?? 0;
		if (changed > 0 && rows[0].last !== null) lastKey = rows[0].last;
		return { changed, done: changed === 0 };
	};
}

/**
 * Runs `batch(limit)` until it reports done, or the deadline passes when
 * `stopAtDeadline`. Returns the rows changed and whether the deadline stopped it.
 * Batches that changed nothing (a page sweep over new rows) are not counted.
 */
export async function runBatches(context: RunContext, batch: Batch, stopAtDeadline: boolean): Promise<{ rows: number; stoppedByDeadline: boolean }> {
	let limit = context.plan.batchSize;
	let rows = 0;
	for (;;) {
		if (stopAtDeadline && deadlinePassed(context)) return { rows, stoppedByDeadline: true };
		const started = Date.now();
		let changed: number;
		let done: boolean;
		try {
			// One statement per batch, in autocommit: its own short transaction (see withBatchSession).
			({ changed, done } = await batch(limit));
		} catch (error) {
			// Too slow even for the timeout: the batch rolled back whole; retry smaller.
			if (isStatementTimeout(error) && limit > 1) {
				limit = Math.max(1, Math.floor(limit / 2));
				continue;
			}
			throw error;
		}
		const elapsed = Date.now() - started;
		context.stats.longestBatchMs = Math.max(context.stats.longestBatchMs, elapsed);
		if (changed > 0) {
			rows += changed;
			context.stats.batches += 1;
			await context.hooks.afterBatch?.({ batches: context.stats.batches, rows });
		}
		if (done) return { rows, stoppedByDeadline: false };
		if (elapsed > TARGET_BATCH_MS && limit > 1) limit = Math.max(1, Math.floor(limit / 2));
		// The pause spares the bot's writes; a batch that changed nothing locked nothing.
		if (changed > 0 && context.plan.pauseMs > 0) await sleep(context.plan.pauseMs);
	}
}
