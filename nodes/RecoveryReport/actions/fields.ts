/** What every Recovery Report operation shares: the n8n API behind the history, and how to read it. */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { languageField } from '../../shared/n8n/fields';
import { numberParameter } from '../../shared/n8n/parameters';
import { HistoryOptionError } from '../history/errors';
import { normaliseExecutionBaseUrl } from '../history/executionUrl';
import { RECOVER_WORKFLOW_ID } from '../history/executions';
import { fetchRecoveryExecutions, type FetchedRecoveries, type FetchRecoveriesOptions } from '../history/fetchRecoveries';
import { executionsPageFetcher, HistoryUnavailableError } from '../transport/n8nApi';

const REPORTS = { show: { operation: ['statusPage', 'dailyReport'] } };

export const historyFields: INodeProperties[] = [
	{ displayName: 'Execution Base URL', name: 'executionBaseUrl', type: 'string', default: '', placeholder: 'https://n8n.example.com', description: 'The n8n editor URL, for links to each recovery\'s execution (empty: no links)' },
	{ displayName: 'Recover Workflow ID', name: 'recoverWorkflowId', type: 'string', default: RECOVER_WORKFLOW_ID, description: 'The workflow whose executions are the recovery log' },
	{ displayName: 'API Timeout (Ms)', name: 'apiTimeoutMs', type: 'number', typeOptions: { minValue: 100 }, default: 10000, description: 'Deadline of each request to n8n\'s API' },
	languageField(REPORTS.show),
	{ displayName: 'Timezone', name: 'timezone', type: 'string', default: '={{ $now.zoneName }}', description: 'IANA timezone of the times on the page or in the report', displayOptions: REPORTS },
];

/** The page's or report's timezone (UTC when empty). */
export function timezoneOf(ctx: IExecuteFunctions): string {
	return String(ctx.getNodeParameter('timezone', 0, 'UTC') ?? 'UTC').trim() || 'UTC';
}

export function executionBaseUrl(ctx: IExecuteFunctions): string {
	const value = String(ctx.getNodeParameter('executionBaseUrl', 0, '') ?? '');
	try {
		return normaliseExecutionBaseUrl(value);
	} catch (error) {
		if (error instanceof HistoryOptionError) throw new NodeOperationError(ctx.getNode(), `Parameter "Execution Base URL": ${error.message}`);
		throw error;
	}
}

export function recoverWorkflowId(ctx: IExecuteFunctions): string {
	const id = String(ctx.getNodeParameter('recoverWorkflowId', 0, RECOVER_WORKFLOW_ID) ?? '').trim();
	if (!/^[A-Za-z0-9]{1,64}$/.test(id)) throw new NodeOperationError(ctx.getNode(), `Parameter "Recover Workflow ID" must be a workflow id, got ${JSON.stringify(id)}`);
	return id;
}

/** Reads the Recover executions through the n8n API credential; a missing or refused credential is HistoryUnavailableError. */
export async function readRecoveries(ctx: IExecuteFunctions, options: Omit<FetchRecoveriesOptions, 'workflowId'>): Promise<FetchedRecoveries> {
	const timeoutMs = numberParameter(ctx, 'apiTimeoutMs', 'API Timeout (Ms)', 0, 10_000, { min: 100, max: 120_000 });
	const workflowId = recoverWorkflowId(ctx);
	let credentials: Record<string, unknown>;
	try {
		credentials = (await ctx.getCredentials('n8nApi')) as Record<string, unknown>;
	} catch {
		throw new HistoryUnavailableError('the recovery log needs the "n8n API" credential (an n8n API key); see docs/deployment.md');
	}
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	const baseUrl = typeof credentials.baseUrl === 'string' ? credentials.baseUrl : '';
	if (apiKey === '' || !/^https?:\/\//.test(baseUrl)) throw new HistoryUnavailableError('the "n8n API" credential needs an API key and a base URL like http://127.0.0.1:5678/api/v1');
	return await fetchRecoveryExecutions(executionsPageFetcher({ apiKey, baseUrl, timeoutMs }), { ...options, workflowId });
}
