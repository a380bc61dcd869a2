import { BACKUP_CAUSE_CODES, BackupError, BackupParameterError } from '../../../nodes/VolumeBackup/directory/errors';
import {
	backupErrorCause,
	backupErrorToResult,
	backupOutcomeToResult,
	backupTarget,
	pruneOutcomeToResult,
	restoreOutcomeToResult,
	verifyOutcomeToResult,
} from '../../../nodes/VolumeBackup/directory/outcomeToResult';
import type { BackupOutcome, PruneOutcome, VerifyOutcome } from '../../../nodes/VolumeBackup/directory/types';
import { CAUSE_CODE_PATTERN } from '../../../nodes/shared/contract';
import { validateCheckResult } from '../../../nodes/shared/validate';

const CLOCK = (): number => Date.parse('2026-03-01T10:00:00.000Z');
const SHA = 'a'.repeat(64);

function backup(overrides: Partial<BackupOutcome['manifest']> = {}): BackupOutcome {
	return {
		file: '/backups/n8n-20260301T100000000Z.tar.gz',
		manifestFile: '/backups/n8n-20260301T100000000Z.tar.gz.manifest.json',
		bytes: 2048,
		sha256: SHA,
		durationMs: 120,
		manifest: {
			version: 1,
			createdAt: '2026-03-01T10:00:00.000Z',
			source: '/home/node/.n8n',
			archive: 'n8n-20260301T100000000Z.tar.gz',
			files: [
				{ path: 'config', type: 'file', size: 40 },
				{ path: 'nodes', type: 'dir', size: 0 },
				{ path: 'database.sqlite', type: 'file', size: 8192 },
			],
			sqliteSnapshots: [{ path: 'database.sqlite', method: 'vacuum_into', bytes: 8192 }],
			skippedLinks: [],
			...overrides,
		},
	};
}

function verified(overrides: Partial<VerifyOutcome> = {}): VerifyOutcome {
	return {
		file: '/backups/n8n.tar.gz',
		sha256: SHA,
		expectedSha256: SHA,
		checksumOk: true,
		entries: 3,
		missing: [],
		unexpected: [],
		mismatched: [],
		unsafe: [],
		manifestChecked: true,
		ok: true,
		durationMs: 5,
		...overrides,
	};
}

test('backupTarget names the source folder', () => {
	expect(backupTarget('/home/node/.n8n')).toBe('dir:.n8n');
	expect(backupTarget('/data/n8n/')).toBe('dir:n8n');
});

describe('backupOutcomeToResult', () => {
	test('a backup with consistent snapshots is healthy and carries size, duration and checksum', () => {
		const result = backupOutcomeToResult(backup(), CLOCK);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result).toMatchObject({ component: 'backup', target: 'dir:.n8n', status: 'healthy', checkedAt: '2026-03-01T10:00:00.000Z' });
		expect(result.details).toMatchObject({ bytes: 2048, durationMs: 120, sha256: SHA, files: 2 });
		expect(result.checks.map((check) => check.name)).toEqual(['archive', 'verify', 'sqlite:database.sqlite']);
		expect(result.checks[0]?.message).toBe(`wrote n8n-20260301T100000000Z.tar.gz: 2 files, 2048 bytes in 120 ms (sha256 ${SHA})`);
	});

	test('a database copied without a snapshot makes the result degraded and needs a person', () => {
		const result = backupOutcomeToResult(
			backup({ sqliteSnapshots: [{ path: 'database.sqlite', method: 'copy', bytes: 8192 }] }),
			CLOCK,
		);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.status).toBe('degraded');
		expect(result.cause).toMatchObject({ code: 'backup.sqlite_inconsistent', retryable: false, needsHuman: true });
		expect(result.cause?.message).toContain('install sqlite3');
	});

	test('skipped outside links are reported, not failed', () => {
		const result = backupOutcomeToResult(backup({ skippedLinks: [{ path: 'ext', target: '/srv/shared' }] }), CLOCK);
		expect(result.status).toBe('healthy');
		expect(result.checks.find((check) => check.name === 'skipped_links')?.message).toContain('ext -> /srv/shared');
	});
});

describe('verifyOutcomeToResult', () => {
	test('a clean verification is healthy with four passed checks', () => {
		const result = verifyOutcomeToResult(verified(), 'dir:n8n', CLOCK);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.status).toBe('healthy');
		expect(result.checks.map((check) => [check.name, check.status])).toEqual([
			['readable', 'healthy'],
			['checksum', 'healthy'],
			['manifest', 'healthy'],
			['safety', 'healthy'],
		]);
	});

	test.each<[string, Partial<VerifyOutcome>, string]>([
		['a corrupt stream', { corrupt: 'unexpected end of file', ok: false }, 'backup.archive_corrupt'],
		['a changed archive', { sha256: 'b'.repeat(64), checksumOk: false, ok: false }, 'backup.checksum_mismatch'],
		['no recorded checksum', { expectedSha256: undefined, checksumOk: false, ok: false }, 'backup.checksum_mismatch'],
		['no manifest', { manifestChecked: false, ok: false }, 'backup.manifest_mismatch'],
		['a missing file', { missing: ['config'], ok: false }, 'backup.manifest_mismatch'],
		['an unsafe entry', { unsafe: [{ path: '../x', reason: "path contains '..'" }], ok: false }, 'backup.unsafe_archive'],
	])('%s is down with %s', (_name, overrides, code) => {
		const result = verifyOutcomeToResult(verified(overrides), 'dir:n8n', CLOCK);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.status).toBe('down');
		expect(result.cause?.code).toBe(code);
	});

	test('long difference lists are shortened', () => {
		const result = verifyOutcomeToResult(verified({ missing: ['a', 'b', 'c', 'd', 'e'], ok: false }), 'dir:n8n', CLOCK);
		expect(result.cause?.message).toContain('a missing, b missing, c missing and 2 more');
	});
});

test('restoreOutcomeToResult is healthy and names what was restored', () => {
	const result = restoreOutcomeToResult(
		{ file: '/b/n8n.tar.gz', targetDir: '/restore', entries: 12, bytes: 3000, removedSidecars: [], durationMs: 9 },
		'dir:n8n',
		CLOCK,
	);
	expect(validateCheckResult(result)).toEqual([]);
	expect(result.checks[0]?.message).toBe('restored 12 entries (3000 bytes) from n8n.tar.gz into /restore');
});

describe('pruneOutcomeToResult', () => {
	const listing = (file: string, verifiedFlag: boolean, series = 'n8n', kind: 'directory' | 'postgres' = 'directory') => ({
		file,
		kind,
		series,
		createdAt: '2026-03-01T00:00:00.000Z',
		bytes: 10,
		verified: verifiedFlag,
	});
	const outcome = (overrides: Partial<PruneOutcome> = {}): PruneOutcome => ({
		backupDir: '/b',
		dryRun: false,
		kept: [listing('/b/new.tar.gz', true)],
		deleted: [listing('/b/old.tar.gz', true)],
		freedBytes: 10,
		protectedFiles: [],
		...overrides,
	});

	test('reports deletions; healthy while a verified backup is kept', () => {
		const result = pruneOutcomeToResult(outcome(), 'dir:n8n', CLOCK);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.status).toBe('healthy');
		expect(result.checks[0]?.message).toBe('deleted old.tar.gz (10 bytes); 1 backups kept');
	});

	test('a dry run says so; with nothing verified left the folder is degraded', () => {
		const result = pruneOutcomeToResult(outcome({ dryRun: true, kept: [listing('/b/new.tar.gz', false)] }), 'dir:n8n', CLOCK);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result.checks[0]?.message).toBe('would delete old.tar.gz (10 bytes); 1 backups kept; dry run, nothing changed');
		expect(result).toMatchObject({ status: 'degraded', cause: { code: 'backup.archive_missing', needsHuman: false } });
	});

	test('each series needs a verified backup: a verified folder backup does not cover an unverified database series', () => {
		const result = pruneOutcomeToResult(
			outcome({ kept: [listing('/b/n8n-1.tar.gz', true), listing('/b/postgres-shop-1.dump', false, 'postgres-shop', 'postgres')] }),
			'dir:b',
			CLOCK,
		);
		expect(validateCheckResult(result)).toEqual([]);
		expect(result).toMatchObject({ status: 'degraded', cause: { code: 'backup.archive_missing' } });
		expect(result.cause?.message).toContain('of postgres-shop');
		expect(result.cause?.message).not.toContain('n8n');
	});

	test('an empty backup folder is degraded, and guarded backups are named', () => {
		expect(pruneOutcomeToResult(outcome({ kept: [], deleted: [], freedBytes: 0 }), 'dir:b', CLOCK).status).toBe('degraded');
		const guarded = pruneOutcomeToResult(outcome({ protectedFile: '/b/old.tar.gz', protectedFiles: ['/b/old.tar.gz', '/b/pg-1.dump'] }), 'dir:b', CLOCK);
		expect(guarded.checks[0]?.message).toContain('kept old.tar.gz, pg-1.dump anyway');
	});
});

describe('errors to results', () => {
	test('every backup cause code is a valid dotted id with boolean flags', () => {
		for (const code of BACKUP_CAUSE_CODES) {
			const cause = backupErrorCause(new BackupError(`failed: ${code}`, code));
			expect(cause.code).toMatch(CAUSE_CODE_PATTERN);
			expect(typeof cause.retryable).toBe('boolean');
			expect(typeof cause.needsHuman).toBe('boolean');
		}
	});

	test('a parameter error is config.invalid; an unknown error is backup.write_failed; both down', () => {
		const parameter = backupErrorToResult(new BackupParameterError('keepLast', 'must be at least 1'), 'dir:n8n', 'prune', CLOCK);
		expect(validateCheckResult(parameter)).toEqual([]);
		expect(parameter).toMatchObject({ status: 'down', cause: { code: 'config.invalid', message: 'keepLast: must be at least 1' } });
		expect(parameter.checks[0]?.name).toBe('prune');
		const unknown = backupErrorToResult('boom', 'dir:n8n', 'backup', CLOCK);
		expect(unknown.cause).toMatchObject({ code: 'backup.write_failed', retryable: true });
	});

	test('secrets in error text never reach the result', () => {
		const error = new BackupError(
			'sqlite3 could not snapshot /data/db: password=hunter2-not-real token: test-token-not-real-123 postgres://u:pw-not-real@h/db',
			'backup.sqlite_failed',
		);
		const text = JSON.stringify(backupErrorToResult(error, 'dir:n8n', 'backup', CLOCK));
		for (const secret of ['hunter2-not-real', 'test-token-not-real-123', 'pw-not-real']) expect(text).not.toContain(secret);
	});
});
