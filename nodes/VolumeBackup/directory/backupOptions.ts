/** Checks and fills in Backup Directory options; misuse throws BackupParameterError naming the option. */
import os from 'node:os';
import path from 'node:path';

import { BackupParameterError } from './errors';
import type { BackupOptions, WriteStreamFactory } from './types';

export interface ResolvedBackupOptions {
	sourceDir: string;
	backupDir: string;
	name: string;
	include: string[];
	exclude: string[];
	/** undefined: use the default (`database.sqlite` when present). */
	sqliteFiles?: string[];
	sqliteBinary: string;
	sqliteMissing: 'fail' | 'copy';
	compressionLevel: number;
	compressionThreads: number;
	now: () => Date;
	timeoutMs: number;
	stallTimeoutMs: number;
	createWriteStream?: WriteStreamFactory;
}

/** More than libuv's pool (4 threads by default) would only queue. */
const MAX_COMPRESSION_THREADS = 16;

/**
 * One block more than there are cores keeps every core busy while the main thread hands
 * blocks over; capped at 3 so the thread pool's fourth thread is left for file reads and
 * the gunzip that checks the archive as it is written.
 */
export function defaultCompressionThreads(): number {
	return Math.min(os.availableParallelism() + 1, 3);
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function requireAbsolute(value: unknown, parameter: string): string {
	if (typeof value !== 'string' || value.trim() === '') throw new BackupParameterError(parameter, 'a path is required');
	if (!path.isAbsolute(value)) throw new BackupParameterError(parameter, `must be an absolute path, got '${value}'`);
	return path.resolve(value);
}

function stringList(value: unknown, parameter: string): string[] {
	if (value === undefined) return [];
	if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === '')) {
		throw new BackupParameterError(parameter, 'must be a list of non-empty strings');
	}
	return value.map((item: string) => item.trim());
}

/** `child` equals `parent` or lies inside it. */
export function isInside(child: string, parent: string): boolean {
	const relative = path.relative(parent, child);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The no-progress limit of a backup, verify or restore (default 60 s). */
export function stallTimeoutOf(value: number | undefined): number {
	const ms = value ?? 60_000;
	if (!Number.isFinite(ms) || ms <= 0) {
		throw new BackupParameterError('stallTimeoutMs', `must be a positive number of milliseconds, got ${String(ms)}`);
	}
	return ms;
}

export function resolveBackupOptions(options: BackupOptions): ResolvedBackupOptions {
	const sourceDir = requireAbsolute(options.sourceDir, 'sourceDir');
	const backupDir = requireAbsolute(options.backupDir, 'backupDir');
	if (isInside(sourceDir, backupDir)) {
		throw new BackupParameterError('backupDir', 'must not be the source directory or contain it');
	}
	const name = options.name ?? path.basename(sourceDir).replace(/^[^A-Za-z0-9]+/, '');
	if (!NAME_PATTERN.test(name)) {
		throw new BackupParameterError('name', `use letters, digits, '.', '_' or '-' (starting with a letter or digit), got '${name}'`);
	}
	const level = options.compressionLevel ?? 6;
	if (!Number.isInteger(level) || level < 0 || level > 9) {
		throw new BackupParameterError('compressionLevel', `must be an integer 0-9, got ${String(level)}`);
	}
	const threads = options.compressionThreads ?? defaultCompressionThreads();
	if (!Number.isInteger(threads) || threads < 1 || threads > MAX_COMPRESSION_THREADS) {
		throw new BackupParameterError('compressionThreads', `must be an integer 1-${MAX_COMPRESSION_THREADS}, got ${String(threads)}`);
	}
	const timeoutMs = options.timeoutMs ?? 10_000;
	if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
		throw new BackupParameterError('timeoutMs', `must be a positive number of milliseconds, got ${String(timeoutMs)}`);
	}
	const stallTimeoutMs = stallTimeoutOf(options.stallTimeoutMs);
	const sqliteBinary = options.sqliteBinary ?? 'sqlite3';
	if (typeof sqliteBinary !== 'string' || sqliteBinary.trim() === '') {
		throw new BackupParameterError('sqliteBinary', 'must name the sqlite3 program');
	}
	const sqliteMissing = options.sqliteMissing ?? 'fail';
	if (sqliteMissing !== 'fail' && sqliteMissing !== 'copy') {
		throw new BackupParameterError('sqliteMissing', `must be 'fail' or 'copy', got '${String(sqliteMissing)}'`);
	}
	let sqliteFiles: string[] | undefined;
	if (options.sqliteFiles !== undefined) {
		sqliteFiles = stringList(options.sqliteFiles, 'sqliteFiles').map((file) => {
			const unified = file.replace(/\\/g, '/').replace(/^\.\//, '');
			if (path.isAbsolute(unified) || unified.split('/').includes('..')) {
				throw new BackupParameterError('sqliteFiles', `must be paths inside sourceDir, got '${file}'`);
			}
			return unified;
		});
	}
	return {
		sourceDir,
		backupDir,
		name,
		include: stringList(options.include, 'include'),
		exclude: stringList(options.exclude, 'exclude'),
		...(sqliteFiles ? { sqliteFiles } : {}),
		sqliteBinary,
		sqliteMissing,
		compressionLevel: level,
		compressionThreads: threads,
		now: options.now ?? (() => new Date()),
		timeoutMs,
		stallTimeoutMs,
		...(options.createWriteStream ? { createWriteStream: options.createWriteStream } : {}),
	};
}
