/** The last N recoveries, newest first, from the Recover executions n8n returns (any order, possibly several pages). */
import { normaliseExecutionBaseUrl } from '../../shared/executionUrl';
import { HistoryOptionError } from './errors';
import { readRecoveryExecution } from './executions';
import type { RecoveryLogEntry } from './logEntry';

interface RecoveryLogOptions {
	/** At most this many entries (a positive integer). */
	limit: number;
	/** n8n's editor URL for the execution links; '' for none. */
	executionBaseUrl: string;
	/** Which workflow's executions are recoveries (default: the shipped Recover sub-workflow). */
	workflowId?: string;
}

/** Newest first; equal times by execution id, higher (later) first, numerically when both are numbers. */
function newestFirst(a: RecoveryLogEntry, b: RecoveryLogEntry): number {
	const byTime = Date.parse(b.timestamp) - Date.parse(a.timestamp);
	if (byTime !== 0) return byTime;
	const [x, y] = [Number(a.executionId), Number(b.executionId)];
	if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return y - x;
	return b.executionId.localeCompare(a.executionId);
}

export function recoveryLog(executions: unknown[], options: RecoveryLogOptions): RecoveryLogEntry[] {
	if (!Array.isArray(executions)) throw new HistoryOptionError('executions', 'executions must be an array of n8n executions (the `data` of a GET /api/v1/executions page)');
	const { limit } = options;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw new HistoryOptionError('limit', `limit must be a positive integer, got ${String(limit)}`);
	}
	const executionBaseUrl = normaliseExecutionBaseUrl(options.executionBaseUrl);
	// Pages fetched while new executions arrive can repeat one: each execution is one entry.
	const byId = new Map<string, RecoveryLogEntry>();
	for (const execution of executions) {
		const entry = readRecoveryExecution(execution, { executionBaseUrl, workflowId: options.workflowId });
		if (entry && !byId.has(entry.executionId)) byId.set(entry.executionId, entry);
	}
	return [...byId.values()].sort(newestFirst).slice(0, limit);
}
