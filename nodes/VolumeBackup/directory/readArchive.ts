/**
 * Reads a .tar.gz end to end without extracting: the sha256 of its bytes and every entry
 * header (path, type, size, link target). A damaged gzip or tar stream is reported, not
 * thrown, so Verify can say what is wrong with the archive.
 */
import { createReadStream } from 'node:fs';
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

async function sha256Of(file: string): Promise<{ sha256: string; bytes: number }> {
	const counter = new HashingCounter();
	await pipeline(createReadStream(file), counter, async (source: AsyncIterable<Buffer>) => {
		for await (const _chunk of source) {
			// drain: the counter does the work
		}
	});
	return { sha256: counter.digest(), bytes: counter.bytes };
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

export async function scanArchive(file: string): Promise<ArchiveScan> {
	const entries: ArchiveEntryHeader[] = [];
	const counter = new HashingCounter();
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
		await pipeline(createReadStream(file), counter, createGunzip(), parseInto(parser));
		return { sha256: counter.digest(), bytes: counter.bytes, entries };
	} catch (error) {
		if (errnoCode(error) === 'ENOENT') throw error;
		// The stream stopped part-way: hash the whole file on its own.
		const whole = await sha256Of(file);
		return { ...whole, entries, corrupt: describeError(error) };
	}
}
