/**
 * The Log Archive's plain-module interface: what to move, where, how fast, and what
 * happened. No n8n types; the node builds an ArchivePlan from its parameters and turns
 * the ArchiveOutcome into a contract result (component `logs`).
 */
export type ArchiveDestination =
	/** Move rows into an archive table (created with the same columns when missing). */
	| { kind: 'table'; table: string }
	/** Write rows to one gzip-compressed JSON Lines file per run (sha256), then delete them. */
	| { kind: 'file'; directory: string }
	/** Delete only (an explicit choice), reporting the count. */
	| { kind: 'delete' };

export interface ArchivePlan {
	/** Hot table, `table` or `schema.table` (validated and quoted). */
	table: string;
	/** Timestamp column that decides a row's age. */
	timestampColumn: string;
	/** Unique, indexed key: file mode writes and deletes by it; table/delete mode fall back to it where no page sweep applies (see sweep.ts). */
	keyColumn: string;
	/** Rows older than this many days move. */
	olderThanDays: number;
	destination: ArchiveDestination;
	/** About this many rows per batch transaction (default 5000); a page sweep's batch can hold one page's worth more. */
	batchSize: number;
	/** Pause between batches, ms, so the bot's own writes are never starved. */
	pauseMs: number;
	/** Report how many rows and which time range would move; change nothing. */
	dryRun: boolean;
	/** Stop starting new batches after this long; the next run resumes (0 = no limit). */
	maxDurationMs: number;
	/** The clock; the cut-off is fixed once at the start of a run. */
	now: Date;
}

export interface ArchiveFile {
	path: string;
	sha256: string;
	rows: number;
	bytes: number;
}

export interface ArchiveOutcome {
	dryRun: boolean;
	/** ISO-8601 UTC: rows with a timestamp before this moved (or would move). */
	cutoff: string;
	rowsMoved: number;
	batches: number;
	durationMs: number;
	/** The longest single batch transaction, ms. */
	longestBatchMs: number;
	/** Oldest timestamp still in the hot table after the run (ISO), null when empty. */
	oldestRemaining: string | null;
	/** For a dry run: the range that would move. */
	wouldMove?: { rows: number; from: string | null; to: string | null };
	tableBytesBefore: number;
	tableBytesAfter: number;
	/** True when maxDurationMs stopped the run before every old row moved. */
	incomplete: boolean;
	file?: ArchiveFile;
}
