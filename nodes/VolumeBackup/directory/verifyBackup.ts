/**
 * Verify: re-reads a finished archive and compares it with what was recorded when it was
 * written (the `.sha256` file and the manifest). A pass (re)writes the verified marker
 * Prune relies on; a failure removes it, so a damaged archive never counts as verified.
 */
import fs from 'node:fs/promises';

import { requireAbsolute, stallTimeoutOf } from './backupOptions';
import { checkArchive } from './checkArchive';
import { BackupError, describeError } from './errors';
import { clearVerified, markVerified, readManifest, readRecordedChecksum } from './sidecars';
import { StallGuard } from './stallGuard';
import type { ArchiveReadOptions, VerifyOutcome } from './types';

interface VerifyOptions extends ArchiveReadOptions {
	now?: () => Date;
}

export async function requireArchive(file: string): Promise<void> {
	try {
		const stat = await fs.stat(file);
		if (!stat.isFile()) throw new Error('not a regular file');
	} catch (error) {
		throw new BackupError(`the archive ${file} cannot be read: ${describeError(error)}`, 'backup.archive_missing');
	}
}

export async function verifyBackup(fileInput: string, options: VerifyOptions = {}): Promise<VerifyOutcome> {
	const file = requireAbsolute(fileInput, 'file');
	// A hung mount must not hang the run; a timed-out Verify leaves the marker as it was.
	const guard = new StallGuard(stallTimeoutOf(options.stallTimeoutMs), `verifying ${file}`, 'the archive was not marked verified');
	const abort = new AbortController();
	const outcome = await guard
		.run(
			(async () => {
				await requireArchive(file);
				const manifest = await readManifest(file);
				const sha256 = await readRecordedChecksum(file);
				guard.progress('reading the archive');
				return checkArchive(
					file,
					{
						...(sha256 !== undefined ? { sha256 } : {}),
						...(manifest !== undefined && !(manifest instanceof Error) ? { files: manifest.files } : {}),
					},
					{ onProgress: () => guard.progress(), signal: abort.signal, ...(options.openArchive ? { openArchive: options.openArchive } : {}) },
				);
			})(),
			'reading the manifest',
		)
		.catch((error: unknown) => {
			abort.abort(error);
			throw error;
		});
	if (outcome.ok) await markVerified(file, outcome.sha256, (options.now ?? (() => new Date()))());
	else await clearVerified(file);
	return outcome;
}
