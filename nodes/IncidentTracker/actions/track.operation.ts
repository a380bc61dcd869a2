/**
 * Track Results / Track Recovery: all input items of one run go to the state machine
 * together (so network failures of one run can be grouped), each comes out with its
 * `tracking` (decision, alert, incident, budget) next to the contract result.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { CheckResult, RecoveryResult } from '../../shared/contract';
import { validateCheckResult, validateRecoveryResult } from '../../shared/validate';
import { trackRecovery, trackResults } from '../incident/tracker';
import { readTrackerOptions } from './options';
import { asNodeError, loadState, saveState } from './state';

function inputResults<T extends CheckResult>(ctx: IExecuteFunctions, validate: (value: unknown) => string[], what: string): T[] {
	return ctx.getInputData().map((item, itemIndex) => {
		// A previous Track node's output may come back (after a re-check or a recovery): its old tracking is replaced.
		const { tracking: _previous, ...result } = item.json;
		const problems = validate(result);
		if (problems.length > 0) {
			throw new NodeOperationError(ctx.getNode(), `Input item ${itemIndex} is not ${what} (${problems.slice(0, 3).join('; ')})`, { itemIndex });
		}
		return result as unknown as T;
	});
}

function output(results: CheckResult[], items: unknown[]): INodeExecutionData[] {
	return results.map((result, index) => ({
		json: { ...result, tracking: items[index] } as unknown as IDataObject,
		pairedItem: { item: index },
	}));
}

export async function executeTrack(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const results = inputResults<CheckResult>(this, validateCheckResult, 'a check result');
	try {
		const outcome = trackResults(loadState(this), results, readTrackerOptions(this), Date.now());
		saveState(this, outcome.state);
		return output(results, outcome.items);
	} catch (error) {
		return asNodeError(this, error);
	}
}

export async function executeTrackRecovery(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const results = inputResults<RecoveryResult>(this, validateRecoveryResult, 'a recovery result');
	try {
		const outcome = trackRecovery(loadState(this), results, readTrackerOptions(this), Date.now());
		saveState(this, outcome.state);
		return output(results, outcome.items);
	} catch (error) {
		return asNodeError(this, error);
	}
}
