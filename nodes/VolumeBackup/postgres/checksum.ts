/**
 * sha256 of dump bytes: computed while they stream to disk, written beside the dump
 * in `sha256sum` format (`<hex>  <file name>`), and recomputed to verify a dump.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const CHECKSUM_SUFFIX = '.sha256';

/** Passes bytes through, hashing and counting them. */
export class Sha256Counter extends Transform {
	private readonly hash = createHash('sha256');
	bytes = 0;
	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		this.hash.update(chunk);
		this.bytes += chunk.length;
		callback(null, chunk);
	}
	hex(): string {
		return this.hash.digest('hex');
	}
}

export async function sha256OfFile(file: string): Promise<{ sha256: string; bytes: number }> {
	const counter = new Sha256Counter();
	await pipeline(createReadStream(file), counter, async function drain(source: AsyncIterable<Buffer>) {
		for await (const _chunk of source) {
			// only hashed
		}
	});
	return { sha256: counter.hex(), bytes: counter.bytes };
}

export function checksumLine(sha256: string, file: string): string {
	return `${sha256}  ${path.basename(file)}\n`;
}

/** The hex digest of a `sha256sum` line, or null when the text is not one. */
export function parseChecksumLine(text: string): string | null {
	const match = /^([0-9a-f]{64})\s/i.exec(text.trim() + ' ');
	return match ? (match[1] as string).toLowerCase() : null;
}

export async function readChecksumFile(file: string): Promise<string | null> {
	try {
		return parseChecksumLine(await fs.readFile(file + CHECKSUM_SUFFIX, 'utf8'));
	} catch {
		return null;
	}
}
