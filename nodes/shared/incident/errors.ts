/** Misuse of the tracker (bad options or inputs): the caller's problem, named by parameter. */

export class TrackerOptionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'TrackerOptionError';
	}
}

export class TrackerInputError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'TrackerInputError';
	}
}
