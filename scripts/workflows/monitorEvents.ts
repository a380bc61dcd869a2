/**
 * The Monitor's gateway events (issue 20): the WhatsApp gateways' own webhooks drive the
 * Incident Tracker within seconds, next to the 5-minute tick that stays (events get lost,
 * and a zombie sends none).
 *
 *   POST /webhook/autorecovery-events/evolution   Evolution API (X-Autorecovery-Token, or ?token=)
 *   POST /webhook/autorecovery-events/waha        WAHA (X-Webhook-Hmac)
 *   POST /webhook/autorecovery-events/meta        Meta, forwarded by the bot (X-Hub-Signature-256)
 *   GET  /webhook/autorecovery-events/meta        Meta's verification handshake
 *
 * The webhooks are Autorecovery: Triggers'; each keeps the raw body (binary), so signatures are
 * checked over the exact bytes. A call enters through Settings like the API's; after the Entry
 * switch, Gateway Event Entry sends it to its Ingest node (an Incident Tracker, Gateway Event →
 * Ingest), whose answer Triggers sends back at once. Triggers then calls the Monitor again,
 * without waiting, with the events that reached a decision (`entry` eventDecision): they join the
 * tick's Route (confirm → wait and re-check, recover → Recover workflow, alert → Alert workflow).
 * The secrets are in the Autorecovery gateway events credential, never here.
 */
import { setting, type WorkflowBuilder } from './builder';
import { CREDENTIALS } from './ids';
import type { MonitorWebhook } from './monitorApi';
import { calledWith, MONITOR_ENTRIES, type MonitorEntry } from './monitorEntries';
import { MONITOR_LANES } from './monitorLanes';
import { switchRule, trackerOptions } from './monitorParts';

export const EVENT_PATH = 'autorecovery-events';

/** Fixed webhook ids (n8n wants UUIDs), like the API's in ids.ts. */
export const EVENT_WEBHOOK_IDS = {
	evolution: '7a2d3b0f-4c5e-4f60-9b8c-2d3e4f5a6b71',
	waha: '7a2d3b0f-4c5e-4f60-9b8c-2d3e4f5a6b72',
	meta: '7a2d3b0f-4c5e-4f60-9b8c-2d3e4f5a6b73',
	metaVerification: '7a2d3b0f-4c5e-4f60-9b8c-2d3e4f5a6b74',
} as const;

const SOURCES = [
	['evolution', 'Evolution'],
	['waha', 'WAHA'],
	['meta', 'Meta'],
] as const satisfies ReadonlyArray<readonly [MonitorEntry, string]>;

const gatewayEvents = { autorecoveryGatewayEventsApi: CREDENTIALS.gatewayEvents };
/** Where the decided events, sent back by Triggers, leave for the tick's Route (connected by routeMonitorEvents once Route exists). */
const DECIDED_EVENTS = 'Decided Events';

/** Gateway Event Entry's branches, in order: one per source, Meta's verification, the decided events. */
const EVENT_BRANCHES = [...SOURCES.map(([source]) => source), 'metaVerification', 'eventDecision'] as const satisfies readonly MonitorEntry[];

// Webhook 1 with "Binary Data": the body stays raw bytes (HMACs are over them) and malformed JSON reaches the Ingest (a 400).
export const EVENT_WEBHOOKS: MonitorWebhook[] = [
	...SOURCES.map(([source, label]): MonitorWebhook => ({
		entry: source,
		answer: 'event',
		node: { name: `${label} Event`, type: 'n8n-nodes-base.webhook', typeVersion: 1, webhookId: EVENT_WEBHOOK_IDS[source], parameters: { httpMethod: 'POST', path: `${EVENT_PATH}/${source}`, responseMode: 'responseNode', options: { binaryData: true, binaryPropertyName: 'data' } } },
	})),
	{
		entry: 'metaVerification',
		answer: 'verification',
		node: { name: 'Meta Verification', type: 'n8n-nodes-base.webhook', typeVersion: 1, webhookId: EVENT_WEBHOOK_IDS.metaVerification, parameters: { httpMethod: 'GET', path: `${EVENT_PATH}/meta`, responseMode: 'responseNode', options: {} } },
	},
];

/** Gateway Event Entry after the API's Entry (at `column`): each event call to its branch, everything else on (the fallback: where the tick continues). */
export function addEventEntry(wf: WorkflowBuilder, tick: { node: string; output: number }, column: number): { node: string; output: number } {
	const entry = wf.add(
		{
			name: 'Gateway Event Entry',
			type: 'n8n-nodes-base.switch',
			typeVersion: 3.2,
			parameters: {
				rules: { values: EVENT_BRANCHES.map((branch) => switchRule(branch, '={{ $json.entry }}', 'equals', MONITOR_ENTRIES[branch])) },
				options: { fallbackOutput: 'extra', renameFallbackOutput: 'tick' },
			},
		},
		column,
		0,
	);
	wf.connect(tick.node, entry, tick.output);
	return { node: entry, output: EVENT_BRANCHES.length };
}

/** Adds the events' lane: the branches after `entry`. */
export function addMonitorEvents(wf: WorkflowBuilder, entry: string): void {
	wf.lane(MONITOR_LANES.events);
	SOURCES.forEach(([source, label], index) => {
		const ingest = wf.add(
			{
				name: `Ingest ${label} Event`,
				type: 'n8n-nodes-autorecovery.incidentTracker',
				typeVersion: 1,
				parameters: {
					resource: 'event',
					operation: 'ingest',
					source,
					// Settings passes on only the settings and the raw body: the request's own parts are read from the call.
					requestHeaders: calledWith('headers'),
					requestQuery: calledWith('query'),
					maintenanceUntil: setting('maintenanceUntil'),
					options: trackerOptions,
				},
				credentials: gatewayEvents,
			},
			5,
			index,
		);
		// Its items are the answer (eventAnswer) and, for the events that reached a decision, what to act on (tracking).
		wf.connect(entry, ingest, index);
	});

	const answerVerification = wf.add(
		{
			name: 'Answer Meta Verification',
			type: 'n8n-nodes-autorecovery.incidentTracker',
			typeVersion: 1,
			parameters: { resource: 'event', operation: 'verify', source: 'meta', requestQuery: calledWith('query') },
			credentials: gatewayEvents,
		},
		5,
		SOURCES.length,
	);
	wf.connect(entry, answerVerification, SOURCES.length);

	// The decided events, sent back by Triggers once the gateway had its answer: each as the Ingest output it.
	const decided = wf.add({ name: DECIDED_EVENTS, type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: '={{ $json.decision }}', includeOtherFields: false, options: {} } }, 6, SOURCES.length + 1);
	wf.connect(entry, decided, SOURCES.length + 1);
}

/** The decided events join the tick's Route, which carries out confirm, recover and alert the same way for both. */
export function routeMonitorEvents(wf: WorkflowBuilder, route: string): void {
	wf.connect(DECIDED_EVENTS, route);
}
