/**
 * Streams a .tar.gz to a file: source entries read by node-tar (symlinks stored as links,
 * never followed), optional SQLite snapshots from a staging folder stored under the
 * databases' own paths, then gzip, a sha256 of the compressed bytes, and the file. Memory
 * stays bounded by stream buffers whatever the directory's size.
 *
 * node-tar packs one folder (`cwd`) per Pack, and the snapshots live elsewhere, so two
 * Packs are joined into one tar stream: a tar archive is 512-byte blocks ending with two
 * zero blocks (node-tar writes exactly 1024 zero bytes), and dropping the first Pack's end
 * marker makes the pair one valid archive.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

import * as tar from 'tar';

import { normaliseEntryPath } from './entrySafety';
import { HashingCounter } from './hashingCounter';
import type { ManifestEntry, ManifestEntryType } from './types';

const TAR_END_MARKER_BYTES = 1024;
const MAX_READ_BYTES = 1024 * 1024;

export interface ArchiveSource {
	/** Folder the paths are relative to. */
	cwd: string;
	/** Relative `/` paths, a directory before its contents (not recursed into). */
	paths: string[];
}

export interface WrittenArchive {
	bytes: number;
	sha256: string;
	/** Exactly what went into the tar headers (in the order node-tar built them). */
	entries: ManifestEntry[];
}

/** node-tar entry types → manifest types (anything else is not stored). */
export const MANIFEST_TYPE_OF_TAR_TYPE: Record<string, ManifestEntryType | undefined> = {
	File: 'file',
	OldFile: 'file',
	ContiguousFile: 'file',
	Directory: 'dir',
	SymbolicLink: 'symlink',
	Link: 'hardlink',
};

/** A failure of the destination stream, told apart from failures reading the source. */
export class DestinationWriteError extends Error {
	constructor(readonly writeError: unknown) {
		super(writeError instanceof Error ? writeError.message : String(writeError));
		this.name = 'DestinationWriteError';
	}
}

function packOf(source: ArchiveSource, entries: ManifestEntry[]): tar.Pack {
	const pack = new tar.Pack({
		cwd: source.cwd,
		portable: true, // no uid/gid/user names: restorable on another host
		follow: false,
		noDirRecurse: true, // the selection already lists every path
		strict: true,
		// node-tar reads up to 16 MiB per read by default; 1 MiB keeps memory flat on large files.
		maxReadSize: MAX_READ_BYTES,
		onWriteEntry: (entry) => {
			const type = MANIFEST_TYPE_OF_TAR_TYPE[entry.type ?? ''];
			if (!type) return;
			entries.push({
				path: normaliseEntryPath(entry.path),
				type,
				size: type === 'file' ? (entry.stat?.size ?? 0) : 0,
				...(entry.linkpath !== undefined && (type === 'symlink' || type === 'hardlink')
					? { linkTarget: normaliseEntryPath(entry.linkpath) }
					: {}),
			});
		},
	});
	for (const p of source.paths) pack.write(p);
	pack.end();
	return pack;
}

/** The raw tar bytes of all sources as one archive (only the last source keeps its end marker). */
async function* joinedTar(sources: ArchiveSource[], entries: ManifestEntry[]): AsyncGenerator<Buffer> {
	for (let i = 0; i < sources.length; i++) {
		const source = sources[i];
		if (!source) continue;
		const pack = packOf(source, entries);
		const last = i === sources.length - 1;
		let held: Buffer = Buffer.alloc(0);
		try {
			for await (const chunk of pack as AsyncIterable<Buffer>) {
				if (last) {
					yield chunk;
					continue;
				}
				held = held.length === 0 ? chunk : Buffer.concat([held, chunk]);
				if (held.length > TAR_END_MARKER_BYTES) {
					yield held.subarray(0, held.length - TAR_END_MARKER_BYTES);
					held = held.subarray(held.length - TAR_END_MARKER_BYTES);
				}
			}
		} finally {
			// Stopped early (the destination failed): release open source files.
			if (!pack.emittedEnd) pack.destroy();
		}
	}
}

export async function writeArchive(
	sources: ArchiveSource[],
	compressionLevel: number,
	destination: Writable,
): Promise<WrittenArchive> {
	const entries: ManifestEntry[] = [];
	const counter = new HashingCounter();
	let destinationError: unknown;
	destination.once('error', (error) => {
		destinationError = error;
	});
	try {
		await pipeline(Readable.from(joinedTar(sources, entries)), createGzip({ level: compressionLevel }), counter, destination);
	} catch (error) {
		throw destinationError !== undefined ? new DestinationWriteError(destinationError) : error;
	}
	return { bytes: counter.bytes, sha256: counter.digest(), entries };
}
