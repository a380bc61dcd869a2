/**
 * Streams a .tar.gz to a file: source entries read by node-tar (symlinks stored as links,
 * never followed), optional SQLite snapshots from a staging folder stored under the
 * databases' own paths, then gzip on several cores (ParallelGzip), a sha256 of the compressed bytes, a tap that reads
 * the tar listing back from those same bytes (ListingTap), and the file.
 *
 * Memory stays flat whatever the tree's size: node-tar reads at most 256 KiB per read
 * and its stat cache keeps only recent entries (by default it keeps one per path for
 * the whole run), one chunk at most waits between stages, and the only per-file state is the
 * manifest entry and the listing header.
 *
 * node-tar packs one folder (`cwd`) per Pack, and the snapshots live elsewhere, so two
 * Packs are joined into one tar stream: a tar archive is 512-byte blocks ending with two
 * zero blocks (node-tar writes exactly 1024 zero bytes), and dropping the first Pack's end
 * marker makes the pair one valid archive.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import * as tar from 'tar';

import { normaliseEntryPath } from './entrySafety';
import { HashingCounter } from './hashingCounter';
import { ListingTap } from './listingTap';
import { ParallelGzip } from './parallelGzip';
import type { ArchiveEntryHeader } from './readArchive';
import type { ManifestEntry, ManifestEntryType } from './types';

const TAR_END_MARKER_BYTES = 1024;
/** node-tar's default is 16 MiB per read; each read is a fresh buffer, so small reads keep garbage small. */
const MAX_READ_BYTES = 256 * 1024;

/** Plenty for node-tar's few concurrent jobs. */
const CACHE_ENTRIES = 256;

/**
 * node-tar's stat cache holds a Stats per path for the whole run. Pack stores one and the
 * entry made from it a moment later reads it (saving a second lstat), so keeping only the
 * latest few is enough and memory stays flat.
 */
class RecentCache<K, V> extends Map<K, V> {
	override set(key: K, value: V): this {
		if (this.size >= CACHE_ENTRIES && !this.has(key)) {
			const oldest = this.keys().next();
			if (!oldest.done) this.delete(oldest.value);
		}
		return super.set(key, value);
	}
}

export interface ArchiveSource {
	/** Folder the paths are relative to. */
	cwd: string;
	/** Relative `/` paths, a directory before its contents (not recursed into). */
	paths: string[];
}

interface WrittenArchive {
	bytes: number;
	sha256: string;
	/** Exactly what went into the tar headers (in the order node-tar built them). */
	entries: ManifestEntry[];
	/** The tar headers as read back from the compressed bytes that were written. */
	listing: ArchiveEntryHeader[];
	/** Why the written bytes could not be read back to their end, if they could not. */
	corrupt?: string;
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

/** Paths handed to node-tar ahead of the one it is reading: enough to keep it busy. */
const PATHS_AHEAD = 64;

function packOf(source: ArchiveSource, entries: ManifestEntry[]): tar.Pack {
	// Paths are fed as node-tar takes them (it calls `filter` once per path, after its
	// lstat): written all at once, each would sit in its queue as a job for the whole run.
	let next = 0;
	const feed = (count: number): void => {
		for (const end = Math.min(source.paths.length, next + count); next < end; next++) pack.write(source.paths[next] as string);
		if (next === source.paths.length) pack.end();
	};
	const pack = new tar.Pack({
		cwd: source.cwd,
		portable: true, // no uid/gid/user names: restorable on another host
		follow: false,
		noDirRecurse: true, // the selection already lists every path
		strict: true,
		maxReadSize: MAX_READ_BYTES,
		filter: () => {
			if (next < source.paths.length) queueMicrotask(() => feed(1));
			return true;
		},
		statCache: new RecentCache(),
		readdirCache: new RecentCache(),
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
	feed(PATHS_AHEAD);
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
	compression: { level: number; threads: number },
	destination: Writable,
	/** Called for every compressed chunk: the stall guard's sign of life. */
	onProgress: () => void = () => undefined,
	/** Aborting stops reading and writing (a timed-out run). */
	signal?: AbortSignal,
): Promise<WrittenArchive> {
	const entries: ManifestEntry[] = [];
	const counter = new HashingCounter(onProgress);
	const tap = new ListingTap();
	let destinationError: unknown;
	destination.once('error', (error) => {
		destinationError = error;
	});
	try {
		await pipeline(
			Readable.from(joinedTar(sources, entries), { highWaterMark: 1 }),
			new ParallelGzip({ level: compression.level, concurrency: compression.threads }),
			counter,
			tap,
			destination,
			...(signal ? [{ signal }] : []),
		);
	} catch (error) {
		throw destinationError !== undefined ? new DestinationWriteError(destinationError) : error;
	}
	return {
		bytes: counter.bytes,
		sha256: counter.digest(),
		entries,
		listing: tap.entries,
		...(tap.corrupt !== undefined ? { corrupt: tap.corrupt } : {}),
	};
}
