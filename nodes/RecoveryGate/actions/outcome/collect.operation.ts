/**
 * Collect Results (after a call of the Recover sub-workflow, on its regular output): a
 * recovery that fixed its target passes as Recover returned it; one that did not ended its
 * execution in error, and n8n hands over only that error, so its result is read from the
 * execution n8n saved (the same item, with its binary, e.g. a relink QR). A Recover that
 * failed before logging a result is a real failure: this node fails with its message.
 */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { RECOVER_WORKFLOW_ID } from '../../../shared/workflowIds';
import { isFailedCall, recoveryResultOf, subExecutionIdOf } from '../../outcome/collect';

export const description: INodeProperties[] = [];

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const item = this.getInputData()[itemIndex];
	const json = item.json as Record<string, unknown>;
	if (!isFailedCall({ json, metadata: item.metadata })) return [item];
	const executionId = subExecutionIdOf({ json, metadata: item.metadata });
	const failure = String(json.error);
	if (executionId === null) throw new NodeOperationError(this.getNode(), `The recovery did not run: ${failure}`, { itemIndex });
	const saved = await this.getExecutionDataById(executionId);
	// Recover saves every execution ("Save failed production executions": on); without it the result is gone.
	if (saved === undefined) throw new NodeOperationError(this.getNode(), `Recover execution ${executionId} was not saved, so its result cannot be read (Recover must save failed executions): ${failure}`, { itemIndex });
	const result = recoveryResultOf(saved);
	if (result === null) throw new NodeOperationError(this.getNode(), `Recover execution ${executionId} failed before it logged a result: ${failure}`, { itemIndex });
	return [{ json: result.json as INodeExecutionData['json'], ...(result.binary ? { binary: result.binary as INodeExecutionData['binary'] } : {}), metadata: { subExecution: { executionId, workflowId: RECOVER_WORKFLOW_ID } } }];
}
