/**
 * File mode: old rows → one gzip-compressed JSON Lines file per run, then deleted.
 *
 * Order of events, and what a kill at each point leaves behind:
 *  1. rows are streamed by key (keyset pages, bounded memory) into `<final>.tmp`;
 *  2. the temp file is fsync'ed and re-read: line count and sha256 must match;
 *  3. a marker `<final>.pending.json` (cut-off, largest key written) is written and fsync'ed;
 *  4. the temp file is renamed to its final name (atomic) and the directory fsync'ed;
 *  5. the written rows are deleted in batches (`ts < cutoff AND key <= maxKey`);
 *  6. the marker is removed.
 * Killed in 1–3: at most a temp file (and a marker without a final file); the next run
 * removes both and no row was deleted. Killed in 4–5: the next run sees the marker next
 * to the final file and first finishes deleting those rows, so no row lands in two files.
 *
 * Assumption (documented in the report): nobody inserts rows with a timestamp older
 * than the cut-off while a run is going on; the bot stamps its logs with now().
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

import { deadlinePassed, keysetBatch, runBatches, type RunContext } from './batches';
import { ArchiveError } from './errors';
import { deleteWrittenBatchSql, inBatchTransaction, readPageSql } from './sql';
import type { ArchiveFile } from './types';
import { fsyncDirectory, fsyncFile, writeDurably } from '../../shared/files/durable';

const FILE_SUFFIX = '.jsonl.gz';
const TEMP_SUFFIX = '.tmp';
const MARKER_SUFFIX = '.pending.json';

interface PendingMarker {
	cutoff: string;
	maxKey: string;
	rows: number;
}

interface FileRunResult {
	rowsMoved: number;
	stoppedByDeadline: boolean;
	file?: ArchiveFile;
	/** Rows of an earlier, killed run whose deletion this run finished. */
	recoveredRows: number;
}

/** `2024-01-31T12:00:00.000Z` → `20240131T120000000Z` (no colons: portable file names). */
function compactStamp(iso: string): string {
	return iso.replace(/[-:.]/g, '');
}

/** Out of disk space or over quota. */
const NO_SPACE_CODES = new Set(['ENOSPC', 'EDQUOT']);

function errnoCode(error: unknown): string | undefined {
	return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** File names start with the table name (validated: letters, digits, `_`, one `.`). */
function filePrefix(table: string): string {
	return `${table.trim()}-`;
}

export async function archiveToFile(context: RunContext, directory: string): Promise<FileRunResult> {
	const prefix = filePrefix(context.plan.table);
	try {
		await fs.mkdir(directory, { recursive: true });
		await fs.access(directory, fs.constants.W_OK);
	} catch (error) {
		throw new ArchiveError(`archive directory ${directory} is not writable: ${describe(error)}`, 'logs.archive_dir_unwritable');
	}
	const recoveredRows = await recoverEarlierRuns(context, directory, prefix);

	const runStamp = `${compactStamp(new Date().toISOString())}${process.pid.toString(36)}`;
	const finalPath = path.join(directory, `${prefix}${compactStamp(context.cutoff)}-${runStamp}${FILE_SUFFIX}`);
	const temporaryPath = finalPath + TEMP_SUFFIX;
	const markerPath = finalPath + MARKER_SUFFIX;

	let written: { rows: number; maxKey: string | null; sha256: string; bytes: number; stoppedByDeadline: boolean };
	try {
		written = await writeRows(context, temporaryPath, context.hooks.createWriteStream ?? openExclusive);
		if (written.rows === 0 || written.maxKey === null) {
			await fs.rm(temporaryPath, { force: true });
			return { rowsMoved: 0, stoppedByDeadline: written.stoppedByDeadline, recoveredRows };
		}
		await fsyncFile(temporaryPath);
		await context.hooks.beforeVerify?.(temporaryPath);
		const reread = await readBack(temporaryPath);
		if (reread.rows !== written.rows || reread.sha256 !== written.sha256) {
			throw new Error(
				`verification failed: wrote ${written.rows} rows (sha256 ${written.sha256}), read back ${reread.rows} rows (sha256 ${reread.sha256})`,
			);
		}
		const marker: PendingMarker = { cutoff: context.cutoff, maxKey: written.maxKey, rows: written.rows };
		await writeDurably(markerPath, JSON.stringify(marker));
		await fs.rename(temporaryPath, finalPath);
		await fsyncDirectory(directory);
	} catch (error) {
		// Nothing was deleted yet: leave no partial file and no marker behind.
		await fs.rm(temporaryPath, { force: true }).catch(() => undefined);
		await fs.rm(markerPath, { force: true }).catch(() => undefined);
		if (error instanceof ArchiveError) throw error;
		const code = errnoCode(error);
		if (code !== undefined && NO_SPACE_CODES.has(code)) {
			// A full disk does not free itself: a person must make room (the rule for this code says so).
			throw new ArchiveError(
				`no space left on the device holding ${directory} (${code}) while writing ${path.basename(finalPath)}; the partial file was removed and no rows were deleted`,
				'logs.archive_dir_unwritable',
			);
		}
		throw new ArchiveError(`could not write archive file ${finalPath}: ${describe(error)}; no rows were deleted`, 'logs.archive_file_failed');
	}

	await context.hooks.afterFileRenamed?.(finalPath);
	await deleteWritten(context, context.cutoff, written.maxKey);
	await fs.rm(markerPath, { force: true });
	return {
		rowsMoved: written.rows,
		stoppedByDeadline: written.stoppedByDeadline,
		recoveredRows,
		file: { path: finalPath, sha256: written.sha256, rows: written.rows, bytes: written.bytes },
	};
}

/** Deletes (in batches) the old rows up to `maxKey`: exactly those a file holds. */
async function deleteWritten(context: RunContext, cutoff: string, maxKey: string): Promise<number> {
	// Never stopped by the deadline: a written file's rows must leave the table.
	const batch = keysetBatch({ ...context, cutoff }, (afterKey) => deleteWrittenBatchSql(context.names, afterKey), [maxKey]);
	const { rows } = await runBatches(context, batch, false);
	return rows;
}

/** Finishes what killed runs left: deletes rows of renamed files, removes temp files and stray markers. */
async function recoverEarlierRuns(context: RunContext, directory: string, prefix: string): Promise<number> {
	let recovered = 0;
	const entries = await fs.readdir(directory);
	for (const entry of entries) {
		if (!entry.startsWith(prefix)) continue;
		const full = path.join(directory, entry);
		if (entry.endsWith(FILE_SUFFIX + MARKER_SUFFIX)) {
			const finalPath = full.slice(0, -MARKER_SUFFIX.length);
			const finalExists = await fs.stat(finalPath).then(
				() => true,
				() => false,
			);
			if (finalExists) {
				const marker = JSON.parse(await fs.readFile(full, 'utf8')) as PendingMarker;
				recovered += await deleteWritten(context, marker.cutoff, marker.maxKey);
			}
			await fs.rm(full, { force: true });
		} else if (entry.endsWith(FILE_SUFFIX + TEMP_SUFFIX)) {
			await fs.rm(full, { force: true });
		}
	}
	return recovered;
}

/** sha256 of the bytes passing through (the compressed file's hash), and their count. */
class Sha256Counter extends Transform {
	readonly hash = createHash('sha256');
	bytes = 0;
	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		this.hash.update(chunk);
		this.bytes += chunk.length;
		callback(null, chunk);
	}
}

/** 'wx': never overwrite an existing file. */
function openExclusive(temporaryPath: string): Writable {
	return createWriteStream(temporaryPath, { flags: 'wx' });
}

/** Streams the old rows, page by page (each page its own short read), into a gzip file. */
async function writeRows(
	context: RunContext,
	temporaryPath: string,
	open: (temporaryPath: string) => Writable,
): Promise<{ rows: number; maxKey: string | null; sha256: string; bytes: number; stoppedByDeadline: boolean }> {
	let rows = 0;
	let maxKey: string | null = null;
	let stoppedByDeadline = false;
	const { client, names, plan, cutoff } = context;
	async function* lines(): AsyncGenerator<string> {
		for (;;) {
			if (deadlinePassed(context)) {
				stoppedByDeadline = true;
				return;
			}
			const afterKey = maxKey;
			const page = await inBatchTransaction(client, context.batchTimeoutMs, () =>
				client.query<{ key: string; line: string }>(
					readPageSql(names, afterKey !== null),
					afterKey === null ? [cutoff, plan.batchSize] : [cutoff, plan.batchSize, afterKey],
				),
			);
			if (page.rows.length === 0) return;
			yield page.rows.map((row) => row.line + '\n').join('');
			rows += page.rows.length;
			maxKey = page.rows[page.rows.length - 1]?.key ?? maxKey;
			if (page.rows.length < plan.batchSize) return;
		}
	}
	const counter = new Sha256Counter();
	await pipeline(Readable.from(lines()), createGzip(), counter, open(temporaryPath));
	return { rows, maxKey, sha256: counter.hash.digest('hex'), bytes: counter.bytes, stoppedByDeadline };
}

/** Re-reads a written file: sha256 of its bytes and the number of JSON lines inside. */
async function readBack(filePath: string): Promise<{ rows: number; sha256: string }> {
	const counter = new Sha256Counter();
	let rows = 0;
	let partial = '';
	const countLines = new Transform({
		transform(chunk: Buffer, _encoding, callback): void {
			const text = partial + chunk.toString('utf8');
			const parts = text.split('\n');
			partial = parts.pop() ?? '';
			for (const line of parts) {
				JSON.parse(line); // every line must be a whole JSON row
				rows += 1;
			}
			callback();
		},
	});
	await pipeline(createReadStream(filePath), counter, createGunzip(), countLines);
	if (partial !== '') throw new Error('the last line of the file is incomplete');
	return { rows, sha256: counter.hash.digest('hex') };
}
