/**
 * Reads node outputs from an execution's `data.resultData.runData`:
 * `{ [nodeName]: [ { startTime, executionTime, data: { main: [[ { json } ]] } } ] }`.
 * The Recover sub-workflow runs once per recovery with one item, so the first item of
 * the first output of a node's first run is the one that matters.
 */
import { isRecord } from '../../shared/json';

export type RunData = Record<string, unknown>;

/** The `json` of the first item a node output (on any of its outputs: a Switch uses several); null when it produced none. */
export function firstOutputJson(runData: RunData | null, nodeName: string): Record<string, unknown> | null {
	if (!runData) return null;
	const runs = runData[nodeName];
	if (!Array.isArray(runs)) return null;
	for (const run of runs) {
		if (!isRecord(run) || !isRecord(run.data) || !Array.isArray(run.data.main)) continue;
		for (const output of run.data.main) {
			if (!Array.isArray(output)) continue;
			for (const item of output) {
				if (isRecord(item) && isRecord(item.json)) return item.json;
			}
		}
	}
	return null;
}
