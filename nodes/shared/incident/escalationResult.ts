/**
 * The recovery result of "nothing automatic applies": the result as it is, with
 * `notify.escalate` not attempted, so the Recover sub-workflow answers every component
 * with the same contract shape and the recovery log reads the same.
 */
import type { CheckResult, RecoveryResult } from '../contract';

export function escalationResult(result: CheckResult, reason: string): RecoveryResult {
	const { recovery: _previous, ...state } = result as CheckResult & { recovery?: unknown };
	return {
		...state,
		recovery: {
			action: 'notify.escalate',
			attempted: false,
			success: false,
			before: result.status,
			after: result.status,
			steps: [{ action: 'notify.escalate', ok: true, message: reason, durationMs: 0 }],
		},
	};
}
