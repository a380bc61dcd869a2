/** A failure of the archive itself (not of Postgres), with a dotted cause code for the result. */
export class ArchiveError extends Error {
	constructor(
		message: string,
		/** e.g. `logs.archive_file_failed`. */
		readonly code: string,
	) {
		super(message);
		this.name = 'ArchiveError';
	}
}
