/** Status: the open incidents and the pause (read only). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readState } from '../../../shared/n8n/trackerState';
import { controlAnswer } from '../controlAnswer';

export const description: INodeProperties[] = [];

export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const state = await readState(this);
	return controlAnswer(this, 'status', state, Date.now());
}
