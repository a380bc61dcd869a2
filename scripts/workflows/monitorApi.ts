/**
 * The Monitor's API, behind webhooks of Autorecovery: Triggers that call the Monitor (the lanes
 * must see the Incident Tracker's state): the manual recovery (POST /webhook/auto-recovery), the
 * recovery log (GET /webhook/auto-recovery), its statistics (GET /webhook/auto-recovery/stats),
 * the status page (GET /webhook/status) and the relink page (GET /webhook/relink?t=<signed
 * link>, the link a QR alert carries: its signature is the authentication, checked by WhatsApp
 * Probe's Relink Page). Each call enters through Settings; the Entry switch sends it to its lane
 * by its `entry`, and everything else (Run Now, the schedule's call) to the tick. Each lane ends
 * with its answer (status code and body), which Triggers sends back to the caller.
 */
import { assignments, condition, filter, setting, type WorkflowBuilder, type WorkflowNode } from './builder';
import { CREDENTIALS, WEBHOOK_IDS, WORKFLOW_IDS } from './ids';
import { calledWith, MONITOR_ENTRIES, type MonitorEntry } from './monitorEntries';
import { MONITOR_LANES } from './monitorLanes';
import { callRecover, collectRecoveryResults, diagnoseNode, probe, PROBES, switchRule, trackerOptions, type ProbeKey } from './monitorParts';

export const API_PATHS = { recovery: 'auto-recovery', stats: 'auto-recovery/stats', status: 'status', relink: 'relink' } as const;

const headerAuth = { httpHeaderAuth: CREDENTIALS.webhookToken };
const n8nApi = { n8nApi: CREDENTIALS.n8nApi };

/** How a request's answer is sent back (Autorecovery: Triggers' Respond nodes): JSON, or a page. */
export type AnswerKind = 'json' | 'html' | 'event' | 'verification';

/** A webhook of Autorecovery: Triggers, the Monitor lane it calls and how its answer goes back. */
export interface MonitorWebhook {
	entry: MonitorEntry;
	answer: AnswerKind;
	node: Omit<WorkflowNode, 'id' | 'position'>;
}

/** The API's webhooks, by branch of the Entry switch (in this order). */
const API_BRANCHES = ['recovery', 'log', 'stats', 'status', 'relink'] as const satisfies readonly MonitorEntry[];

// Webhook 1 with "Binary Data": n8n leaves the body raw, so malformed JSON reaches Accept Recovery (a 400) instead of n8n's 422.
export const API_WEBHOOKS: MonitorWebhook[] = [
	{ entry: 'recovery', answer: 'json', node: { name: 'Recovery Request', type: 'n8n-nodes-base.webhook', typeVersion: 1, webhookId: WEBHOOK_IDS.recoveryRequest, parameters: { httpMethod: 'POST', path: API_PATHS.recovery, authentication: 'headerAuth', responseMode: 'responseNode', options: { binaryData: true, binaryPropertyName: 'data' } }, credentials: headerAuth } },
	{ entry: 'log', answer: 'json', node: { name: 'Recovery Log Request', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, webhookId: WEBHOOK_IDS.recoveryLog, parameters: { httpMethod: 'GET', path: API_PATHS.recovery, authentication: 'headerAuth', responseMode: 'responseNode', options: {} }, credentials: headerAuth } },
	{ entry: 'stats', answer: 'json', node: { name: 'Recovery Stats Request', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, webhookId: WEBHOOK_IDS.recoveryStats, parameters: { httpMethod: 'GET', path: API_PATHS.stats, authentication: 'headerAuth', responseMode: 'responseNode', options: {} }, credentials: headerAuth } },
	{ entry: 'status', answer: 'html', node: { name: 'Status Page Request', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, webhookId: WEBHOOK_IDS.statusPage, parameters: { httpMethod: 'GET', path: API_PATHS.status, authentication: 'basicAuth', responseMode: 'responseNode', options: {} }, credentials: { httpBasicAuth: CREDENTIALS.statusPage } } },
	// No login: the signed, expiring, once-per-incident link is the authentication (a refused one gets 403).
	{ entry: 'relink', answer: 'html', node: { name: 'Relink Page Request', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, webhookId: WEBHOOK_IDS.relinkPage, parameters: { httpMethod: 'GET', path: API_PATHS.relink, responseMode: 'responseNode', options: {} } } },
];

/** The Entry switch after Settings (at `column`): each API call to its lane, everything else on (its fallback output, returned). */
export function addApiEntry(wf: WorkflowBuilder, settings: string, column: number): { node: string; output: number } {
	const entry = wf.add(
		{
			name: 'Entry',
			type: 'n8n-nodes-base.switch',
			typeVersion: 3.2,
			parameters: {
				rules: { values: API_BRANCHES.map((branch) => switchRule(branch, '={{ $json.entry }}', 'equals', MONITOR_ENTRIES[branch])) },
				options: { fallbackOutput: 'extra', renameFallbackOutput: 'tick' },
			},
		},
		column,
		0,
	);
	wf.connect(settings, entry);
	return { node: entry, output: API_BRANCHES.length };
}

/** The end of a lane: what it answers (Autorecovery: Triggers sends it back to the caller). */
function answerNode(wf: WorkflowBuilder, name: string, column: number, row: number): string {
	return wf.add({ name, type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} }, column, row);
}

/** Adds the API's lanes: the branches after `entry` (the manual recovery; the log, status and relink pages). */
export function addMonitorApi(wf: WorkflowBuilder, entry: string): void {
	wf.lane(MONITOR_LANES.manualApi);
	// The manual recovery's answers: at once (refused: 400, 401, 409, 429…) or after the recoveries.
	// POST: accept (body, pause, budget, locks) → probe each component → recover the failing ones → answer.
	const accept = wf.add(
		{ name: 'Accept Recovery', type: 'n8n-nodes-autorecovery.recoveryGate', typeVersion: 1, parameters: { resource: 'manualRecovery', operation: 'accept', lockFolder: setting('lockFolder'), options: trackerOptions } },
		4,
		0,
	);
	wf.connect(entry, accept, 0);
	const accepted = wf.add(
		{
			name: 'Accepted?',
			type: 'n8n-nodes-base.switch',
			typeVersion: 3.2,
			parameters: { rules: { values: [switchRule('answer now', '={{ $json.statusCode }}', 'exists', '', 'number')] }, options: { fallbackOutput: 'extra', renameFallbackOutput: 'recover' } },
		},
		5,
		0,
	);
	wf.connect(accept, accepted).connect(accepted, answerNode(wf, 'Answer Refused', 6, 2), 0);
	const manualKeys = PROBES.filter(([key]) => ['whatsapp', 'database', 'payments', 'llm'].includes(key));
	const which = wf.add(
		{ name: 'Manual Check Which', type: 'n8n-nodes-base.switch', typeVersion: 3.2, parameters: { rules: { values: manualKeys.map(([, label, component]) => switchRule(label, '={{ $json.component }}', 'equals', component)) }, options: {} } },
		6,
		0,
	);
	wf.connect(accepted, which, 1);
	const mark = wf.add(
		{
			name: 'Mark Manual',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: {
				assignments: assignments([
					['manual', true, 'boolean'],
					['forced', "={{ $('Accept Recovery').item.json.forced }}", 'boolean'],
					['dryRun', "={{ $('Accept Recovery').item.json.dryRun }}", 'boolean'],
				]),
				includeOtherFields: true,
				options: {},
			},
		},
		9,
		0,
	);
	// One Merge input per probe: with v1 execution order, branches meeting at a one-input node would run it (and answer) once per branch.
	const checked = wf.add({ name: 'Manual Checks', type: 'n8n-nodes-base.merge', typeVersion: 3.2, parameters: { numberInputs: manualKeys.length } }, 8, 0);
	manualKeys.forEach(([key, label], index) => {
		const node = wf.add(probe(key as ProbeKey, `Manual Check ${label}`), 7, index);
		wf.connect(which, node, index).connect(node, checked, 0, index);
	});
	wf.connect(checked, mark);
	const needsRecovery = wf.add(
		{ name: 'Needs Recovery?', type: 'n8n-nodes-base.if', typeVersion: 2.2, parameters: { conditions: filter(condition('={{ $json.status }}', 'notEquals', 'healthy')), options: {} } },
		10,
		0,
	);
	const diagnose = wf.add(diagnoseNode('Diagnose Manual'), 11, 0);
	const recover = wf.add(callRecover('Recover Manually'), 12, 0);
	// A Recover that failed before logging a result answers as {error} (the request still gets its answer).
	const collect = wf.add({ ...collectRecoveryResults('Collect Manual Recoveries'), onError: 'continueRegularOutput' }, 13, 0);
	const gather = wf.add({ name: 'Manual Results', type: 'n8n-nodes-base.merge', typeVersion: 3.2, parameters: {} }, 14, 0);
	const finish = wf.add({ name: 'Finish Recovery', type: 'n8n-nodes-autorecovery.recoveryGate', typeVersion: 1, parameters: { resource: 'manualRecovery', operation: 'finish', lockFolder: setting('lockFolder') } }, 15, 0);
	wf.connect(mark, needsRecovery).connect(needsRecovery, diagnose, 0).connect(diagnose, recover).connect(recover, collect).connect(collect, gather, 0, 0);
	wf.connect(needsRecovery, gather, 1, 1).connect(gather, finish).connect(finish, answerNode(wf, 'Answer Recovery', 15, 2));

	wf.lane(MONITOR_LANES.pages);
	// GET: the recovery log and its statistics, from n8n's execution history.
	const history = { executionBaseUrl: setting('executionBaseUrl'), recoverWorkflowId: WORKFLOW_IDS.recover };
	const log = wf.add({ name: 'Read Recovery Log', type: 'n8n-nodes-autorecovery.recoveryReport', typeVersion: 1, parameters: { resource: 'history', operation: 'log', query: calledWith('query'), ...history }, credentials: n8nApi }, 4, 0);
	const stats = wf.add({ name: 'Read Recovery Stats', type: 'n8n-nodes-autorecovery.recoveryReport', typeVersion: 1, parameters: { resource: 'history', operation: 'stats', query: calledWith('query'), ...history }, credentials: n8nApi }, 4, 1);
	const respondLog = answerNode(wf, 'Answer with Log', 5, 0);
	wf.connect(entry, log, 1).connect(log, respondLog).connect(entry, stats, 2).connect(stats, respondLog);

	// GET /webhook/status: a self-contained HTML page for a phone.
	const page = wf.add(
		{ name: 'Render Status Page', type: 'n8n-nodes-autorecovery.recoveryReport', typeVersion: 1, parameters: { resource: 'report', operation: 'statusPage', language: setting('language'), pageTitle: setting('statusPageTitle'), targetNames: setting('statusPageTargetNames'), ...history, options: trackerOptions }, credentials: n8nApi },
		4,
		2,
	);
	const respondPage = answerNode(wf, 'Answer with Page', 5, 2);
	wf.connect(entry, page, 3).connect(page, respondPage);

	// GET /webhook/relink?t=…[&number=…]: the gateway's current QR (and a pairing code), or "connected ✓", or 403.
	const relinkPage = wf.add(
		{
			name: 'Render Relink Page',
			type: 'n8n-nodes-autorecovery.whatsAppProbe',
			typeVersion: 1,
			parameters: {
				gateway: 'evolution',
				operation: 'relinkPage',
				linkToken: calledWith('query.t'),
				relinkNumber: calledWith('query.number'),
				relinkLanguage: setting('language'),
				target: setting('whatsappTarget'),
				options: {},
			},
			credentials: { autorecoveryEvolutionApi: CREDENTIALS.evolution, autorecoveryRelinkLinkApi: CREDENTIALS.relinkLink },
		},
		4,
		3,
	);
	wf.connect(entry, relinkPage, 4).connect(relinkPage, respondPage);
}
