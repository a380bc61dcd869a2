/**
 * Waits for a condition instead of sleeping for a guessed time: resolves as soon as
 * `condition` holds (checked every few ms on the real clock). `limitMs` only bounds a
 * hang, so a busy machine makes the test slower, never wrong.
 */
export async function until(condition: () => boolean, what = 'the condition', limitMs = 25_000): Promise<void> {
	const deadline = Date.now() + limitMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`${what} did not happen within ${limitMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}
