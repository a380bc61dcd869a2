/**
 * The recovery log is n8n's own execution history: each saved execution of the Recover
 * sub-workflow is one recovery. This module reads one execution as the public API
 * returns it (`GET /api/v1/executions?workflowId=…&includeData=true`) into a log entry.
 * The JSON comes from outside, so it is read from `unknown`: a missing or malformed
 * field becomes null/false, never an exception.
 */
import { COMPONENTS, isActionId, type ActionId, type Component } from '../../shared/contract';
import { executionUrl, normaliseExecutionBaseUrl } from '../../shared/executionUrl';
import { isRecord } from '../../shared/json';
import { isNoActionNeeded } from '../../shared/recovery/noActionNeeded';
import { recoveryOutcome } from '../../shared/recovery/outcome';
import { RECOVER_FIX_NODES, RECOVER_NODES, RECOVER_WORKFLOW_ID } from '../../shared/workflowIds';
import { readLoggedDiagnosis, safeText, type RecoveryLogEntry } from './logEntry';
import { firstOutputJson, type RunData } from './runData';
import { epochMs, spanMs } from './times';

/** The Recover sub-workflow's nodes that act: where an action is read when no log entry was written. */
const FIX_NODES = Object.values(RECOVER_FIX_NODES);

/** Statuses of an execution that has not finished yet: not a recovery (yet). */
const UNFINISHED: ReadonlySet<string> = new Set(['new', 'running', 'waiting']);
/** Statuses of an execution that stopped without completing: a failed recovery. */
const FAILED: ReadonlySet<string> = new Set(['error', 'crashed', 'canceled']);

interface ReadExecutionOptions {
	/** n8n's editor URL, e.g. https://n8n.example.com; '' or absent: no links. */
	executionBaseUrl?: string;
	/** Which workflow's executions are recoveries (default: the shipped Recover sub-workflow). */
	workflowId?: string;
}

/** One page of `GET /api/v1/executions`; an unreadable page is an empty one. */
export function readExecutionsPage(page: unknown): { executions: unknown[]; nextCursor: string | null } {
	if (!isRecord(page)) return { executions: [], nextCursor: null };
	return {
		executions: Array.isArray(page.data) ? page.data : [],
		nextCursor: typeof page.nextCursor === 'string' && page.nextCursor !== '' ? page.nextCursor : null,
	};
}

function idText(value: unknown): string | null {
	if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function record(value: unknown): Record<string, unknown> | null {
	return isRecord(value) ? value : null;
}

function isComponent(value: unknown): value is Component {
	return typeof value === 'string' && (COMPONENTS as readonly string[]).includes(value);
}

function isUnfinished(execution: Record<string, unknown>, status: string | null): boolean {
	if (status !== null) return UNFINISHED.has(status);
	// An old or partial record without status: running while it is not finished and has not stopped.
	return execution.finished !== true && epochMs(execution.stoppedAt) === null;
}

/** The action a recovery ran: the log entry's, else the fixing node's own output (the log entry may be missing after an error). */
function readAction(logged: Record<string, unknown> | null, runData: RunData | null): ActionId | null {
	const fromLog = record(logged?.recovery)?.action;
	if (isActionId(fromLog)) return fromLog;
	for (const node of FIX_NODES) {
		const action = record(firstOutputJson(runData, node)?.recovery)?.action;
		if (isActionId(action)) return action;
	}
	return null;
}

/** Stopped by Recover's "Recovery Did Not Fix It" node (the error names it, else it was the last node to run). */
function stoppedAsNotFixed(resultData: Record<string, unknown> | null): boolean {
	const error = record(resultData?.error);
	const failingNode = record(error?.node)?.name ?? resultData?.lastNodeExecuted;
	return failingNode === RECOVER_NODES.didNotFixIt;
}

/** The incident's first failure: the tracker's first sighting when it records one, else when the incident opened. */
function firstFailureAt(tracking: Record<string, unknown> | null): number | null {
	const incident = record(tracking?.incident);
	if (!incident) return null;
	return epochMs(incident.firstSeenAt) ?? epochMs(incident.openedAt);
}

/**
 * The log entry of one execution; null when it is not a run of the Recover workflow,
 * has not finished, or carries no data to say what was recovered (e.g. listed without
 * `includeData=true`). Throws only for a bad `executionBaseUrl` option.
 */
export function readRecoveryExecution(execution: unknown, options: ReadExecutionOptions = {}): RecoveryLogEntry | null {
	const base = normaliseExecutionBaseUrl(options.executionBaseUrl);
	const wantedWorkflow = options.workflowId ?? RECOVER_WORKFLOW_ID;
	if (!isRecord(execution)) return null;
	const workflowId = idText(execution.workflowId);
	const id = idText(execution.id);
	const startedAt = epochMs(execution.startedAt);
	if (workflowId !== wantedWorkflow || id === null || startedAt === null) return null;
	const status = typeof execution.status === 'string' ? execution.status : null;
	if (isUnfinished(execution, status)) return null;

	const resultData = record(record(execution.data)?.resultData);
	const runData = record(resultData?.runData);
	const input = firstOutputJson(runData, RECOVER_NODES.trigger);
	const logged = firstOutputJson(runData, RECOVER_NODES.logEntry);
	if (!input && !logged) return null;

	// A recovery that did not fix its target stops in error on purpose, after its log entry: that entry is the record.
	const executionFailed = ((status !== null && FAILED.has(status)) || logged === null) && !(logged !== null && stoppedAsNotFixed(resultData));
	const recovery = executionFailed ? null : record(logged?.recovery);
	const outcome = recovery ? recoveryOutcome(recovery) : null;
	const dryRun = outcome === 'dry run';
	const success = outcome === 'fixed';
	const tracking = record(logged?.tracking) ?? record(input?.tracking);
	const action = readAction(logged, runData);
	const manual = input?.manual === true || execution.mode === 'manual';
	const stoppedAt = epochMs(execution.stoppedAt);
	const firstFailure = firstFailureAt(tracking);
	const executionError = executionFailed ? safeText(record(resultData?.error)?.message) : null;
	// The trigger's cause; executions logged before 0.2 also copied it into the log entry's `error`.
	const causeMessage = safeText(record(input?.cause)?.message) ?? safeText(logged?.error);
	// The failing target (the input) names the recovery; after a fallback the result's target is the secondary provider.
	const component = [input?.component, logged?.component].find(isComponent) ?? null;

	return {
		timestamp: new Date(startedAt).toISOString(),
		component,
		target: safeText(input?.target) ?? safeText(logged?.target),
		error: executionError ?? causeMessage ?? '',
		diagnosis: readLoggedDiagnosis(logged?.diagnosis) ?? readLoggedDiagnosis(input?.diagnosis),
		action,
		success,
		dryRun,
		outcome,
		notNeeded: isNoActionNeeded(recovery),
		manual,
		forced: input?.forced === true,
		automatic: !manual,
		escalated: (action === 'notify.escalate' && !isNoActionNeeded(recovery)) || tracking?.decision === 'escalated' || tracking?.alertKind === 'escalated',
		durationMs: spanMs(startedAt, stoppedAt),
		detectMs: spanMs(firstFailure, startedAt),
		recoverMs: success ? spanMs(firstFailure, stoppedAt) : null,
		executionId: id,
		executionUrl: executionUrl(base, workflowId, id),
	};
}
