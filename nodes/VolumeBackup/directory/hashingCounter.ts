/** A pass-through stream that hashes (sha256) and counts the bytes going by. */
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export class HashingCounter extends Transform {
	private readonly hash = createHash('sha256');
	bytes = 0;

	/** `onChunk`: told of every chunk (progress for a stall guard). */
	constructor(private readonly onChunk: () => void = () => undefined) {
		super();
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		this.hash.update(chunk);
		this.bytes += chunk.length;
		this.onChunk();
		callback(null, chunk);
	}

	/** Hex digest; call once, after the stream has finished. */
	digest(): string {
		return this.hash.digest('hex');
	}
}
