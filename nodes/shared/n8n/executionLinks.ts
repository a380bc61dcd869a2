/**
 * The parameters that link to executions in the n8n editor, shared by Recovery Report
 * (each recovery log entry) and Alert Message (the recovery an alert is about).
 */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { normaliseExecutionBaseUrl } from '../executionUrl';
import { OptionError } from '../optionError';
import { RECOVER_WORKFLOW_ID } from '../workflowIds';
import { asNodeError } from './errors';

export const executionBaseUrlField: INodeProperties = {
	displayName: 'Execution Base URL',
	name: 'executionBaseUrl',
	type: 'string',
	default: '',
	placeholder: 'https://n8n.example.com',
	description: 'The n8n editor URL, for links to executions (empty: no links)',
};

export const recoverWorkflowIdField: INodeProperties = {
	displayName: 'Recover Workflow ID',
	name: 'recoverWorkflowId',
	type: 'string',
	default: RECOVER_WORKFLOW_ID,
	description: 'The Recover sub-workflow: each of its executions is one recovery',
};

/** The Execution Base URL without trailing slashes ('' = no links); a NodeOperationError when it is not an http(s) URL. */
export function executionBaseUrlOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = String(ctx.getNodeParameter('executionBaseUrl', itemIndex, '') ?? '');
	try {
		return normaliseExecutionBaseUrl(value);
	} catch (error) {
		if (error instanceof OptionError) throw new NodeOperationError(ctx.getNode(), `Parameter "Execution Base URL": ${error.message}`, { itemIndex });
		throw asNodeError(ctx, error, itemIndex);
	}
}

export function recoverWorkflowIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const id = String(ctx.getNodeParameter('recoverWorkflowId', itemIndex, RECOVER_WORKFLOW_ID) ?? '').trim();
	if (!/^[A-Za-z0-9]{1,64}$/.test(id)) throw new NodeOperationError(ctx.getNode(), `Parameter "Recover Workflow ID" must be a workflow id, got ${JSON.stringify(id)}`, { itemIndex });
	return id;
}
