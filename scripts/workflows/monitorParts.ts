/** The pieces of the Monitor workflow its tick and its API share: probes, diagnosis, sub-workflow calls, switch rules. */
import { condition, filter, setting, type Json, type WorkflowNode } from './builder';
import { CREDENTIALS, WORKFLOW_IDS } from './ids';

const LLM_CREDENTIALS = {
	autorecoveryGroqApi: CREDENTIALS.groq,
	autorecoveryOpenAiApi: CREDENTIALS.openai,
	autorecoveryAnthropicApi: CREDENTIALS.anthropic,
};

export const trackerOptions: Json = {
	confirmDelaySeconds: setting('confirmDelaySeconds'),
	confirmWindowMinutes: setting('confirmWindowMinutes'),
	successThreshold: setting('successThreshold'),
	reminderHours: setting('reminderHours'),
	budgetMaxActions: setting('budgetMaxActions'),
	budgetWindowMinutes: setting('budgetWindowMinutes'),
	budgetGapMinutes: setting('budgetGapMinutes'),
	allowOneActionWhenNeedsHuman: setting('allowOneActionWhenNeedsHuman'),
};

/** Default of the Monitor's tickDeadlineSeconds: under the 5-minute schedule, so ticks never overlap. */
export const TICK_DEADLINE_SECONDS = 240;

/** Every probe's Options: cut its calls to what is left of the tick (the run deadline fields every probe node has). */
const TICK_BOUND: Json = { runStartedAt: setting('tickStartedAt'), runDeadlineSeconds: setting('tickDeadlineSeconds') };

export type ProbeKey = 'whatsapp' | 'database' | 'logs' | 'payments' | 'llm' | 'host';

/** The probe of each component (the same node is added twice: the tick's and the confirmation re-check's). */
export function probe(key: ProbeKey, name: string): Omit<WorkflowNode, 'id' | 'position'> {
	// A probe that cannot run (e.g. its credential is missing) outputs {error}: the tick goes on, the tracker reports it.
	const common = { name, onError: 'continueRegularOutput' as const };
	switch (key) {
		case 'whatsapp':
			return { ...common, type: 'n8n-nodes-autorecovery.whatsAppProbe', typeVersion: 1, parameters: { gateway: 'evolution', operation: 'check', target: setting('whatsappTarget'), options: TICK_BOUND }, credentials: { autorecoveryEvolutionApi: CREDENTIALS.evolution } };
		case 'database':
			return { ...common, type: 'n8n-nodes-autorecovery.dbIntegrity', typeVersion: 1, parameters: { operation: 'check', backend: 'postgres', options: TICK_BOUND }, credentials: { autorecoveryPostgresApi: CREDENTIALS.postgres } };
		case 'logs':
			return { ...common, type: 'n8n-nodes-autorecovery.dbIntegrity', typeVersion: 1, parameters: { operation: 'checkErrorRate', backend: 'postgres', options: TICK_BOUND }, credentials: { autorecoveryPostgresApi: CREDENTIALS.postgres } };
		case 'payments':
			return { ...common, type: 'n8n-nodes-autorecovery.paymentLinkTest', typeVersion: 1, parameters: { operation: 'check', provider: 'mercadopago', options: TICK_BOUND }, credentials: { autorecoveryMercadoPagoApi: CREDENTIALS.mercadopago } };
		case 'llm':
			return { ...common, type: 'n8n-nodes-autorecovery.llmDiagnose', typeVersion: 1, parameters: { operation: 'checkProviders', providerOrder: setting('llmProviderOrder'), options: TICK_BOUND }, credentials: LLM_CREDENTIALS };
		case 'host':
			return { ...common, type: 'n8n-nodes-autorecovery.hostResources', typeVersion: 1, parameters: { operation: 'check', paths: setting('hostPaths'), n8nUrl: setting('n8nUrl'), options: TICK_BOUND } };
	}
}

/**
 * The customer's path, on top of the WhatsApp Check (issue 19): the Webhook Check (is the
 * gateway's webhook to the bot as expected?) and the Conversation Check (a canary number writes
 * to the bot and waits for its answer). Both are optional: the Monitor runs them only when their
 * Settings are filled in, and only while the Check finds the session up. Their results carry
 * `probe`, so each has its own incident beside the Check's on the same target.
 */
export type CustomerPathProbe = 'webhook' | 'conversation' | 'passive';

/** [probe, node label] in the order the tick runs them (the webhook first: a lost webhook explains a silent bot). */
export const CUSTOMER_PATH_PROBES: Array<[CustomerPathProbe, string]> = [
	['webhook', 'WhatsApp Webhook'],
	['conversation', 'WhatsApp Conversation'],
];

/**
 * The Passive Check (no canary: the bot's own message history tells a deaf session or a bot that
 * answers nobody). Not in CUSTOMER_PATH_PROBES: it has its own gate (Setting passiveCheck, off by
 * default) and its own nodes, so the canvas of the other two stays as it is.
 */
export const PASSIVE_PROBE: [CustomerPathProbe, string] = ['passive', 'WhatsApp Passive'];

/** The Passive Check's parameters from Settings (the Monitor's) or from the item (Recover's, see recover.ts). */
export function passiveParameters(value: (field: string) => string): Record<string, string> {
	return { minSilenceMinutes: value('passiveMinSilenceMinutes'), answerWithinMinutes: value('passiveAnswerWithinMinutes') };
}

/** `tick`: the tick's probe (the Conversation Check keeps its interval); a confirmation re-check always runs. */
export function customerPathProbe(key: CustomerPathProbe, name: string, tick = false): Omit<WorkflowNode, 'id' | 'position'> {
	const common = { name, onError: 'continueRegularOutput' as const, type: 'n8n-nodes-autorecovery.whatsAppProbe', typeVersion: 1 };
	if (key === 'passive') {
		return { ...common, parameters: { gateway: 'evolution', operation: 'passiveCheck', target: setting('whatsappTarget'), ...passiveParameters(setting), options: TICK_BOUND }, credentials: { autorecoveryEvolutionApi: CREDENTIALS.evolution } };
	}
	if (key === 'webhook') {
		return { ...common, parameters: { gateway: 'evolution', operation: 'webhookCheck', target: setting('whatsappTarget'), webhookUrl: setting('botMessageUrl'), options: TICK_BOUND }, credentials: { autorecoveryEvolutionApi: CREDENTIALS.evolution } };
	}
	return {
		...common,
		parameters: {
			gateway: 'evolution',
			operation: 'conversationCheck',
			target: setting('whatsappTarget'),
			canaryGateway: 'evolution',
			botNumber: setting('botNumber'),
			canaryNumber: setting('canaryNumber'),
			replyTimeoutSeconds: setting('conversationReplyTimeoutSeconds'),
			slowReplySeconds: setting('conversationSlowReplySeconds'),
			canaryLanguage: setting('language'),
			...(tick ? { everyMinutes: setting('conversationEveryMinutes') } : {}),
			options: TICK_BOUND,
		},
		credentials: { autorecoveryEvolutionApi: CREDENTIALS.evolution, autorecoveryCanaryEvolutionApi: CREDENTIALS.canaryEvolution },
	};
}

export const PROBES: Array<[ProbeKey, string, string]> = [
	['whatsapp', 'WhatsApp', 'whatsapp'],
	['database', 'Product Catalog', 'database'],
	['logs', 'Bot Error Rate', 'logs'],
	['payments', 'Payment Link', 'payments'],
	['llm', 'LLM Providers', 'llm'],
	['host', 'Server', 'host'],
];

export function diagnoseNode(name: string): Omit<WorkflowNode, 'id' | 'position'> {
	return {
		name,
		type: 'n8n-nodes-autorecovery.llmDiagnose',
		typeVersion: 1,
		parameters: { operation: 'diagnose', providerOrder: setting('llmProviderOrder'), language: setting('language'), healthyItems: 'pass', options: TICK_BOUND },
		credentials: LLM_CREDENTIALS,
	};
}

export function callWorkflow(name: string, workflowId: string): Omit<WorkflowNode, 'id' | 'position'> {
	return {
		name,
		type: 'n8n-nodes-base.executeWorkflow',
		typeVersion: 1.2,
		parameters: { source: 'database', workflowId: { __rl: true, value: workflowId, mode: 'id' }, mode: 'each', options: { waitForSubWorkflow: true } },
	};
}

export function switchRule(outputKey: string, left: string, operation: string, right: Json, type = 'string'): Json {
	return { conditions: filter(condition(left, operation, right, type)), renameOutput: true, outputKey };
}

/**
 * A call of Recover. A recovery that did not fix its target ends its execution in error on
 * purpose: the call goes on (version 1.3 keeps every item's error on the one output, in order)
 * and Collect Results, right after it, reads that execution's result back.
 */
export function callRecover(name: string): Omit<WorkflowNode, 'id' | 'position'> {
	return { ...callWorkflow(name, WORKFLOW_IDS.recover), typeVersion: 1.3, onError: 'continueRegularOutput' };
}

/** What each Recover call returned, the recoveries that did not fix their target included (Recovery Gate: Collect Results). */
export function collectRecoveryResults(name: string): Omit<WorkflowNode, 'id' | 'position'> {
	return { name, type: 'n8n-nodes-autorecovery.recoveryGate', typeVersion: 1, parameters: { resource: 'outcome', operation: 'collect' } };
}
