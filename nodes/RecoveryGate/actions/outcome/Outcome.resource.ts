/** Recovery Gate's outcome resource: did a recovery fix its target, said once in Recover and read back by its callers. */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import * as collect from './collect.operation';
import * as record from './record.operation';

export const operations = { record, collect } satisfies ResourceOperations;

export const description: INodeProperties[] = resourceProperties(
	'outcome',
	[
		{ name: 'Record Outcome', value: 'record', description: 'In Recover: whether the recovery fixed its target, added to the item as outcome and saved as the execution\'s custom data', action: 'Record a recovery outcome' },
		{ name: 'Collect Results', value: 'collect', description: 'After calling Recover: its results, including those of recoveries that did not fix their target (read from their failed executions)', action: 'Collect recovery results' },
	],
	operations,
);
