/** The Incident Tracker's one resource: incidents (track, escalate) and what a person does with them (pause, resume, reset, status). */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations } from '../../../shared/n8n/operation';
import { resourceProperties } from '../../../shared/n8n/resource';
import { stateKeyField } from '../../../shared/n8n/trackerState';
import { trackerOptionsField } from '../../../shared/n8n/trackerOptions';
import { byField } from '../controlAnswer';
import { maintenanceUntilField } from '../trackedItems';
import * as escalate from './escalate.operation';
import * as pause from './pause.operation';
import * as reset from './reset.operation';
import * as resume from './resume.operation';
import * as status from './status.operation';
import * as track from './track.operation';
import * as trackRecovery from './trackRecovery.operation';

export const operations = { track, trackRecovery, escalate, pause, resume, reset, status } satisfies ResourceOperations;

export const description: INodeProperties[] = [
	...resourceProperties(
		'incident',
		[
			{ name: 'Escalate', value: 'escalate', description: 'A recovery result saying no automatic action applies', action: 'Escalate to a person' },
			{ name: 'Pause', value: 'pause', description: 'Silence alerts and automatic actions for a while', action: 'Pause alerts and actions' },
			{ name: 'Reset', value: 'reset', description: 'Clear a component\'s recovery budget and escalation', action: 'Reset a component' },
			{ name: 'Resume', value: 'resume', description: 'End a pause now', action: 'Resume alerts and actions' },
			{ name: 'Status', value: 'status', description: 'The open incidents and the pause', action: 'Get the open incidents' },
			{ name: 'Track Recovery', value: 'trackRecovery', description: 'Record what a recovery did', action: 'Track recovery results' },
			{ name: 'Track Results', value: 'track', description: 'Decide what each check result means', action: 'Track check results' },
		],
		operations,
		'track',
	),
	maintenanceUntilField,
	byField,
	trackerOptionsField({ operation: ['track', 'trackRecovery', 'status', 'pause', 'resume', 'reset', 'ingest'] }),
	stateKeyField,
];
