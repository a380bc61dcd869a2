/**
 * What Track Results and Track Recovery share: all input items of one run go to the
 * state machine together (so network failures of one run can be grouped), and each comes
 * out with its `tracking` (decision, alert, incident, budget) next to the contract result.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import type { CheckResult } from '../../shared/contract';
import { applyMaintenanceSwitch, parseMaintenanceUntil } from '../../shared/incident/maintenanceSwitch';
import type { TrackerState } from '../../shared/incident/types';

export const maintenanceUntilField: INodeProperties = {
	displayName: 'Maintenance Until',
	name: 'maintenanceUntil',
	type: 'string',
	default: '',
	placeholder: '2026-11-22T18:00:00Z',
	description: 'A maintenance switch: until this time, checks are recorded but no alert is sent and no automatic action runs. Empty: off.',
	displayOptions: { show: { operation: ['track', 'trackRecovery', 'ingest'] } },
};

interface TrackedInputs<T> {
	results: T[];
	/** Binary data of each result's item (e.g. the QR a relink produced), passed on to the alert. */
	binaries: Array<INodeExecutionData['binary']>;
	/** Input index of each result. */
	indexes: number[];
	/** Items that are not results (a disabled probe passes its input through; a failed one outputs {error}). */
	ignored: INodeExecutionData[];
}

export function inputResults<T extends CheckResult>(ctx: IExecuteFunctions, validate: (value: unknown) => string[], what: string): TrackedInputs<T> {
	const inputs: TrackedInputs<T> = { results: [], binaries: [], indexes: [], ignored: [] };
	ctx.getInputData().forEach((item, itemIndex) => {
		// A previous Track node's output may come back (after a re-check or a recovery): its old tracking is replaced.
		const { tracking: _previous, ...result } = item.json;
		const problems = validate(result);
		if (problems.length === 0) {
			inputs.results.push(result as unknown as T);
			inputs.binaries.push(item.binary);
			inputs.indexes.push(itemIndex);
			return;
		}
		const reason = typeof item.json.error === 'string' ? `a probe failed: ${item.json.error}` : `not ${what} (${problems.slice(0, 3).join('; ')})`;
		inputs.ignored.push({ json: { ...item.json, tracking: { decision: 'ignored', alert: false, reason } }, pairedItem: { item: itemIndex } });
	});
	if (inputs.results.length === 0 && inputs.ignored.length > 0 && inputs.ignored.every((item) => typeof item.json.error !== 'string')) {
		throw new NodeOperationError(ctx.getNode(), `No input item is ${what}: connect the probes' outputs`);
	}
	return inputs;
}

export function trackedOutput<T extends CheckResult>(inputs: TrackedInputs<T>, items: unknown[]): INodeExecutionData[] {
	const tracked = inputs.results.map((result, index) => ({
		json: { ...result, tracking: items[index] } as unknown as IDataObject,
		...(inputs.binaries[index] ? { binary: inputs.binaries[index] } : {}),
		pairedItem: { item: inputs.indexes[index] },
	}));
	return [...tracked, ...inputs.ignored];
}

/** Applies the Settings' maintenance switch to a state (read once per run, applied inside the atomic update). */
export function maintenanceSwitch(ctx: IExecuteFunctions): (state: TrackerState, now: number) => TrackerState {
	const until = parseMaintenanceUntil(String(ctx.getNodeParameter('maintenanceUntil', 0, '') ?? ''));
	return (state, now) => applyMaintenanceSwitch(state, until, now);
}
