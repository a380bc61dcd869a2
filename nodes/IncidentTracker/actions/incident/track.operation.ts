/** Track Results: decide what each check result of a run means (confirm, recover, escalate, resolve, alert or not). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { CheckResult } from '../../../shared/contract';
import { trackResults } from '../../../shared/incident/tracker';
import { readTrackerOptions } from '../../../shared/n8n/trackerOptions';
import { saveState } from '../../../shared/n8n/trackerState';
import { validateCheckResult } from '../../../shared/validate';
import { currentState, inputResults, trackedOutput } from '../trackedItems';

export const description: INodeProperties[] = [];

/** The whole run at once: network failures of one run are grouped into one alert. */
export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const inputs = inputResults<CheckResult>(this, validateCheckResult, 'a check result');
	const now = Date.now();
	const outcome = trackResults(currentState(this, now), inputs.results, readTrackerOptions(this), now);
	saveState(this, outcome.state);
	return trackedOutput(inputs, outcome.items);
}
