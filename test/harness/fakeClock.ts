/**
 * Runs work that reads time only through `Date.now` and `setTimeout` (deadlines, retry-after
 * sleeps, per-call timeouts) on jest's fake clock, and reports when it settled in that
 * clock. A test can then state an exact bound ("within the deadline + 50 ms") that a busy
 * machine cannot break: wall-clock time spent waiting for a core does not count.
 *
 * The clock jumps from one pending timer to the next, so the elapsed time is the moment
 * the work settled, not a multiple of some step.
 */
export interface Settled<T> {
	/** What the work resolved to (a rejection is thrown). */
	value: T;
	/** Fake milliseconds from the start of the work until it settled. */
	elapsedMs: number;
}

export async function onFakeClock<T>(work: () => Promise<T>): Promise<Settled<T>> {
	jest.useFakeTimers();
	try {
		const startedAt = Date.now();
		let done = false;
		let elapsedMs = 0;
		const promise = work().finally(() => {
			done = true;
			elapsedMs = Date.now() - startedAt;
		});
		promise.catch(() => undefined);
		// Let the work start and queue its first timers.
		await jest.advanceTimersByTimeAsync(0);
		while (!done) {
			if (jest.getTimerCount() === 0) {
				// Nothing left that could make it settle: a hang in fake time.
				await Promise.resolve();
				if (!done) throw new Error(`the work neither settled nor has a timer pending after ${Date.now() - startedAt} fake ms`);
				break;
			}
			await jest.advanceTimersToNextTimerAsync();
		}
		return { value: await promise, elapsedMs };
	} finally {
		jest.useRealTimers();
	}
}
