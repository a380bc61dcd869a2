/** A bad argument from code (not from remote data): the caller's problem, named by parameter. */
export class OptionError extends Error {
	constructor(
		readonly parameter: string,
		message: string,
	) {
		super(message);
		this.name = 'OptionError';
	}
}
