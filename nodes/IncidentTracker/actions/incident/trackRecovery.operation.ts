/** Track Recovery: record what a recovery did (budget spent, incident resolved or escalated). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { RecoveryResult } from '../../../shared/contract';
import { trackRecovery } from '../../../shared/incident/tracker';
import { readTrackerOptions } from '../../../shared/n8n/trackerOptions';
import { saveState } from '../../../shared/n8n/trackerState';
import { validateRecoveryResult } from '../../../shared/validate';
import { currentState, inputResults, trackedOutput } from '../trackedItems';

export const description: INodeProperties[] = [];

export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const inputs = inputResults<RecoveryResult>(this, validateRecoveryResult, 'a recovery result');
	const now = Date.now();
	const outcome = trackRecovery(currentState(this, now), inputs.results, readTrackerOptions(this), now);
	saveState(this, outcome.state);
	return trackedOutput(inputs, outcome.items);
}
