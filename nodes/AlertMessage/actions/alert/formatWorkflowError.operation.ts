/**
 * Format Workflow Error: the alert for a failed run, from n8n's Error Trigger output (redacted).
 * A Recover stopped because it did not fix its target gets none: the Monitor alerts it already.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { formatWorkflowError, isRecoveryNotFixedStop, readWorkflowError } from '../../../shared/alerts/formatWorkflowError';
import { languageOf } from '../../../shared/n8n/fields';

export const description: INodeProperties[] = [];

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]> {
	const item = this.getInputData()[itemIndex].json;
	if (isRecoveryNotFixedStop(item)) return [];
	const facts = readWorkflowError(item, Date.now());
	return { workflowError: facts, alertMessage: formatWorkflowError(facts, languageOf(this, itemIndex)) } as unknown as IDataObject;
}
