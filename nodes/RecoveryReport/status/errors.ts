/** Misuse of the status page / daily report functions: the caller's problem, named by parameter. */
export class StatusParameterError extends Error {
	constructor(
		readonly parameter: string,
		message: string,
	) {
		super(message);
		this.name = 'StatusParameterError';
	}
}
