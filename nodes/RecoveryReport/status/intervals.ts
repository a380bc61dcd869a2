/** Half-open time intervals [start, end) in epoch ms: union, clipping and measuring. */

export type Interval = readonly [start: number, end: number];

/** Clips each interval to [from, to), drops empty ones, and merges overlapping or touching ones (sorted). */
export function unionWithin(intervals: Iterable<Interval>, from: number, to: number): Interval[] {
	const clipped = [...intervals]
		.map(([start, end]): Interval => [Math.max(start, from), Math.min(end, to)])
		.filter(([start, end]) => end > start)
		.sort((a, b) => a[0] - b[0]);
	const merged: Array<[number, number]> = [];
	for (const [start, end] of clipped) {
		const last = merged[merged.length - 1];
		if (last && start <= last[1]) last[1] = Math.max(last[1], end);
		else merged.push([start, end]);
	}
	return merged;
}

export function totalLength(intervals: Iterable<Interval>): number {
	let total = 0;
	for (const [start, end] of intervals) total += end - start;
	return total;
}

/** Length of the overlap of two unions (each sorted and disjoint, as unionWithin returns). */
export function overlapLength(a: Interval[], b: Interval[]): number {
	let total = 0;
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		const start = Math.max(a[i][0], b[j][0]);
		const end = Math.min(a[i][1], b[j][1]);
		if (end > start) total += end - start;
		if (a[i][1] < b[j][1]) i += 1;
		else j += 1;
	}
	return total;
}
