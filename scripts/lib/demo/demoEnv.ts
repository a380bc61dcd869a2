/**
 * The `.env` a user would write for the demo stack: every credential pointed at the
 * emulators, the embedded Postgres and the SMTP catcher. `npm start`'s own
 * credentialsFromEnv turns it into n8n credentials, so the demo configures n8n exactly
 * the way a real install does.
 */
import crypto from 'node:crypto';

import { anthropicDefaults } from '../../../dev/emulators/llm/anthropic';
import { groqDefaults } from '../../../dev/emulators/llm/groq';
import { openAiDefaults } from '../../../dev/emulators/llm/openai';
import { mercadoPagoDefaults } from '../../../dev/emulators/payments/mercadopago';
import { payPalDefaults } from '../../../dev/emulators/payments/paypal';
import { slackDefaults } from '../../../dev/emulators/alerts/slack';
import type { EmulatorName } from '../../../dev/emulators/stack';
import { cloudApiDefaults } from '../../../dev/emulators/whatsapp/cloudApi';
import { evolutionDefaults } from '../../../dev/emulators/whatsapp/evolution';
import { wahaDefaults } from '../../../dev/emulators/whatsapp/waha';

/** The Evolution instance the demo's bot uses (the emulator's seeded one). */
export const DEMO_INSTANCE = 'ventas';
/** The WAHA and Cloud API emulators' keys (null there would mean "none required"; both have one). */
const WAHA_API_KEY = wahaDefaults.apiKey ?? '';
const META_ACCESS_TOKEN = cloudApiDefaults.accessToken ?? '';
/** The demo's conversation canary: a second instance on the emulated Evolution server, with its own number. */
export const DEMO_CANARY_INSTANCE = 'canary';
export const DEMO_CANARY_NUMBER = '5215599990000';

export interface DemoEndpoints {
	postgres: { host: string; port: number; database: string; user: string; password: string };
	smtp: { host: string; port: number; user: string; password: string };
	/** Base URL of each emulator. */
	emulators: Record<EmulatorName, string>;
	/** Generated per run: the token webhook callers send, the status page login, the key relink links are signed with. */
	access: { webhookToken: string; statusUser: string; statusPassword: string; relinkSecret: string };
}

/** n8n's own API, for the recovery log: known only once the demo's n8n has made its key. */
interface DemoN8nApi {
	url: string;
	apiKey: string;
}

function firstKey(keys: string[], emulator: string): string {
	const key = keys[0];
	if (key === undefined) throw new Error(`the ${emulator} emulator accepts no API key`);
	return key;
}

/** The emulators' accepted keys: what the demo's credentials carry. */
export function emulatorKeys(): { groq: string; openai: string; anthropic: string } {
	return {
		groq: firstKey(groqDefaults().apiKeys, 'Groq'),
		openai: firstKey(openAiDefaults().apiKeys, 'OpenAI'),
		anthropic: firstKey(anthropicDefaults().apiKeys, 'Anthropic'),
	};
}

/** The Slack emulator's working webhook: what the demo's Slack credential carries. */
export function demoSlackWebhookUrl(endpoints: DemoEndpoints): string {
	return `${endpoints.emulators.slack}${slackDefaults.webhookPath}`;
}

export function demoCredentialEnv(endpoints: DemoEndpoints, n8nApi?: DemoN8nApi): Record<string, string> {
	const { postgres, smtp, emulators, access } = endpoints;
	const keys = emulatorKeys();
	return {
		AUTORECOVERY_SLACK_WEBHOOK_URL: demoSlackWebhookUrl(endpoints),
		AUTORECOVERY_WEBHOOK_TOKEN: access.webhookToken,
		// The gateway events' Evolution token (docs/gateway-events.md): its own value, derived from the demo's random API token.
		AUTORECOVERY_EVENTS_EVOLUTION_TOKEN: demoEventsToken(endpoints),
		AUTORECOVERY_STATUS_USER: access.statusUser,
		AUTORECOVERY_STATUS_PASSWORD: access.statusPassword,
		AUTORECOVERY_RELINK_SECRET: access.relinkSecret,
		...(n8nApi ? { AUTORECOVERY_N8N_API_KEY: n8nApi.apiKey, AUTORECOVERY_N8N_API_URL: `${n8nApi.url.replace(/\/+$/, '')}/api/v1` } : {}),
		AUTORECOVERY_PG_HOST: postgres.host,
		AUTORECOVERY_PG_PORT: String(postgres.port),
		AUTORECOVERY_PG_DATABASE: postgres.database,
		AUTORECOVERY_PG_USER: postgres.user,
		AUTORECOVERY_PG_PASSWORD: postgres.password,
		AUTORECOVERY_PG_SSL: 'disable',
		AUTORECOVERY_SMTP_HOST: smtp.host,
		AUTORECOVERY_SMTP_PORT: String(smtp.port),
		AUTORECOVERY_SMTP_SECURE: 'false',
		AUTORECOVERY_SMTP_USER: smtp.user,
		AUTORECOVERY_SMTP_PASSWORD: smtp.password,
		// The catcher speaks plain SMTP only.
		AUTORECOVERY_SMTP_DISABLE_STARTTLS: 'true',
		AUTORECOVERY_EVOLUTION_URL: emulators.evolution,
		AUTORECOVERY_EVOLUTION_API_KEY: evolutionDefaults.apiKey,
		AUTORECOVERY_EVOLUTION_INSTANCE: DEMO_INSTANCE,
		// The conversation canary: a second instance on the same emulated Evolution server.
		AUTORECOVERY_CANARY_EVOLUTION_URL: emulators.evolution,
		AUTORECOVERY_CANARY_EVOLUTION_API_KEY: evolutionDefaults.apiKey,
		AUTORECOVERY_CANARY_EVOLUTION_INSTANCE: DEMO_CANARY_INSTANCE,
		// Recover repairs each gateway through its own credential: the demo's other two gateways.
		AUTORECOVERY_WAHA_URL: emulators.waha,
		AUTORECOVERY_WAHA_API_KEY: WAHA_API_KEY,
		AUTORECOVERY_WAHA_SESSION: 'default',
		AUTORECOVERY_META_ACCESS_TOKEN: META_ACCESS_TOKEN,
		AUTORECOVERY_META_PHONE_NUMBER_ID: cloudApiDefaults.phone.id,
		AUTORECOVERY_META_WABA_ID: cloudApiDefaults.waba.id,
		AUTORECOVERY_META_BASE_URL: emulators.cloudApi,
		AUTORECOVERY_MERCADOPAGO_ACCESS_TOKEN: mercadoPagoDefaults.productionToken,
		AUTORECOVERY_MERCADOPAGO_ENVIRONMENT: 'production',
		AUTORECOVERY_MERCADOPAGO_BASE_URL: emulators.mercadopago,
		AUTORECOVERY_PAYPAL_CLIENT_ID: payPalDefaults.clientId,
		AUTORECOVERY_PAYPAL_CLIENT_SECRET: payPalDefaults.clientSecret,
		AUTORECOVERY_PAYPAL_ENVIRONMENT: 'sandbox',
		AUTORECOVERY_PAYPAL_BASE_URL: emulators.paypal,
		AUTORECOVERY_GROQ_API_KEY: keys.groq,
		AUTORECOVERY_GROQ_BASE_URL: emulators.groq,
		AUTORECOVERY_OPENAI_API_KEY: keys.openai,
		// The OpenAI client appends paths to a base that ends in /v1.
		AUTORECOVERY_OPENAI_BASE_URL: `${emulators.openai}/v1`,
		AUTORECOVERY_ANTHROPIC_API_KEY: keys.anthropic,
		AUTORECOVERY_ANTHROPIC_BASE_URL: emulators.anthropic,
	};
}

/** The demo's Evolution events token: a hash of its random API token, so the two are never the same value. */
export function demoEventsToken(endpoints: Pick<DemoEndpoints, 'access'>): string {
	return crypto.createHash('sha256').update(`gateway-events:${endpoints.access.webhookToken}`).digest('base64url');
}

/** Every secret value in the demo's credentials (for "printed nowhere" checks). */
export function demoSecrets(endpoints: DemoEndpoints): string[] {
	const keys = emulatorKeys();
	return [
		demoSlackWebhookUrl(endpoints),
		slackDefaults.webhookPath,
		endpoints.postgres.password,
		endpoints.smtp.password,
		endpoints.access.webhookToken,
		demoEventsToken(endpoints),
		endpoints.access.statusPassword,
		endpoints.access.relinkSecret,
		evolutionDefaults.apiKey,
		WAHA_API_KEY,
		META_ACCESS_TOKEN,
		mercadoPagoDefaults.productionToken,
		payPalDefaults.clientSecret,
		keys.groq,
		keys.openai,
		keys.anthropic,
	];
}
