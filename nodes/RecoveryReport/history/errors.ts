/**
 * Misuse of the history functions: the caller's problem, named by parameter. Remote
 * data (the executions n8n returns) never throws: what cannot be read becomes null.
 */

import { OptionError } from '../../shared/optionError';

/** A bad argument from code (limit, days, now, executions); a bad executionBaseUrl is the shared OptionError. */
export class HistoryOptionError extends OptionError {
	constructor(parameter: string, message: string) {
		super(parameter, message);
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
