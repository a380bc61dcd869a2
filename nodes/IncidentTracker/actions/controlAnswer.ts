/** What Pause, Resume, Reset and Status answer: the open incidents and the pause after the change. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { openIncidents } from '../../shared/incident/controls';
import type { TrackerState } from '../../shared/incident/types';
import { readTrackerOptions } from '../../shared/n8n/trackerOptions';

export function controlAnswer(ctx: IExecuteFunctions, operation: string, state: TrackerState, now: number): INodeExecutionData[] {
	const status = openIncidents(state, now, readTrackerOptions(ctx));
	return [{ json: { operation, at: new Date(now).toISOString(), ...status } as unknown as IDataObject, pairedItem: { item: 0 } }];
}

export const byField: INodeProperties = { displayName: 'By', name: 'by', type: 'string', default: '', description: 'Who did it (recorded)', displayOptions: { show: { operation: ['pause', 'reset'] } } };

/** Who did it (recorded with a pause or reset). */
export function byParameter(ctx: IExecuteFunctions): string | undefined {
	return String(ctx.getNodeParameter('by', 0, '') ?? '').trim() || undefined;
}
