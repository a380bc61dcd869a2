/**
 * Demo: Sales Bot — a small example bot for the demo and the canary's end-to-end tests, so the
 * conversation canary's round trip passes through real n8n: Evolution's `messages.upsert`
 * webhook comes in, a customer's message is answered from the catalog (n8n's Postgres node,
 * the products that match it: catalogReplySql.ts), and a canary message (its marker,
 * nodes/WhatsAppProbe/conversation/canaryMessage.ts) is answered with a fixed text, without
 * the catalog or an LLM and outside any sales figure. Replies go out through the gateway's
 * sendText (WhatsApp Probe → Send Message, the bot's Evolution credential). Not published by
 * npm start: it is an example to copy into a real bot.
 */
import { CANARY_MARKER_PATTERN } from '../../nodes/WhatsAppProbe/conversation/canaryMessage';
import { assignments, condition, filter, setting, WorkflowBuilder, type Json, type WorkflowJson } from './builder';
import { CATALOG_REPLY_PARAMETERS, CATALOG_REPLY_SQL } from './catalogReplySql';
import { CREDENTIALS, WEBHOOK_IDS, WORKFLOW_IDS } from './ids';

/** The path of its Webhook trigger: the bot's Evolution webhook is `<n8n URL>/webhook/demo-sales-bot`. */
export const DEMO_SALES_BOT_PATH = 'demo-sales-bot';

const SETTINGS: Array<[string, Json, 'string']> = [
	// A customer's answer: the intro, up to three products from the catalog, the closing question.
	['catalogIntro', '¡Hola! Soy el bot de la tienda. Esto tenemos para vos:', 'string'],
	['catalogClosing', '¿Cuál te interesa? Enviamos a todo el país.', 'string'],
	['catalogEmptyReply', '¡Hola! Soy el bot de la tienda. Ahora mismo no tenemos productos a la venta; escribinos más tarde.', 'string'],
	// A fixed answer to the Monitor's canary: no LLM call, no cost, not a customer.
	['canaryReply', 'Bot OK: mensaje de prueba recibido.', 'string'],
];

/** The message being answered, as Settings passed it on (a node's own output may replace the item). */
const MESSAGE = "$('Settings').item.json.body";

function reply(name: string, text: string): Parameters<WorkflowBuilder['add']>[0] {
	return {
		name,
		type: 'n8n-nodes-autorecovery.whatsAppProbe',
		typeVersion: 1,
		parameters: {
			gateway: 'evolution',
			operation: 'sendMessage',
			// The instance that received the message, and the customer's JID (Send Message takes a JID too).
			target: `={{ ${MESSAGE}.instance }}`,
			to: `={{ ${MESSAGE}.data.key.remoteJid }}`,
			text,
			options: {},
		},
		credentials: { autorecoveryEvolutionApi: CREDENTIALS.evolution },
	};
}

export function demoSalesBotWorkflow(): WorkflowJson {
	const wf = new WorkflowBuilder(WORKFLOW_IDS.demoSalesBot, 'Demo: Sales Bot', { executionOrder: 'v1', saveDataSuccessExecution: 'none', saveDataErrorExecution: 'all', saveManualExecutions: false });
	wf.lane({ title: 'Demo: a sales bot that answers', text: 'An example bot: the gateway posts each customer message here; a canary message gets the canary answer, a customer the products of the catalog that match the message.', color: 5 });
	const hook = wf.add(
		{
			name: 'Message Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: WEBHOOK_IDS.demoSalesBot,
			parameters: { httpMethod: 'POST', path: DEMO_SALES_BOT_PATH, responseMode: 'onReceived', options: {} },
		},
		0,
		1,
	);
	const settings = wf.add({ name: 'Settings', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { assignments: assignments(SETTINGS), includeOtherFields: true, options: {} } }, 1, 1);
	// Only a customer's new message: not the bot's own (fromMe), not other events.
	const incoming = wf.add(
		{
			name: 'Customer Message?',
			type: 'n8n-nodes-base.if',
			typeVersion: 2.2,
			parameters: {
				conditions: filter(condition('={{ $json.body.event }}', 'equals', 'messages.upsert'), condition('={{ $json.body.data.key.fromMe }}', 'false', '', 'boolean')),
				options: {},
			},
		},
		2,
		1,
	);
	const canary = wf.add(
		{
			name: 'Canary?',
			type: 'n8n-nodes-base.if',
			typeVersion: 2.2,
			parameters: { conditions: filter(condition('={{ $json.body.data.message.conversation }}', 'regex', CANARY_MARKER_PATTERN.source)), options: {} },
		},
		3,
		1,
	);
	const answerCanary = wf.add(reply('Answer Canary', setting('canaryReply')), 4, 0);
	// The statement's values ($1…$4), each a field reference, as one list.
	const values: Record<(typeof CATALOG_REPLY_PARAMETERS)[number], string> = {
		message: `${MESSAGE}.data.message.conversation`,
		intro: "$('Settings').item.json.catalogIntro",
		closing: "$('Settings').item.json.catalogClosing",
		emptyReply: "$('Settings').item.json.catalogEmptyReply",
	};
	const findInCatalog = wf.add(
		{
			name: 'Find in Catalog',
			type: 'n8n-nodes-base.postgres',
			typeVersion: 2.6,
			parameters: {
				operation: 'executeQuery',
				query: CATALOG_REPLY_SQL,
				// Bound values, never text in the SQL: the customer's message may say anything. A list, because
				// the node splits a text at its commas (and refuses an object).
				options: { queryReplacement: `={{ [${CATALOG_REPLY_PARAMETERS.map((name) => values[name]).join(', ')}] }}` },
			},
			credentials: { postgres: CREDENTIALS.botCatalog },
		},
		4,
		2,
	);
	const answerCustomer = wf.add(reply('Answer Customer', '={{ $json.reply }}'), 5, 2);
	wf.connect(hook, settings).connect(settings, incoming).connect(incoming, canary, 0).connect(canary, answerCanary, 0).connect(canary, findInCatalog, 1).connect(findInCatalog, answerCustomer);
	return wf.build(false);
}
