/** A Writable that keeps what is written to it as text (bounded), e.g. `pg_restore --list`. */
import { Writable } from 'node:stream';

export class TextCollector extends Writable {
	private readonly chunks: Buffer[] = [];
	private size = 0;
	constructor(private readonly limitBytes = 50 * 1024 * 1024) {
		super();
	}
	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.size += chunk.length;
		if (this.size > this.limitBytes) {
			callback(new Error(`output larger than ${this.limitBytes} bytes`));
			return;
		}
		this.chunks.push(chunk);
		callback();
	}
	text(): string {
		return Buffer.concat(this.chunks).toString('utf8');
	}
}
