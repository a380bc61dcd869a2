/**
 * Seeded pseudo-randomness that Postgres can evaluate row by row.
 *
 * Seeding runs server-side (INSERT … SELECT FROM generate_series), so every random
 * choice must be a pure function of the row index k. Exact defect counts ("exactly
 * 10% of products lack an image") come from a seeded affine permutation of 0..n-1:
 * row k has the defect when perm(k) < count.
 *
 * The multiplier is size × an irrational fraction (plus a seeded jitter), which makes
 * perm a Weyl sequence: the marked rows are spread evenly (any window of rows or of
 * time holds about the expected share, no bursts), and different fractions per
 * defect keep different defects from lining up with each other.
 */

/** mulberry32: tiny, fast, good enough to derive the permutation parameters. */
export function createPrng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** perm(k) = (multiplier * k + offset) mod size; inverse(p) = inverseMultiplier * (p - offset) mod size. */
export interface AffinePermutation {
	size: number;
	multiplier: number;
	offset: number;
	inverseMultiplier: number;
}

/** Largest n for which multiplier * k stays exact in Postgres bigint (n² < 2^63). */
export const MAX_PERMUTATION_SIZE = 3_000_000_000;

/** Fractional parts of irrationals; one per independent permutation. */
export const SPREAD_FRACTIONS = [0.6180339887, 0.4142135624, 0.7320508076, 0.2360679775, 0.1415926536] as const;

export function randomPermutation(size: number, random: () => number, fraction: number = SPREAD_FRACTIONS[0]): AffinePermutation {
	if (!Number.isInteger(size) || size < 1 || size > MAX_PERMUTATION_SIZE) {
		throw new Error(`permutation size must be an integer in 1..${MAX_PERMUTATION_SIZE}, got ${size}`);
	}
	if (size === 1) return { size, multiplier: 1, offset: 0, inverseMultiplier: 1 };
	const jitter = random() * 0.01;
	let multiplier = Math.max(1, Math.min(size - 1, Math.round(size * ((fraction + jitter) % 1))));
	while (gcd(multiplier, size) !== 1) multiplier = (multiplier % (size - 1)) + 1;
	return {
		size,
		multiplier,
		offset: Math.floor(random() * size),
		inverseMultiplier: modularInverse(multiplier, size),
	};
}

/** A 32-bit salt for the per-row hash used for names, prices and the like. */
export function randomSalt(random: () => number): number {
	return Math.floor(random() * 2 ** 31);
}

function gcd(a: number, b: number): number {
	let [x, y] = [a, b];
	while (y !== 0) [x, y] = [y, x % y];
	return x;
}

function modularInverse(value: number, modulus: number): number {
	// Extended Euclid in BigInt: intermediate products exceed 2^53 for large moduli.
	let [oldR, r] = [BigInt(value), BigInt(modulus)];
	let [oldS, s] = [1n, 0n];
	while (r !== 0n) {
		const quotient = oldR / r;
		[oldR, r] = [r, oldR - quotient * r];
		[oldS, s] = [s, oldS - quotient * s];
	}
	const m = BigInt(modulus);
	return Number(((oldS % m) + m) % m);
}
