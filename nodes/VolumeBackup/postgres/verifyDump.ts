/**
 * Verify a dump: its bytes still match `<file>.sha256`, `pg_restore --list` can read its
 * table of contents, and it lists the expected tables. Problems are failed outcomes. A
 * pass (re)writes the verified marker Prune relies on (the same one folder backups use);
 * a failure removes it, so a damaged dump never counts as verified.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

import { backupCause } from './causes';
import { readChecksumFile, sha256OfFile } from './checksum';
import { classifyToolExit } from './classifyToolError';
import { TextCollector } from './collectText';
import { BackupFailure } from './errors';
import { requireAbsolutePath, requireTimeout } from './params';
import { databaseInRestoreList, tablesInRestoreList } from './restoreList';
import { clearVerified, markVerified } from '../directory/sidecars';
import { runTool } from './runTool';
import { pgToolVersion } from './toolVersion';
import type { OperationFailure, VerifyOptions, VerifyOutcome } from './types';
import { writeFailureCause } from './writeErrors';

const VERSION_TIMEOUT_MS = 10_000;

export async function verifyDump(file: string, options: VerifyOptions): Promise<VerifyOutcome> {
	requireAbsolutePath(file, 'file');
	const pgRestoreBinary = requireAbsolutePath(options.pgRestoreBinary, 'pgRestoreBinary');
	const timeoutMs = requireTimeout(options.timeoutMs);
	const startedAt = Date.now();
	const remaining = (): number => Math.max(1, timeoutMs - (Date.now() - startedAt));
	let database = path.basename(file);
	let stage: OperationFailure['stage'] = 'checksum';
	try {
		const sha256 = await checkChecksum(file);
		stage = 'tool';
		await pgToolVersion(pgRestoreBinary, 'pgRestoreBinary', 'pg_restore', Math.min(remaining(), VERSION_TIMEOUT_MS));
		stage = 'list';
		const listing = new TextCollector();
		const run = await runTool({ binary: pgRestoreBinary, args: ['--list', file], env: { LC_ALL: 'C' }, timeoutMs: remaining(), secrets: [], sink: [listing] });
		if (run.code !== 0 || run.timedOut || run.spawnError || run.sinkError !== undefined) {
			throw new BackupFailure(classifyToolExit(run, 'pg_restore --list', 'pgRestoreBinary', 'backup.dump_unreadable', timeoutMs));
		}
		const text = listing.text();
		database = databaseInRestoreList(text) ?? database;
		const tables = tablesInRestoreList(text);
		const missing = (options.expectedTables ?? []).filter((table) => !tables.includes(table));
		if (missing.length > 0) {
			throw new BackupFailure(backupCause('backup.tables_missing', `The dump ${path.basename(file)} lacks ${missing.length} expected table(s): ${missing.join(', ')}.`));
		}
		stage = 'write';
		try {
			await markVerified(file, sha256, new Date());
		} catch (markError) {
			throw new BackupFailure(writeFailureCause(markError, `${path.basename(file)}.verified.json`));
		}
		return { ok: true, database, durationMs: Date.now() - startedAt, file, sha256, tables };
	} catch (error) {
		const cause =
			error instanceof BackupFailure
				? error.cause
				: backupCause('backup.dump_unreadable', `The dump ${path.basename(file)} could not be read: ${error instanceof Error ? error.message : String(error)}.`);
		// No marker may outlive a failed verification (best effort: the folder may be read-only).
		await clearVerified(file).catch(() => undefined);
		return { ok: false, database, durationMs: Date.now() - startedAt, stage, cause };
	}
}

/** Recomputes the file's sha256 and compares it with the checksum file; returns the hash. */
export async function checkChecksum(file: string): Promise<string> {
	const exists = await fs.stat(file).then(
		(stat) => stat.isFile(),
		() => false,
	);
	if (!exists) throw new BackupFailure(backupCause('backup.file_missing', `The dump ${file} does not exist.`));
	const expected = await readChecksumFile(file);
	if (expected === null) {
		throw new BackupFailure(backupCause('backup.checksum_missing', `The checksum file ${path.basename(file)}.sha256 is missing or unreadable, so the dump cannot be trusted.`));
	}
	const { sha256 } = await sha256OfFile(file);
	if (sha256 !== expected) {
		throw new BackupFailure(
			backupCause('backup.checksum_mismatch', `The dump ${path.basename(file)} does not match its checksum (expected ${expected}, got ${sha256}); it is corrupted.`),
		);
	}
	return sha256;
}
