/** The Incident Tracker's gateway events: a WhatsApp gateway's webhook drives the same incidents as the tick (issue 20). */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import * as ingest from './ingest.operation';
import { sourceField } from './request';
import * as verify from './verify.operation';

export const operations = { ingest, verify } satisfies ResourceOperations;

export const description: INodeProperties[] = [
	...resourceProperties(
		'event',
		[
			{ name: 'Ingest', value: 'ingest', description: 'Authenticate a gateway\'s webhook event and update the incidents at once', action: 'Ingest a gateway event' },
			{ name: 'Answer Meta Verification', value: 'verify', description: 'Answer Meta\'s GET verification handshake of the callback', action: 'Answer meta verification' },
		],
		operations,
		'ingest',
	),
	sourceField,
];
