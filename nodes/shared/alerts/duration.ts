/**
 * A duration as people read it in an alert: the two largest non-zero units,
 * e.g. "40 s", "3 min", "3 min 20 s", "2 h 5 min", "1 d 4 h". The unit symbols
 * read the same in Spanish and English.
 */
const UNITS: Array<[symbol: string, ms: number]> = [
	['d', 86_400_000],
	['h', 3_600_000],
	['min', 60_000],
	['s', 1_000],
];

export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms) || ms <= 0) return '0 s';
	let rest = Math.round(ms / 1_000) * 1_000;
	if (rest === 0) return '0 s';
	const parts: string[] = [];
	for (const [symbol, size] of UNITS) {
		const count = Math.floor(rest / size);
		rest -= count * size;
		if (count > 0) parts.push(`${count} ${symbol}`);
		else if (parts.length > 0) break; // "2 h 5 s" would mislead: stop at the first gap
		if (parts.length === 2) break;
	}
	return parts.join(' ');
}
