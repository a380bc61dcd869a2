/**
 * Daily Report: yesterday's recovery statistics (local midnight to midnight in the
 * configured timezone), as an alert message the shipped Alert sub-workflow sends.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { recoveryLog } from '../../history/recoveryLog';
import { recoveryStats } from '../../history/stats';
import { HistoryUnavailableError } from '../../transport/n8nApi';
import { formatDailyReport, reportWindow } from '../../status/dailyReport';
import { StatusParameterError } from '../../status/errors';
import { languageOf } from '../../../shared/n8n/fields';
import { executionBaseUrl, readRecoveries, recoverWorkflowId, timezoneOf } from '../fields';
import { asNodeError } from '../../../shared/n8n/errors';

export const description: INodeProperties[] = [];

/** One report, whatever the number of input items. */
export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const now = Date.now();
	const language = languageOf(this, 0);
	const timezone = timezoneOf(this);
	try {
		const window = reportWindow(now, timezone);
		const fetched = await readRecoveries(this, { since: window.from, maxPages: 50 });
		const all = recoveryLog(fetched.executions, { limit: Number.MAX_SAFE_INTEGER, executionBaseUrl: executionBaseUrl(this), workflowId: recoverWorkflowId(this) });
		const yesterday = all.filter((entry) => {
			const at = Date.parse(entry.timestamp);
			return at >= window.from && at < window.to;
		});
		// The window is a local day (23 to 25 hours); the entries are already cut to it.
		const stats = recoveryStats(yesterday, { now: window.to, days: 2 });
		const alertMessage = formatDailyReport(stats, { language, timezone, day: window.day });
		return [{ json: { report: { day: window.day, timezone, ...stats, from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString(), days: 1 }, alertMessage } as unknown as IDataObject, pairedItem: { item: 0 } }];
	} catch (error) {
		if (error instanceof StatusParameterError) throw new NodeOperationError(this.getNode(), `Parameter "${error.parameter === 'timezone' ? 'Timezone' : error.parameter}": ${error.message}`);
		if (error instanceof HistoryUnavailableError) throw new NodeOperationError(this.getNode(), `The daily report cannot read the recovery history: ${error.message}`);
		throw asNodeError(this, error);
	}
}
