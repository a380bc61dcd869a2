/** Alert Message's one resource: the text of every alert the shipped Alert workflow sends. */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import * as formatAlert from './formatAlert.operation';
import * as formatMaintenanceAlert from './formatMaintenanceAlert.operation';
import * as formatWorkflowError from './formatWorkflowError.operation';

export const operations = { formatAlert, formatWorkflowError, formatMaintenanceAlert } satisfies ResourceOperations;

export const description: INodeProperties[] = resourceProperties(
	'alert',
	[
		{ name: 'Format Incident Alert', value: 'formatAlert', description: 'The alert text of each item the Incident Tracker wants announced', action: 'Format incident alerts' },
		{ name: 'Format Workflow Error', value: 'formatWorkflowError', description: 'The alert text of a failed run, from an Error Trigger', action: 'Format a workflow error alert' },
		{ name: 'Format Maintenance Alert', value: 'formatMaintenanceAlert', description: 'What a backup or log archive run did, and its alert when a step did not work', action: 'Format a maintenance alert' },
	],
	operations,
);
