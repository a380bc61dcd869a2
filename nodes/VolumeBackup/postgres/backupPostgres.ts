/**
 * Backup Postgres: pg_dump in custom format, streamed through a sha256 hash into
 * `<backupDir>/<name>-<stamp>.dump.partial`, renamed to `.dump` only when pg_dump
 * succeeded and the bytes are on disk, with `<file>.sha256` beside it. Any failure
 * removes the partial file and never touches other files, so a file ending in `.dump`
 * is always complete. The password reaches pg_dump only through its environment.
 */
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

import { postgresSecrets } from '../../shared/sql/postgresConnection';
import { backupCause } from './causes';
import { CHECKSUM_SUFFIX, checksumLine, Sha256Counter } from './checksum';
import { classifyToolExit } from './classifyToolError';
import { toolConnection } from './connectionArgs';
import { BackupFailure } from './errors';
import { compactStamp, requireAbsolutePath, requireDate, requireFileName, requireTimeout } from './params';
import { runTool } from './runTool';
import { databaseLabel, readServerInfo } from './serverInfo';
import { pgToolVersion, serverMajor } from './toolVersion';
import type { BackupOptions, DumpOutcome, OperationFailure } from './types';
import { writeFailureCause } from './writeErrors';
import { fsyncDirectory, fsyncFile } from '../../shared/files/durable';

const DUMP_SUFFIX = '.dump';
export const PARTIAL_SUFFIX = '.partial';
/** `--version` answers at once; it never needs the whole dump budget. */
const VERSION_TIMEOUT_MS = 10_000;

export async function backupPostgres(options: BackupOptions): Promise<DumpOutcome> {
	const pgDumpBinary = requireAbsolutePath(options.pgDumpBinary, 'pgDumpBinary');
	const backupDir = requireAbsolutePath(options.backupDir, 'backupDir');
	const timeoutMs = requireTimeout(options.timeoutMs);
	const now = requireDate(options.now);
	const database = databaseLabel(options.settings);
	const name = requireFileName(options.name ?? `postgres-${database}`);
	const connection = toolConnection(options.settings, timeoutMs);
	const secrets = postgresSecrets(options.settings);

	const startedAt = Date.now();
	const remaining = (): number => Math.max(1, timeoutMs - (Date.now() - startedAt));
	let stage: OperationFailure['stage'] = 'tool';
	const finalPath = path.join(backupDir, `${name}-${compactStamp(now)}${DUMP_SUFFIX}`);
	const temporaryPath = finalPath + PARTIAL_SUFFIX;
	let temporaryCreated = false;
	let finalCreated = false;
	try {
		const tool = await pgToolVersion(pgDumpBinary, 'pgDumpBinary', 'pg_dump', Math.min(remaining(), VERSION_TIMEOUT_MS));
		stage = 'connect';
		const server = await readServerInfo(options.settings, remaining());
		stage = 'tool';
		if (tool.major < serverMajor(server.serverVersionNum)) {
			throw new BackupFailure(
				backupCause(
					'backup.tool_too_old',
					`pg_dump ${tool.version} (parameter pgDumpBinary) cannot dump server ${server.serverVersion}; use pg_dump ${serverMajor(server.serverVersionNum)} or newer.`,
				),
			);
		}

		stage = 'write';
		await prepareFolder(backupDir, finalPath);
		const counter = new Sha256Counter();
		temporaryCreated = true;
		const sink = options.createWriteStream
			? options.createWriteStream(temporaryPath)
			: createWriteStream(temporaryPath, { flags: 'wx', mode: 0o600 }); // 'wx': never clobber
		stage = 'dump';
		// No --file: the dump comes on stdout, through the hash, into the temporary file.
		const run = await runTool({
			binary: pgDumpBinary,
			args: [...connection.args, '--format=custom', '--no-password'],
			env: connection.env,
			timeoutMs: remaining(),
			secrets,
			sink: [counter, sink],
			hooks: options.hooks,
		});
		if (run.sinkError !== undefined && !run.spawnError) {
			stage = 'write';
			throw new BackupFailure(writeFailureCause(run.sinkError, temporaryPath));
		}
		if (run.code !== 0 || run.timedOut || run.spawnError) {
			throw new BackupFailure(classifyToolExit(run, 'pg_dump', 'pgDumpBinary', 'backup.dump_failed', timeoutMs));
		}

		stage = 'write';
		const sha256 = counter.hex();
		await fsyncFile(temporaryPath);
		await fs.rename(temporaryPath, finalPath);
		temporaryCreated = false;
		finalCreated = true;
		await writeChecksumFile(finalPath, sha256);
		await fsyncDirectory(backupDir);
		return {
			ok: true,
			database,
			durationMs: Date.now() - startedAt,
			file: finalPath,
			checksumFile: finalPath + CHECKSUM_SUFFIX,
			bytes: counter.bytes,
			sha256,
			serverVersion: server.serverVersion,
			toolVersion: tool.version,
			tables: server.tables,
		};
	} catch (error) {
		if (temporaryCreated) await fs.rm(temporaryPath, { force: true }).catch(() => undefined);
		// A dump without its checksum file would look complete but could not be verified.
		if (finalCreated) {
			await fs.rm(finalPath + CHECKSUM_SUFFIX + PARTIAL_SUFFIX, { force: true }).catch(() => undefined);
			await fs.rm(finalPath, { force: true }).catch(() => undefined);
		}
		const cause = error instanceof BackupFailure ? error.cause : writeFailureCause(error, finalPath);
		return { ok: false, database, durationMs: Date.now() - startedAt, stage, cause };
	}
}

/** Creates the folder; refuses (EEXIST) when the final name is taken, so nothing is replaced. */
async function prepareFolder(backupDir: string, finalPath: string): Promise<void> {
	await fs.mkdir(backupDir, { recursive: true });
	const taken = await fs.lstat(finalPath).then(
		() => true,
		() => false,
	);
	if (taken) throw Object.assign(new Error(`${finalPath} already exists`), { code: 'EEXIST' });
}

/** The checksum file appears whole or not at all. */
async function writeChecksumFile(finalPath: string, sha256: string): Promise<void> {
	const checksumPath = finalPath + CHECKSUM_SUFFIX;
	const temporary = checksumPath + PARTIAL_SUFFIX;
	await fs.writeFile(temporary, checksumLine(sha256, finalPath), { flag: 'wx', mode: 0o644 });
	await fs.rename(temporary, checksumPath);
}


