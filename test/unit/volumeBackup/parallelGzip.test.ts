/**
 * ParallelGzip: blocks deflated side by side must still make one ordinary gzip stream
 * (read back by zlib and by GNU gzip), compress as well as one continuous stream, keep
 * the input's order whatever block finishes first, and hold only a few blocks in memory.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync, gzipSync } from 'node:zlib';

import { ParallelGzip, type ParallelGzipOptions } from '../../../nodes/VolumeBackup/directory/parallelGzip';
import { incompressibleBytes } from '../../harness/incompressibleBytes';
import { until } from '../../harness/until';

const KIB = 1024;

/** JSON-like text whose repeats span far more than one block (what the dictionary is for). */
function text(bytes: number): Buffer {
	const parts: string[] = [];
	let length = 0;
	for (let i = 0; length < bytes; i++) {
		const line = `{"id":${i},"name":"workflow ${i % 97}","nodes":[{"type":"n8n-nodes-base.httpRequest","position":[${i % 400},${(i * 7) % 300}]}]}\n`;
		parts.push(line);
		length += line.length;
	}
	return Buffer.from(parts.join('')).subarray(0, bytes);
}

async function compress(input: Buffer, options: ParallelGzipOptions, chunkBytes = 16 * KIB): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for (let i = 0; i < input.length; i += chunkBytes) chunks.push(input.subarray(i, i + chunkBytes));
	const out: Buffer[] = [];
	await pipeline(
		Readable.from(chunks),
		new ParallelGzip(options),
		new Writable({
			write(chunk: Buffer, _encoding, callback): void {
				out.push(chunk);
				callback();
			},
		}),
	);
	return Buffer.concat(out);
}

/** GNU gzip's own reading of the stream: `gzip -t` then `gzip -dc`. */
function gnuGunzip(gz: Buffer): Buffer {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgzip-'));
	try {
		const file = path.join(dir, 'x.gz');
		fs.writeFileSync(file, gz);
		execFileSync('gzip', ['-t', file]);
		return execFileSync('gzip', ['-dc', file], { maxBuffer: 64 * 1024 * 1024 });
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

describe('ParallelGzip output is one ordinary gzip stream', () => {
	const block = 64 * KIB;
	const sizes = [0, 1, 32 * KIB - 1, block - 1, block, block + 1, 5 * block + 123];
	test.each(sizes)('%i bytes of mixed text and noise round-trip through zlib and GNU gzip', async (bytes) => {
		const input = Buffer.concat([text(Math.ceil(bytes / 2)), incompressibleBytes(Math.floor(bytes / 2), bytes + 1)]);
		for (const concurrency of [1, 2, 4]) {
			const gz = await compress(input, { level: 6, concurrency, blockBytes: block }, 10_000);
			expect(gunzipSync(gz).equals(input)).toBe(true);
			expect(gnuGunzip(gz).equals(input)).toBe(true);
		}
	});

	test('header and trailer are those zlib writes: magic, XFL per level, Unix, CRC-32 and length of the input', async () => {
		const input = text(300 * KIB);
		for (const level of [1, 6, 9]) {
			const ours = await compress(input, { level, concurrency: 2, blockBytes: 64 * KIB });
			const zlibs = gzipSync(input, { level });
			expect(ours.subarray(0, 10).equals(zlibs.subarray(0, 10))).toBe(true);
			expect(ours.subarray(-8).equals(zlibs.subarray(-8))).toBe(true);
		}
	});

	test('the trailer holds the standard CRC-32 of the whole input, also when it spans several blocks', async () => {
		// Check values computed outside Node (Python's binascii.crc32); 108,000 bytes are four 32 KiB blocks;
		// 64 KiB are two full blocks and an empty last one (zlib.crc32 of an empty buffer can reset the value).
		const known: Array<[Buffer, number]> = [
			[Buffer.alloc(0), 0],
			[Buffer.from('123456789'), 0xcbf43926],
			[Buffer.from('The quick brown fox jumps over the lazy dog'), 0x414fa339],
			[Buffer.from('123456789'.repeat(12_000)), 0xa804d8e0],
			[Buffer.alloc(64 * KIB, 'a'), 0xc32091ff],
		];
		for (const [input, crc] of known) {
			const gz = await compress(input, { level: 6, concurrency: 2, blockBytes: 32 * KIB }, 1000);
			expect([input.length, gz.readUInt32LE(gz.length - 8)]).toEqual([input.length, crc]);
		}
	});

	test('the output does not depend on how the input was chunked or how many blocks run at once', async () => {
		// Four and a half 32 KiB blocks of text then noise, in chunks that never line up with a
		// block or the window (3 and 777 bytes), and whole. Small on purpose: one-byte chunks of
		// 300 KiB took over 30 s on a loaded two-core machine, and prove nothing more.
		const input = Buffer.concat([text(100 * KIB), incompressibleBytes(44 * KIB, 9)]);
		const reference = await compress(input, { level: 6, concurrency: 1, blockBytes: 32 * KIB }, 32 * KIB);
		for (const [concurrency, chunkBytes] of [[3, 3], [2, 777], [4, input.length]] as const) {
			const gz = await compress(input, { level: 6, concurrency, blockBytes: 32 * KIB }, chunkBytes);
			expect(gz.equals(reference)).toBe(true);
		}
	});

	test('blocks that finish out of order are still written in order', async () => {
		// Slow first blocks (noise at level 9) then blocks of zeros that compress at once.
		const input = Buffer.concat([incompressibleBytes(256 * KIB, 3), Buffer.alloc(256 * KIB), incompressibleBytes(64 * KIB, 4)]);
		const gz = await compress(input, { level: 9, concurrency: 8, blockBytes: 32 * KIB });
		expect(gunzipSync(gz).equals(input)).toBe(true);
	});

	test('each block sees the one before it: text compresses within 1% of one continuous zlib stream', async () => {
		const input = text(2 * 1024 * KIB);
		const serial = gzipSync(input, { level: 6 }).length;
		const ours = (await compress(input, { level: 6, concurrency: 2, blockBytes: 32 * KIB })).length;
		expect(ours / serial).toBeLessThan(1.01);
	});

	test('level 0 stores: the output is the input plus framing', async () => {
		const input = incompressibleBytes(200 * KIB, 5);
		const gz = await compress(input, { level: 0, concurrency: 2, blockBytes: 64 * KIB });
		expect(gunzipSync(gz).equals(input)).toBe(true);
		expect(gz.length - input.length).toBeLessThan(200);
	});
});

describe('ParallelGzip holds only a few blocks', () => {
	test('a reader that stops reading stops the input after about concurrency + 2 blocks', async () => {
		const blockBytes = 64 * KIB;
		const concurrency = 2;
		let pulled = 0;
		const source = new Readable({
			highWaterMark: 16 * KIB,
			read(): void {
				pulled += 16 * KIB;
				this.push(incompressibleBytes(16 * KIB, pulled));
			},
		});
		const gzip = new ParallelGzip({ level: 1, concurrency, blockBytes });
		source.pipe(gzip); // nobody reads gzip's output
		// Not a sleep (a busy machine may still be compressing after any fixed time): wait
		// until backpressure has stopped everything, a state nothing leaves while nobody reads.
		const stalled = (): boolean =>
			gzip.readableLength >= gzip.readableHighWaterMark && // a compressed block waits for the reader, so no more _transform
			gzip.writableLength >= gzip.writableHighWaterMark && // gzip's input buffer is full, so the pipe paused the source
			source.isPaused() &&
			source.readableLength >= source.readableHighWaterMark; // and the source stops calling read()
		await until(stalled, 'backpressure stopping the source');
		const settled = pulled;
		// Drain the event loop and the thread pool's pending work a few times: nothing moves.
		for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10));
		expect(stalled()).toBe(true);
		expect(pulled).toBe(settled);
		// Blocks in flight, one waiting to be read, the pending partial block and the streams' own buffers.
		expect(pulled).toBeLessThanOrEqual((concurrency + 3) * blockBytes + 64 * KIB);
		source.destroy();
		gzip.destroy();
	});
});

describe('ParallelGzip options', () => {
	test.each([
		[{ level: 10, concurrency: 1 }, /level/],
		[{ level: 1.5, concurrency: 1 }, /level/],
		[{ level: 6, concurrency: 0 }, /concurrency/],
		[{ level: 6, concurrency: 2, blockBytes: 1000 }, /blockBytes/],
	])('%j is refused, naming the option', (options, name) => {
		expect(() => new ParallelGzip(options)).toThrow(name);
	});
});
