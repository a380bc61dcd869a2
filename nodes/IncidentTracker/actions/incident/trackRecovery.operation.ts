/** Track Recovery: record what a recovery did (budget spent, incident resolved or escalated). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { RecoveryResult } from '../../../shared/contract';
import { trackRecovery } from '../../../shared/incident/tracker';
import { readTrackerOptions } from '../../../shared/n8n/trackerOptions';
import { updateState } from '../../../shared/n8n/trackerState';
import { validateRecoveryResult } from '../../../shared/validate';
import { inputResults, maintenanceSwitch, trackedOutput } from '../trackedItems';

export const description: INodeProperties[] = [];

export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const inputs = inputResults<RecoveryResult>(this, validateRecoveryResult, 'a recovery result');
	const options = readTrackerOptions(this);
	const withSwitch = maintenanceSwitch(this);
	// Decided inside the atomic update, on the state as the previous run left it, at the time it gets its turn.
	const { result: items } = await updateState(this, (state) => {
		const now = Date.now();
		const outcome = trackRecovery(withSwitch(state, now), inputs.results, options, now);
		return { state: outcome.state, result: outcome.items };
	});
	return trackedOutput(inputs, items);
}
