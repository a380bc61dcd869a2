/**
 * What a caller of the Recover sub-workflow gets back, read the same whether the
 * recovery fixed its target or not. A Recover that did not fix it ends in error (its
 * "Recovery Did Not Fix It" node), and n8n's Execute Workflow node then outputs only
 * `{ error: message }`, with the sub-execution's id in the item's metadata
 * (`metadata.subExecution`, set by n8n for the executions list). The result that execution
 * ended with is in its saved run data: this module reads it there.
 */
import { isRecord } from '../../shared/json';
import { RECOVER_NODES } from '../../shared/workflowIds';

/** The keys n8n's error items have (n8n-core's handleNodeErrorOutput reads them the same way). */
const ERROR_ITEM_KEYS: ReadonlySet<string> = new Set(['error', 'message', 'details']);

export interface CallItem {
	json: Record<string, unknown>;
	metadata?: unknown;
}

/** The Execute Workflow node's item for a sub-execution that failed: only an error message. */
export function isFailedCall(item: CallItem): boolean {
	const keys = Object.keys(item.json);
	return typeof item.json.error === 'string' && keys.every((key) => ERROR_ITEM_KEYS.has(key));
}

/** The id of the sub-execution an item came from (n8n's `metadata.subExecution.executionId`); null when n8n named none. */
export function subExecutionIdOf(item: CallItem): string | null {
	const metadata = isRecord(item.metadata) ? item.metadata : undefined;
	const sub = metadata && isRecord(metadata.subExecution) ? metadata.subExecution : undefined;
	const id = sub?.executionId;
	if (typeof id === 'number' && Number.isInteger(id)) return String(id);
	return typeof id === 'string' && id.trim() !== '' ? id.trim() : null;
}

export interface LoggedItem {
	json: Record<string, unknown>;
	binary?: Record<string, unknown>;
}

/** The first item a node output in a saved run (`resultData.runData`), with its binary; null when it output none. */
function firstItem(runData: Record<string, unknown>, nodeName: string): LoggedItem | null {
	const runs = runData[nodeName];
	if (!Array.isArray(runs)) return null;
	for (const run of runs) {
		const main = isRecord(run) && isRecord(run.data) && Array.isArray(run.data.main) ? run.data.main : [];
		for (const output of main) {
			if (!Array.isArray(output)) continue;
			const item = output.find((entry: unknown) => isRecord(entry) && isRecord(entry.json)) as Record<string, unknown> | undefined;
			if (item) return { json: item.json as Record<string, unknown>, ...(isRecord(item.binary) ? { binary: item.binary } : {}) };
		}
	}
	return null;
}

/**
 * The result a saved Recover execution ended with: its Record Outcome's item (the log entry
 * with its outcome, what a fixed recovery returns too), else its log entry (a Recover
 * saved before Record Outcome existed); null when it stopped before logging one.
 */
export function recoveryResultOf(executionData: unknown): LoggedItem | null {
	const resultData = isRecord(executionData) && isRecord(executionData.resultData) ? executionData.resultData : undefined;
	const runData = resultData && isRecord(resultData.runData) ? resultData.runData : undefined;
	if (!runData) return null;
	return firstItem(runData, RECOVER_NODES.outcome) ?? firstItem(runData, RECOVER_NODES.logEntry);
}
