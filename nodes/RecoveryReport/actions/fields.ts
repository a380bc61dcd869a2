/** What every Recovery Report operation shares: the n8n API behind the history, and how to read it. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { executionBaseUrlField, executionBaseUrlOf, recoverWorkflowIdField, recoverWorkflowIdOf } from '../../shared/n8n/executionLinks';
import { languageField } from '../../shared/n8n/fields';
import { numberParameter } from '../../shared/n8n/parameters';
import { fetchRecoveryExecutions, type FetchedRecoveries, type FetchRecoveriesOptions } from '../history/fetchRecoveries';
import { executionsPageFetcher, HistoryUnavailableError } from '../transport/n8nApi';

const REPORTS = { show: { operation: ['statusPage', 'dailyReport'] } };

export const historyFields: INodeProperties[] = [
	executionBaseUrlField,
	recoverWorkflowIdField,
	{ displayName: 'API Timeout (Ms)', name: 'apiTimeoutMs', type: 'number', typeOptions: { minValue: 100 }, default: 10000, description: 'Deadline of each request to n8n\'s API' },
	languageField(REPORTS.show),
	{ displayName: 'Timezone', name: 'timezone', type: 'string', default: '={{ $now.zoneName }}', description: 'IANA timezone of the times on the page or in the report', displayOptions: REPORTS },
];

/** The page's or report's timezone (UTC when empty). */
export function timezoneOf(ctx: IExecuteFunctions): string {
	return String(ctx.getNodeParameter('timezone', 0, 'UTC') ?? 'UTC').trim() || 'UTC';
}

/** The history's links: one Execution Base URL and Recover workflow for the whole run. */
export const executionBaseUrl = (ctx: IExecuteFunctions): string => executionBaseUrlOf(ctx, 0);
export const recoverWorkflowId = (ctx: IExecuteFunctions): string => recoverWorkflowIdOf(ctx, 0);

/** Reads the Recover executions through the n8n API credential; a missing or refused credential is HistoryUnavailableError. */
export async function readRecoveries(ctx: IExecuteFunctions, options: Omit<FetchRecoveriesOptions, 'workflowId'>): Promise<FetchedRecoveries> {
	const timeoutMs = numberParameter(ctx, 'apiTimeoutMs', 'API Timeout (Ms)', 0, 10_000, { min: 100, max: 120_000 });
	const workflowId = recoverWorkflowId(ctx);
	// No credential is not a node failure: the status page shows the page with this note instead.
	const credentials = ((await ctx.getCredentials('n8nApi').catch(() => null)) ?? null) as Record<string, unknown> | null;
	if (!credentials) throw new HistoryUnavailableError('the recovery log needs the "n8n API" credential (an n8n API key); see docs/deployment.md');
	const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey : '';
	const baseUrl = typeof credentials.baseUrl === 'string' ? credentials.baseUrl : '';
	if (apiKey === '' || !/^https?:\/\//.test(baseUrl)) throw new HistoryUnavailableError('the "n8n API" credential needs an API key and a base URL like http://127.0.0.1:5678/api/v1');
	return await fetchRecoveryExecutions(executionsPageFetcher({ apiKey, baseUrl, timeoutMs }), { ...options, workflowId });
}
