/**
 * The one rule for "did this recovery fix it?". Alerts ("did not fix it"), the Recover
 * workflow (an execution that did not fix its target ends in error, so n8n's executions
 * list shows it failed), the recovery log and the demo all ask this module, never their
 * own variant. It reads the contract's `recovery` (success means the re-check after the
 * action came back healthy) defensively: the value may come from a saved execution.
 *
 * - `dry run`: asked to change nothing, so it fixed nothing and failed at nothing;
 * - `not needed`: the target was already healthy (recovery/noActionNeeded);
 * - `escalated`: nothing automatic applies (`notify.escalate`), a person must act;
 * - `fixed`: an action ran and the re-check came back healthy;
 * - `not fixed`: anything else (the action ran and the target still fails, a fallback
 *   only mitigated it, or there is no readable recovery at all).
 */
import { isRecord, trimmedText as text } from '../json';
import { isNoActionNeeded } from './noActionNeeded';

export const RECOVERY_OUTCOMES = ['fixed', 'not fixed', 'escalated', 'not needed', 'dry run'] as const;
export type RecoveryOutcome = (typeof RECOVERY_OUTCOMES)[number];

/** What the rule reads of a contract recovery (every field may be missing in saved data). */
type RecoveryFields = { action?: unknown; attempted?: unknown; success?: unknown; dryRun?: unknown; before?: unknown };

export function recoveryOutcome(recovery: unknown): RecoveryOutcome {
	if (!isRecord(recovery)) return 'not fixed';
	const fields = recovery as RecoveryFields;
	if (fields.dryRun === true) return 'dry run';
	if (isNoActionNeeded(fields)) return 'not needed';
	if (fields.action === 'notify.escalate') return 'escalated';
	return fields.attempted === true && fields.success === true ? 'fixed' : 'not fixed';
}

/** A recovery whose target is still failing: its Recover execution ends in error. */
export function isFailedOutcome(outcome: RecoveryOutcome): boolean {
	return outcome === 'not fixed' || outcome === 'escalated';
}

/** What one Recover execution says about itself, in n8n's words (English, like n8n's own UI). */
export interface OutcomeSummary {
	outcome: RecoveryOutcome;
	failed: boolean;
	/** One sentence: what was recovered, with which action, and the outcome. The failed execution's error message. */
	message: string;
	/** The execution's custom data (n8n's Execution Data): at most 10 keys of letters and underscores, values ≤ 512 characters. */
	customData: Record<string, string>;
}

const CUSTOM_DATA_VALUE_MAX = 512;

/** The provider the bot uses meanwhile, when a fallback mitigated the failure (recovery/mitigation). */
function inUse(result: Record<string, unknown>): string | undefined {
	const details = isRecord(result.details) ? result.details : undefined;
	const used = details && isRecord(details.inUse) ? details.inUse : undefined;
	return text(used?.target);
}

/** Why it did not fix it, in the node's words: the last failed step's message, else (an escalation's one step) the last step's. */
function reason(recovery: Record<string, unknown>): string | undefined {
	const steps = Array.isArray(recovery.steps) ? recovery.steps.filter(isRecord) : [];
	const failed = steps.filter((step) => step.ok === false);
	const told = failed.length > 0 ? failed : steps;
	return text(told[told.length - 1]?.message);
}

/**
 * The outcome of one recovery result (the item a Recover execution ends with). Every text
 * comes from the result, which the nodes already redacted; the caller redacts again.
 */
export function summariseOutcome(result: unknown): OutcomeSummary {
	const item = isRecord(result) ? result : {};
	const recovery = isRecord(item.recovery) ? item.recovery : undefined;
	const outcome = recoveryOutcome(recovery);
	const component = text(item.component) ?? 'unknown component';
	const target = text(item.target);
	const action = text(recovery?.action);
	const status = text(item.status);
	const what = target ? `${component} (${target})` : component;
	let message: string;
	switch (outcome) {
		case 'fixed':
			message = `Recovery fixed it: ${what} is healthy again after ${action}.`;
			break;
		case 'not needed':
			message = `Nothing to fix: ${what} was already healthy.`;
			break;
		case 'dry run':
			message = `Dry run: ${what}, ${action ?? 'no action'} would have run; nothing was changed.`;
			break;
		case 'escalated': {
			const why = recovery ? reason(recovery) : undefined;
			message = `Recovery did not fix it: no automatic action applies to ${what}${status ? ` (still ${status})` : ''}; a person must act.${why ? ` ${why}` : ''}`;
			break;
		}
		case 'not fixed': {
			if (!recovery) {
				message = `Recovery did not fix it: ${what} has no recovery result.`;
				break;
			}
			const meanwhile = inUse(item);
			// What is wrong now (the re-check's cause), else the node's own last word.
			const why = text(isRecord(item.cause) ? item.cause.message : undefined) ?? reason(recovery);
			message =
				`Recovery did not fix it: ${what} is still ${status ?? 'failing'} after ${action ?? 'the action'}.` +
				(meanwhile ? ` Meanwhile the bot uses ${meanwhile}.` : '') +
				(why ? ` ${why}` : '');
			break;
		}
	}
	const customData: Record<string, string> = { component, outcome, summary: message };
	if (target) customData.target = target;
	if (action) customData.action = action;
	const probe = text(item.probe);
	if (probe) customData.probe = probe;
	for (const key of Object.keys(customData)) customData[key] = customData[key].slice(0, CUSTOM_DATA_VALUE_MAX);
	return { outcome, failed: isFailedOutcome(outcome), message, customData };
}
