/** Recovery Gate's manual recovery resource: the two ends of `POST /webhook/auto-recovery`. */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import { trackerOptionsField } from '../../../shared/n8n/trackerOptions';
import { stateKeyField } from '../../../shared/n8n/trackerState';
import * as accept from './accept.operation';
import * as finish from './finish.operation';

export const operations = { accept, finish } satisfies ResourceOperations;

export const description: INodeProperties[] = [
	...resourceProperties(
		'manualRecovery',
		[
			{ name: 'Accept Request', value: 'accept', description: 'Check a manual recovery request (body, pause, budget, running recoveries) and take its locks', action: 'Accept a manual recovery request' },
			{ name: 'Finish Request', value: 'finish', description: 'Gather the results of a manual recovery, release its locks and build the answer', action: 'Finish a manual recovery' },
		],
		operations,
	),
	// Admission reads the Incident Tracker's pause and budget: the same options and state key.
	trackerOptionsField({ operation: ['accept'] }),
	{ ...stateKeyField, displayOptions: { show: { operation: ['accept'] } } },
];
