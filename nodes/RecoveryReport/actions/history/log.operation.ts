/** Recovery Log: the answer of `GET /webhook/auto-recovery?limit=N`, the last recoveries from n8n's execution history. */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { parseLogQuery } from '../../history/query';
import { recoveryLog } from '../../history/recoveryLog';
import { executionBaseUrl, readRecoveries, recoverWorkflowId } from '../fields';
import { answer, answerFailure, queryParameter } from './webhookQuery';

export const description: INodeProperties[] = [];

/** One answer to one request. */
export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const base = executionBaseUrl(this);
	const workflowId = recoverWorkflowId(this);
	try {
		const { limit } = parseLogQuery(queryParameter(this));
		// Unfinished executions are not entries yet: read a little more than asked.
		const fetched = await readRecoveries(this, { atLeast: limit + 10 });
		const entries = recoveryLog(fetched.executions, { limit, executionBaseUrl: base, workflowId });
		return answer(200, { count: entries.length, limit, entries, ...(fetched.truncated ? { truncated: true } : {}) });
	} catch (error) {
		return answerFailure(error);
	}
}
