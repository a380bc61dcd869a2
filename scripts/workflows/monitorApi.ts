/**
 * The Monitor's API: webhooks that live in the Monitor workflow because they must see the
 * Incident Tracker's state (static data is per workflow): the manual recovery
 * (POST /webhook/auto-recovery), the recovery log (GET /webhook/auto-recovery), its
 * statistics (GET /webhook/auto-recovery/stats), the status page (GET /webhook/status) and the
 * relink page (GET /webhook/relink?t=<signed link>, the link a QR alert carries: its signature
 * is the authentication, checked by WhatsApp Probe's Relink Page).
 * Every trigger enters through Settings; the Entry switch sends each to its branch and
 * everything else (the schedule, Run Now) to the tick.
 */
import { assignments, condition, filter, setting, type WorkflowBuilder } from './builder';
import { CREDENTIALS, WEBHOOK_IDS, WORKFLOW_IDS } from './ids';
import { callRecover, collectRecoveryResults, diagnoseNode, probe, PROBES, switchRule, trackerOptions, type ProbeKey } from './monitorParts';

export const API_PATHS = { recovery: 'auto-recovery', stats: 'auto-recovery/stats', status: 'status', relink: 'relink' } as const;

const headerAuth = { httpHeaderAuth: CREDENTIALS.webhookToken };
const n8nApi = { n8nApi: CREDENTIALS.n8nApi };

/** Adds the API and returns where the tick continues (the Entry switch's fallback output). */
export function addMonitorApi(wf: WorkflowBuilder, settings: string): { node: string; output: number } {
	// Webhook 1 with "Binary Data": n8n leaves the body raw, so malformed JSON reaches Accept Recovery (a 400) instead of n8n's 422.
	const recoveryRequest = wf.add(
		{ name: 'Recovery Request', type: 'n8n-nodes-base.webhook', typeVersion: 1, webhookId: WEBHOOK_IDS.recoveryRequest, parameters: { httpMethod: 'POST', path: API_PATHS.recovery, authentication: 'headerAuth', responseMode: 'responseNode', options: { binaryData: true, binaryPropertyName: 'data' } }, credentials: headerAuth },
		0,
		6,
	);
	const logRequest = wf.add(
		{ name: 'Recovery Log Request', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, webhookId: WEBHOOK_IDS.recoveryLog, parameters: { httpMethod: 'GET', path: API_PATHS.recovery, authentication: 'headerAuth', responseMode: 'responseNode', options: {} }, credentials: headerAuth },
		0,
		7,
	);
	const statsRequest = wf.add(
		{ name: 'Recovery Stats Request', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, webhookId: WEBHOOK_IDS.recoveryStats, parameters: { httpMethod: 'GET', path: API_PATHS.stats, authentication: 'headerAuth', responseMode: 'responseNode', options: {} }, credentials: headerAuth },
		0,
		8,
	);
	const statusRequest = wf.add(
		{ name: 'Status Page Request', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, webhookId: WEBHOOK_IDS.statusPage, parameters: { httpMethod: 'GET', path: API_PATHS.status, authentication: 'basicAuth', responseMode: 'responseNode', options: {} }, credentials: { httpBasicAuth: CREDENTIALS.statusPage } },
		0,
		9,
	);
	// No login: the signed, expiring, once-per-incident link is the authentication (a refused one gets 403).
	const relinkRequest = wf.add(
		{ name: 'Relink Page Request', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, webhookId: WEBHOOK_IDS.relinkPage, parameters: { httpMethod: 'GET', path: API_PATHS.relink, responseMode: 'responseNode', options: {} } },
		0,
		10,
	);
	for (const trigger of [recoveryRequest, logRequest, statsRequest, statusRequest, relinkRequest]) wf.connect(trigger, settings);

	const entry = wf.add(
		{
			name: 'Entry',
			type: 'n8n-nodes-base.switch',
			typeVersion: 3.2,
			parameters: {
				rules: {
					values: [
						switchRule('recovery', `={{ $('${recoveryRequest}').isExecuted }}`, 'true', '', 'boolean'),
						switchRule('log', `={{ $('${logRequest}').isExecuted }}`, 'true', '', 'boolean'),
						switchRule('stats', `={{ $('${statsRequest}').isExecuted }}`, 'true', '', 'boolean'),
						switchRule('status', `={{ $('${statusRequest}').isExecuted }}`, 'true', '', 'boolean'),
						switchRule('relink', `={{ $('${relinkRequest}').isExecuted }}`, 'true', '', 'boolean'),
					],
				},
				options: { fallbackOutput: 'extra', renameFallbackOutput: 'tick' },
			},
		},
		1.5,
		4,
	);
	wf.connect(settings, entry);

	const respondJson = wf.add(
		{
			name: 'Respond',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			parameters: { respondWith: 'json', responseBody: '={{ $json.body }}', options: { responseCode: '={{ $json.statusCode }}', responseHeaders: { entries: [{ name: 'Cache-Control', value: 'no-store' }] } } },
		},
		9,
		8,
	);

	// POST: accept (body, pause, budget, locks) → probe each component → recover the failing ones → answer.
	const accept = wf.add(
		{ name: 'Accept Recovery', type: 'n8n-nodes-autorecovery.recoveryGate', typeVersion: 1, parameters: { resource: 'manualRecovery', operation: 'accept', lockFolder: setting('lockFolder'), options: trackerOptions } },
		2,
		6,
	);
	wf.connect(entry, accept, 0);
	const accepted = wf.add(
		{
			name: 'Accepted?',
			type: 'n8n-nodes-base.switch',
			typeVersion: 3.2,
			parameters: { rules: { values: [switchRule('answer now', '={{ $json.statusCode }}', 'exists', '', 'number')] }, options: { fallbackOutput: 'extra', renameFallbackOutput: 'recover' } },
		},
		3,
		6,
	);
	wf.connect(accept, accepted).connect(accepted, respondJson, 0);
	const manualKeys = PROBES.filter(([key]) => ['whatsapp', 'database', 'payments', 'llm'].includes(key));
	const which = wf.add(
		{ name: 'Manual Check Which', type: 'n8n-nodes-base.switch', typeVersion: 3.2, parameters: { rules: { values: manualKeys.map(([, label, component]) => switchRule(label, '={{ $json.component }}', 'equals', component)) }, options: {} } },
		4,
		6,
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
		6,
		6,
	);
	// One Merge input per probe: with v1 execution order, branches meeting at a one-input node would run it (and answer) once per branch.
	const checked = wf.add({ name: 'Manual Checks', type: 'n8n-nodes-base.merge', typeVersion: 3.2, parameters: { numberInputs: manualKeys.length } }, 5.5, 6);
	manualKeys.forEach(([key, label], index) => {
		const node = wf.add(probe(key as ProbeKey, `Manual Check ${label}`), 5, 5 + index * 0.5);
		wf.connect(which, node, index).connect(node, checked, 0, index);
	});
	wf.connect(checked, mark);
	const needsRecovery = wf.add(
		{ name: 'Needs Recovery?', type: 'n8n-nodes-base.if', typeVersion: 2.2, parameters: { conditions: filter(condition('={{ $json.status }}', 'notEquals', 'healthy')), options: {} } },
		7,
		6,
	);
	const diagnose = wf.add(diagnoseNode('Diagnose Manual'), 8, 5.5);
	const recover = wf.add(callRecover('Recover Manually'), 9, 5.5);
	// A Recover that failed before logging a result answers as {error} (the request still gets its answer).
	const collect = wf.add({ ...collectRecoveryResults('Collect Manual Recoveries'), onError: 'continueRegularOutput' }, 9.5, 5.5);
	const gather = wf.add({ name: 'Manual Results', type: 'n8n-nodes-base.merge', typeVersion: 3.2, parameters: {} }, 10, 6);
	const finish = wf.add({ name: 'Finish Recovery', type: 'n8n-nodes-autorecovery.recoveryGate', typeVersion: 1, parameters: { resource: 'manualRecovery', operation: 'finish', lockFolder: setting('lockFolder') } }, 11, 6);
	wf.connect(mark, needsRecovery).connect(needsRecovery, diagnose, 0).connect(diagnose, recover).connect(recover, collect).connect(collect, gather, 0, 0);
	wf.connect(needsRecovery, gather, 1, 1).connect(gather, finish).connect(finish, respondJson);

	// GET: the recovery log and its statistics, from n8n's execution history.
	const history = { executionBaseUrl: setting('executionBaseUrl'), recoverWorkflowId: WORKFLOW_IDS.recover };
	const log = wf.add({ name: 'Read Recovery Log', type: 'n8n-nodes-autorecovery.recoveryReport', typeVersion: 1, parameters: { resource: 'history', operation: 'log', query: `={{ $('${logRequest}').first().json.query }}`, ...history }, credentials: n8nApi }, 2, 7.5);
	const stats = wf.add({ name: 'Read Recovery Stats', type: 'n8n-nodes-autorecovery.recoveryReport', typeVersion: 1, parameters: { resource: 'history', operation: 'stats', query: `={{ $('${statsRequest}').first().json.query }}`, ...history }, credentials: n8nApi }, 2, 8.5);
	wf.connect(entry, log, 1).connect(log, respondJson).connect(entry, stats, 2).connect(stats, respondJson);

	// GET /webhook/status: a self-contained HTML page for a phone.
	const page = wf.add(
		{ name: 'Render Status Page', type: 'n8n-nodes-autorecovery.recoveryReport', typeVersion: 1, parameters: { resource: 'report', operation: 'statusPage', language: setting('language'), pageTitle: setting('statusPageTitle'), targetNames: setting('statusPageTargetNames'), ...history, options: trackerOptions }, credentials: n8nApi },
		2,
		9.5,
	);
	const respondPage = wf.add(
		{
			name: 'Respond Page',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			parameters: {
				respondWith: 'text',
				responseBody: '={{ $json.html }}',
				options: { responseCode: '={{ $json.statusCode }}', responseHeaders: { entries: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }, { name: 'Cache-Control', value: 'no-store' }] } },
			},
		},
		3,
		9.5,
	);
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
				linkToken: `={{ $('${relinkRequest}').first().json.query.t }}`,
				relinkNumber: `={{ $('${relinkRequest}').first().json.query.number }}`,
				relinkLanguage: setting('language'),
				target: setting('whatsappTarget'),
				options: {},
			},
			credentials: { autorecoveryEvolutionApi: CREDENTIALS.evolution, autorecoveryRelinkLinkApi: CREDENTIALS.relinkLink },
		},
		2,
		10.5,
	);
	wf.connect(entry, relinkPage, 4).connect(relinkPage, respondPage);
	return { node: entry, output: 5 };
}
