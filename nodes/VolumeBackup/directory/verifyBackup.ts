/**
 * Verify: re-reads a finished archive and compares it with what was recorded when it was
 * written (the `.sha256` file and the manifest). A pass (re)writes the verified marker
 * Prune relies on; a failure removes it, so a damaged archive never counts as verified.
 */
import fs from 'node:fs/promises';

import { requireAbsolute } from './backupOptions';
import { checkArchive } from './checkArchive';
import { BackupError, describeError } from './errors';
import { clearVerified, markVerified, readManifest, readRecordedChecksum } from './sidecars';
import type { VerifyOutcome } from './types';

export interface VerifyOptions {
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
	await requireArchive(file);
	const manifest = await readManifest(file);
	const sha256 = await readRecordedChecksum(file);
	const outcome = await checkArchive(file, {
		...(sha256 !== undefined ? { sha256 } : {}),
		...(manifest !== undefined && !(manifest instanceof Error) ? { files: manifest.files } : {}),
	});
	if (outcome.ok) await markVerified(file, outcome.sha256, (options.now ?? (() => new Date()))());
	else await clearVerified(file);
	return outcome;
}
