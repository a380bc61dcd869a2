import os from 'node:os';

import { defaultCompressionThreads, isInside, resolveBackupOptions } from '../../../nodes/VolumeBackup/directory/backupOptions';
import { BackupParameterError } from '../../../nodes/VolumeBackup/directory/errors';
import type { BackupOptions } from '../../../nodes/VolumeBackup/directory/types';

const BASE: BackupOptions = { sourceDir: '/data/.n8n', backupDir: '/backups' };

/** Options as an untyped caller (an n8n parameter) could pass them, wrong types included. */
function parameterOf(options: Record<string, unknown>): string | undefined {
	try {
		resolveBackupOptions({ ...BASE, ...options } as unknown as BackupOptions);
		return undefined;
	} catch (error) {
		if (error instanceof BackupParameterError) return error.parameter;
		throw error;
	}
}

test('defaults: name from the source folder (leading dot dropped), gzip 6, sqlite3 on PATH, fail without it', () => {
	const resolved = resolveBackupOptions(BASE);
	expect(resolved).toMatchObject({
		sourceDir: '/data/.n8n',
		backupDir: '/backups',
		name: 'n8n',
		include: [],
		exclude: [],
		sqliteBinary: 'sqlite3',
		sqliteMissing: 'fail',
		compressionLevel: 6,
		compressionThreads: defaultCompressionThreads(),
		timeoutMs: 10_000,
	});
	expect(resolved.sqliteFiles).toBeUndefined();
	expect(resolved.now()).toBeInstanceOf(Date);
});

test('paths are normalised and sqliteFiles lose a leading ./', () => {
	const resolved = resolveBackupOptions({ ...BASE, sourceDir: '/data/x/../n8n/', sqliteFiles: ['./database.sqlite', 'sub/other.db'] });
	expect(resolved.sourceDir).toBe('/data/n8n');
	expect(resolved.sqliteFiles).toEqual(['database.sqlite', 'sub/other.db']);
});

test.each<[string, Record<string, unknown>, string]>([
	['a relative source', { sourceDir: 'data/.n8n' }, 'sourceDir'],
	['an empty source', { sourceDir: '' }, 'sourceDir'],
	['a relative backup folder', { backupDir: './backups' }, 'backupDir'],
	['the source as backup folder', { backupDir: '/data/.n8n' }, 'backupDir'],
	['a backup folder containing the source', { backupDir: '/data' }, 'backupDir'],
	['a name with a slash', { name: 'a/b' }, 'name'],
	['a name starting with a dot', { name: '.hidden' }, 'name'],
	['compression 10', { compressionLevel: 10 }, 'compressionLevel'],
	['compression 1.5', { compressionLevel: 1.5 }, 'compressionLevel'],
	['no compression threads', { compressionThreads: 0 }, 'compressionThreads'],
	['2.5 compression threads', { compressionThreads: 2.5 }, 'compressionThreads'],
	['more compression threads than useful', { compressionThreads: 64 }, 'compressionThreads'],
	['a zero stall timeout', { stallTimeoutMs: 0 }, 'stallTimeoutMs'],
	['a zero timeout', { timeoutMs: 0 }, 'timeoutMs'],
	['an empty sqlite binary', { sqliteBinary: ' ' }, 'sqliteBinary'],
	['an unknown sqliteMissing', { sqliteMissing: 'ignore' }, 'sqliteMissing'],
	['an absolute sqlite file', { sqliteFiles: ['/etc/db.sqlite'] }, 'sqliteFiles'],
	['a sqlite file outside the source', { sqliteFiles: ['../db.sqlite'] }, 'sqliteFiles'],
	['globs that are not strings', { include: [1] }, 'include'],
	['an empty exclude glob', { exclude: [''] }, 'exclude'],
])('%s is refused naming %s', (_name, options, parameter) => {
	expect(parameterOf(options)).toBe(parameter);
});

test('the parameter error message starts with the parameter name', () => {
	expect(() => resolveBackupOptions({ ...BASE, compressionLevel: 12 })).toThrow(/^compressionLevel: must be an integer 0-9, got 12$/);
});

test('compression uses every core by default, but at most 3 of libuv\'s 4 threads (one stays for reads)', () => {
	const threads = defaultCompressionThreads();
	expect(threads).toBeGreaterThanOrEqual(Math.min(os.availableParallelism(), 3));
	expect(threads).toBeLessThanOrEqual(3);
	expect(resolveBackupOptions({ ...BASE, compressionThreads: 1 }).compressionThreads).toBe(1);
});

test('isInside: equal or below, never a sibling with a common prefix', () => {
	expect(isInside('/a/b', '/a/b')).toBe(true);
	expect(isInside('/a/b/c', '/a/b')).toBe(true);
	expect(isInside('/a/bc', '/a/b')).toBe(false);
	expect(isInside('/a', '/a/b')).toBe(false);
});
