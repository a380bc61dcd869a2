/**
 * How often the Conversation Check runs when it is asked more often (every Monitor tick) than
 * the owner wants a canary message sent: each run remembers when it ran, per bot target, and a
 * run that comes too soon sends nothing. Plain logic; the operation keeps the times in the node's
 * static data.
 */

/** A tick a little early still counts: due once this share of the interval has passed. */
export const DUE_SHARE = 0.9;

/** Minutes → the interval in ms; 0 (the default) runs every time. */
export function intervalMs(everyMinutes: number): number {
	return Math.max(0, everyMinutes) * 60_000;
}

/** Whether a run at `now` is due, given when the last one ran (epoch ms, or anything else when unknown). */
export function conversationDue(lastRunAt: unknown, now: number, everyMs: number): boolean {
	if (everyMs <= 0) return true;
	if (typeof lastRunAt !== 'number' || !Number.isFinite(lastRunAt) || lastRunAt > now) return true;
	return now - lastRunAt >= everyMs * DUE_SHARE;
}
