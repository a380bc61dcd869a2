/** Format Alert: the alert text of each item the tracker wants announced (others are dropped). */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { AlertFormatError, formatAlert, type AlertInput } from '../../../shared/alerts/formatAlert';
import { isRecord } from '../../../shared/json';

const show = { operation: ['formatAlert'] };
const showLanguage = { operation: ['formatAlert', 'formatWorkflowError', 'statusPage', 'dailyReport'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Language',
		name: 'language',
		type: 'options',
		options: [
			{ name: 'Spanish', value: 'es' },
			{ name: 'English', value: 'en' },
		],
		default: 'es',
		displayOptions: { show: showLanguage },
	},
	{
		displayName: 'Execution Link',
		name: 'executionUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/workflow/abc/executions/123',
		description: 'Where the alert points for details (e.g. the Recover execution); empty: no link',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const items = this.getInputData();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex += 1) {
		const json = items[itemIndex].json;
		const tracking = json.tracking;
		if (!isRecord(tracking)) throw new NodeOperationError(this.getNode(), `Input item ${itemIndex} has no "tracking": connect an Incident Tracker's output`, { itemIndex });
		if (tracking.alert !== true) continue;
		const { tracking: _tracking, ...result } = json;
		const language = this.getNodeParameter('language', itemIndex, 'es') as string;
		const executionUrl = String(this.getNodeParameter('executionUrl', itemIndex, '') ?? '').trim();
		try {
			const message = formatAlert({ ...(tracking as unknown as AlertInput), result: result as unknown as AlertInput['result'] }, {
				language: language === 'en' ? 'en' : 'es',
				...(executionUrl ? { executionUrl } : {}),
				now: Date.now(),
			});
			output.push({ json: { ...json, alertMessage: message } as unknown as IDataObject, binary: items[itemIndex].binary, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (error instanceof AlertFormatError) throw new NodeOperationError(this.getNode(), error.message, { itemIndex });
			throw error;
		}
	}
	return output;
}
