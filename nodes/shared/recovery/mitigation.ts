/**
 * A fallback (switching the bot to another provider) mitigates an incident; it does not
 * repair the failing target. When a Recover operation is given the failing result it
 * acts on, its answer is about that target: still failing, with which provider the bot
 * uses now in `details`, so the incident stays open (and escalates when its budget is
 * spent) instead of being "resolved" by a healthy result of another provider.
 */
import type { CheckResult, RecoveryResult } from '../contract';
import { validateCheckResult } from '../validate';

/** The failing result of `component` an item carries, if it is one (the item a Recover operation received). */
export function failingResultOf(value: unknown, component: CheckResult['component']): CheckResult | undefined {
	if (validateCheckResult(value).length > 0) return undefined;
	const result = value as CheckResult;
	return result.component === component && result.status !== 'healthy' ? result : undefined;
}

export function asMitigation(failing: CheckResult, fallback: RecoveryResult): RecoveryResult {
	const { recovery: _previous, ...state } = failing as CheckResult & { recovery?: unknown };
	return {
		...state,
		details: {
			...(failing.details ?? {}),
			...(fallback.details?.selection ? { selection: fallback.details.selection } : {}),
			inUse: { target: fallback.target, status: fallback.status },
		},
		recovery: {
			...fallback.recovery,
			before: failing.status,
			after: failing.status,
			// The target itself is not back: a success would close the incident while it still fails.
			success: false,
		},
	};
}
