/**
 * Misuse of the history functions: the caller's problem, named by parameter. Remote
 * data (the executions n8n returns) never throws: what cannot be read becomes null.
 */

/** A bad argument from code (limit, days, now, executionBaseUrl, executions). */
export class HistoryOptionError extends Error {
	constructor(
		readonly parameter: string,
		message: string,
	) {
		super(message);
		this.name = 'HistoryOptionError';
	}
}

/** What the webhook answers with a 400: what was wrong and what is allowed. */
interface QueryErrorInfo {
	error: string;
	allowed: string;
}

/** A bad query parameter of the recovery log/stats webhooks. */
export class QueryError extends Error {
	readonly info: QueryErrorInfo;

	constructor(
		readonly parameter: string,
		error: string,
		allowed: string,
	) {
		super(error);
		this.name = 'QueryError';
		this.info = { error, allowed };
	}
}
