/** Resume: end a pause now. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resume } from '../../../shared/incident/controls';
import { loadState, saveState } from '../../../shared/n8n/trackerState';
import { controlAnswer } from '../controlAnswer';

export const description: INodeProperties[] = [];

export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const now = Date.now();
	const state = resume(loadState(this), now);
	saveState(this, state);
	return controlAnswer(this, 'resume', state, now);
}
