/**
 * Recovery Log / Recovery Stats: the answers of `GET /webhook/auto-recovery` and
 * `GET /webhook/auto-recovery/stats`, computed from n8n's execution history. Each outputs
 * one item `{ statusCode, body }` for a Respond to Webhook node: 200, 400 for a bad query
 * (with what is allowed), 503 when the history cannot be read.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../../shared/json';
import { QueryError } from '../../history/errors';
import { parseLogQuery, parseStatsQuery } from '../../history/query';
import { recoveryLog } from '../../history/recoveryLog';
import { recoveryStats } from '../../history/stats';
import { HistoryUnavailableError } from '../../transport/n8nApi';
import { executionBaseUrl, readRecoveries, recoverWorkflowId } from '../fields';

const DAY_MS = 24 * 60 * 60 * 1000;

export const description: INodeProperties[] = [
	{ displayName: 'Query', name: 'query', type: 'json', default: '={{ $json.query }}', description: 'The webhook\'s query parameters (`limit` for the log, `days` for the stats)', displayOptions: { show: { operation: ['recoveryLog', 'recoveryStats'] } } },
];

function queryParameter(ctx: IExecuteFunctions): Record<string, unknown> {
	const value = ctx.getNodeParameter('query', 0, {}) as unknown;
	if (typeof value === 'string') {
		try {
			const parsed = JSON.parse(value === '' ? '{}' : value) as unknown;
			return isRecord(parsed) ? parsed : {};
		} catch {
			return {};
		}
	}
	return isRecord(value) ? value : {};
}

const answer = (statusCode: number, body: unknown): INodeExecutionData[] => [{ json: { statusCode, body } as unknown as IDataObject, pairedItem: { item: 0 } }];

export async function execute(this: IExecuteFunctions, operation: 'recoveryLog' | 'recoveryStats'): Promise<INodeExecutionData[]> {
	const base = executionBaseUrl(this);
	const workflowId = recoverWorkflowId(this);
	const now = Date.now();
	try {
		if (operation === 'recoveryLog') {
			const { limit } = parseLogQuery(queryParameter(this));
			// Unfinished executions are not entries yet: read a little more than asked.
			const fetched = await readRecoveries(this, { atLeast: limit + 10 });
			const entries = recoveryLog(fetched.executions, { limit, executionBaseUrl: base, workflowId });
			return answer(200, { count: entries.length, limit, entries, ...(fetched.truncated ? { truncated: true } : {}) });
		}
		const { days } = parseStatsQuery(queryParameter(this));
		const fetched = await readRecoveries(this, { since: now - days * DAY_MS, maxPages: 50 });
		const entries = recoveryLog(fetched.executions, { limit: Number.MAX_SAFE_INTEGER, executionBaseUrl: base, workflowId });
		return answer(200, { ...recoveryStats(entries, { now, days }), ...(fetched.truncated ? { truncated: true } : {}) });
	} catch (error) {
		if (error instanceof QueryError) return answer(400, error.info);
		if (error instanceof HistoryUnavailableError) return answer(503, { error: `the recovery history is unavailable: ${error.message}` });
		throw error;
	}
}
