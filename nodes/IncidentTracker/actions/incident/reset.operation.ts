/** Reset: clear a component's (or one incident's) recovery budget and escalation, so automation may try again. */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { reset } from '../../../shared/incident/controls';
import { updateState } from '../../../shared/n8n/trackerState';
import { byParameter, controlAnswer } from '../controlAnswer';

export const description: INodeProperties[] = [
	{ displayName: 'Scope', name: 'scope', type: 'string', default: '', placeholder: 'whatsapp or whatsapp:evolution:ventas', description: 'A component, or one incident key (component:target): its budget and escalation are cleared so automation may try again', displayOptions: { show: { operation: ['reset'] } } },
];

export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const scope = String(this.getNodeParameter('scope', 0, '') ?? '').trim();
	if (scope === '') throw new NodeOperationError(this.getNode(), 'Parameter "Scope" needs a component or an incident key');
	const by = byParameter(this);
	const { state, result: now } = await updateState(this, (current) => {
		const at = Date.now();
		return { state: reset(current, scope, at, by), result: at };
	});
	return controlAnswer(this, 'reset', state, now);
}
