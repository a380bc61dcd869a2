/**
 * A real, decodable PNG that looks like a QR code, for the Evolution and WAHA QR replies.
 * It is not a scannable QR (no Reed-Solomon): what matters to clients is that the bytes
 * are a valid PNG (signature, IHDR, IDAT, IEND, correct CRC32s) and differ per QR value.
 * No dependencies beyond node:zlib (deflate and the PNG spec's CRC-32) and node:crypto.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** QR version 1 is 21×21 modules. */
const MODULES = 21;
const FINDER_SIZE = 7;

function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData));
	return Buffer.concat([length, typeAndData, crc]);
}

function isInFinder(row: number, col: number): { inside: boolean; dark: boolean } {
	const corners: Array<[number, number]> = [
		[0, 0],
		[0, MODULES - FINDER_SIZE],
		[MODULES - FINDER_SIZE, 0],
	];
	for (const [top, left] of corners) {
		const r = row - top;
		const c = col - left;
		if (r < 0 || c < 0 || r >= FINDER_SIZE || c >= FINDER_SIZE) continue;
		const ring = Math.min(r, c, FINDER_SIZE - 1 - r, FINDER_SIZE - 1 - c);
		return { inside: true, dark: ring !== 1 };
	}
	return { inside: false, dark: false };
}

/** Module grid: three finder patterns, the rest filled from a hash of the value. */
export function qrModules(value: string): boolean[][] {
	let bits = Buffer.alloc(0);
	for (let i = 0; bits.length * 8 < MODULES * MODULES; i++) {
		bits = Buffer.concat([bits, createHash('sha256').update(`${i}:${value}`).digest()]);
	}
	const grid: boolean[][] = [];
	for (let row = 0; row < MODULES; row++) {
		const line: boolean[] = [];
		for (let col = 0; col < MODULES; col++) {
			const finder = isInFinder(row, col);
			const index = row * MODULES + col;
			line.push(finder.inside ? finder.dark : ((bits[index >> 3] >> (index & 7)) & 1) === 1);
		}
		grid.push(line);
	}
	return grid;
}

export interface QrPngOptions {
	/** Pixels per module. */
	scale?: number;
	/** Quiet zone around the code, in modules. */
	margin?: number;
}

/** An 8-bit grayscale PNG of `qrModules(value)`. */
export function qrPng(value: string, options: QrPngOptions = {}): Buffer {
	const scale = options.scale ?? 4;
	const margin = options.margin ?? 4;
	const grid = qrModules(value);
	const side = (MODULES + margin * 2) * scale;
	const raw = Buffer.alloc(side * (side + 1), 0xff);
	for (let y = 0; y < side; y++) {
		const rowStart = y * (side + 1);
		raw[rowStart] = 0; // filter type None
		const moduleRow = Math.floor(y / scale) - margin;
		for (let x = 0; x < side; x++) {
			const moduleCol = Math.floor(x / scale) - margin;
			const dark = grid[moduleRow]?.[moduleCol] === true;
			raw[rowStart + 1 + x] = dark ? 0x00 : 0xff;
		}
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(side, 0);
	header.writeUInt32BE(side, 4);
	header[8] = 8; // bit depth
	header[9] = 0; // colour type: grayscale
	header[10] = 0; // compression: deflate
	header[11] = 0; // filter method
	header[12] = 0; // no interlace
	return Buffer.concat([
		PNG_SIGNATURE,
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

export function pngDataUri(png: Buffer): string {
	return `data:image/png;base64,${png.toString('base64')}`;
}

/** A WhatsApp-Web-style QR payload (`2@ref,noiseKey,identityKey,adv`) derived from a seed. */
export function qrValue(seed: string): string {
	const part = (label: string, length: number) =>
		createHash('sha256').update(`${label}:${seed}`).digest('base64').slice(0, length);
	return `2@${part('ref', 40)},${part('noise', 43)}=,${part('identity', 43)}=,${part('adv', 24)}==`;
}
