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

const ROW = 11;
const gatewayEvents = { autorecoveryGatewayEventsApi: CREDENTIALS.gatewayEvents };
/** Where the tracked events leave for the tick's Route (connected by routeMonitorEvents once Route exists). */
const ACT_ON_EVENT = 'Act on Event?';

/**
 * Adds the event webhooks and their branch after the API's Entry. `tick` is where the tick
 * continued; the returned one is where it continues now (Gateway Event Entry's fallback).
 */
export function addMonitorEvents(wf: WorkflowBuilder, settings: string, tick: { node: string; output: number }): { node: string; output: number } {
	// Webhook 1 with "Binary Data": the body stays raw bytes (HMACs are over them) and malformed JSON reaches the Ingest (a 400).
	const webhooks = SOURCES.map(([source, label], index) =>
		wf.add(
			{
				name: `${label} Event`,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 1,
				webhookId: EVENT_WEBHOOK_IDS[source],
				parameters: { httpMethod: 'POST', path: `${EVENT_PATH}/${source}`, responseMode: 'responseNode', options: { binaryData: true, binaryPropertyName: 'data' } },
			},
			0,
			ROW + index,
		),
	);
	const verification = wf.add(
		{ name: 'Meta Verification', type: 'n8n-nodes-base.webhook', typeVersion: 1, webhookId: EVENT_WEBHOOK_IDS.metaVerification, parameters: { httpMethod: 'GET', path: `${EVENT_PATH}/meta`, responseMode: 'responseNode', options: {} } },
		0,
		ROW + 3,
	);
	for (const trigger of [...webhooks, verification]) wf.connect(trigger, settings);

	const entry = wf.add(
		{
			name: 'Gateway Event Entry',
			type: 'n8n-nodes-base.switch',
			typeVersion: 3.2,
			parameters: {
				rules: { values: [...webhooks, verification].map((trigger) => switchRule(trigger, `={{ $('${trigger}').isExecuted }}`, 'true', '', 'boolean')) },
				options: { fallbackOutput: 'extra', renameFallbackOutput: 'tick' },
			},
		},
		1.75,
		ROW,
	);
	wf.connect(tick.node, entry, tick.output);

	const respond = wf.add(
		{
			name: 'Respond to Gateway',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			parameters: { respondWith: 'json', responseBody: '={{ $json.eventAnswer.body }}', options: { responseCode: '={{ $json.eventAnswer.statusCode }}', responseHeaders: { entries: [{ name: 'Cache-Control', value: 'no-store' }] } } },
		},
		3,
		ROW,
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
					requestHeaders: `={{ $('${label} Event').first().json.headers }}`,
					requestQuery: `={{ $('${label} Event').first().json.query }}`,
					maintenanceUntil: setting('maintenanceUntil'),
					options: trackerOptions,
				},
				credentials: gatewayEvents,
			},
			2.5,
			ROW + index,
		);
		wf.connect(entry, ingest, index).connect(ingest, respond);
	});
	// Only the items that carry a decision go on; the answer alone stops here.
	const act = wf.add({ name: ACT_ON_EVENT, type: 'n8n-nodes-base.if', typeVersion: 2.2, parameters: { conditions: filter(condition('={{ $json.tracking }}', 'exists', '', 'object')), options: {} } }, 3.75, ROW);
	wf.connect(respond, act);

	const answerVerification = wf.add(
		{
			name: 'Answer Meta Verification',
			type: 'n8n-nodes-autorecovery.incidentTracker',
			typeVersion: 1,
			parameters: { resource: 'event', operation: 'verify', source: 'meta', requestQuery: `={{ $('${verification}').first().json.query }}` },
			credentials: gatewayEvents,
		},
		2.5,
		ROW + 3,
	);
	const respondVerification = wf.add(
		{
			name: 'Respond to Meta Verification',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			parameters: { respondWith: 'text', responseBody: '={{ $json.eventAnswer.text }}', options: { responseCode: '={{ $json.eventAnswer.statusCode }}', responseHeaders: { entries: [{ name: 'Content-Type', value: 'text/plain; charset=utf-8' }, { name: 'Cache-Control', value: 'no-store' }] } } },
		},
		3,
		ROW + 3,
	);
	wf.connect(entry, answerVerification, 3).connect(answerVerification, respondVerification);
	return { node: entry, output: 4 };
}

/** The decided events join the tick's Route, which carries out confirm, recover and alert the same way for both. */
export function routeMonitorEvents(wf: WorkflowBuilder, route: string): void {
	wf.connect(ACT_ON_EVENT, route, 0);
}
