/** Escalate: a recovery result saying no automatic action applies (a person is told). */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { CheckResult } from '../../../shared/contract';
import { validateCheckResult } from '../../../shared/validate';
import { escalationResult } from '../../../shared/incident/escalationResult';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return this.getInputData().map((item, itemIndex) => {
		const problems = validateCheckResult(item.json);
		if (problems.length > 0) throw new NodeOperationError(this.getNode(), `Input item ${itemIndex} is not a check result (${problems.slice(0, 3).join('; ')})`, { itemIndex });
		const result = item.json as unknown as CheckResult;
		const reason = `no automatic action for ${result.component} (${result.cause?.code ?? result.status}): a person is told`;
		return { json: { ...item.json, ...escalationResult(result, reason) } as unknown as IDataObject, pairedItem: { item: itemIndex } };
	});
}
