/**
 * One deadline for a piece of work made of many calls (a recovery ladder: check,
 * actions, re-checks). Each call keeps its own timeout; the deadline's signal ends
 * whatever is still waiting once the whole has no time left, so a hung dependency
 * costs the work its deadline, not one timeout per call. Plain logic, no n8n.
 */

/** Default of every Recover/Repair operation's "Deadline (Seconds)": the whole ladder, re-checks included. */
export const DEFAULT_RECOVERY_DEADLINE_SECONDS = 60;

export interface Deadline {
	/** The whole budget, ms. */
	readonly totalMs: number;
	/** Aborted when the deadline passes: hand it to every call made for the work. */
	readonly signal: AbortSignal;
	remainingMs(): number;
	passed(): boolean;
	/** `work`'s value, or `late()`'s as soon as the deadline passes first (the work is left to end by its own timeouts). */
	race<T>(work: Promise<T>, late: () => T): Promise<T>;
	/** Stops the timer: the work is over. */
	end(): void;
}

export function startDeadline(totalMs: number, now: () => number = Date.now): Deadline {
	const endsAt = now() + totalMs;
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), Math.max(0, totalMs));
	const remainingMs = () => Math.max(0, endsAt - now());
	return {
		totalMs,
		signal: controller.signal,
		remainingMs,
		passed: () => controller.signal.aborted,
		race<T>(work: Promise<T>, late: () => T): Promise<T> {
			if (controller.signal.aborted) return Promise.resolve(late());
			return new Promise<T>((resolve, reject) => {
				const onAbort = () => resolve(late());
				controller.signal.addEventListener('abort', onAbort, { once: true });
				work.then(
					(value) => {
						controller.signal.removeEventListener('abort', onAbort);
						resolve(value);
					},
					(error: unknown) => {
						controller.signal.removeEventListener('abort', onAbort);
						reject(error);
					},
				);
			});
		},
		end: () => clearTimeout(timer),
	};
}

/** How a message names a deadline: `3 s`, `1.5 s`. */
export function describeDeadline(ms: number): string {
	return `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * What is left of a bounded run (a Monitor tick) that started at `startedAt` and may last
 * `deadlineSeconds`, in ms (0 when it is over); null when the run has no bound (either
 * value unset). `startedAt` is an ISO time, also as n8n writes a date into a string field
 * (JSON-quoted), or epoch ms.
 */
export function runTimeLeftMs(startedAt: unknown, deadlineSeconds: unknown, now: number = Date.now()): number | null {
	if (typeof deadlineSeconds !== 'number' || !Number.isFinite(deadlineSeconds) || deadlineSeconds <= 0) return null;
	const started = typeof startedAt === 'number' ? startedAt : Date.parse(String(startedAt ?? '').trim().replace(/^"(.*)"$/, '$1'));
	if (!Number.isFinite(started)) return null;
	return Math.max(0, started + deadlineSeconds * 1000 - now);
}
