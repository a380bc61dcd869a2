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
 * Each webhook keeps the raw body (binary), so signatures are checked over the exact bytes.
 * They enter through Settings like the API's; after the Entry switch, Gateway Event Entry
 * sends each to its Ingest node (an Incident Tracker, Gateway Event → Ingest), whose answer
 * goes back at once; the events that reached a decision then join the tick's Route (confirm →
 * wait and re-check, recover → Recover workflow, alert → Alert workflow). The secrets are in
 * the Autorecovery gateway events credential, never here.
 */
import { condition, filter, setting, type WorkflowBuilder } from './builder';
import { CREDENTIALS } from './ids';
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
] as const;

const gatewayEvents = { autorecoveryGatewayEventsApi: CREDENTIALS.gatewayEvents };
/** Where the tracked events leave for the tick's Route (connected by routeMonitorEvents once Route exists). */
const ACT_ON_EVENT = 'Act on Event?';

const triggerName = (label: string) => `${label} Event`;
const VERIFICATION = 'Meta Verification';
const EVENT_TRIGGERS = [...SOURCES.map(([, label]) => triggerName(label)), VERIFICATION];

/**
 * Adds the event webhooks (in the current lane: column 0 from `firstRow`, each entering
 * through Settings) and Gateway Event Entry after the API's Entry (at `column`): each event
 * to its branch, everything else on (the fallback: where the tick continues).
 */
export function addEventEntry(wf: WorkflowBuilder, settings: string, tick: { node: string; output: number }, column: number, firstRow: number): { node: string; output: number } {
	// Webhook 1 with "Binary Data": the body stays raw bytes (HMACs are over them) and malformed JSON reaches the Ingest (a 400).
	SOURCES.forEach(([source, label], index) => {
		const webhook = wf.add(
			{
				name: triggerName(label),
				type: 'n8n-nodes-base.webhook',
				typeVersion: 1,
				webhookId: EVENT_WEBHOOK_IDS[source],
				parameters: { httpMethod: 'POST', path: `${EVENT_PATH}/${source}`, responseMode: 'responseNode', options: { binaryData: true, binaryPropertyName: 'data' } },
			},
			0,
			firstRow + index,
		);
		wf.connect(webhook, settings);
	});
	const verification = wf.add(
		{ name: VERIFICATION, type: 'n8n-nodes-base.webhook', typeVersion: 1, webhookId: EVENT_WEBHOOK_IDS.metaVerification, parameters: { httpMethod: 'GET', path: `${EVENT_PATH}/meta`, responseMode: 'responseNode', options: {} } },
		0,
		firstRow + SOURCES.length,
	);
	wf.connect(verification, settings);
	const entry = wf.add(
		{
			name: 'Gateway Event Entry',
			type: 'n8n-nodes-base.switch',
			typeVersion: 3.2,
			parameters: {
				rules: { values: EVENT_TRIGGERS.map((trigger) => switchRule(trigger, `={{ $('${trigger}').isExecuted }}`, 'true', '', 'boolean')) },
				options: { fallbackOutput: 'extra', renameFallbackOutput: 'tick' },
			},
		},
		column,
		0,
	);
	wf.connect(tick.node, entry, tick.output);
	return { node: entry, output: EVENT_TRIGGERS.length };
}

/** Adds the events' lane: the branches after `entry`. */
export function addMonitorEvents(wf: WorkflowBuilder, entry: string): void {
	wf.lane(MONITOR_LANES.events);
	const respond = wf.add(
		{
			name: 'Respond to Gateway',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			parameters: { respondWith: 'json', responseBody: '={{ $json.eventAnswer.body }}', options: { responseCode: '={{ $json.eventAnswer.statusCode }}', responseHeaders: { entries: [{ name: 'Cache-Control', value: 'no-store' }] } } },
		},
		6,
		0,
	);
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
					// Settings passes on only the settings and the raw body: the request's own parts are read from its webhook.
					requestHeaders: `={{ $('${triggerName(label)}').first().json.headers }}`,
					requestQuery: `={{ $('${triggerName(label)}').first().json.query }}`,
					maintenanceUntil: setting('maintenanceUntil'),
					options: trackerOptions,
				},
				credentials: gatewayEvents,
			},
			5,
			index,
		);
		wf.connect(entry, ingest, index).connect(ingest, respond);
	});
	// Only the items that carry a decision go on; the answer alone stops here.
	const act = wf.add({ name: ACT_ON_EVENT, type: 'n8n-nodes-base.if', typeVersion: 2.2, parameters: { conditions: filter(condition('={{ $json.tracking }}', 'exists', '', 'object')), options: {} } }, 7, 0);
	wf.connect(respond, act);

	const answerVerification = wf.add(
		{
			name: 'Answer Meta Verification',
			type: 'n8n-nodes-autorecovery.incidentTracker',
			typeVersion: 1,
			parameters: { resource: 'event', operation: 'verify', source: 'meta', requestQuery: `={{ $('${VERIFICATION}').first().json.query }}` },
			credentials: gatewayEvents,
		},
		5,
		SOURCES.length,
	);
	const respondVerification = wf.add(
		{
			name: 'Respond to Meta Verification',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			parameters: { respondWith: 'text', responseBody: '={{ $json.eventAnswer.text }}', options: { responseCode: '={{ $json.eventAnswer.statusCode }}', responseHeaders: { entries: [{ name: 'Content-Type', value: 'text/plain; charset=utf-8' }, { name: 'Cache-Control', value: 'no-store' }] } } },
		},
		6,
		SOURCES.length,
	);
	wf.connect(entry, answerVerification, SOURCES.length).connect(answerVerification, respondVerification);
}

/** The decided events join the tick's Route, which carries out confirm, recover and alert the same way for both. */
export function routeMonitorEvents(wf: WorkflowBuilder, route: string): void {
	wf.connect(ACT_ON_EVENT, route, 0);
}
