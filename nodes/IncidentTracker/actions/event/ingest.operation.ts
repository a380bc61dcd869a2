/**
 * Ingest Gateway Event: the webhook of one gateway → authenticated (401/403), checked
 * (413, 400), applied to the tracker's state in one atomic update (dedupe, flapping,
 * budgets: nodes/shared/gatewayEvents/ingest.ts), answered at once. Every output item
 * carries `eventAnswer` ({statusCode, body}) for the Respond to Webhook node; the items of
 * events that reached a decision are also contract check results with their `tracking`,
 * exactly as Track Results outputs them, so the Monitor's Route carries them out
 * (confirm → wait and re-check, recover → the Recover workflow, alert → the Alert workflow).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { DEFAULT_EVENT_OPTIONS, ingestEvents, type EventOptions, type IngestOutcome } from '../../../shared/gatewayEvents/ingest';
import { DEFAULT_MAX_BODY_BYTES, receiveEvents, refusalAnswer } from '../../../shared/gatewayEvents/receive';
import { EventRefused } from '../../../shared/gatewayEvents/types';
import { asNodeError } from '../../../shared/n8n/errors';
import { numberParameter } from '../../../shared/n8n/parameters';
import { readTrackerOptions } from '../../../shared/n8n/trackerOptions';
import { updateState } from '../../../shared/n8n/trackerState';
import { maintenanceSwitch } from '../trackedItems';
import { eventRequest, eventSecrets, eventSecretValues, requestFields, sourceOf } from './request';

const MINUTE = 60_000;

export const description: INodeProperties[] = [
	...requestFields,
	{
		displayName: 'Event Options',
		name: 'eventOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['event'], operation: ['ingest'] } },
		options: [
			{ displayName: 'Cloud API Phone Number ID', name: 'metaPhoneNumberId', type: 'string', default: '', description: 'Meta: the phone number ID that account-wide events (account_update, quality) are about; empty: the WhatsApp Business Account ID' },
			{ displayName: 'Connecting Grace (Seconds)', name: 'connectingGraceSeconds', type: 'number', typeOptions: { minValue: 0 }, default: 5, description: 'A connecting (or failed-message) event is re-checked after this long; not connected by then is an outage' },
			{ displayName: 'Dedupe Window (Minutes)', name: 'dedupeWindowMinutes', type: 'number', typeOptions: { minValue: 1 }, default: 10, description: 'An event seen again within this time does nothing; older events (by their own time) are refused as stale' },
			{ displayName: 'Flapping: Drops', name: 'flapThreshold', type: 'number', typeOptions: { minValue: 2 }, default: 4, description: 'This many connecting events within the flapping window become one incident' },
			{ displayName: 'Flapping: Window (Seconds)', name: 'flapWindowSeconds', type: 'number', typeOptions: { minValue: 1 }, default: 60 },
			{ displayName: 'Max Body (KB)', name: 'maxBodyKilobytes', type: 'number', typeOptions: { minValue: 1 }, default: 256, description: 'Larger bodies are refused with 413' },
			{ displayName: 'Max Events per Minute', name: 'maxEventsPerMinute', type: 'number', typeOptions: { minValue: 1 }, default: 600, description: 'Per source; beyond it the gateway is answered 429 and nothing is recorded' },
		],
	},
];

/** One request, whatever the number of input items. */
export const runs = 'wholeInput';

export const secrets = async (ctx: IExecuteFunctions): Promise<string[]> => await eventSecretValues(ctx);

function readEventOptions(ctx: IExecuteFunctions): EventOptions & { maxBodyBytes: number; metaPhoneNumberId: string } {
	const n = (name: string, label: string, fallback: number, min: number) => numberParameter(ctx, `eventOptions.${name}`, label, 0, fallback, { min });
	const dedupeWindowMs = n('dedupeWindowMinutes', 'Dedupe Window (Minutes)', 10, 1) * MINUTE;
	return {
		...DEFAULT_EVENT_OPTIONS,
		connectingGraceMs: n('connectingGraceSeconds', 'Connecting Grace (Seconds)', 5, 0) * 1000,
		dedupeWindowMs,
		maxEventAgeMs: dedupeWindowMs,
		flapThreshold: n('flapThreshold', 'Flapping: Drops', DEFAULT_EVENT_OPTIONS.flapThreshold, 2),
		flapWindowMs: n('flapWindowSeconds', 'Flapping: Window (Seconds)', 60, 1) * 1000,
		maxEventsPerMinute: n('maxEventsPerMinute', 'Max Events per Minute', DEFAULT_EVENT_OPTIONS.maxEventsPerMinute, 1),
		maxBodyBytes: Math.round(n('maxBodyKilobytes', 'Max Body (KB)', DEFAULT_MAX_BODY_BYTES / 1024, 1) * 1024),
		metaPhoneNumberId: String(ctx.getNodeParameter('eventOptions.metaPhoneNumberId', 0, '') ?? '').trim(),
	};
}

const answerItem = (statusCode: number, body: Record<string, unknown>): INodeExecutionData => ({ json: { eventAnswer: { statusCode, body } } as unknown as IDataObject, pairedItem: { item: 0 } });

function outputOf(outcome: IngestOutcome): INodeExecutionData[] {
	const eventAnswer = { statusCode: 200, body: { received: outcome.reports.length, events: outcome.reports } };
	if (outcome.decisions.length === 0) return [{ json: { eventAnswer } as unknown as IDataObject, pairedItem: { item: 0 } }];
	return outcome.decisions.map((decision) => ({
		json: { ...decision.result, tracking: decision.tracking, eventAnswer } as unknown as IDataObject,
		pairedItem: { item: 0 },
	}));
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const source = sourceOf(this);
	const options = readEventOptions(this);
	const trackerOptions = readTrackerOptions(this);
	const withSwitch = maintenanceSwitch(this);
	try {
		const events = receiveEvents(source, await eventRequest(this), await eventSecrets(this), options);
		// Decided inside the atomic update, on the state as the previous run (a tick, another event) left it.
		const { result } = await updateState(this, (state) => {
			const now = Date.now();
			const outcome = ingestEvents(withSwitch(state, now), source, events, trackerOptions, options, now);
			return { state: outcome.state, result: outcome };
		});
		return outputOf(result);
	} catch (error) {
		if (error instanceof EventRefused) {
			const { statusCode, body } = refusalAnswer(error);
			return [answerItem(statusCode, body)];
		}
		throw asNodeError(this, error);
	}
}
