/** Resume: end a pause now. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { resume } from '../../../shared/incident/controls';
import { updateState } from '../../../shared/n8n/trackerState';
import { controlAnswer } from '../controlAnswer';

export const description: INodeProperties[] = [];

export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { state, result: now } = await updateState(this, (current) => {
		const at = Date.now();
		return { state: resume(current, at), result: at };
	});
	return controlAnswer(this, 'resume', state, now);
}
