/**
 * A real file stream that fails every write with an errno `code` once `limit` bytes went
 * through: the stand-in for a full or read-only disk where a small tmpfs cannot be mounted.
 */
import fs from 'node:fs';
import { Writable } from 'node:stream';

export function failingWriteStream(limit: number, code = 'ENOSPC'): (file: string) => Writable {
	const message = code === 'ENOSPC' ? 'ENOSPC: no space left on device, write' : `${code}: simulated write failure, write`;
	return (file) => {
		const real = fs.createWriteStream(file, { flags: 'wx' });
		let written = 0;
		return new Writable({
			write(chunk: Buffer, _encoding, callback): void {
				if (written + chunk.length > limit) {
					callback(Object.assign(new Error(message), { code }));
					return;
				}
				written += chunk.length;
				real.write(chunk, callback);
			},
			final(callback): void {
				real.end(callback);
			},
			destroy(error, callback): void {
				real.destroy();
				callback(error);
			},
		});
	};
}
