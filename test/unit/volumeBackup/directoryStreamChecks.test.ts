/**
 * The two in-process helpers of Backup Directory's write: ListingTap (bytes pass through
 * unchanged; a damaged stream is recorded, never thrown) and StallGuard (net.timeout
 * only after timeoutMs without progress; paused steps never time out).
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';

import { ListingTap } from '../../../nodes/VolumeBackup/directory/listingTap';
import { StallGuard } from '../../../nodes/VolumeBackup/directory/stallGuard';

async function through(tap: ListingTap, chunks: Buffer[]): Promise<Buffer> {
	const out: Buffer[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, callback): void {
			out.push(chunk);
			callback();
		},
	});
	await pipeline(Readable.from(chunks), tap, sink);
	return Buffer.concat(out);
}

/** One 512-byte ustar header for a file `name` of `size` bytes, checksum filled in. */
function tarHeader(name: string, size: number): Buffer {
	const header = Buffer.alloc(512);
	header.write(name, 0);
	header.write('0000644\0', 100);
	header.write('0000000\0', 108);
	header.write('0000000\0', 116);
	header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
	header.write('00000000000\0', 136);
	header.write('        ', 148);
	header.write('0', 156);
	header.write('ustar\0', 257);
	header.write('00', 263);
	let sum = 0;
	for (const byte of header) sum += byte;
	header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
	return header;
}

describe('ListingTap', () => {
	test('passes the bytes through unchanged and reads the tar headers from them', async () => {
		const body = Buffer.alloc(512, 'a');
		const tarBytes = Buffer.concat([tarHeader('config', 3), body, tarHeader('workflows/w1.json', 3), body, Buffer.alloc(1024)]);
		const gz = gzipSync(tarBytes);
		const tap = new ListingTap();
		const out = await through(tap, [gz.subarray(0, 7), gz.subarray(7)]);
		expect(out.equals(gz)).toBe(true);
		expect(tap.corrupt).toBeUndefined();
		expect(tap.entries).toEqual([
			{ path: 'config', type: 'File', size: 3 },
			{ path: 'workflows/w1.json', type: 'File', size: 3 },
		]);
	});

	test('bytes that are not gzip are recorded as corrupt, still passed through, and the stream ends', async () => {
		const junk = Buffer.from('this is not a gzip stream at all');
		const tap = new ListingTap();
		const out = await through(tap, [junk, junk]);
		expect(out.equals(Buffer.concat([junk, junk]))).toBe(true);
		expect(tap.corrupt).toMatch(/header|gzip|incorrect/i);
	});

	test('a truncated gzip stream is recorded as corrupt', async () => {
		const gz = gzipSync(Buffer.concat([tarHeader('config', 3), Buffer.alloc(512, 'a'), Buffer.alloc(1024)]));
		const tap = new ListingTap();
		await through(tap, [gz.subarray(0, gz.length - 12)]);
		expect(tap.corrupt).toMatch(/unexpected end/i);
	});
});

// StallGuard reads time only through Date.now and setTimeout: on jest's fake clock the
// tests decide exactly how much time passes, so a busy machine cannot change an outcome.
describe('StallGuard', () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	test('work that keeps reporting progress finishes, however long it takes in total', async () => {
		// 3 s in all, progress every 90 ms: three times the 1 s limit in total, never between two steps.
		const guard = new StallGuard(1_000, 'backing up /data');
		const work = (async () => {
			for (let i = 0; i < 33; i++) {
				await new Promise((resolve) => setTimeout(resolve, 90));
				guard.progress();
			}
			return 'done';
		})();
		const outcome = guard.run(work, 'writing');
		await jest.advanceTimersByTimeAsync(33 * 90);
		await expect(outcome).resolves.toBe('done');
	});

	test('the limit counts from the last progress: 999 ms after it nothing happens, at 1000 ms it times out', async () => {
		const guard = new StallGuard(1_000, 'backing up /data');
		const work = (async () => {
			await new Promise((resolve) => setTimeout(resolve, 999));
			guard.progress();
			await new Promise((resolve) => setTimeout(resolve, 60_000)); // stuck
			return 'done';
		})();
		const outcome = guard.run(work, 'writing');
		outcome.catch(() => undefined);
		await jest.advanceTimersByTimeAsync(999 + 999);
		let settled = false;
		void outcome.finally(() => (settled = true)).catch(() => undefined);
		await Promise.resolve();
		expect(settled).toBe(false);
		await jest.advanceTimersByTimeAsync(1);
		await expect(outcome).rejects.toMatchObject({ code: 'net.timeout' });
	});

	test('work without progress ends in net.timeout naming the step, without waiting for the work', async () => {
		const guard = new StallGuard(80, 'backing up /data');
		const never = new Promise<never>(() => undefined);
		const outcome = guard.run(never, 'reading the archive back');
		outcome.catch(() => undefined);
		await jest.advanceTimersByTimeAsync(80);
		await expect(outcome).rejects.toMatchObject({
			name: 'BackupError',
			code: 'net.timeout',
			message: expect.stringMatching(/^backing up \/data: no progress for 80 ms while reading the archive back/),
		});
		expect(jest.getTimerCount()).toBe(0);
	});

	test('a paused step (one with its own limit) is not cut short', async () => {
		const guard = new StallGuard(50, 'backing up /data');
		const slow = new Promise<string>((resolve) => setTimeout(() => resolve('snapshot'), 200));
		const outcome = guard.run(guard.pause(slow), 'snapshotting');
		await jest.advanceTimersByTimeAsync(200);
		await expect(outcome).resolves.toBe('snapshot');
	});
});
