/**
 * One update at a time per key inside this process. Not needed for correctness (each
 * backend is safe across processes on its own) but it keeps concurrent runs of one n8n
 * process from racing each other: no compare-and-swap retries for the file store, no
 * pool connections parked on a Postgres row lock.
 */
import { StateStoreError } from './types';

export class KeyedMutex {
	private readonly tails = new Map<string, Promise<void>>();

	/** Runs `work` once every earlier holder of `key` is done; gives up after `waitMs` of waiting. */
	async run<T>(key: string, waitMs: number, work: () => Promise<T>): Promise<T> {
		const previous = this.tails.get(key) ?? Promise.resolve();
		let release!: () => void;
		const mine = new Promise<void>((resolve) => (release = resolve));
		// The next caller waits for the previous holder AND this one, even if this one gives up waiting.
		const tail = previous.then(() => mine);
		this.tails.set(key, tail);
		try {
			await waitAtMost(previous, waitMs, key);
			return await work();
		} finally {
			release();
			// Forget the key once everything queued so far is done (not now: a waiter that gave up
			// may still have a holder in front of it) and nobody queued behind.
			void tail.then(() => {
				if (this.tails.get(key) === tail) this.tails.delete(key);
			});
		}
	}
}

async function waitAtMost(turn: Promise<void>, waitMs: number, key: string): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => reject(new StateStoreError('busy', `state "${key}": another update in this process held it for more than ${waitMs} ms`)), waitMs);
		timer.unref();
	});
	try {
		await Promise.race([turn, timeout]);
	} finally {
		clearTimeout(timer);
	}
}
