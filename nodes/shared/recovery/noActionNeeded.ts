/**
 * The one rule for a Recover whose target is already healthy: it logs that no action was
 * needed, never a `notify.escalate` (which reads as "a person was told"). In the contract's
 * vocabulary that is the action the Recover stands for, `attempted: false`, `before`
 * healthy, and one step saying so. Readers of the log (status page, daily report) tell
 * it apart with `isNoActionNeeded`.
 */
import { ACTIONS_BY_COMPONENT, type ActionId, type Component } from '../contract';

/** The step message of a Recover that found nothing to fix. */
export const NO_ACTION_NEEDED = 'already healthy: no action needed';

/** The action a Recover of this component stands for: its first action (never notify.escalate). */
export function idleActionOf(component: Component): ActionId {
	return ACTIONS_BY_COMPONENT[component][0];
}

/** Whether a logged recovery found the target healthy and so did nothing (dry runs included). */
export function isNoActionNeeded(recovery: { attempted?: unknown; before?: unknown } | null | undefined): boolean {
	return recovery !== null && recovery !== undefined && recovery.attempted !== true && recovery.before === 'healthy';
}
