/** Escalate: a recovery result saying no automatic action applies (a person is told). */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { CheckResult } from '../../../shared/contract';
import { escalationResult } from '../../../shared/incident/escalationResult';
import { validateCheckResult } from '../../../shared/validate';

export const description: INodeProperties[] = [];

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const item = this.getInputData()[itemIndex];
	const problems = validateCheckResult(item.json);
	if (problems.length > 0) throw new NodeOperationError(this.getNode(), `Input item ${itemIndex} is not a check result (${problems.slice(0, 3).join('; ')})`, { itemIndex });
	const result = item.json as unknown as CheckResult;
	const reason = `no automatic action for ${result.component} (${result.cause?.code ?? result.status}): a person is told`;
	return { ...item.json, ...escalationResult(result, reason) } as unknown as IDataObject;
}
