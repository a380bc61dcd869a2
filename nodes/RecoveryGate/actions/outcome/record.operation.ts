/**
 * Record Outcome (in the Recover sub-workflow, after its log entry): says by the one rule
 * (shared/recovery/outcome) whether the recovery fixed its target, adds it to the item as
 * `outcome` ({ result, failed, message }) for the next node to route on, and labels the
 * execution with n8n's custom data (component, target, action, outcome, summary).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { redact } from '../../../shared/redact';
import { summariseOutcome } from '../../../shared/recovery/outcome';

export const description: INodeProperties[] = [];

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const item = this.getInputData()[itemIndex];
	const summary = summariseOutcome(item.json);
	const message = redact(summary.message);
	const customData = Object.fromEntries(Object.entries(summary.customData).map(([key, value]) => [key, redact(value)]));
	// n8n's "custom execution data" (what its Execution Data node writes): the same call on every supported release.
	this.getWorkflowDataProxy(itemIndex).$execution?.customData?.setAll(customData);
	return [{ json: { ...item.json, outcome: { result: summary.outcome, failed: summary.failed, message } }, ...(item.binary ? { binary: item.binary } : {}) }];
}
