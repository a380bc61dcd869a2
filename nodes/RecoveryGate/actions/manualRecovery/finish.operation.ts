/** Finish Manual Recovery: gather what the recoveries returned, release the request's locks and build the webhook's answer. */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { releaseLocks } from '../../lock/locks';
import { manualRecoveryAnswer, readManualRequest, type ManualRequestRecord } from '../../manual/answer';
import { lockFolder } from '../fields';
import { webhookAnswer } from './webhookAnswer';

export const description: INodeProperties[] = [
	{ displayName: 'Request', name: 'manualRequest', type: 'json', default: '={{ $(\'Accept Recovery\').first().json.manualRequest }}', description: 'The request the Accept Manual Recovery node output', displayOptions: { show: { operation: ['finish'] } } },
];

/** One answer for all the request's recoveries. */
export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const folder = lockFolder(this);
	let request: ManualRequestRecord;
	try {
		request = readManualRequest(this.getNodeParameter('manualRequest', 0));
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Parameter "Request": ${(error as Error).message}`);
	}
	try {
		const items = this.getInputData().map((item) => item.json as Record<string, unknown>);
		const { statusCode, body } = manualRecoveryAnswer(request, items);
		return [webhookAnswer(statusCode, body)];
	} finally {
		releaseLocks(folder, request.components, request.id);
	}
}
