/** Log Archive's one resource: its operations and their parameters. */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import * as archive from './archive.operation';

export const operations = { archive } satisfies ResourceOperations;

export const description: INodeProperties[] = resourceProperties(
	'logs',
	[{ name: 'Archive', value: 'archive', description: 'Move rows older than N days', action: 'Archive old log rows' }],
	operations,
);
