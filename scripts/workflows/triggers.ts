/**
 * Autorecovery: Triggers — what starts the Monitor from outside: every 5 minutes, and each
 * HTTP request (the manual API, the recovery log, the status and relink pages, the gateways'
 * events). They live here because n8n's editor runs the Monitor's highest-ranked trigger when
 * a person presses its button, and a webhook outranks *Run Now* (monitorEntries.ts).
 *
 * Each request goes to the Monitor with an `entry` naming its lane (the Monitor reads its
 * headers, query and raw body from the call) and the Monitor's answer goes back to the caller.
 * A gateway event is answered at once; the events that reached a decision then go to the
 * Monitor again, without waiting, to be acted on (confirm, recover, alert). Nothing here
 * decides anything. No error workflow: a failed Monitor run alerts through its own.
 */
import { assignments, condition, filter, WorkflowBuilder, type Json, type WorkflowJson, type WorkflowNode } from './builder';
import { WORKFLOW_IDS } from './ids';
import { API_WEBHOOKS, type AnswerKind, type MonitorWebhook } from './monitorApi';
import { MONITOR_ENTRIES, type MonitorEntry } from './monitorEntries';
import { EVENT_WEBHOOKS } from './monitorEvents';

const NO_STORE = { name: 'Cache-Control', value: 'no-store' };

/** Respond to Webhook with the Monitor's answer, the way each kind of request expects it. */
const RESPONSES: Record<AnswerKind, Record<string, Json>> = {
	json: { respondWith: 'json', responseBody: '={{ $json.body }}', options: { responseCode: '={{ $json.statusCode }}', responseHeaders: { entries: [NO_STORE] } } },
	html: {
		respondWith: 'text',
		responseBody: '={{ $json.html }}',
		options: { responseCode: '={{ $json.statusCode }}', responseHeaders: { entries: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }, NO_STORE] } },
	},
	event: { respondWith: 'json', responseBody: '={{ $json.eventAnswer.body }}', options: { responseCode: '={{ $json.eventAnswer.statusCode }}', responseHeaders: { entries: [NO_STORE] } } },
	verification: {
		respondWith: 'text',
		responseBody: '={{ $json.eventAnswer.text }}',
		options: { responseCode: '={{ $json.eventAnswer.statusCode }}', responseHeaders: { entries: [{ name: 'Content-Type', value: 'text/plain; charset=utf-8' }, NO_STORE] } },
	},
};

/** Adds `entry` to the item (the request's headers, query, body and raw body stay). */
function entryNode(name: string, entry: MonitorEntry): Omit<WorkflowNode, 'id' | 'position'> {
	return { name, type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { assignments: assignments([['entry', MONITOR_ENTRIES[entry], 'string']]), includeOtherFields: true, options: {} } };
}

/** Calls the Monitor with every item at once; `wait`: its answer is this node's output. */
function callMonitor(name: string, wait: boolean): Omit<WorkflowNode, 'id' | 'position'> {
	return {
		name,
		type: 'n8n-nodes-base.executeWorkflow',
		typeVersion: 1.2,
		parameters: { source: 'database', workflowId: { __rl: true, value: WORKFLOW_IDS.monitor, mode: 'id' }, mode: 'once', options: { waitForSubWorkflow: wait } },
	};
}

/** Webhook → its entry → the Monitor → the answer, on one row; returns the Respond node. */
function addRequest(wf: WorkflowBuilder, webhook: MonitorWebhook, row: number): string {
	const trigger = wf.add(webhook.node, 0, row);
	const entry = wf.add(entryNode(`${webhook.node.name} Entry`, webhook.entry), 1, row);
	const call = wf.add(callMonitor(`Monitor: ${webhook.node.name}`, true), 2, row);
	const respond = wf.add({ name: `Answer ${webhook.node.name}`, type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, parameters: RESPONSES[webhook.answer] }, 3, row);
	wf.connect(trigger, entry).connect(entry, call).connect(call, respond);
	return respond;
}

export function triggersWorkflow(): WorkflowJson {
	const wf = new WorkflowBuilder(WORKFLOW_IDS.triggers, 'Autorecovery: Triggers', {
		executionOrder: 'v1',
		// Each run's work is the Monitor's (saved there when it fails); these runs only carry requests.
		saveDataSuccessExecution: 'none',
		saveDataErrorExecution: 'all',
		saveManualExecutions: false,
	});

	wf.lane({ title: 'Every 5 minutes', text: 'Runs a tick of **Autorecovery: Monitor** (this run lasts as long as the tick). Change the interval here; everything else is in the Monitor\'s Settings.', color: 5 });
	const schedule = wf.add({ name: 'Every 5 Minutes', type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, parameters: { rule: { interval: [{ field: 'minutes', minutesInterval: 5 }] } } }, 0, 0);
	const tick = wf.add(entryNode('Tick Entry', 'tick'), 1, 0);
	// Waits: each run here spans its tick, so n8n's list (and a queue-mode worker's log) shows when ticks ran and overlapped.
	wf.connect(schedule, tick).connect(tick, wf.add(callMonitor('Monitor: Tick', true), 2, 0));

	wf.lane({ title: 'Manual recovery API and pages', text: 'Each request goes to the Monitor\'s lane for it (authenticated here: the header token, the status page login; the relink link is signed) and its answer comes back. See docs/manual-api.md.', color: 6 });
	API_WEBHOOKS.forEach((webhook, row) => addRequest(wf, webhook, row));

	wf.lane({ title: 'Gateway events', text: 'Each event is checked and tracked by the Monitor and answered at once; the ones that need acting on go back to the Monitor without waiting. See docs/gateway-events.md.', color: 6 });
	const answers = EVENT_WEBHOOKS.map((webhook, row) => ({ webhook, respond: addRequest(wf, webhook, row) }));
	const decided = wf.add({ name: 'Decided?', type: 'n8n-nodes-base.if', typeVersion: 2.2, parameters: { conditions: filter(condition('={{ $json.tracking }}', 'exists', '', 'object')), options: {} } }, 4, 0);
	const decision = wf.add(
		{ name: 'Decision Entry', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { assignments: assignments([['entry', MONITOR_ENTRIES.eventDecision, 'string'], ['decision', '={{ $json }}', 'object']]), options: {} } },
		5,
		0,
	);
	wf.connect(decided, decision, 0).connect(decision, wf.add(callMonitor('Monitor: Act on Events', false), 6, 0));
	// A Respond node passes its items on: the gateway already has its answer when the decided events go.
	for (const { webhook, respond } of answers) if (webhook.answer === 'event') wf.connect(respond, decided);
	return wf.build(true);
}
