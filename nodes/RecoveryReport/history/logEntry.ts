/**
 * One line of the recovery log: what a saved execution of the Recover sub-workflow
 * says about one recovery, flattened for the log/stats webhooks. Every text in it went
 * through the shared redaction; unknown facts are null (or false), never guessed.
 */
import { DIAGNOSIS_SOURCES, isActionId, type ActionId, type Component, type DiagnosisSource } from '../../shared/contract';
import { isRecord, trimmedText } from '../../shared/json';
import { redact } from '../../shared/redact';
import type { RecoveryOutcome } from '../../shared/recovery/outcome';

/** The part of the contract diagnosis the log shows. */
interface LoggedDiagnosis {
	rootCause: string | null;
	summary: string | null;
	source: DiagnosisSource | null;
	recommendedActions: ActionId[];
}

export interface RecoveryLogEntry {
	/** ISO-8601 UTC: when the Recover execution started. */
	timestamp: string;
	/** null when the execution names no known component. */
	component: Component | null;
	target: string | null;
	/** The cause message that triggered the recovery, or the execution's error when it failed; '' when none. */
	error: string;
	diagnosis: LoggedDiagnosis | null;
	/** The action the recovery ran; null when the execution stopped before any action reported. */
	action: ActionId | null;
	/** The re-check after the action came back healthy (false for dry runs and failed executions). */
	success: boolean;
	dryRun: boolean;
	/** Did it fix it (shared/recovery/outcome): fixed, not fixed, escalated, not needed, dry run; null when the execution failed before it logged a result. */
	outcome: RecoveryOutcome | null;
	/** The target was already healthy, so nothing was attempted (shared/recovery/noActionNeeded): not a failure, not an escalation. */
	notNeeded: boolean;
	/** Started by a person (the manual endpoint or the editor) rather than the Monitor. */
	manual: boolean;
	/** A manual run that bypassed the tracker's budget/escalation. */
	forced: boolean;
	automatic: boolean;
	/** A person was (or is being) told: the action was `notify.escalate` or the incident was escalated. */
	escalated: boolean;
	/** How long the Recover execution ran. */
	durationMs: number | null;
	/** From the incident's first failure to the start of the recovery. */
	detectMs: number | null;
	/** From the incident's first failure to the end of a successful recovery; null unless it succeeded. */
	recoverMs: number | null;
	executionId: string;
	/** null when no execution base URL is configured. */
	executionUrl: string | null;
}

/** A redacted, trimmed text; null for anything that is not a non-empty string. */
export function safeText(value: unknown): string | null {
	const text = trimmedText(value);
	return text === undefined ? null : redact(text);
}

function isSource(value: unknown): value is DiagnosisSource {
	return typeof value === 'string' && (DIAGNOSIS_SOURCES as readonly string[]).includes(value);
}

/** The diagnosis merged into the item; null when there is none or it says nothing (no root cause, no summary). */
export function readLoggedDiagnosis(value: unknown): LoggedDiagnosis | null {
	if (!isRecord(value)) return null;
	const rootCause = safeText(value.rootCause);
	const summary = safeText(value.summary);
	if (rootCause === null && summary === null) return null;
	const actions = Array.isArray(value.recommendedActions) ? value.recommendedActions.filter(isActionId) : [];
	return { rootCause, summary, source: isSource(value.source) ? value.source : null, recommendedActions: actions };
}
