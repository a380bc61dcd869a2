/**
 * The two ways the Postgres backup engine reports trouble:
 *  - BackupParameterError (thrown): the caller passed something unusable; names the parameter.
 *  - BackupFailure (thrown internally, caught by the entry points): a remote or environmental
 *    failure that becomes a failed outcome with a contract cause, never an exception to callers.
 */
import type { Cause } from '../../shared/contract';

export { BackupParameterError } from '../parameterError';

export class BackupFailure extends Error {
	constructor(
		readonly cause: Cause,
		/** The step that failed, when the thrower knows better than the entry point. */
		readonly stage?: string,
	) {
		super(cause.message);
		this.name = 'BackupFailure';
	}
}
