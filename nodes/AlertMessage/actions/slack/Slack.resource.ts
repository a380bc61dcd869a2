/** Alert Message's Slack resource: delivering an alert through the webhook of a credential. */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import * as post from './post.operation';

export const operations = { post } satisfies ResourceOperations;

export const description: INodeProperties[] = resourceProperties(
	'slack',
	[{ name: 'Post', value: 'post', description: "Post an alert to the channel of the credential's incoming webhook", action: 'Post an alert to slack' }],
	operations,
);
