/** Pause: silence alerts and automatic actions for a while; checks keep running and are recorded. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { pause } from '../../../shared/incident/controls';
import { numberParameter } from '../../../shared/n8n/parameters';
import { updateState } from '../../../shared/n8n/trackerState';
import { byParameter, controlAnswer } from '../controlAnswer';

const show = { operation: ['pause'] };
const DEFAULT_PAUSE_MINUTES = 30;
const DEFAULT_REASON = 'maintenance';

export const description: INodeProperties[] = [
	{ displayName: 'Pause For (Minutes)', name: 'pauseMinutes', type: 'number', typeOptions: { minValue: 1 }, default: DEFAULT_PAUSE_MINUTES, description: 'Checks keep running and are recorded; alerts and automatic actions stop until then', displayOptions: { show } },
	{ displayName: 'Reason', name: 'reason', type: 'string', default: DEFAULT_REASON, displayOptions: { show } },
];

export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const minutes = numberParameter(this, 'pauseMinutes', 'Pause For (Minutes)', 0, DEFAULT_PAUSE_MINUTES, { min: 1, max: 60 * 24 * 30 });
	const reason = String(this.getNodeParameter('reason', 0, DEFAULT_REASON) ?? '');
	const by = byParameter(this);
	const { state, result: now } = await updateState(this, (current) => {
		const at = Date.now();
		return { state: pause(current, at + minutes * 60_000, reason, at, by), result: at };
	});
	return controlAnswer(this, 'pause', state, now);
}
