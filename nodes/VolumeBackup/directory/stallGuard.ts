/**
 * A bound on file-system work that cannot be cancelled: a read or write on a hung NFS
 * mount blocks a libuv thread forever, so no per-call timeout exists. Instead the work
 * reports progress (a directory listed, a chunk read or written) and the guard gives up
 * when none came for `timeoutMs`: the caller gets a `net.timeout` BackupError at once
 * and cleans up; the stuck system call is left behind, not waited for. Large but moving
 * backups are never cut short, however long they take.
 */
import { BackupError } from './errors';

export class StallGuard {
	private last = Date.now();
	private stage = 'starting';
	private paused = 0;

	constructor(
		readonly timeoutMs: number,
		/** What is being done, for the message ("backing up /data"). */
		private readonly what: string,
		/** What a timeout leaves behind, for the message. */
		private readonly aftermath = 'the partial backup was removed',
	) {}

	/** Something moved; `stage` names the step for the timeout message. */
	progress(stage?: string): void {
		this.last = Date.now();
		if (stage !== undefined) this.stage = stage;
	}

	/** Runs a step with its own time limit (sqlite3) without the guard cutting it short. */
	async pause<T>(work: Promise<T>): Promise<T> {
		this.paused += 1;
		try {
			return await work;
		} finally {
			this.paused -= 1;
			this.progress();
		}
	}

	/** `work`, or a net.timeout BackupError once it has made no progress for timeoutMs. */
	async run<T>(work: Promise<T>, stage: string): Promise<T> {
		this.progress(stage);
		let timer: NodeJS.Timeout | undefined;
		const stalled = new Promise<never>((_resolve, reject) => {
			const check = (): void => {
				if (this.paused > 0) this.progress();
				const idle = Date.now() - this.last;
				if (idle >= this.timeoutMs) {
					reject(
						new BackupError(
							`${this.what}: no progress for ${this.timeoutMs} ms while ${this.stage} (a hung disk or network mount?); ${this.aftermath}`,
							'net.timeout',
						),
					);
					return;
				}
				timer = setTimeout(check, this.timeoutMs - idle);
			};
			timer = setTimeout(check, this.timeoutMs);
		});
		try {
			return await Promise.race([work, stalled]);
		} finally {
			clearTimeout(timer);
			// The losing work may still settle later; its rejection must not go unhandled.
			work.catch(() => undefined);
		}
	}
}
