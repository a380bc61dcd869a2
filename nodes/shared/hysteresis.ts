/**
 * The one rule for threshold-based checks (host memory, load, disk, inodes): a level is
 * entered at its mark but left only once the value is back past a lower (for "higher is
 * worse") or higher ("lower is worse") release mark. A value hovering around the mark
 * then keeps its status instead of flapping, which on a busy machine turned into an
 * open/resolve pair of alerts per flip. Pure: the caller keeps the previous level.
 */
import type { Status } from './contract';

/** Ordered levels, best first. */
const RANK: Record<Status, number> = { healthy: 0, degraded: 1, down: 2 };

export interface Marks {
	/** Entered at or beyond this value. */
	degraded: number;
	down: number;
	/** Which way is worse. */
	worse: 'higher' | 'lower';
	/** How far back past a mark the value must come to leave its level, as a share of the mark (0.2: 20 %). */
	release: number;
}

/** The release mark of an entry mark: 20 % lower for "higher is worse", 20 % higher for "lower is worse". */
export const DEFAULT_RELEASE = 0.2;

function beyond(value: number, mark: number, worse: Marks['worse']): boolean {
	return worse === 'higher' ? value >= mark : value < mark;
}

function releaseMark(mark: number, marks: Marks): number {
	return marks.worse === 'higher' ? mark * (1 - marks.release) : mark * (1 + marks.release);
}

/** The level without memory: what a first observation (or a value far from every mark) gets. */
export function levelOf(value: number, marks: Marks): Status {
	if (beyond(value, marks.down, marks.worse)) return 'down';
	if (beyond(value, marks.degraded, marks.worse)) return 'degraded';
	return 'healthy';
}

/**
 * The level of `value` given the `previous` one: a worse level is entered at its mark at
 * once; a level already held is kept until the value passes its release mark.
 */
export function levelWithHysteresis(value: number, marks: Marks, previous: Status | undefined): Status {
	const plain = levelOf(value, marks);
	if (!previous || RANK[plain] >= RANK[previous]) return plain;
	// Better than before: step down only past each held level's release mark.
	if (previous === 'down' && beyond(value, releaseMark(marks.down, marks), marks.worse)) return 'down';
	if (RANK[previous] >= RANK.degraded && beyond(value, releaseMark(marks.degraded, marks), marks.worse)) return plain === 'healthy' ? 'degraded' : plain;
	return plain;
}
