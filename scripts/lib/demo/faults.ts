/**
 * What `npm run chaos -- <fault>` can break, as data: each fault is a list of steps
 * against the demo's emulator control APIs or its Postgres, plus what the user should
 * watch for. `heal` undoes every fault. Executed by applyFault.ts.
 */
import { mercadoPagoDefaults } from '../../../dev/emulators/payments/mercadopago';
import type { EmulatorName } from '../../../dev/emulators/stack';
import { PHRASES } from '../../../nodes/shared/alerts/phrases';
import { WORKFLOW_IDS } from '../../workflows/ids';
import { DEMO_INSTANCE } from './demoEnv';

/** Placeholder in a step's `said` replaced by the statement's row count. */
export const ROWS = '{rows}';

export type FaultStep =
	/** A call to one emulator's control API (`<url>/__emulator<path>`). */
	| { kind: 'emulator'; emulator: EmulatorName; method: 'PUT' | 'PATCH' | 'DELETE'; path: string; body?: Record<string, unknown>; said: string }
	/** DELETE /__emulator/faults on every emulator. */
	| { kind: 'clearFaults'; said: string }
	/** One statement on the demo's database (all SQL steps of a fault run in one transaction). '' = say nothing. */
	| { kind: 'sql'; sql: string; said: string }
	/** Publishes or unpublishes one of the demo n8n's workflows (its public API, with the demo's key). */
	| { kind: 'workflow'; workflowId: string; active: boolean; said: string };

export interface Fault {
	name: string;
	summary: string;
	steps: FaultStep[];
	/** What to look at afterwards, given the demo's timing. */
	watchFor: (timing: { tickSeconds: number; confirmSeconds: number }) => string;
}

/** Where catalog-empty keeps the products so heal can put them back. */
const STASH_TABLE = 'demo_chaos_products';

const stashTable = `CREATE TABLE IF NOT EXISTS ${STASH_TABLE} (LIKE products)`;

/** The names and headings the (English) alerts use, so a hint and the alert it announces agree. */
const NAME = PHRASES.en.component;
const HEADING = { problem: PHRASES.en.heading.opened(''), needsYou: PHRASES.en.heading.escalated(''), resolved: 'Resolved' };

const withinTick = ({ tickSeconds, confirmSeconds }: { tickSeconds: number; confirmSeconds: number }) =>
	`within one tick (${tickSeconds} s) plus the ${confirmSeconds} s confirmation`;

export const FAULTS: Fault[] = [
	{
		name: 'whatsapp-disconnect',
		summary: 'the Evolution WhatsApp instance loses its connection (state → close)',
		steps: [
			{
				kind: 'emulator',
				emulator: 'evolution',
				method: 'PATCH',
				path: '/state',
				body: { instances: { [DEMO_INSTANCE]: { state: 'close' } } },
				said: `Evolution instance "${DEMO_INSTANCE}" is now disconnected (state close)`,
			},
		],
		watchFor: (timing) =>
			`${withinTick(timing)}: the Monitor finds ${NAME.whatsapp} down, confirms it, the Recover workflow restarts the instance, ` +
			`and one "${HEADING.resolved}" alert ([slack] and [email] lines) reports it; the recovery shows up as an [n8n] Recover execution.`,
	},
	{
		name: 'images-lost',
		summary: 'every 10th product loses its image_url',
		steps: [
			{
				kind: 'sql',
				sql: 'UPDATE products SET image_url = NULL WHERE id % 10 = 0 AND image_url IS NOT NULL',
				said: `set image_url to NULL on ${ROWS} products (every 10th)`,
			},
		],
		watchFor: (timing) =>
			`${withinTick(timing)}: ${NAME.database} goes degraded (products without images), Recover restores the images from ` +
			`product_images_backup, and one "${HEADING.resolved}" alert counts the restored rows.`,
	},
	{
		name: 'groq-down',
		summary: 'the Groq API answers HTTP 500 to everything',
		steps: [{ kind: 'emulator', emulator: 'groq', method: 'PUT', path: '/faults/*', body: { status: 500 }, said: 'Groq emulator now answers 500 on every route' }],
		watchFor: (timing) =>
			`${withinTick(timing)}: ${NAME.llm} (groq) goes down; the diagnosis falls back to OpenAI ("by OpenAI" in the alert), ` +
			`Recover switches to the fallback LLM and one "${HEADING.resolved}" alert says so.`,
	},
	{
		name: 'payment-token-revoked',
		summary: 'the MercadoPago access token is revoked (HTTP 401)',
		steps: [
			{
				kind: 'emulator',
				emulator: 'mercadopago',
				method: 'PATCH',
				path: '/state',
				body: { revokedTokens: [mercadoPagoDefaults.productionToken] },
				said: 'MercadoPago emulator now rejects the demo access token (401)',
			},
		],
		watchFor: (timing) =>
			`${withinTick(timing)}: ${NAME.payments} (mercadopago) goes down; only you can issue a new token, so there is one "${HEADING.needsYou}" ` +
			'alert naming the credential to change, and no automatic action.',
	},
	{
		name: 'catalog-empty',
		summary: 'every product disappears from the catalog',
		steps: [
			{ kind: 'sql', sql: stashTable, said: '' },
			{ kind: 'sql', sql: `INSERT INTO ${STASH_TABLE} SELECT * FROM products`, said: '' },
			{ kind: 'sql', sql: 'DELETE FROM products', said: `deleted all ${ROWS} products (kept aside in ${STASH_TABLE} for heal)` },
		],
		watchFor: (timing) =>
			`${withinTick(timing)}: ${NAME.database} goes down; a "${HEADING.problem}" alert says the catalog is empty and how to bring ` +
			'it back. Recover tries to import it again on the following ticks until the recovery budget (budgetMaxActions in the ' +
			`Monitor's Settings) is spent; then one "${HEADING.needsYou}" alert, and quiet until you fix it or run heal. ` +
			'Meanwhile Demo: Sales Bot tells customers that nothing is for sale.',
	},
	{
		name: 'whatsapp-zombie',
		summary: 'the bot\'s Evolution session turns zombie: it reports open, but nothing is sent or received',
		steps: [
			{
				kind: 'emulator',
				emulator: 'evolution',
				method: 'PATCH',
				path: '/state',
				body: { instances: { [DEMO_INSTANCE]: { zombie: true } } },
				said: `Evolution instance "${DEMO_INSTANCE}" still says "open", but its messages go nowhere`,
			},
		],
		watchFor: (timing) =>
			`${withinTick(timing)}: ${NAME.whatsapp}'s status endpoint stays green, but the canary's message never reaches the bot; ` +
			`the Monitor confirms it, Recover restarts the session, the canary gets its answer again and a "${HEADING.resolved}" alert follows.`,
	},
	{
		name: 'webhook-lost',
		summary: 'the bot\'s Evolution webhook is wiped (Evolution #2694): WhatsApp works, the bot hears nothing',
		steps: [
			{
				kind: 'emulator',
				emulator: 'evolution',
				method: 'PATCH',
				path: '/state',
				body: { instances: { [DEMO_INSTANCE]: { webhookLost: true } } },
				said: `Evolution instance "${DEMO_INSTANCE}" no longer sends customers' messages to the bot's workflow`,
			},
		],
		watchFor: (timing) =>
			`${withinTick(timing)}: the Webhook Check finds ${NAME.whatsapp}'s webhook missing, Recover sets it again and the "${HEADING.resolved}" alert names the webhook.`,
	},
	{
		name: 'bot-silent',
		summary: 'the bot\'s workflow ("Demo: Sales Bot") stops answering (unpublished); WhatsApp is fine',
		steps: [{ kind: 'workflow', workflowId: WORKFLOW_IDS.demoSalesBot, active: false, said: 'unpublished "Demo: Sales Bot": messages reach the gateway, nobody answers' }],
		watchFor: (timing) =>
			`${withinTick(timing)}: the canary gets no answer although the bot's gateway has its message; one "${HEADING.needsYou}" alert says ` +
			`customers get no answer and points at the bot's workflow. No ${NAME.whatsapp} reconnect is tried.`,
	},
	{
		name: 'heal',
		summary: 'undo every fault above',
		steps: [
			{
				kind: 'emulator',
				emulator: 'evolution',
				method: 'PATCH',
				path: '/state',
				body: { instances: { [DEMO_INSTANCE]: { state: 'open', zombie: false, webhookLost: false } } },
				said: `Evolution instance "${DEMO_INSTANCE}" is connected, sends and receives, and has its webhook`,
			},
			{ kind: 'clearFaults', said: 'cleared injected faults on every emulator' },
			{ kind: 'emulator', emulator: 'mercadopago', method: 'PATCH', path: '/state', body: { revokedTokens: [] }, said: 'MercadoPago accepts the demo access token again' },
			{ kind: 'workflow', workflowId: WORKFLOW_IDS.demoSalesBot, active: true, said: '"Demo: Sales Bot" is published and answers again' },
			{ kind: 'sql', sql: stashTable, said: '' },
			{ kind: 'sql', sql: `INSERT INTO products SELECT * FROM ${STASH_TABLE} ON CONFLICT DO NOTHING`, said: `put back ${ROWS} products removed by catalog-empty` },
			{ kind: 'sql', sql: `DELETE FROM ${STASH_TABLE}`, said: '' },
			{
				kind: 'sql',
				sql: 'UPDATE products p SET image_url = b.image_url FROM product_images_backup b WHERE p.sku = b.sku AND p.image_url IS NULL',
				said: `restored ${ROWS} product images from product_images_backup`,
			},
		],
		watchFor: (timing) => `${withinTick(timing)}: every open incident closes with a "resolved" alert.`,
	},
];

export function faultNamed(name: string): Fault | undefined {
	return FAULTS.find((fault) => fault.name === name);
}

/** The list printed by `npm run chaos` without a fault, or with an unknown one. */
export function faultList(): string {
	const width = Math.max(...FAULTS.map((fault) => fault.name.length));
	return FAULTS.map((fault) => `  ${fault.name.padEnd(width)}  ${fault.summary}`).join('\n');
}

type ChaosCommand = { kind: 'fault'; fault: Fault } | { kind: 'help' } | { kind: 'usage'; problem: string };

/** `npm run chaos -- <fault>`: exactly one fault name, or --help. */
export function parseChaosArgs(args: string[]): ChaosCommand {
	if (args.length === 1 && ['--help', '-h', 'help', 'list'].includes(args[0])) return { kind: 'help' };
	if (args.length === 0) return { kind: 'usage', problem: 'which fault? Name one' };
	if (args.length > 1) return { kind: 'usage', problem: `one fault at a time, got ${args.length}: ${args.join(' ')}` };
	const fault = faultNamed(args[0]);
	return fault ? { kind: 'fault', fault } : { kind: 'usage', problem: `unknown fault "${args[0]}"` };
}
