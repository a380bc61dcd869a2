/**
 * Monitor (called every 5 minutes by Autorecovery: Triggers, or Run Now): every probe → Incident Tracker → (confirm: wait, re-check
 * that component, track again) / (recover: diagnose → Recover sub-workflow → track the
 * recovery) / (alert: diagnose → format → Alert sub-workflow). Healthy ticks are not
 * saved, so the execution history stays the recovery log (Recover runs are saved).
 * Every number and name a user may change is in the Settings node.
 */
import { assignments, condition, filter, setting, WorkflowBuilder, type Json, type WorkflowJson, type WorkflowNode } from './builder';
import { CREDENTIALS, WORKFLOW_IDS } from './ids';
import { addApiEntry, addMonitorApi } from './monitorApi';
import { MONITOR_CALL_TRIGGER } from './monitorEntries';
import { FROM_SETTINGS_NOTE, MONITOR_LANES, SETTINGS_GUIDE } from './monitorLanes';
import { DEFAULT_REPLY_TIMEOUT_MS, DEFAULT_SLOW_REPLY_MS } from '../../nodes/WhatsAppProbe/conversation/verdict';
import { addEventEntry, addMonitorEvents, routeMonitorEvents } from './monitorEvents';
import { callRecover, callWorkflow, collectRecoveryResults, CUSTOMER_PATH_PROBES, customerPathProbe, diagnoseNode, PASSIVE_PROBE, probe, PROBES, switchRule, TICK_DEADLINE_SECONDS, trackerOptions } from './monitorParts';

/** n8n's own stop (the workflow's Timeout), the backstop behind the nodes' bound: late enough that a tick ending on time is never cancelled. */
const EXECUTION_TIMEOUT_SECONDS = TICK_DEADLINE_SECONDS + 30;

/** What a user edits (npm start fills some from .env); nothing else in the JSON is environment-specific. */
export const MONITOR_SETTINGS: Array<[string, Json, 'string' | 'number' | 'boolean']> = [
	['language', 'es', 'string'],
	['whatsappTarget', '', 'string'],
	['llmProviderOrder', 'groq, openai, anthropic', 'string'],
	['confirmDelaySeconds', 20, 'number'],
	['confirmWindowMinutes', 10, 'number'],
	['successThreshold', 1, 'number'],
	['reminderHours', 4, 'number'],
	['budgetMaxActions', 3, 'number'],
	['budgetWindowMinutes', 60, 'number'],
	['budgetGapMinutes', 5, 'number'],
	['allowOneActionWhenNeedsHuman', false, 'boolean'],
	// The customer's path (docs/whatsapp-canary.md). The Webhook Check runs when botMessageUrl is set,
	// the Conversation Check when both numbers are (and the Autorecovery Canary Evolution API credential exists).
	['botMessageUrl', '', 'string'],
	['botNumber', '', 'string'],
	['canaryNumber', '', 'string'],
	['conversationReplyTimeoutSeconds', DEFAULT_REPLY_TIMEOUT_MS / 1000, 'number'],
	['conversationSlowReplySeconds', DEFAULT_SLOW_REPLY_MS / 1000, 'number'],
	// 0: a canary message every tick; more: at most one per this many minutes (confirmation re-checks always run).
	['conversationEveryMinutes', 0, 'number'],
	// The Passive Check (docs/whatsapp-canary.md): the bot's own message history instead of a canary. Off by
	// default: it reads up to weeks of messages each tick, and needs a gateway that stores them.
	['passiveCheck', false, 'boolean'],
	['passiveMinSilenceMinutes', 20, 'number'],
	['passiveAnswerWithinMinutes', 10, 'number'],
	['hostPaths', '~/.n8n', 'string'],
	['n8nUrl', 'http://127.0.0.1:5678', 'string'],
	['executionBaseUrl', '', 'string'],
	// A maintenance switch: an ISO time until which alerts and automatic actions stop ('' = off).
	['maintenanceUntil', '', 'string'],
	// Manual recovery locks (queue mode: a folder every worker shares); '' = the system temp folder.
	['lockFolder', '', 'string'],
	['statusPageTitle', '', 'string'],
	// The status page's names for targets, one "target = name" per line (e.g. evolution:ventas = WhatsApp de ventas).
	['statusPageTargetNames', '', 'string'],
	// The status page's full URL (e.g. https://n8n.example.com/webhook/status), linked from every alert; '' = no link.
	['statusPageUrl', '', 'string'],
	// The relink page's full URL (<n8n URL>/webhook/relink): QR alerts link it, signed with the Autorecovery relink link credential; '' = no link.
	['relinkPageUrl', '', 'string'],
	// A dead man's switch outside n8n (e.g. https://hc-ping.com/<uuid>): pinged once per tick; '' = off.
	['heartbeatUrl', '', 'string'],
	// The tick's bound: every probe, and the recovery it runs, is cut to what is left of it.
	['tickDeadlineSeconds', TICK_DEADLINE_SECONDS, 'number'],
	// Not a setting: when this run started, what the bound counts from.
	['tickStartedAt', '={{ $now }}', 'string'],
];

/** What Recover's Conversation and Webhook nodes need from Settings (Recover has none of its own). */
const CUSTOMER_PATH_SETTINGS: Array<[string, 'string' | 'number']> = [
	['botMessageUrl', 'string'],
	['botNumber', 'string'],
	['canaryNumber', 'string'],
	['conversationReplyTimeoutSeconds', 'number'],
	['conversationSlowReplySeconds', 'number'],
	['passiveMinSilenceMinutes', 'number'],
	['passiveAnswerWithinMinutes', 'number'],
];

/** A Set node that adds the tick's bound to each item, for a sub-workflow (no Settings of its own) to cut its calls to. */
function tickBound(name: string, extra: Array<[string, 'string' | 'number']> = []): Omit<WorkflowNode, 'id' | 'position'> {
	return {
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: {
			assignments: assignments([
				['tickStartedAt', setting('tickStartedAt'), 'string'],
				['tickDeadlineSeconds', setting('tickDeadlineSeconds'), 'number'],
				...extra.map(([field, type]): [string, Json, 'string' | 'number'] => [field, setting(field), type]),
			]),
			includeOtherFields: true,
			options: {},
		},
	};
}

/** An IF node on one field (its true output goes on; the false output ends: the Merge runs with the results it has). */
function gate(name: string, ...conditions: Json[]): Omit<WorkflowNode, 'id' | 'position'> {
	return { name, type: 'n8n-nodes-base.if', typeVersion: 2.2, parameters: { conditions: filter(...conditions), options: {} } };
}

/**
 * The customer's path after the WhatsApp Check: the Webhook Check and the Conversation Check,
 * each only when configured in Settings and only while the Check does not find the session down
 * (a relink a person is doing is never disturbed: no canary, no webhook restore meanwhile). The
 * Conversation Check waits for the Webhook Check and is skipped while the webhook is not as
 * expected: that incident explains a silent bot, and its repair is the webhook's. A skipped
 * probe outputs nothing, so the tracker sees no result for it and decides nothing.
 */
function addCustomerPath(wf: WorkflowBuilder, check: string, merge: string, firstInput: number): void {
	const sessionUp = wf.add(gate('Session Up?', condition('={{ $json.status }}', 'notEquals', 'down')), 5, 0);
	const webhookWanted = wf.add(gate('Webhook Configured?', condition(setting('botMessageUrl'), 'notEmpty')), 6, 0);
	const canaryWanted = wf.add(gate('Canary Configured?', condition(setting('botNumber'), 'notEmpty'), condition(setting('canaryNumber'), 'notEmpty')), 9, 1);
	const [[webhookKey, webhookLabel], [conversationKey, conversationLabel]] = CUSTOMER_PATH_PROBES;
	const webhook = wf.add(customerPathProbe(webhookKey, `Check ${webhookLabel}`, true), 7, 0);
	const webhookOk = wf.add(gate('Webhook as Expected?', condition('={{ $json.status }}', 'equals', 'healthy')), 8, 0);
	const conversation = wf.add(customerPathProbe(conversationKey, `Check ${conversationLabel}`, true), 10, 1);
	wf.connect(check, sessionUp)
		.connect(sessionUp, webhookWanted, 0)
		.connect(webhookWanted, webhook, 0)
		.connect(webhook, merge, 0, firstInput)
		.connect(webhook, webhookOk)
		.connect(webhookOk, canaryWanted, 0)
		// No webhook to check: straight to the canary.
		.connect(webhookWanted, canaryWanted, 1)
		.connect(canaryWanted, conversation, 0)
		.connect(conversation, merge, 0, firstInput + 1);
}

/**
 * The Passive Check after the WhatsApp Check, while the session is up and Settings passiveCheck
 * is on; its result goes to the Merge's `input` (the last) and its re-check sits below the others.
 */
function addPassiveCheck(wf: WorkflowBuilder, merge: string, input: number): void {
	const wanted = wf.add(gate('Passive Check On?', condition(setting('passiveCheck'), 'true', '', 'boolean')), 6, 2);
	const passive = wf.add(customerPathProbe(PASSIVE_PROBE[0], `Check ${PASSIVE_PROBE[1]}`), 7, 2);
	wf.connect('Session Up?', wanted, 0).connect(wanted, passive, 0).connect(passive, merge, 0, input);
}

/** What Settings passes on of a call: its `entry`, and the decided events' `decision`. */
const CALL_FIELDS = 'entry, decision';

export function monitorWorkflow(): WorkflowJson {
	const wf = new WorkflowBuilder(WORKFLOW_IDS.monitor, 'Autorecovery: Monitor', {
		executionOrder: 'v1',
		saveDataSuccessExecution: 'none',
		saveDataErrorExecution: 'all',
		saveManualExecutions: false,
		errorWorkflow: WORKFLOW_IDS.errorHandler,
		callerPolicy: 'workflowsFromSameOwner',
		executionTimeout: EXECUTION_TIMEOUT_SECONDS,
	});
	wf.lane(MONITOR_LANES.start);
	// First: n8n's editor runs the first of equally ranked triggers, so its button runs a tick.
	const runNow = wf.add({ name: 'Run Now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }, 0, 0);
	// Autorecovery: Triggers calls here: every 5 minutes, and each request with its `entry`.
	const called = wf.add({ name: MONITOR_CALL_TRIGGER, type: 'n8n-nodes-base.executeWorkflowTrigger', typeVersion: 1.1, parameters: { inputSource: 'passthrough' } }, 0, 1);
	// Only the settings and what a call says it is go on (a request's headers and query are read from When Called), but
	// the binary does: a request's raw body (a Set node drops binary unless it includes some fields).
	const settings = wf.add({ name: 'Settings', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { assignments: assignments(MONITOR_SETTINGS), includeOtherFields: true, include: 'selected', includeFields: CALL_FIELDS, options: {} } }, 1, 0);
	wf.connect(runNow, settings).connect(called, settings);
	wf.note('Settings Guide', SETTINGS_GUIDE, 1, 2, 3);
	// Entry and Gateway Event Entry send each call to its lane by its `entry`; Run Now and the schedule's call go on to the tick.
	const apiEntry = addApiEntry(wf, settings, 2);
	const tick = addEventEntry(wf, apiEntry, 3);

	wf.lane(MONITOR_LANES.check);
	const merge = wf.add({ name: 'All Results', type: 'n8n-nodes-base.merge', typeVersion: 3.2, parameters: { numberInputs: PROBES.length + CUSTOMER_PATH_PROBES.length + 1 } }, 11, 0);
	PROBES.forEach(([key, label], index) => {
		const node = wf.add(probe(key, `Check ${label}`), 4, index);
		wf.connect(tick.node, node, tick.output).connect(node, merge, 0, index);
	});
	addCustomerPath(wf, `Check ${PROBES[0][1]}`, merge, PROBES.length);
	addPassiveCheck(wf, merge, PROBES.length + CUSTOMER_PATH_PROBES.length);

	wf.lane(MONITOR_LANES.decide);
	const track = wf.add({ name: 'Track', type: 'n8n-nodes-autorecovery.incidentTracker', typeVersion: 1, notes: FROM_SETTINGS_NOTE, parameters: { operation: 'track', maintenanceUntil: setting('maintenanceUntil'), options: trackerOptions } }, 12, 0);
	wf.connect(merge, track);
	// The watchdog of the watcher: each tick that reached a decision says so to a URL outside n8n,
	// so n8n itself crashing or being OOM-killed is noticed. A failed ping never fails the tick.
	const wantsHeartbeat = wf.add({ name: 'Heartbeat Configured?', type: 'n8n-nodes-base.if', typeVersion: 2.2, executeOnce: true, parameters: { conditions: filter(condition(setting('heartbeatUrl'), 'notEmpty')), options: {} } }, 12, 2);
	const heartbeat = wf.add(
		{
			name: 'Heartbeat',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			executeOnce: true,
			onError: 'continueRegularOutput',
			parameters: { method: 'GET', url: setting('heartbeatUrl'), options: { timeout: 10000, response: { response: { neverError: false } } } },
		},
		13,
		2,
	);
	wf.connect(track, wantsHeartbeat).connect(wantsHeartbeat, heartbeat, 0);
	const route = wf.add(
		{
			name: 'Route',
			type: 'n8n-nodes-base.switch',
			typeVersion: 3.2,
			parameters: {
				rules: {
					values: [
						switchRule('confirm', '={{ $json.tracking.decision }}', 'equals', 'confirm'),
						switchRule('recover', '={{ $json.tracking.decision }}', 'equals', 'recover'),
						switchRule('alert', '={{ $json.tracking.alert }}', 'true', '', 'boolean'),
					],
				},
				options: {},
			},
		},
		13,
		0,
	);
	wf.connect(track, route);

	// confirm → wait → re-check only that component → track again
	wf.lane(MONITOR_LANES.confirm);
	const wait = wf.add({ name: 'Wait to Confirm', type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { resume: 'timeInterval', amount: '={{ $json.tracking.recheckInSeconds }}', unit: 'seconds' } }, 14, 0);
	wf.connect(route, wait, 0);
	// A result with a `probe` goes to that probe's re-check (the first matching rule wins), the others by component.
	const byComponent = wf.add(
		{
			name: 'Re-check Which',
			type: 'n8n-nodes-base.switch',
			typeVersion: 3.2,
			parameters: {
				rules: {
					values: [
						...CUSTOMER_PATH_PROBES.map(([key, label]) => switchRule(label, '={{ $json.probe }}', 'equals', key)),
						switchRule(PASSIVE_PROBE[1], '={{ $json.probe }}', 'equals', PASSIVE_PROBE[0]),
						...PROBES.map(([, label, component]) => switchRule(label, '={{ $json.component }}', 'equals', component)),
					],
				},
				options: {},
			},
		},
		15,
		0,
	);
	wf.connect(wait, byComponent);
	// Two columns of re-checks, the customer path's first (the switch's first outputs).
	const recheckPlace = (index: number): [number, number] => [16 + Math.floor(index / 4), index % 4];
	CUSTOMER_PATH_PROBES.forEach(([key, label], index) => {
		const node = wf.add(customerPathProbe(key, `Re-check ${label}`), ...recheckPlace(index));
		wf.connect(byComponent, node, index).connect(node, track);
	});
	const recheckPassive = wf.add(customerPathProbe(PASSIVE_PROBE[0], `Re-check ${PASSIVE_PROBE[1]}`), ...recheckPlace(CUSTOMER_PATH_PROBES.length));
	wf.connect(byComponent, recheckPassive, CUSTOMER_PATH_PROBES.length).connect(recheckPassive, track);
	PROBES.forEach(([key, label], index) => {
		const node = wf.add(probe(key, `Re-check ${label}`), ...recheckPlace(CUSTOMER_PATH_PROBES.length + 1 + index));
		wf.connect(byComponent, node, CUSTOMER_PATH_PROBES.length + 1 + index).connect(node, track);
	});

	// recover → diagnose → Recover sub-workflow → track the recovery → route again
	wf.lane(MONITOR_LANES.recover);
	const diagnose = wf.add(diagnoseNode('Diagnose'), 14, 0);
	const recover = wf.add(callRecover('Recover'), 17, 0);
	const collect = wf.add(collectRecoveryResults('Collect Recovery Results'), 18, 0);
	const trackRecovery = wf.add({ name: 'Track Recovery', type: 'n8n-nodes-autorecovery.incidentTracker', typeVersion: 1, notes: FROM_SETTINGS_NOTE, parameters: { operation: 'trackRecovery', maintenanceUntil: setting('maintenanceUntil'), options: trackerOptions } }, 20, 0);
	// The same per-component locks as the manual API: never two recoveries of one component at once.
	const claim = wf.add({ name: 'Claim Recovery Lock', type: 'n8n-nodes-autorecovery.recoveryGate', typeVersion: 1, parameters: { resource: 'lock', operation: 'claim', lockFolder: setting('lockFolder') } }, 15, 0);
	const release = wf.add({ name: 'Release Recovery Lock', type: 'n8n-nodes-autorecovery.recoveryGate', typeVersion: 1, parameters: { resource: 'lock', operation: 'release', lockFolder: setting('lockFolder') } }, 19, 0);
	// Recover has no Settings: the tick's bound travels with the item, and its nodes cut their deadline to it.
	const bound = wf.add(tickBound('Bound Recovery to Tick', CUSTOMER_PATH_SETTINGS), 16, 0);
	wf.connect(route, diagnose, 1).connect(diagnose, claim).connect(claim, bound).connect(bound, recover).connect(recover, collect).connect(collect, release).connect(release, trackRecovery).connect(trackRecovery, route);

	// alert → diagnose (kept when the recovery already has one) → format → Alert sub-workflow
	wf.lane(MONITOR_LANES.alert);
	const diagnoseAlert = wf.add(diagnoseNode('Diagnose for Alert'), 14, 0);
	const format = wf.add(
		{
			name: 'Format Alert',
			type: 'n8n-nodes-autorecovery.alertMessage',
			typeVersion: 1,
			parameters: {
				operation: 'formatAlert',
				language: setting('language'),
				// The alert after a recovery links to it (the item's recoveryExecutionId).
				executionBaseUrl: setting('executionBaseUrl'),
				recoverWorkflowId: WORKFLOW_IDS.recover,
				// Every alert links the status page (this workflow's GET /webhook/status); '' = no link.
				statusPageUrl: setting('statusPageUrl'),
				relinkPageUrl: setting('relinkPageUrl'),
			},
			credentials: { autorecoveryRelinkLinkApi: CREDENTIALS.relinkLink },
		},
		15,
		0,
	);
	const send = wf.add(callWorkflow('Send Alert', WORKFLOW_IDS.alert), 17, 0);
	// The Alert's WhatsApp message goes through the gateway the tick may have found hung: it gets the tick's bound too.
	const boundAlert = wf.add(tickBound('Bound Alert to Tick'), 16, 0);
	wf.connect(route, diagnoseAlert, 2).connect(diagnoseAlert, format).connect(format, boundAlert).connect(boundAlert, send);

	addMonitorApi(wf, apiEntry.node);
	addMonitorEvents(wf, tick.node);
	routeMonitorEvents(wf, route);
	return wf.build(true);
}
