/** Misuse of either backup engine (a relative path, keepLast 0, …): the caller's problem, naming the parameter. */
export class BackupParameterError extends Error {
	constructor(
		/** The parameter at fault, e.g. `sourceDir`, `keepLast`, `settings.connectionString`. */
		readonly parameter: string,
		problem: string,
	) {
		super(`${parameter}: ${problem}`);
		this.name = 'BackupParameterError';
	}
}
