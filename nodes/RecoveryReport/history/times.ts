/** Reads times out of execution JSON: ISO strings (startedAt) or epoch ms numbers (the tracker's incident times). */

/** The largest time a Date holds: beyond it toISOString() throws. */
const MAX_DATE_MS = 8.64e15;

/** Epoch ms of an ISO string or a non-negative epoch ms number; null for anything else. */
export function epochMs(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) && value >= 0 && value <= MAX_DATE_MS ? value : null;
	if (typeof value !== 'string' || value.trim() === '') return null;
	const ms = Date.parse(value);
	return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** `later - earlier` when both are known and in order; null otherwise (a negative span is a clock problem, not a fact). */
export function spanMs(earlier: number | null, later: number | null): number | null {
	if (earlier === null || later === null || later < earlier) return null;
	return later - earlier;
}
