/** Format Incident Alert: the alert text of each item the Incident Tracker wants announced (others are dropped). */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { formatAlert, type AlertInput } from '../../../shared/alerts/formatAlert';
import { isRecord } from '../../../shared/json';
import { languageOf } from '../../../shared/n8n/fields';

export const description: INodeProperties[] = [
	{
		displayName: 'Execution Link',
		name: 'executionUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/workflow/abc/executions/123',
		description: 'Where the alert points for details (e.g. the Recover execution); empty: no link',
		displayOptions: { show: { operation: ['formatAlert'] } },
	},
];

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const item = this.getInputData()[itemIndex];
	const tracking = item.json.tracking;
	if (!isRecord(tracking)) throw new NodeOperationError(this.getNode(), `Input item ${itemIndex} has no "tracking": connect an Incident Tracker's output`, { itemIndex });
	if (tracking.alert !== true) return [];
	const { tracking: _tracking, ...result } = item.json;
	const executionUrl = String(this.getNodeParameter('executionUrl', itemIndex, '') ?? '').trim();
	const message = formatAlert({ ...(tracking as unknown as AlertInput), result: result as unknown as AlertInput['result'] }, {
		language: languageOf(this, itemIndex),
		...(executionUrl ? { executionUrl } : {}),
		now: Date.now(),
	});
	return [{ json: { ...item.json, alertMessage: message } as unknown as IDataObject, binary: item.binary }];
}
