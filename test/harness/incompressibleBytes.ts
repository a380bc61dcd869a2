/** Deterministic noise (xorshift32): bytes that gzip cannot shrink, the same on every run. */
export function incompressibleBytes(bytes: number, seed = 2463534242): Buffer {
	const buffer = Buffer.alloc(bytes);
	let x = seed >>> 0 || 1;
	for (let i = 0; i < bytes; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		buffer[i] = x & 0xff;
	}
	return buffer;
}
