/**
 * The small files that travel with an archive: its manifest, its checksum (in the
 * `sha256sum` format, so `sha256sum -c` works on it by hand) and the marker that its last
 * verification passed. Each is written to a temporary name and renamed, so a reader never
 * sees half a sidecar.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

import { isRecord } from '../../shared/json';
import { errnoCode } from './errors';
import type { BackupManifest } from './types';

export const ARCHIVE_SUFFIX = '.tar.gz';
const MANIFEST_SUFFIX = '.manifest.json';
const CHECKSUM_SUFFIX = '.sha256';
const VERIFIED_SUFFIX = '.verified.json';
/** An archive being written: does not end in .tar.gz, so it never looks finished. */
export const PARTIAL_SUFFIX = '.partial';

export function sidecarPaths(archive: string): { manifest: string; checksum: string; verified: string } {
	return {
		manifest: archive + MANIFEST_SUFFIX,
		checksum: archive + CHECKSUM_SUFFIX,
		verified: archive + VERIFIED_SUFFIX,
	};
}

/** Writes `content` to `file` via a temporary name, fsync'ed, then renamed into place. */
export async function writeFileAtomically(file: string, content: string): Promise<void> {
	const temporary = `${file}.tmp-${process.pid}`;
	try {
		const handle = await fs.open(temporary, 'w');
		try {
			await handle.writeFile(content, 'utf8');
			await handle.sync();
		} finally {
			await handle.close();
		}
		await fs.rename(temporary, file);
	} catch (error) {
		await fs.rm(temporary, { force: true }).catch(() => undefined);
		throw error;
	}
}

export function checksumLine(sha256: string, archive: string): string {
	return `${sha256}  ${path.basename(archive)}\n`;
}

async function readOptional(file: string): Promise<string | undefined> {
	try {
		return await fs.readFile(file, 'utf8');
	} catch (error) {
		if (errnoCode(error) === 'ENOENT') return undefined;
		throw error;
	}
}

/** The recorded sha256 of an archive, or undefined when there is no readable record. */
export async function readRecordedChecksum(archive: string): Promise<string | undefined> {
	const text = await readOptional(sidecarPaths(archive).checksum);
	const match = text?.match(/^([0-9a-f]{64})\b/);
	return match?.[1];
}

function isManifest(value: unknown): value is BackupManifest {
	return (
		isRecord(value) &&
		value.version === 1 &&
		typeof value.createdAt === 'string' &&
		typeof value.source === 'string' &&
		Array.isArray(value.files) &&
		Array.isArray(value.sqliteSnapshots)
	);
}

/** The manifest beside an archive; undefined when absent, an Error when present but unreadable. */
export async function readManifest(archive: string): Promise<BackupManifest | undefined | Error> {
	const text = await readOptional(sidecarPaths(archive).manifest);
	if (text === undefined) return undefined;
	try {
		const parsed: unknown = JSON.parse(text);
		return isManifest(parsed) ? parsed : new Error('the manifest does not have the expected fields');
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error));
	}
}

interface VerifiedMarker {
	verifiedAt: string;
	sha256: string;
}

export async function markVerified(archive: string, sha256: string, at: Date): Promise<void> {
	const marker: VerifiedMarker = { verifiedAt: at.toISOString(), sha256 };
	await writeFileAtomically(sidecarPaths(archive).verified, JSON.stringify(marker));
}

export async function clearVerified(archive: string): Promise<void> {
	await fs.rm(sidecarPaths(archive).verified, { force: true });
}

/** Verified = a marker exists and names the checksum recorded for the archive. */
export async function isVerified(archive: string): Promise<boolean> {
	const text = await readOptional(sidecarPaths(archive).verified);
	if (text === undefined) return false;
	try {
		const marker: unknown = JSON.parse(text);
		const recorded = await readRecordedChecksum(archive);
		return isRecord(marker) && recorded !== undefined && marker.sha256 === recorded;
	} catch {
		return false;
	}
}
