/**
 * The timers an emulator (or the WhatsApp network) starts on its own: ack progression,
 * QR rotation, webhook deliveries. All are unref'd (a test process never waits on them)
 * and cleared together when the owner stops.
 */
export class Timers {
	private readonly handles = new Set<NodeJS.Timeout>();

	/** Runs `fn` once after `ms`; an exception in `fn` is swallowed so a timer never crashes the process. */
	after(ms: number, fn: () => void): void {
		const handle = setTimeout(() => {
			this.handles.delete(handle);
			try {
				fn();
			} catch {
				// A background step of an emulator must not take the test process down.
			}
		}, Math.max(0, ms));
		handle.unref();
		this.handles.add(handle);
	}

	clear(): void {
		for (const handle of this.handles) clearTimeout(handle);
		this.handles.clear();
	}

	get pending(): number {
		return this.handles.size;
	}
}
