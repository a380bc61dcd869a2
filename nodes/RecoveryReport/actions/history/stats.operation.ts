/** Recovery Stats: the answer of `GET /webhook/auto-recovery/stats?days=N` (success rates, MTTD/MTTR, most common error). */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { parseStatsQuery } from '../../history/query';
import { recoveryLog } from '../../history/recoveryLog';
import { recoveryStats } from '../../history/stats';
import { executionBaseUrl, readRecoveries, recoverWorkflowId } from '../fields';
import { answer, answerFailure, queryParameter } from './webhookQuery';
import { DAY_MS } from '../../../shared/timeUnits';


export const description: INodeProperties[] = [];

/** One answer to one request. */
export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const base = executionBaseUrl(this);
	const workflowId = recoverWorkflowId(this);
	const now = Date.now();
	try {
		const { days } = parseStatsQuery(queryParameter(this));
		const fetched = await readRecoveries(this, { since: now - days * DAY_MS, maxPages: 50 });
		const entries = recoveryLog(fetched.executions, { limit: Number.MAX_SAFE_INTEGER, executionBaseUrl: base, workflowId });
		return answer(200, { ...recoveryStats(entries, { now, days }), ...(fetched.truncated ? { truncated: true } : {}) });
	} catch (error) {
		return answerFailure(error);
	}
}
