/**
 * Reads a .tar.gz end to end without extracting: the sha256 of its bytes and every entry
 * header (path, type, size, link target). A damaged gzip or tar stream is reported, not
 * thrown, so Verify can say what is wrong with the archive.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import fs from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

import * as tar from 'tar';

import { describeError, errnoCode } from './errors';
import { HashingCounter } from './hashingCounter';

export interface ArchiveEntryHeader {
	/** As stored (not normalised), so safety checks see `..` and leading `/`. */
	path: string;
	/** node-tar's type name: File, Directory, SymbolicLink, Link, ... */
	type: string;
	size: number;
	linkpath?: string;
}

export interface ArchiveScan {
	sha256: string;
	bytes: number;
	entries: ArchiveEntryHeader[];
	/** Why the archive could not be read to its end, if it could not. */
	corrupt?: string;
}

const HASH_READ_BYTES = 256 * 1024;

/**
 * sha256 and length of a file's bytes; `onProgress` hears of every chunk read. One
 * buffer is read into again and again: a stream would leave a fresh buffer per chunk for
 * the garbage collector, which for a large archive is tens of MB of resident memory.
 */
export async function sha256Of(file: string, onProgress?: () => void): Promise<{ sha256: string; bytes: number }> {
	const hash = createHash('sha256');
	const buffer = Buffer.allocUnsafe(HASH_READ_BYTES);
	const handle = await fs.open(file, 'r');
	let bytes = 0;
	try {
		for (;;) {
			const { bytesRead } = await handle.read(buffer, 0, buffer.length, bytes);
			if (bytesRead === 0) break;
			hash.update(buffer.subarray(0, bytesRead));
			bytes += bytesRead;
			onProgress?.();
		}
	} finally {
		await handle.close();
	}
	return { sha256: hash.digest('hex'), bytes };
}

/** Feeds decompressed bytes to a tar Parser and settles when it has seen the archive end. */
function parseInto(parser: tar.Parser): (source: AsyncIterable<Buffer>) => Promise<void> {
	return async (source) => {
		const done = new Promise<void>((resolve, reject) => {
			parser.on('error', reject);
			parser.on('end', () => resolve());
		});
		// A rejection before we await it below must not go unhandled.
		done.catch(() => undefined);
		for await (const chunk of source) {
			if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
		}
		parser.end();
		await done;
	};
}

export interface ScanOptions {
	/** Told of every chunk read (a stall guard's sign of life). */
	onProgress?: () => void;
	/** Opens the archive for reading (tests: a mount that hangs). */
	openArchive?: (file: string) => Readable;
	/** Aborting stops the read (a timed-out run). */
	signal?: AbortSignal;
}

export async function scanArchive(file: string, options: ScanOptions = {}): Promise<ArchiveScan> {
	const entries: ArchiveEntryHeader[] = [];
	const counter = new HashingCounter(options.onProgress);
	const open = options.openArchive ?? ((path: string) => createReadStream(path));
	const parser = new tar.Parser({
		strict: true,
		onReadEntry: (entry) => {
			entries.push({
				path: entry.path,
				type: entry.type,
				size: entry.size,
				...(entry.linkpath ? { linkpath: entry.linkpath } : {}),
			});
			entry.resume();
		},
	});
	try {
		await pipeline(open(file), counter, createGunzip(), parseInto(parser), ...(options.signal ? [{ signal: options.signal }] : []));
		return { sha256: counter.digest(), bytes: counter.bytes, entries };
	} catch (error) {
		if (errnoCode(error) === 'ENOENT' || options.signal?.aborted) throw error;
		// The stream stopped part-way: hash the whole file on its own.
		const whole = await sha256Of(file, options.onProgress);
		return { ...whole, entries, corrupt: describeError(error) };
	}
}
