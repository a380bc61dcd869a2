/**
 * Judges an archive against what it should hold: its bytes against a sha256, its tar
 * listing against a manifest (path, type, size, link target) and every entry against the
 * restore safety rules. Shared by Backup (checking its own temporary file before it is
 * named), Verify and Restore.
 */
import { performance } from 'node:perf_hooks';

import { EntrySafetyCheck, normaliseEntryPath } from './entrySafety';
import type { ArchiveEntryHeader, ArchiveScan } from './readArchive';
import { scanArchive, type ScanOptions } from './readArchive';
import type { ArchiveEntryProblem, ManifestEntry, VerifyOutcome } from './types';
import { MANIFEST_TYPE_OF_TAR_TYPE } from './writeArchive';

interface ArchiveExpectation {
	sha256?: string;
	files?: ManifestEntry[];
}

export function findUnsafeEntries(entries: ArchiveEntryHeader[]): ArchiveEntryProblem[] {
	const check = new EntrySafetyCheck();
	const unsafe: ArchiveEntryProblem[] = [];
	for (const entry of entries) {
		const reason = check.problem(entry);
		if (reason) unsafe.push({ path: entry.path, reason });
	}
	return unsafe;
}

export function compareWithManifest(
	files: ManifestEntry[],
	entries: ArchiveEntryHeader[],
): { missing: string[]; unexpected: string[]; mismatched: ArchiveEntryProblem[] } {
	const inArchive = new Map<string, ArchiveEntryHeader>();
	for (const entry of entries) inArchive.set(normaliseEntryPath(entry.path), entry);
	const listed = new Set<string>();
	const missing: string[] = [];
	const mismatched: ArchiveEntryProblem[] = [];
	for (const file of files) {
		listed.add(file.path);
		const entry = inArchive.get(file.path);
		if (!entry) {
			missing.push(file.path);
			continue;
		}
		const type = MANIFEST_TYPE_OF_TAR_TYPE[entry.type];
		if (type !== file.type) {
			mismatched.push({ path: file.path, reason: `manifest says ${file.type}, archive holds ${entry.type}` });
		} else if (entry.size !== file.size) {
			mismatched.push({ path: file.path, reason: `manifest says ${file.size} bytes, archive holds ${entry.size}` });
		} else if (file.linkTarget !== undefined && normaliseEntryPath(entry.linkpath ?? '') !== file.linkTarget) {
			mismatched.push({ path: file.path, reason: `manifest says link to ${file.linkTarget}, archive has ${entry.linkpath ?? 'none'}` });
		}
	}
	const unexpected = [...inArchive.keys()].filter((p) => !listed.has(p));
	return { missing, unexpected, mismatched };
}

export async function checkArchive(file: string, expected: ArchiveExpectation, scan: ScanOptions = {}): Promise<VerifyOutcome> {
	const started = performance.now();
	return judgeArchive(file, await scanArchive(file, scan), expected, started);
}

/** Judges what was read of an archive (its bytes' sha256, its headers) against what it should hold. */
export function judgeArchive(file: string, scan: ArchiveScan, expected: ArchiveExpectation, started = performance.now()): VerifyOutcome {
	const checksumOk = expected.sha256 !== undefined && expected.sha256 === scan.sha256;
	const comparison = expected.files
		? compareWithManifest(expected.files, scan.entries)
		: { missing: [], unexpected: [], mismatched: [] };
	const unsafe = findUnsafeEntries(scan.entries);
	const manifestChecked = expected.files !== undefined;
	const ok =
		scan.corrupt === undefined &&
		checksumOk &&
		manifestChecked &&
		comparison.missing.length === 0 &&
		comparison.unexpected.length === 0 &&
		comparison.mismatched.length === 0 &&
		unsafe.length === 0;
	return {
		file,
		sha256: scan.sha256,
		...(expected.sha256 !== undefined ? { expectedSha256: expected.sha256 } : {}),
		checksumOk,
		entries: scan.entries.length,
		...(scan.corrupt !== undefined ? { corrupt: scan.corrupt } : {}),
		...comparison,
		unsafe,
		manifestChecked,
		ok,
		durationMs: Math.round(performance.now() - started),
	};
}
