/**
 * The one rule for the status a failed call gives its check, for every node and
 * provider: a rate limit (HTTP 429, `provider.rate_limited`) is `degraded` (the
 * contract: works, at risk; the limit lifts by itself), whoever the provider is.
 * Every other failure is `down`, unless the caller names causes of its own that
 * still let the bot work (a YELLOW quality rating, one bad recipient…).
 */
import type { Cause, Status } from './contract';

/** The cause code every classifier gives an HTTP 429. */
export const RATE_LIMITED_CODE = 'provider.rate_limited';

/** Causes that are degraded for every provider. */
const ALWAYS_DEGRADING: ReadonlySet<string> = new Set([RATE_LIMITED_CODE]);

/** The status a failed call with this cause gives its check. */
export function statusOfFailure(cause: Pick<Cause, 'code'>, alsoDegrading: ReadonlySet<string> = new Set()): Exclude<Status, 'healthy'> {
	return ALWAYS_DEGRADING.has(cause.code) || alsoDegrading.has(cause.code) ? 'degraded' : 'down';
}
