/** Track Results: decide what each check result of a run means (confirm, recover, escalate, resolve, alert or not). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CheckResult } from '../../../shared/contract';
import { trackResults } from '../../../shared/incident/tracker';
import { readTrackerOptions } from '../../../shared/n8n/trackerOptions';
import { updateState } from '../../../shared/n8n/trackerState';
import { validateCheckResult } from '../../../shared/validate';
import { inputResults, maintenanceSwitch, trackedOutput } from '../trackedItems';

export const description: INodeProperties[] = [];

/** The whole run at once: network failures of one run are grouped into one alert. */
export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const inputs = inputResults<CheckResult>(this, validateCheckResult, 'a check result');
	const options = readTrackerOptions(this);
	const withSwitch = maintenanceSwitch(this);
	// Decided inside the atomic update, on the state as the previous run left it, at the time it gets its turn.
	const { result: items } = await updateState(this, (state) => {
		const now = Date.now();
		const outcome = trackResults(withSwitch(state, now), inputs.results, options, now);
		return { state: outcome.state, result: outcome.items };
	});
	return trackedOutput(inputs, items);
}
