/**
 * Turns what the directory backup engine did into contract check results (component
 * `backup`, target `dir:<source folder name>`). A backup that does not exist, does not
 * verify or cannot be restored is `down`: the disaster plan does not work. A backup whose
 * database was copied without a consistent snapshot is `degraded`.
 */
import path from 'node:path';

import { commonCause } from '../../shared/causes';
import { CheckRecorder } from '../../shared/checkRecorder';
import type { Cause, CheckResult } from '../../shared/contract';
import { redact } from '../../shared/redact';
import { backupCause } from './causes';
import { BackupError, BackupParameterError, describeError } from './errors';
import type { BackupOutcome, PruneOutcome, RestoreOutcome, VerifyOutcome } from './types';

type Clock = () => number;

/** `dir:<folder name>`, the target every result about one source directory carries. */
export function backupTarget(sourceDir: string): string {
	return `dir:${path.basename(path.resolve(sourceDir)) || '/'}`;
}

export function backupOutcomeToResult(outcome: BackupOutcome, now: Clock = Date.now): CheckResult {
	const recorder = new CheckRecorder('backup', backupTarget(outcome.manifest.source), now);
	const files = outcome.manifest.files.filter((entry) => entry.type !== 'dir').length;
	recorder.pass(
		'archive',
		`wrote ${path.basename(outcome.file)}: ${files} files, ${outcome.bytes} bytes in ${outcome.durationMs} ms (sha256 ${outcome.sha256})`,
		{ value: outcome.bytes, durationMs: outcome.durationMs },
	);
	recorder.pass('verify', `re-read the archive: checksum and ${outcome.manifest.files.length} entries match the manifest`);
	for (const snapshot of outcome.manifest.sqliteSnapshots) {
		if (snapshot.method === 'copy') {
			recorder.degrade(
				`sqlite:${snapshot.path}`,
				backupCause(
					'backup.sqlite_inconsistent',
					`${snapshot.path} was copied while live because sqlite3 is missing; the copy may be torn — install sqlite3 so backups snapshot it consistently.`,
				),
				{ value: snapshot.bytes },
			);
		} else {
			recorder.pass(`sqlite:${snapshot.path}`, `consistent snapshot of ${snapshot.path} (${snapshot.bytes} bytes)`, {
				value: snapshot.bytes,
			});
		}
	}
	const skipped = outcome.manifest.skippedLinks;
	if (skipped.length > 0) {
		recorder.pass(
			'skipped_links',
			`left out ${skipped.length} symlinks pointing outside the source: ${listed(skipped.map((link) => `${link.path} -> ${link.target}`))}`,
			{ value: skipped.length },
		);
	}
	return recorder.result({
		file: outcome.file,
		manifestFile: outcome.manifestFile,
		bytes: outcome.bytes,
		sha256: outcome.sha256,
		durationMs: outcome.durationMs,
		files,
		createdAt: outcome.manifest.createdAt,
		sqliteSnapshots: outcome.manifest.sqliteSnapshots,
	});
}

function listed(items: string[]): string {
	const shown = items.slice(0, 3).join(', ');
	return items.length > 3 ? `${shown} and ${items.length - 3} more` : shown;
}

export function verifyOutcomeToResult(outcome: VerifyOutcome, target: string, now: Clock = Date.now): CheckResult {
	const recorder = new CheckRecorder('backup', target, now);
	const name = path.basename(outcome.file);
	if (outcome.corrupt !== undefined) {
		recorder.fail('readable', backupCause('backup.archive_corrupt', `${name} cannot be read to its end (${outcome.corrupt}); run a new backup.`));
	} else {
		recorder.pass('readable', `read ${outcome.entries} entries`, { value: outcome.entries, durationMs: outcome.durationMs });
	}
	if (outcome.expectedSha256 === undefined) {
		recorder.fail('checksum', backupCause('backup.checksum_mismatch', `${name} has no recorded sha256 to compare with; run a new backup.`));
	} else if (!outcome.checksumOk) {
		recorder.fail(
			'checksum',
			backupCause('backup.checksum_mismatch', `${name} changed since it was written (sha256 ${outcome.sha256}, recorded ${outcome.expectedSha256}); run a new backup.`),
		);
	} else {
		recorder.pass('checksum', `sha256 ${outcome.sha256} matches`);
	}
	const differences = [
		...outcome.missing.map((p) => `${p} missing`),
		...outcome.unexpected.map((p) => `${p} not in the manifest`),
		...outcome.mismatched.map((p) => `${p.path}: ${p.reason}`),
	];
	if (!outcome.manifestChecked) {
		recorder.fail('manifest', backupCause('backup.manifest_mismatch', `${name} has no readable manifest to compare with; run a new backup.`));
	} else if (differences.length > 0) {
		recorder.fail('manifest', backupCause('backup.manifest_mismatch', `${name} does not match its manifest: ${listed(differences)}.`));
	} else {
		recorder.pass('manifest', 'the listing matches the manifest');
	}
	if (outcome.unsafe.length > 0) {
		recorder.fail(
			'safety',
			backupCause('backup.unsafe_archive', `${name} has entries that would escape a restore target: ${listed(outcome.unsafe.map((p) => `${p.path} (${p.reason})`))}.`),
		);
	} else {
		recorder.pass('safety', 'every entry stays inside a restore target');
	}
	return recorder.result({ file: outcome.file, sha256: outcome.sha256, entries: outcome.entries, durationMs: outcome.durationMs });
}

export function restoreOutcomeToResult(outcome: RestoreOutcome, target: string, now: Clock = Date.now): CheckResult {
	return new CheckRecorder('backup', target, now)
		.pass('restore', `restored ${outcome.entries} entries (${outcome.bytes} bytes) from ${path.basename(outcome.file)} into ${outcome.targetDir}`, {
			value: outcome.entries,
			durationMs: outcome.durationMs,
		})
		.result({ ...outcome });
}

export function pruneOutcomeToResult(outcome: PruneOutcome, target: string, now: Clock = Date.now): CheckResult {
	const names = outcome.deleted.map((backup) => path.basename(backup.file));
	const verb = outcome.dryRun ? 'would delete' : 'deleted';
	const what = names.length > 0 ? `${listed(names)} (${outcome.freedBytes} bytes)` : 'nothing';
	const guard =
		outcome.protectedFiles.length > 0
			? `; kept ${listed(outcome.protectedFiles.map((file) => path.basename(file)))} anyway so that each series keeps a verified backup`
			: '';
	const recorder = new CheckRecorder('backup', target, now).pass(
		'prune',
		`${verb} ${what}; ${outcome.kept.length} backups kept${guard}${outcome.dryRun ? '; dry run, nothing changed' : ''}`,
		{ value: outcome.deleted.length },
	);
	const series = [...new Set([...outcome.kept, ...outcome.deleted].map((backup) => backup.series))];
	const unverified = series.filter((name) => !outcome.kept.some((backup) => backup.series === name && backup.verified));
	if (series.length === 0 || unverified.length > 0) {
		const which = unverified.length > 0 ? ` of ${listed(unverified)}` : '';
		recorder.degrade(
			'verified_backup',
			backupCause('backup.archive_missing', `No verified backup${which} is left in the backup folder; run a backup and verify it.`),
		);
	}
	return recorder.result({
		dryRun: outcome.dryRun,
		deleted: outcome.deleted,
		kept: outcome.kept,
		freedBytes: outcome.freedBytes,
		...(outcome.protectedFile ? { protectedFile: outcome.protectedFile } : {}),
		protectedFiles: outcome.protectedFiles,
	});
}

export function backupErrorCause(error: unknown): Cause {
	const message = redact(describeError(error));
	if (error instanceof BackupParameterError) return commonCause('config.invalid', message);
	if (error instanceof BackupError) return backupCause(error.code, message);
	return backupCause('backup.write_failed', `The backup operation failed: ${message}`);
}

/** A run that threw: `down`, with the reason as the cause. `check` names the operation. */
export function backupErrorToResult(error: unknown, target: string, check = 'backup', now: Clock = Date.now): CheckResult {
	return new CheckRecorder('backup', target, now).fail(check, backupErrorCause(error)).result();
}
