/** Recovery Report's history resource: the answers of the recovery log and statistics webhooks. */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import * as log from './log.operation';
import * as stats from './stats.operation';
import { queryField } from './webhookQuery';

export const operations = { log, stats } satisfies ResourceOperations;

export const description: INodeProperties[] = [
	...resourceProperties(
		'history',
		[
			{ name: 'Recovery Log', value: 'log', description: 'The last recoveries, from n8n\'s execution history', action: 'Get the recovery log' },
			{ name: 'Recovery Stats', value: 'stats', description: 'Success rates, MTTD/MTTR and the most common error over N days', action: 'Get the recovery statistics' },
		],
		operations,
	),
	queryField,
];
