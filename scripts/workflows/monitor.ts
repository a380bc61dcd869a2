/**
 * Monitor: every 5 minutes, every probe → Incident Tracker → (confirm: wait, re-check
 * that component, track again) / (recover: diagnose → Recover sub-workflow → track the
 * recovery) / (alert: diagnose → format → Alert sub-workflow). Healthy ticks are not
 * saved, so the execution history stays the recovery log (Recover runs are saved).
 * Every number and name a user may change is in the Settings node.
 */
import { assignments, condition, filter, setting, WorkflowBuilder, type Json, type WorkflowJson, type WorkflowNode } from './builder';
import { CREDENTIALS, WORKFLOW_IDS } from './ids';

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
	['hostPaths', '~/.n8n', 'string'],
	['n8nUrl', 'http://127.0.0.1:5678', 'string'],
	['executionBaseUrl', '', 'string'],
	// A maintenance switch: an ISO time until which alerts and automatic actions stop ('' = off).
	['maintenanceUntil', '', 'string'],
];

const LLM_CREDENTIALS = {
	autorecoveryGroqApi: CREDENTIALS.groq,
	autorecoveryOpenAiApi: CREDENTIALS.openai,
	autorecoveryAnthropicApi: CREDENTIALS.anthropic,
};

const trackerOptions: Json = {
	confirmDelaySeconds: setting('confirmDelaySeconds'),
	confirmWindowMinutes: setting('confirmWindowMinutes'),
	successThreshold: setting('successThreshold'),
	reminderHours: setting('reminderHours'),
	budgetMaxActions: setting('budgetMaxActions'),
	budgetWindowMinutes: setting('budgetWindowMinutes'),
	budgetGapMinutes: setting('budgetGapMinutes'),
	allowOneActionWhenNeedsHuman: setting('allowOneActionWhenNeedsHuman'),
};

type ProbeKey = 'whatsapp' | 'database' | 'logs' | 'payments' | 'llm' | 'host';

/** The probe of each component (the same node is added twice: the tick's and the confirmation re-check's). */
function probe(key: ProbeKey, name: string): Omit<WorkflowNode, 'id' | 'position'> {
	// A probe that cannot run (e.g. its credential is missing) outputs {error}: the tick goes on, the tracker reports it.
	const common = { name, onError: 'continueRegularOutput' as const };
	switch (key) {
		case 'whatsapp':
			return { ...common, type: 'n8n-nodes-autorecovery.whatsAppProbe', typeVersion: 1, parameters: { gateway: 'evolution', operation: 'check', target: setting('whatsappTarget'), options: {} }, credentials: { autorecoveryEvolutionApi: CREDENTIALS.evolution } };
		case 'database':
			return { ...common, type: 'n8n-nodes-autorecovery.dbIntegrity', typeVersion: 1, parameters: { operation: 'check', backend: 'postgres', options: {} }, credentials: { autorecoveryPostgresApi: CREDENTIALS.postgres } };
		case 'logs':
			return { ...common, type: 'n8n-nodes-autorecovery.dbIntegrity', typeVersion: 1, parameters: { operation: 'checkErrorRate', backend: 'postgres', options: {} }, credentials: { autorecoveryPostgresApi: CREDENTIALS.postgres } };
		case 'payments':
			return { ...common, type: 'n8n-nodes-autorecovery.paymentLinkTest', typeVersion: 1, parameters: { operation: 'check', provider: 'mercadopago', options: {} }, credentials: { autorecoveryMercadoPagoApi: CREDENTIALS.mercadopago } };
		case 'llm':
			return { ...common, type: 'n8n-nodes-autorecovery.llmDiagnose', typeVersion: 1, parameters: { operation: 'checkProviders', providerOrder: setting('llmProviderOrder'), options: {} }, credentials: LLM_CREDENTIALS };
		case 'host':
			return { ...common, type: 'n8n-nodes-autorecovery.hostResources', typeVersion: 1, parameters: { operation: 'check', paths: setting('hostPaths'), n8nUrl: setting('n8nUrl'), options: {} } };
	}
}

const PROBES: Array<[ProbeKey, string, string]> = [
	['whatsapp', 'WhatsApp', 'whatsapp'],
	['database', 'Product Catalog', 'database'],
	['logs', 'Bot Error Rate', 'logs'],
	['payments', 'Payment Link', 'payments'],
	['llm', 'LLM Providers', 'llm'],
	['host', 'Server', 'host'],
];

function diagnoseNode(name: string): Omit<WorkflowNode, 'id' | 'position'> {
	return {
		name,
		type: 'n8n-nodes-autorecovery.llmDiagnose',
		typeVersion: 1,
		parameters: { operation: 'diagnose', providerOrder: setting('llmProviderOrder'), language: setting('language'), healthyItems: 'pass', options: {} },
		credentials: LLM_CREDENTIALS,
	};
}

function callWorkflow(name: string, workflowId: string): Omit<WorkflowNode, 'id' | 'position'> {
	return {
		name,
		type: 'n8n-nodes-base.executeWorkflow',
		typeVersion: 1.2,
		parameters: { source: 'database', workflowId: { __rl: true, value: workflowId, mode: 'id' }, mode: 'each', options: { waitForSubWorkflow: true } },
	};
}

function switchRule(outputKey: string, left: string, operation: string, right: Json, type = 'string'): Json {
	return { conditions: filter(condition(left, operation, right, type)), renameOutput: true, outputKey };
}

export function monitorWorkflow(): WorkflowJson {
	const wf = new WorkflowBuilder(WORKFLOW_IDS.monitor, 'Autorecovery: Monitor', {
		executionOrder: 'v1',
		saveDataSuccessExecution: 'none',
		saveDataErrorExecution: 'all',
		saveManualExecutions: false,
		errorWorkflow: WORKFLOW_IDS.errorHandler,
		callerPolicy: 'workflowsFromSameOwner',
	});
	const trigger = wf.add({ name: 'Every 5 Minutes', type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, parameters: { rule: { interval: [{ field: 'minutes', minutesInterval: 5 }] } } }, 0, 2);
	const settings = wf.add({ name: 'Settings', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { assignments: assignments(MONITOR_SETTINGS), options: {} } }, 1, 2);
	// `n8n execute` and the editor's button start here (a schedule trigger cannot be run on demand).
	const runNow = wf.add({ name: 'Run Now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }, 0, 4);
	wf.connect(trigger, settings).connect(runNow, settings);

	const merge = wf.add({ name: 'All Results', type: 'n8n-nodes-base.merge', typeVersion: 3.2, parameters: { numberInputs: PROBES.length } }, 3, 2);
	PROBES.forEach(([key, label], index) => {
		const node = wf.add(probe(key, `Check ${label}`), 2, index);
		wf.connect(settings, node).connect(node, merge, 0, index);
	});

	const track = wf.add({ name: 'Track', type: 'n8n-nodes-autorecovery.incidentTracker', typeVersion: 1, parameters: { operation: 'track', maintenanceUntil: setting('maintenanceUntil'), options: trackerOptions } }, 4, 2);
	wf.connect(merge, track);
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
		5,
		2,
	);
	wf.connect(track, route);

	// confirm → wait → re-check only that component → track again
	const wait = wf.add({ name: 'Wait to Confirm', type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { resume: 'timeInterval', amount: '={{ Math.max(1, Math.round($json.tracking.recheckInMs / 1000)) }}', unit: 'seconds' } }, 6, 0);
	wf.connect(route, wait, 0);
	const byComponent = wf.add(
		{
			name: 'Re-check Which',
			type: 'n8n-nodes-base.switch',
			typeVersion: 3.2,
			parameters: { rules: { values: PROBES.map(([, label, component]) => switchRule(label, '={{ $json.component }}', 'equals', component)) }, options: {} },
		},
		7,
		0,
	);
	wf.connect(wait, byComponent);
	PROBES.forEach(([key, label], index) => {
		const node = wf.add(probe(key, `Re-check ${label}`), 8, index - 6);
		wf.connect(byComponent, node, index).connect(node, track);
	});

	// recover → diagnose → Recover sub-workflow → track the recovery → route again
	const diagnose = wf.add(diagnoseNode('Diagnose'), 6, 2);
	const recover = wf.add(callWorkflow('Recover', WORKFLOW_IDS.recover), 7, 2);
	const trackRecovery = wf.add({ name: 'Track Recovery', type: 'n8n-nodes-autorecovery.incidentTracker', typeVersion: 1, parameters: { operation: 'trackRecovery', maintenanceUntil: setting('maintenanceUntil'), options: trackerOptions } }, 8, 2);
	wf.connect(route, diagnose, 1).connect(diagnose, recover).connect(recover, trackRecovery).connect(trackRecovery, route);

	// alert → diagnose (kept when the recovery already has one) → format → Alert sub-workflow
	const diagnoseAlert = wf.add(diagnoseNode('Diagnose for Alert'), 6, 4);
	const format = wf.add(
		{
			name: 'Format Alert',
			type: 'n8n-nodes-autorecovery.incidentTracker',
			typeVersion: 1,
			parameters: {
				operation: 'formatAlert',
				language: setting('language'),
				executionUrl: `={{ $('Settings').first().json.executionBaseUrl && $json.recoveryExecutionId ? $('Settings').first().json.executionBaseUrl.replace(/\\/+$/, '') + '/workflow/${WORKFLOW_IDS.recover}/executions/' + $json.recoveryExecutionId : '' }}`,
			},
		},
		7,
		4,
	);
	const send = wf.add(callWorkflow('Send Alert', WORKFLOW_IDS.alert), 8, 4);
	wf.connect(route, diagnoseAlert, 2).connect(diagnoseAlert, format).connect(format, send);
	return wf.build(true);
}
