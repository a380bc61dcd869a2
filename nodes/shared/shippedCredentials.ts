/**
 * The credentials `npm start` creates from `.env`, with the names a person sees in n8n.
 * Here (not in scripts/) because alerts name the credential a person must change:
 * scripts/workflows/ids.ts builds the shipped workflows with these same constants.
 */
export const SHIPPED_CREDENTIALS = {
	postgres: { id: 'autorecoveryPg001', name: 'Autorecovery Postgres' },
	/** n8n's own Postgres credential on the same database, for the example bot's catalog query (Demo: Sales Bot). */
	botCatalog: { id: 'autorecoveryBotPg01', name: 'Bot catalog (Postgres)' },
	smtp: { id: 'autorecoverySmtp01', name: 'Autorecovery alerts SMTP' },
	evolution: { id: 'autorecoveryEvo001', name: 'Autorecovery Evolution API' },
	/** The conversation canary's own number (issue 19), on its own Evolution instance. */
	canaryEvolution: { id: 'autorecoveryCanEvo1', name: 'Autorecovery Canary Evolution API' },
	waha: { id: 'autorecoveryWaha01', name: 'Autorecovery WAHA' },
	cloudApi: { id: 'autorecoveryMeta01', name: 'Autorecovery WhatsApp Cloud API' },
	supabase: { id: 'autorecoverySb0001', name: 'Autorecovery Supabase' },
	mercadopago: { id: 'autorecoveryMp0001', name: 'Autorecovery MercadoPago' },
	paypal: { id: 'autorecoveryPp0001', name: 'Autorecovery PayPal' },
	groq: { id: 'autorecoveryGroq01', name: 'Autorecovery Groq' },
	openai: { id: 'autorecoveryOai001', name: 'Autorecovery OpenAI' },
	anthropic: { id: 'autorecoveryAnt001', name: 'Autorecovery Anthropic' },
	slackWebhook: { id: 'autorecoverySlack01', name: 'Autorecovery Slack Webhook' },
	webhookToken: { id: 'autorecoveryWebhook1', name: 'Autorecovery webhook token' },
	statusPage: { id: 'autorecoveryStatus01', name: 'Autorecovery status page login' },
	n8nApi: { id: 'autorecoveryN8nApi01', name: 'Autorecovery n8n API' },
	gatewayEvents: { id: 'autorecoveryGwEvents1', name: 'Autorecovery gateway events' },
	relinkLink: { id: 'autorecoveryRelink01', name: 'Autorecovery relink link' },
} as const;

type ShippedCredential = keyof typeof SHIPPED_CREDENTIALS;

/** A target's first segment (its gateway, provider or database kind) → its credential. */
const BY_TARGET_PREFIX: Record<string, ShippedCredential> = {
	evolution: 'evolution',
	waha: 'waha',
	cloudapi: 'cloudApi',
	postgres: 'postgres',
	supabase: 'supabase',
	mercadopago: 'mercadopago',
	paypal: 'paypal',
	groq: 'groq',
	openai: 'openai',
	anthropic: 'anthropic',
};

/** The shipped credential a target uses (e.g. "mercadopago:production" → "Autorecovery MercadoPago"); undefined when not known. */
export function credentialNameOf(target: string): string | undefined {
	const prefix = target.split(':')[0].toLowerCase();
	const key = Object.prototype.hasOwnProperty.call(BY_TARGET_PREFIX, prefix) ? BY_TARGET_PREFIX[prefix] : undefined;
	return key ? SHIPPED_CREDENTIALS[key].name : undefined;
}
