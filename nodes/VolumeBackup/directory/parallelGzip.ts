/**
 * gzip on several cores, as pigz does. The input is cut into blocks; each block is
 * deflated on its own in libuv's thread pool, with the previous block's last 32 KiB as
 * its dictionary (so it compresses as well as one continuous stream), and ends on a byte
 * boundary (a sync flush) so the raw outputs concatenate into one deflate stream. One
 * gzip header and one trailer (CRC-32 and length of the whole input) make the result a
 * plain single-member .gz that any gunzip reads.
 *
 * Memory is bounded and steady: at most `concurrency` blocks are being compressed, a
 * finished block waits for the reader (stream backpressure) before more input is taken
 * in, and input is copied into a few block buffers that are reused, not allocated per
 * block (a gigabyte of short-lived buffers would sit in RSS until V8 collects them).
 */
import { Transform, type TransformCallback } from 'node:stream';
// zlib.crc32 (native, incremental) is in every Node this package supports: added in 20.15.0 and 22.2.0.
import { constants, crc32, deflateRaw, type ZlibOptions } from 'node:zlib';

/** Deflate's window: what a block may refer back to. */
const WINDOW_BYTES = 32 * 1024;
/**
 * 512 KiB: measured on the 1 GiB benchmark tree, 1 MiB blocks were ~5% faster but raised
 * peak RSS by 8-25 MB (more large buffers awaiting collection); 256 KiB were ~15% slower.
 */
const DEFAULT_BLOCK_BYTES = 512 * 1024;
/** Header: magic, method deflate, no flags, mtime 0; XFL and OS set per stream. */
const OS_UNIX = 3;

export interface ParallelGzipOptions {
	/** 0-9, as gzip's -0 … -9. */
	level: number;
	/** Blocks compressed at once (1 = one block at a time, still on the thread pool). */
	concurrency: number;
	/** Input bytes per block; larger blocks mean fewer hand-offs between threads. */
	blockBytes?: number;
}

/** gzip's XFL byte: 2 for the slowest level, 4 for the fastest, 0 otherwise (as zlib writes it). */
function extraFlags(level: number): number {
	if (level === 9) return 2;
	if (level <= 1) return 4;
	return 0;
}

function gzipHeader(level: number): Buffer {
	return Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, extraFlags(level), OS_UNIX]);
}

/**
 * The block's compressed bytes in a buffer of their own size. zlib writes into one buffer
 * sized for the worst case; a block of text fills a fifth of it, and while the output waits
 * downstream (a slow disk) the whole buffer would stay allocated, long enough for V8 to
 * move it to the old generation, where it is freed only by a full collection.
 */
function deflateBlock(block: Buffer, options: ZlibOptions): Promise<Buffer> {
	return new Promise((resolve, reject) =>
		deflateRaw(block, options, (error, result) => {
			if (error) return reject(error);
			resolve(result.length < result.buffer.byteLength / 2 ? Buffer.from(result) : result);
		}),
	);
}

interface BlockInFlight {
	/** The block's input buffer, back to the pool once compressed. */
	input: Buffer;
	compressed: Promise<Buffer>;
}

export class ParallelGzip extends Transform {
	private readonly level: number;
	private readonly concurrency: number;
	private readonly blockBytes: number;
	/** The block being filled, and how much of it is. */
	private current: Buffer | undefined;
	private filled = 0;
	/** Block buffers free for reuse. */
	private readonly spare: Buffer[] = [];
	/** Blocks being compressed, in stream order. */
	private readonly inFlight: BlockInFlight[] = [];
	/**
	 * The last 32 KiB of the previous block, the next block's dictionary (zlib copies it
	 * when the block starts). Only full blocks, never shorter than the window, are followed
	 * by another block, so the window is always whole once set.
	 */
	private readonly window = Buffer.alloc(WINDOW_BYTES);
	private hasWindow = false;
	private crc = 0;
	private inputBytes = 0;
	private headerSent = false;

	constructor(options: ParallelGzipOptions) {
		super();
		if (!Number.isInteger(options.level) || options.level < 0 || options.level > 9) {
			throw new RangeError(`level must be an integer 0-9, got ${String(options.level)}`);
		}
		if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
			throw new RangeError(`concurrency must be a positive integer, got ${String(options.concurrency)}`);
		}
		const blockBytes = options.blockBytes ?? DEFAULT_BLOCK_BYTES;
		if (!Number.isInteger(blockBytes) || blockBytes < WINDOW_BYTES) {
			throw new RangeError(`blockBytes must be an integer of at least ${WINDOW_BYTES}, got ${String(blockBytes)}`);
		}
		this.level = options.level;
		this.concurrency = options.concurrency;
		this.blockBytes = blockBytes;
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		this.acceptInput(chunk).then(() => callback(), callback);
	}

	override _flush(callback: TransformCallback): void {
		this.compressRest().then(() => callback(), callback);
	}

	private async acceptInput(chunk: Buffer): Promise<void> {
		this.sendHeader();
		let offset = 0;
		while (offset < chunk.length) {
			const block = (this.current ??= this.spare.pop() ?? Buffer.allocUnsafe(this.blockBytes));
			const copied = chunk.copy(block, this.filled, offset);
			offset += copied;
			this.filled += copied;
			if (this.filled < this.blockBytes) continue;
			this.startBlock(block, false);
			// Wait for the oldest block before taking more: bounded memory, output in order.
			while (this.inFlight.length >= this.concurrency) await this.emitOldest();
		}
	}

	private async compressRest(): Promise<void> {
		this.sendHeader();
		// The last block (possibly empty) carries deflate's final-block bit.
		this.startBlock((this.current ?? Buffer.alloc(0)).subarray(0, this.filled), true);
		while (this.inFlight.length > 0) await this.emitOldest();
		const trailer = Buffer.alloc(8);
		trailer.writeUInt32LE(this.crc, 0);
		trailer.writeUInt32LE(this.inputBytes % 2 ** 32, 4);
		this.push(trailer);
	}

	private sendHeader(): void {
		if (this.headerSent) return;
		this.headerSent = true;
		this.push(gzipHeader(this.level));
	}

	private startBlock(block: Buffer, last: boolean): void {
		this.current = undefined;
		this.filled = 0;
		// zlib.crc32 can answer 0 instead of the running value for an empty buffer (zlib reads a null pointer as "start over").
		if (block.length > 0) this.crc = crc32(block, this.crc);
		this.inputBytes += block.length;
		const options: ZlibOptions = {
			level: this.level,
			// One output buffer for the whole block: no round trips to the main thread mid-block.
			chunkSize: block.length + (block.length >> 6) + 1024,
			finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
			...(this.hasWindow ? { dictionary: this.window } : {}),
		};
		const compressed = deflateBlock(block, options);
		// Awaited in order later; until then a failure must not count as unhandled.
		compressed.catch(() => undefined);
		this.inFlight.push({ input: block, compressed });
		if (!last) {
			block.copy(this.window, 0, block.length - WINDOW_BYTES);
			this.hasWindow = true;
		}
	}

	private async emitOldest(): Promise<void> {
		const oldest = this.inFlight[0];
		if (!oldest) return;
		const compressed = await oldest.compressed;
		this.inFlight.shift();
		if (oldest.input.length === this.blockBytes) this.spare.push(oldest.input);
		this.push(compressed);
	}
}
