/**
 * Recover (sub-workflow, one execution per recovery, always saved): routes the failing
 * result to the node that can fix its component and returns a contract recovery result
 * with the diagnosis it acted on: each execution reads as one recovery log entry. One that
 * did not fix its target ends in error ("Recovery Did Not Fix It"), so n8n's executions list
 * tells failed recoveries apart; every execution carries custom data naming component and outcome.
 */
import { assignments, condition, filter, WorkflowBuilder, type Json, type WorkflowJson } from './builder';
import { CREDENTIALS, WORKFLOW_IDS } from './ids';
import { passiveParameters } from './monitorParts';
import { RECOVER_FIX_NODES, RECOVER_NODES } from '../../nodes/shared/workflowIds';

/** A manual request may ask for a dry run (the Monitor's own recoveries never do). */
// Only a manual request says dryRun: the nodes read a missing value as no.
const DRY_RUN = '={{ $json.dryRun }}';
/** The Monitor's tick bound, when a tick called (Bound Recovery to Tick); a manual request has none. */
/** Recover → Conversation's deadline: room for the action and two Conversation Checks at the default reply timeout. */
const CONVERSATION_RECOVERY_DEADLINE_SECONDS = 180;
const TICK_BOUND: Json = { runStartedAt: '={{ $json.tickStartedAt }}', runDeadlineSeconds: '={{ $json.tickDeadlineSeconds }}' };

function byComponent(outputKey: string, component: string): Json {
	return { conditions: filter(condition('={{ $json.component }}', 'equals', component)), renameOutput: true, outputKey };
}

/**
 * WhatsApp's connection is repaired through the gateway the result's target names
 * ("<gateway>:<instance|session|phone number id>", as the probes and the gateway events write
 * it): one node per gateway, each with that gateway's credential, so a WAHA event restarts the
 * WAHA session and a Meta one re-registers the number, never another gateway's instance.
 */
const CONNECTION_REPAIRS = [
	{ prefix: 'evolution', output: 'whatsapp', name: RECOVER_FIX_NODES.reconnectEvolution, gateway: 'evolution', credentials: { autorecoveryEvolutionApi: CREDENTIALS.evolution } },
	{ prefix: 'waha', output: 'whatsapp (WAHA)', name: RECOVER_FIX_NODES.reconnectWaha, gateway: 'waha', credentials: { autorecoveryWahaApi: CREDENTIALS.waha } },
	{ prefix: 'cloudapi', output: 'whatsapp (Cloud API)', name: RECOVER_FIX_NODES.registerCloudApi, gateway: 'cloudApi', credentials: { autorecoveryWhatsAppCloudApi: CREDENTIALS.cloudApi } },
] as const;

/** The gateway of the customer-path repairs (Conversation, Webhook, Passive): the shipped canary is an Evolution instance. */
const CUSTOMER_PATH_GATEWAY = 'evolution';

const targetOn = (gateway: string) => condition('={{ $json.target }}', 'startsWith', `${gateway}:`);

/**
 * A WhatsApp connection result (no `probe`: the customer-path probes have their own repairs)
 * on one gateway. A target of a gateway with no repair here goes to the fallback (Escalate).
 */
function byConnectionGateway(outputKey: string, gateway: string): Json {
	return {
		conditions: filter(condition('={{ $json.component }}', 'equals', 'whatsapp'), targetOn(gateway), condition('={{ $json.probe }}', 'notExists')),
		renameOutput: true,
		outputKey,
	};
}

/**
 * A result of one of WhatsApp's customer-path probes (its `probe`) on the canary's gateway;
 * another gateway's goes to Escalate (these repairs would take it for an Evolution instance).
 */
function byProbe(outputKey: string, probe: string): Json {
	return { conditions: filter(condition('={{ $json.probe }}', 'equals', probe), targetOn(CUSTOMER_PATH_GATEWAY)), renameOutput: true, outputKey };
}

/** What the Monitor hands over from its Settings with the item (Bound Recovery to Tick) for the customer-path repairs. */
const fromItem = (field: string) => `={{ $json.${field} }}`;

export function recoverWorkflow(): WorkflowJson {
	const wf = new WorkflowBuilder(WORKFLOW_IDS.recover, 'Autorecovery: Recover', {
		executionOrder: 'v1',
		saveDataSuccessExecution: 'all',
		saveDataErrorExecution: 'all',
		saveManualExecutions: true,
		errorWorkflow: WORKFLOW_IDS.errorHandler,
		callerPolicy: 'workflowsFromSameOwner',
	});
	wf.lane({ title: 'One recovery: send the failure to the node that can fix it', text: 'Called by the Monitor (and the manual API) with one failing result. Each repair re-checks its component and says what it did; each execution is one entry of the recovery log.', color: 4 });
	const trigger = wf.add({ name: 'When Called', type: 'n8n-nodes-base.executeWorkflowTrigger', typeVersion: 1.1, parameters: { inputSource: 'passthrough' } }, 0, 2);
	const route = wf.add(
		{
			name: 'By Component',
			type: 'n8n-nodes-base.switch',
			typeVersion: 3.2,
			parameters: {
				rules: {
					values: [
						byProbe('conversation', 'conversation'),
						byProbe('webhook', 'webhook'),
						byProbe('passive', 'passive'),
						...CONNECTION_REPAIRS.map((repair) => byConnectionGateway(repair.output, repair.prefix)),
						byComponent('database', 'database'),
						byComponent('payments', 'payments'),
						byComponent('llm', 'llm'),
					],
				},
				options: { fallbackOutput: 'extra' },
			},
		},
		1,
		2,
	);
	wf.connect(trigger, route);
	const fixes = [
		wf.add(
			{
				name: RECOVER_FIX_NODES.conversation,
				type: 'n8n-nodes-autorecovery.whatsAppProbe',
				typeVersion: 1,
				// Restart a deaf session, or restore a lost webhook behind a silent bot; proven by a new Conversation Check.
				parameters: {
					gateway: CUSTOMER_PATH_GATEWAY,
					operation: 'recover',
					recoverWhat: 'conversation',
					target: '={{ $json.target }}',
					webhookUrl: fromItem('botMessageUrl'),
					canaryGateway: 'evolution',
					botNumber: fromItem('botNumber'),
					canaryNumber: fromItem('canaryNumber'),
					replyTimeoutSeconds: fromItem('conversationReplyTimeoutSeconds'),
					slowReplySeconds: fromItem('conversationSlowReplySeconds'),
					dryRun: DRY_RUN,
					// Each re-check sends a canary message and may wait a whole reply timeout (cut to the tick's bound).
					deadlineSeconds: CONVERSATION_RECOVERY_DEADLINE_SECONDS,
					options: TICK_BOUND,
				},
				credentials: { autorecoveryEvolutionApi: CREDENTIALS.evolution, autorecoveryCanaryEvolutionApi: CREDENTIALS.canaryEvolution },
			},
			2,
			-3,
		),
		wf.add(
			{
				name: RECOVER_FIX_NODES.webhook,
				type: 'n8n-nodes-autorecovery.whatsAppProbe',
				typeVersion: 1,
				parameters: { gateway: CUSTOMER_PATH_GATEWAY, operation: 'recover', recoverWhat: 'webhook', target: '={{ $json.target }}', webhookUrl: fromItem('botMessageUrl'), dryRun: DRY_RUN, options: TICK_BOUND },
				credentials: { autorecoveryEvolutionApi: CREDENTIALS.evolution },
			},
			2,
			-2,
		),
		wf.add(
			{
				name: RECOVER_FIX_NODES.passive,
				type: 'n8n-nodes-autorecovery.whatsAppProbe',
				typeVersion: 1,
				// Restart a deaf session (the Conversation recovery's restart), proven by a new Passive Check.
				parameters: {
					gateway: CUSTOMER_PATH_GATEWAY,
					operation: 'recover',
					recoverWhat: 'passive',
					target: '={{ $json.target }}',
					webhookUrl: fromItem('botMessageUrl'),
					...passiveParameters(fromItem),
					dryRun: DRY_RUN,
					options: TICK_BOUND,
				},
				credentials: { autorecoveryEvolutionApi: CREDENTIALS.evolution },
			},
			2,
			-1,
		),
		...CONNECTION_REPAIRS.map((repair, index) =>
			wf.add(
				{
					name: repair.name,
					type: 'n8n-nodes-autorecovery.whatsAppProbe',
					typeVersion: 1,
					// The result's target is "<gateway>:<instance>": the instance is what the gateway knows.
					parameters: { gateway: repair.gateway, operation: 'recover', target: '={{ $json.target }}', dryRun: DRY_RUN, options: TICK_BOUND },
					credentials: repair.credentials,
				},
				2,
				index,
			),
		),
		wf.add(
			{ name: RECOVER_FIX_NODES.catalog, type: 'n8n-nodes-autorecovery.dbIntegrity', typeVersion: 1, parameters: { operation: 'repair', backend: 'postgres', repairAction: 'auto', dryRun: DRY_RUN, options: {} }, credentials: { autorecoveryPostgresApi: CREDENTIALS.postgres } },
			2,
			3,
		),
		wf.add(
			{
				name: RECOVER_FIX_NODES.payments,
				type: 'n8n-nodes-autorecovery.paymentLinkTest',
				typeVersion: 1,
				parameters: { operation: 'recover', primaryProvider: 'mercadopago', secondaryProvider: 'paypal', dryRun: DRY_RUN, options: TICK_BOUND },
				credentials: { autorecoveryMercadoPagoApi: CREDENTIALS.mercadopago, autorecoveryPayPalApi: CREDENTIALS.paypal },
			},
			2,
			4,
		),
		wf.add(
			{
				name: RECOVER_FIX_NODES.llm,
				type: 'n8n-nodes-autorecovery.llmDiagnose',
				typeVersion: 1,
				parameters: { operation: 'recover', dryRun: DRY_RUN, options: TICK_BOUND },
				credentials: { autorecoveryGroqApi: CREDENTIALS.groq, autorecoveryOpenAiApi: CREDENTIALS.openai, autorecoveryAnthropicApi: CREDENTIALS.anthropic },
			},
			2,
			5,
		),
		wf.add({ name: RECOVER_FIX_NODES.escalate, type: 'n8n-nodes-autorecovery.incidentTracker', typeVersion: 1, parameters: { operation: 'escalate' } }, 2, 6),
	];
	const entry = wf.add(
		{
			name: 'Recovery Log Entry',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: {
				assignments: assignments([
					['diagnosis', "={{ $('When Called').first().json.diagnosis }}", 'object'],
					['tracking', "={{ $('When Called').first().json.tracking }}", 'object'],
					['recoveryExecutionId', '={{ $execution.id }}', 'string'],
				]),
				includeOtherFields: true,
				options: {},
			},
		},
		3,
		2,
	);
	fixes.forEach((fix, index) => wf.connect(route, fix, index).connect(fix, entry));

	// Did it fix it? (shared/recovery/outcome). A recovery that did not ends the execution in error, so n8n's
	// executions list shows it failed; the Monitor reads its result back (Collect Results) and sends the one alert,
	// the Error Handler skips this node's stop. Record Outcome also labels the execution (custom data).
	const outcome = wf.add({ name: RECOVER_NODES.outcome, type: 'n8n-nodes-autorecovery.recoveryGate', typeVersion: 1, parameters: { resource: 'outcome', operation: 'record' } }, 4, 2);
	const failed = wf.add({ name: 'Recovery Failed?', type: 'n8n-nodes-base.if', typeVersion: 2.2, parameters: { conditions: filter(condition('={{ $json.outcome.failed }}', 'true', '', 'boolean')), options: {} } }, 5, 2);
	const stop = wf.add({ name: RECOVER_NODES.didNotFixIt, type: 'n8n-nodes-base.stopAndError', typeVersion: 1, parameters: { errorType: 'errorMessage', errorMessage: '={{ $json.outcome.message }}' } }, 6, 1);
	// What a caller gets when the recovery did not fail: the last node's items.
	const done = wf.add({ name: 'Recovery Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} }, 6, 3);
	wf.connect(entry, outcome).connect(outcome, failed).connect(failed, stop, 0).connect(failed, done, 1);
	return wf.build(true);
}
