/** Format Workflow Error: the alert for a failed run, from n8n's Error Trigger output (redacted). */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { formatWorkflowError, readWorkflowError } from '../../../shared/alerts/formatWorkflowError';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return this.getInputData().map((item, itemIndex) => {
		const language = this.getNodeParameter('language', itemIndex, 'es') === 'en' ? 'en' : 'es';
		const facts = readWorkflowError(item.json, Date.now());
		return { json: { workflowError: facts, alertMessage: formatWorkflowError(facts, language) } as unknown as IDataObject, pairedItem: { item: itemIndex } };
	});
}
