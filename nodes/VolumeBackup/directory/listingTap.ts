/**
 * A pass-through for the compressed archive on its way to disk that also gunzips a copy
 * and reads its tar headers, so the listing is checked from the very bytes written
 * without reading the archive back (gunzip runs on the thread pool, beside gzip, so it
 * uses the second core). Backpressure from the gunzip side slows the archive down rather
 * than buffering. A damaged stream is recorded (`corrupt`), not thrown: the backup then
 * fails its check with that reason.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';

import * as tar from 'tar';

import { describeError } from './errors';
import type { ArchiveEntryHeader } from './readArchive';

export class ListingTap extends Transform {
	readonly entries: ArchiveEntryHeader[] = [];
	corrupt: string | undefined;
	private readonly gunzip: Gunzip;
	private readonly parsed: Promise<void>;

	constructor() {
		super();
		this.gunzip = createGunzip();
		const parser = new tar.Parser({
			strict: true,
			onReadEntry: (entry) => {
				this.entries.push({
					path: entry.path,
					type: entry.type,
					size: entry.size,
					...(entry.linkpath ? { linkpath: entry.linkpath } : {}),
				});
				entry.resume();
			},
		});
		this.parsed = new Promise<void>((resolve) => {
			const fail = (error: unknown): void => {
				this.corrupt ??= describeError(error);
				resolve();
			};
			parser.on('error', fail);
			parser.on('end', () => resolve());
			this.gunzip.on('error', (error) => {
				fail(error);
				// Nothing more will be parsed: let writes through without feeding a dead stream.
				this.gunzip.removeAllListeners('drain');
				this.gunzip.emit('drain');
			});
			this.gunzip.on('data', (chunk: Buffer) => {
				if (!parser.write(chunk)) {
					this.gunzip.pause();
					parser.once('drain', () => this.gunzip.resume());
				}
			});
			this.gunzip.on('end', () => parser.end());
		});
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		if (this.corrupt !== undefined || this.gunzip.destroyed) return callback(null, chunk);
		if (this.gunzip.write(chunk)) return callback(null, chunk);
		this.gunzip.once('drain', () => callback(null, chunk));
	}

	override _flush(callback: TransformCallback): void {
		if (this.corrupt === undefined && !this.gunzip.destroyed) this.gunzip.end();
		void this.parsed.then(() => callback());
	}

	override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
		this.gunzip.destroy();
		callback(error);
	}
}
