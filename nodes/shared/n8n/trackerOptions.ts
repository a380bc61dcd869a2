/** The tracker's options as node parameters (minutes and hours, as people think of them). */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { numberParameter } from './parameters';
import type { TrackerOptionsInput } from '../incident/types';
import { optionsCollection } from './fields';

const MINUTE = 60_000;

export function trackerOptionsField(show: Record<string, string[]>): INodeProperties {
	return optionsCollection(show, [
			{ displayName: 'Allow One Action When a Person Is Needed', name: 'allowOneActionWhenNeedsHuman', type: 'boolean', default: false, description: 'Whether to run one action (e.g. a relink that produces a QR for the person) before escalating a cause that needs a person' },
			{ displayName: 'Budget: Actions per Window', name: 'budgetMaxActions', type: 'number', typeOptions: { minValue: 0 }, default: 3, description: 'At most this many automatic actions per component per window; then one escalation' },
			{ displayName: 'Budget: First Gap (Minutes)', name: 'budgetFirstGapMinutes', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'Wait after an incident opens before the first action' },
			{ displayName: 'Budget: Gap (Minutes)', name: 'budgetGapMinutes', type: 'number', typeOptions: { minValue: 0 }, default: 5, description: 'Wait after the first action before the next; doubles after each further one' },
			{ displayName: 'Budget: Window (Minutes)', name: 'budgetWindowMinutes', type: 'number', typeOptions: { minValue: 1 }, default: 60 },
			{ displayName: 'Confirm Delay (Seconds)', name: 'confirmDelaySeconds', type: 'number', typeOptions: { minValue: 0 }, default: 20, description: 'A first failure is re-checked after this long before an incident opens' },
			{ displayName: 'Confirm Window (Minutes)', name: 'confirmWindowMinutes', type: 'number', typeOptions: { minValue: 1 }, default: 10, description: 'A re-check confirms a first failure only within this time' },
			{ displayName: 'Group Network Failures', name: 'groupNetworkCauses', type: 'boolean', default: true, description: 'Whether several network failures in one run become one alert' },
			{ displayName: 'Reminder Interval (Hours)', name: 'reminderHours', type: 'number', typeOptions: { minValue: 0.01, numberPrecision: 2 }, default: 4, description: 'An incident still open is announced again after this long' },
			{ displayName: 'Successes to Resolve', name: 'successThreshold', type: 'number', typeOptions: { minValue: 1 }, default: 1 },
		]);
}

export function readTrackerOptions(ctx: IExecuteFunctions): TrackerOptionsInput {
	const n = (name: string, label: string, fallback: number, min: number) => numberParameter(ctx, `options.${name}`, label, 0, fallback, { min });
	return {
		confirmDelayMs: n('confirmDelaySeconds', 'Confirm Delay (Seconds)', 20, 0) * 1000,
		confirmWindowMs: n('confirmWindowMinutes', 'Confirm Window (Minutes)', 10, 0.01) * MINUTE,
		successThreshold: n('successThreshold', 'Successes to Resolve', 1, 1),
		reminderIntervalMs: n('reminderHours', 'Reminder Interval (Hours)', 4, 0.0001) * 60 * MINUTE,
		budget: {
			maxActions: n('budgetMaxActions', 'Budget: Actions per Window', 3, 0),
			windowMs: n('budgetWindowMinutes', 'Budget: Window (Minutes)', 60, 0.01) * MINUTE,
			firstGapMs: n('budgetFirstGapMinutes', 'Budget: First Gap (Minutes)', 0, 0) * MINUTE,
			gapMs: n('budgetGapMinutes', 'Budget: Gap (Minutes)', 5, 0) * MINUTE,
		},
		groupNetworkCauses: ctx.getNodeParameter('options.groupNetworkCauses', 0, true) as boolean,
		allowOneActionWhenNeedsHuman: ctx.getNodeParameter('options.allowOneActionWhenNeedsHuman', 0, false) as boolean,
	};
}
