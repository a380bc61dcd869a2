/** Recovery Report's report resource: the status page and the daily report. */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import { trackerOptionsField } from '../../../shared/n8n/trackerOptions';
import { stateKeyField } from '../../../shared/n8n/trackerState';
import * as dailyReport from './dailyReport.operation';
import * as statusPage from './statusPage.operation';

export const operations = { statusPage, dailyReport } satisfies ResourceOperations;

export const description: INodeProperties[] = [
	...resourceProperties(
		'report',
		[
			{ name: 'Daily Report', value: 'dailyReport', description: 'Yesterday\'s recovery statistics as an alert message', action: 'Build the daily report' },
			{ name: 'Status Page', value: 'statusPage', description: 'An HTML page with each component\'s status, open incidents, availability and the last recoveries', action: 'Render the status page' },
		],
		operations,
		'statusPage',
	),
	// The page reads the Incident Tracker's state: the same options and state key.
	trackerOptionsField({ operation: ['statusPage'] }),
	{ ...stateKeyField, displayOptions: { show: { operation: ['statusPage'] } } },
];
