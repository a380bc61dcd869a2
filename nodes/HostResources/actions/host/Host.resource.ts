/** Host Resources' one resource: its operations and their parameters. */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import * as check from './check.operation';

export const operations = { check } satisfies ResourceOperations;

export const description: INodeProperties[] = resourceProperties(
	'host',
	[
		{
			name: 'Check',
			value: 'check',
			description: 'Check memory, load, disks and n8n health against thresholds',
			action: 'Check host resources',
		},
	],
	operations,
	'check',
);
