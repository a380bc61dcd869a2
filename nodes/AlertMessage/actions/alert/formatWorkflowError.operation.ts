/** Format Workflow Error: the alert for a failed run, from n8n's Error Trigger output (redacted). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { formatWorkflowError, readWorkflowError } from '../../../shared/alerts/formatWorkflowError';
import { languageOf } from '../../../shared/n8n/fields';

export const description: INodeProperties[] = [];

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const facts = readWorkflowError(this.getInputData()[itemIndex].json, Date.now());
	return { workflowError: facts, alertMessage: formatWorkflowError(facts, languageOf(this, itemIndex)) } as unknown as IDataObject;
}
