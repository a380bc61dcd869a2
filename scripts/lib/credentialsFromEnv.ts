/**
 * Which n8n credentials `npm start` creates from `.env`. One row per credential:
 * it is created when its required variables are set. Each issue that adds a
 * credential type adds its row here and documents the variables in `.env.example`.
 */
import { redact } from '../../nodes/shared/redact';
import { CREDENTIALS } from '../workflows/ids';
import { PROVIDER_BASE_URLS } from '../../nodes/shared/providerBaseUrls';
import { MIN_SECRET_CHARS as MIN_LINK_SECRET_CHARS } from '../../nodes/shared/links/incidentLinkToken';

/** The header the manual API's token travels in (docs/manual-api.md). */
export const WEBHOOK_TOKEN_HEADER = 'X-Autorecovery-Token';

/** Checks one variable's value; returns the problem (naming the variable) or undefined. */
type FormatCheck = (key: string, value: string) => string | undefined;

interface CredentialSpec {
	/** Fixed id, so shipped workflows can reference it and re-imports update it. */
	id: string;
	name: string;
	type: string;
	/** Variables that must all be set for this credential to be created... */
	requires: string[];
	/** ...or, instead, a rule of its own (e.g. one of two alternatives). */
	when?: (env: Record<string, string>) => boolean;
	/** Other variables `build` reads; unset ones fall back to the credential class's defaults. */
	optional: string[];
	/** Variables whose values are secret: never echoed in a problem. */
	secrets: string[];
	/** Format checks for set, non-empty variables. */
	formats?: Record<string, FormatCheck>;
	build: (env: Record<string, string>) => Record<string, unknown>;
}

export interface N8nCredentialFile {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

const GATEWAY_EVENT_VARIABLES = ['AUTORECOVERY_EVENTS_EVOLUTION_TOKEN', 'AUTORECOVERY_EVENTS_WAHA_HMAC_KEY', 'AUTORECOVERY_EVENTS_META_APP_SECRET', 'AUTORECOVERY_EVENTS_META_VERIFY_TOKEN'] as const;

const bool = (value: string | undefined, fallback: boolean) =>
	value === undefined || value === '' ? fallback : /^(1|true|yes|on)$/i.test(value);

const portNumber: FormatCheck = (key, value) =>
	/^\d{1,5}$/.test(value) ? undefined : `${key} must be a port number, got "${value}"`;

/** A URL's protocol (e.g. "https:"), or undefined when the value is not a URL. */
function protocolOf(value: string): string | undefined {
	try {
		return new URL(value).protocol;
	} catch {
		return undefined;
	}
}

/** The value is only echoed through redaction: a key pasted into a URL variable must not leak. */
const httpUrl: FormatCheck = (key, value) => {
	const protocol = protocolOf(value);
	if (protocol === 'http:' || protocol === 'https:') return undefined;
	return `${key} must be an http:// or https:// URL, got "${value}"`;
};

const oneOf =
	(...allowed: string[]): FormatCheck =>
	(key, value) =>
		allowed.includes(value)
			? undefined
			: `${key} must be ${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}, got "${value}"`;

// Meta's path pattern is ^v[0-9]+\.[0-9]+$ (e.g. v23.0).
const graphVersion: FormatCheck = (key, value) =>
	/^v\d+\.\d+$/.test(value) ? undefined : `${key} must be a Graph API version like v23.0, got "${value}"`;

// The PIN is a secret: say what is wrong with it, never what it is.
const sixDigitPin: FormatCheck = (key, value) =>
	/^\d{6}$/.test(value) ? undefined : `${key} must be exactly 6 digits (the two-step verification PIN)`;

// An HMAC key: say how long it must be, never what it is.
const longSecret: FormatCheck = (key, value) =>
	value.length >= MIN_LINK_SECRET_CHARS ? undefined : `${key} must be at least ${MIN_LINK_SECRET_CHARS} characters long (e.g. openssl rand -base64 32)`;

const POSTGRES_SSL_MODES = ['disable', 'require', 'verify-full'] as const;
/** The URL is a secret (it holds the password): say what is wrong with it, never what it is. */
const postgresUrl: FormatCheck = (key, value) => {
	const protocol = protocolOf(value);
	return protocol === 'postgres:' || protocol === 'postgresql:' ? undefined : `${key} must be a postgres:// or postgresql:// URL (user, password, host, port and database in it)`;
};
/** When and from what both Postgres credentials (the Autorecovery one and the bot's, n8n's type) are made. */
const FROM_POSTGRES_VARIABLES: Pick<CredentialSpec, 'requires' | 'when' | 'optional' | 'secrets' | 'formats'> = {
	requires: ['AUTORECOVERY_PG_HOST'],
	when: (env) => Boolean(env.AUTORECOVERY_PG_URL || env.AUTORECOVERY_PG_HOST),
	optional: ['AUTORECOVERY_PG_URL', 'AUTORECOVERY_PG_PORT', 'AUTORECOVERY_PG_DATABASE', 'AUTORECOVERY_PG_USER', 'AUTORECOVERY_PG_PASSWORD', 'AUTORECOVERY_PG_SSL'],
	secrets: ['AUTORECOVERY_PG_URL', 'AUTORECOVERY_PG_PASSWORD'],
	formats: { AUTORECOVERY_PG_URL: postgresUrl, AUTORECOVERY_PG_PORT: portNumber, AUTORECOVERY_PG_SSL: oneOf(...POSTGRES_SSL_MODES) },
};

/** libpq's sslmode (the URL's, or AUTORECOVERY_PG_SSL) → n8n's Postgres SSL choice; any other mode encrypts: require. */
const N8N_SSL_BY_SSLMODE: Record<string, string> = { disable: 'disable', allow: 'allow', prefer: 'allow' };
const CERTIFICATE_CHECKING_SSLMODES = ['verify-ca', 'verify-full'];

/**
 * n8n's Postgres credential from the same variables as the Autorecovery Postgres one: the
 * URL (postgres://user:password@host:port/database?sslmode=…) wins, like there. n8n's SSL
 * choices are disable/allow/require, so `require` encrypts without checking the certificate
 * (libpq's meaning) and `verify-ca`/`verify-full` are `require` with the certificate checked.
 */
export function n8nPostgresCredential(env: Record<string, string>): Record<string, unknown> {
	let fromUrl: { host: string; port: string; database: string; user: string; password: string; ssl: string } | undefined;
	if (env.AUTORECOVERY_PG_URL) {
		const url = new URL(env.AUTORECOVERY_PG_URL);
		fromUrl = {
			host: decodeURIComponent(url.hostname),
			port: url.port,
			database: decodeURIComponent(url.pathname.replace(/^\//, '')),
			user: decodeURIComponent(url.username),
			password: decodeURIComponent(url.password),
			ssl: url.searchParams.get('sslmode') ?? '',
		};
	}
	const pick = (fromUrlValue: string | undefined, variable: string, fallback: string) => fromUrlValue || env[variable] || fallback;
	const ssl = pick(fromUrl?.ssl, 'AUTORECOVERY_PG_SSL', 'disable');
	const n8nSsl = N8N_SSL_BY_SSLMODE[ssl] ?? 'require';
	return {
		host: pick(fromUrl?.host, 'AUTORECOVERY_PG_HOST', 'localhost'),
		port: Number(pick(fromUrl?.port, 'AUTORECOVERY_PG_PORT', '5432')),
		database: pick(fromUrl?.database, 'AUTORECOVERY_PG_DATABASE', 'postgres'),
		user: pick(fromUrl?.user, 'AUTORECOVERY_PG_USER', 'postgres'),
		password: fromUrl ? fromUrl.password : (env.AUTORECOVERY_PG_PASSWORD ?? ''),
		ssl: n8nSsl,
		// n8n turns SSL on whenever this is set, whatever `ssl` says: only with SSL, and only unchecked.
		allowUnauthorizedCerts: n8nSsl !== 'disable' && !CERTIFICATE_CHECKING_SSLMODES.includes(ssl),
		maxConnections: 10,
	};
}

export const CREDENTIAL_SPECS: CredentialSpec[] = [
	{
		...CREDENTIALS.smtp,
		type: 'smtp',
		requires: ['AUTORECOVERY_SMTP_HOST'],
		optional: [
			'AUTORECOVERY_SMTP_PORT',
			'AUTORECOVERY_SMTP_SECURE',
			'AUTORECOVERY_SMTP_USER',
			'AUTORECOVERY_SMTP_PASSWORD',
			'AUTORECOVERY_SMTP_DISABLE_STARTTLS',
		],
		secrets: ['AUTORECOVERY_SMTP_PASSWORD'],
		formats: { AUTORECOVERY_SMTP_PORT: portNumber },
		build: (env) => ({
			host: env.AUTORECOVERY_SMTP_HOST,
			port: Number(env.AUTORECOVERY_SMTP_PORT || 587),
			secure: bool(env.AUTORECOVERY_SMTP_SECURE, false),
			user: env.AUTORECOVERY_SMTP_USER ?? '',
			password: env.AUTORECOVERY_SMTP_PASSWORD ?? '',
			disableStartTls: bool(env.AUTORECOVERY_SMTP_DISABLE_STARTTLS, false),
		}),
	},
	{
		// The webhook URL is the secret itself: anyone holding it can post to the channel.
		...CREDENTIALS.slackWebhook,
		type: 'autorecoverySlackWebhookApi',
		requires: ['AUTORECOVERY_SLACK_WEBHOOK_URL'],
		optional: [],
		secrets: ['AUTORECOVERY_SLACK_WEBHOOK_URL'],
		formats: { AUTORECOVERY_SLACK_WEBHOOK_URL: httpUrl },
		build: (env) => ({ webhookUrl: env.AUTORECOVERY_SLACK_WEBHOOK_URL }),
	},
	{
		...CREDENTIALS.postgres,
		type: 'autorecoveryPostgresApi',
		...FROM_POSTGRES_VARIABLES,
		build: (env) => ({
			connectionString: env.AUTORECOVERY_PG_URL ?? '',
			host: env.AUTORECOVERY_PG_HOST || 'localhost',
			port: Number(env.AUTORECOVERY_PG_PORT || 5432),
			database: env.AUTORECOVERY_PG_DATABASE || 'postgres',
			user: env.AUTORECOVERY_PG_USER || 'postgres',
			password: env.AUTORECOVERY_PG_PASSWORD ?? '',
			ssl: env.AUTORECOVERY_PG_SSL || 'disable',
		}),
	},
	{
		// The example bot (Demo: Sales Bot) queries its catalog with n8n's own Postgres node, whose credential has no URL field.
		...CREDENTIALS.botCatalog,
		type: 'postgres',
		...FROM_POSTGRES_VARIABLES,
		build: (env) => n8nPostgresCredential(env),
	},
	{
		...CREDENTIALS.webhookToken,
		type: 'httpHeaderAuth',
		requires: ['AUTORECOVERY_WEBHOOK_TOKEN'],
		optional: [],
		secrets: ['AUTORECOVERY_WEBHOOK_TOKEN'],
		build: (env) => ({ name: WEBHOOK_TOKEN_HEADER, value: env.AUTORECOVERY_WEBHOOK_TOKEN }),
	},
	{
		// Gateway events (docs/gateway-events.md): created when any source's secret is set; an empty one refuses that source.
		...CREDENTIALS.gatewayEvents,
		type: 'autorecoveryGatewayEventsApi',
		requires: [],
		when: (env) => GATEWAY_EVENT_VARIABLES.some((name) => (env[name] ?? '') !== ''),
		optional: [...GATEWAY_EVENT_VARIABLES],
		secrets: [...GATEWAY_EVENT_VARIABLES],
		build: (env) => ({
			evolutionToken: env.AUTORECOVERY_EVENTS_EVOLUTION_TOKEN ?? '',
			wahaHmacKey: env.AUTORECOVERY_EVENTS_WAHA_HMAC_KEY ?? '',
			metaAppSecret: env.AUTORECOVERY_EVENTS_META_APP_SECRET ?? '',
			metaVerifyToken: env.AUTORECOVERY_EVENTS_META_VERIFY_TOKEN ?? '',
		}),
	},
	{
		...CREDENTIALS.statusPage,
		type: 'httpBasicAuth',
		requires: ['AUTORECOVERY_STATUS_USER', 'AUTORECOVERY_STATUS_PASSWORD'],
		optional: [],
		secrets: ['AUTORECOVERY_STATUS_PASSWORD'],
		build: (env) => ({ user: env.AUTORECOVERY_STATUS_USER, password: env.AUTORECOVERY_STATUS_PASSWORD }),
	},
	{
		// Signs the relink page links alerts carry (HMAC key): a secret, never echoed.
		...CREDENTIALS.relinkLink,
		type: 'autorecoveryRelinkLinkApi',
		requires: ['AUTORECOVERY_RELINK_SECRET'],
		optional: [],
		secrets: ['AUTORECOVERY_RELINK_SECRET'],
		formats: { AUTORECOVERY_RELINK_SECRET: longSecret },
		build: (env) => ({ secret: env.AUTORECOVERY_RELINK_SECRET }),
	},
	{
		// The recovery log is n8n's execution history, read through n8n's public API.
		// `npm start` fills AUTORECOVERY_N8N_API_KEY with the key it creates when .env has none.
		...CREDENTIALS.n8nApi,
		type: 'n8nApi',
		requires: ['AUTORECOVERY_N8N_API_KEY'],
		optional: ['AUTORECOVERY_N8N_API_URL', 'N8N_PORT'],
		secrets: ['AUTORECOVERY_N8N_API_KEY'],
		formats: { AUTORECOVERY_N8N_API_URL: httpUrl },
		build: (env) => ({
			apiKey: env.AUTORECOVERY_N8N_API_KEY,
			baseUrl: env.AUTORECOVERY_N8N_API_URL || `http://127.0.0.1:${env.N8N_PORT || 5678}/api/v1`,
		}),
	},
	{
		...CREDENTIALS.evolution,
		type: 'autorecoveryEvolutionApi',
		// The instance is a required field of the credential with no usable default.
		requires: ['AUTORECOVERY_EVOLUTION_URL', 'AUTORECOVERY_EVOLUTION_API_KEY', 'AUTORECOVERY_EVOLUTION_INSTANCE'],
		optional: [],
		secrets: ['AUTORECOVERY_EVOLUTION_API_KEY'],
		formats: { AUTORECOVERY_EVOLUTION_URL: httpUrl },
		build: (env) => ({
			baseUrl: env.AUTORECOVERY_EVOLUTION_URL,
			apiKey: env.AUTORECOVERY_EVOLUTION_API_KEY,
			instance: env.AUTORECOVERY_EVOLUTION_INSTANCE,
		}),
	},
	{
		...CREDENTIALS.canaryEvolution,
		type: 'autorecoveryCanaryEvolutionApi',
		// The conversation canary (docs/whatsapp-canary.md): a second number on its own instance.
		requires: ['AUTORECOVERY_CANARY_EVOLUTION_URL', 'AUTORECOVERY_CANARY_EVOLUTION_API_KEY', 'AUTORECOVERY_CANARY_EVOLUTION_INSTANCE'],
		optional: [],
		secrets: ['AUTORECOVERY_CANARY_EVOLUTION_API_KEY'],
		formats: { AUTORECOVERY_CANARY_EVOLUTION_URL: httpUrl },
		build: (env) => ({
			baseUrl: env.AUTORECOVERY_CANARY_EVOLUTION_URL,
			apiKey: env.AUTORECOVERY_CANARY_EVOLUTION_API_KEY,
			instance: env.AUTORECOVERY_CANARY_EVOLUTION_INSTANCE,
		}),
	},
	{
		...CREDENTIALS.waha,
		type: 'autorecoveryWahaApi',
		requires: ['AUTORECOVERY_WAHA_URL', 'AUTORECOVERY_WAHA_API_KEY'],
		optional: ['AUTORECOVERY_WAHA_SESSION'],
		secrets: ['AUTORECOVERY_WAHA_API_KEY'],
		formats: { AUTORECOVERY_WAHA_URL: httpUrl },
		build: (env) => ({
			baseUrl: env.AUTORECOVERY_WAHA_URL,
			apiKey: env.AUTORECOVERY_WAHA_API_KEY,
			session: env.AUTORECOVERY_WAHA_SESSION || 'default',
		}),
	},
	{
		...CREDENTIALS.cloudApi,
		type: 'autorecoveryWhatsAppCloudApi',
		requires: ['AUTORECOVERY_META_ACCESS_TOKEN', 'AUTORECOVERY_META_PHONE_NUMBER_ID'],
		optional: [
			'AUTORECOVERY_META_WABA_ID',
			'AUTORECOVERY_META_GRAPH_VERSION',
			'AUTORECOVERY_META_BASE_URL',
			'AUTORECOVERY_META_PIN',
		],
		secrets: ['AUTORECOVERY_META_ACCESS_TOKEN', 'AUTORECOVERY_META_PIN'],
		formats: {
			AUTORECOVERY_META_GRAPH_VERSION: graphVersion,
			AUTORECOVERY_META_BASE_URL: httpUrl,
			AUTORECOVERY_META_PIN: sixDigitPin,
		},
		build: (env) => ({
			accessToken: env.AUTORECOVERY_META_ACCESS_TOKEN,
			phoneNumberId: env.AUTORECOVERY_META_PHONE_NUMBER_ID,
			wabaId: env.AUTORECOVERY_META_WABA_ID || '',
			graphVersion: env.AUTORECOVERY_META_GRAPH_VERSION || 'v23.0',
			baseUrl: env.AUTORECOVERY_META_BASE_URL || PROVIDER_BASE_URLS.metaGraph,
			pin: env.AUTORECOVERY_META_PIN || '',
		}),
	},
	{
		...CREDENTIALS.mercadopago,
		type: 'autorecoveryMercadoPagoApi',
		requires: ['AUTORECOVERY_MERCADOPAGO_ACCESS_TOKEN'],
		optional: ['AUTORECOVERY_MERCADOPAGO_ENVIRONMENT', 'AUTORECOVERY_MERCADOPAGO_BASE_URL'],
		secrets: ['AUTORECOVERY_MERCADOPAGO_ACCESS_TOKEN'],
		formats: {
			AUTORECOVERY_MERCADOPAGO_ENVIRONMENT: oneOf('production', 'sandbox'),
			AUTORECOVERY_MERCADOPAGO_BASE_URL: httpUrl,
		},
		build: (env) => ({
			accessToken: env.AUTORECOVERY_MERCADOPAGO_ACCESS_TOKEN,
			environment: env.AUTORECOVERY_MERCADOPAGO_ENVIRONMENT || 'production',
			baseUrl: env.AUTORECOVERY_MERCADOPAGO_BASE_URL || PROVIDER_BASE_URLS.mercadopago,
		}),
	},
	{
		...CREDENTIALS.paypal,
		type: 'autorecoveryPayPalApi',
		requires: ['AUTORECOVERY_PAYPAL_CLIENT_ID', 'AUTORECOVERY_PAYPAL_CLIENT_SECRET'],
		optional: ['AUTORECOVERY_PAYPAL_ENVIRONMENT', 'AUTORECOVERY_PAYPAL_BASE_URL'],
		secrets: ['AUTORECOVERY_PAYPAL_CLIENT_SECRET'],
		formats: { AUTORECOVERY_PAYPAL_ENVIRONMENT: oneOf('live', 'sandbox'), AUTORECOVERY_PAYPAL_BASE_URL: httpUrl },
		build: (env) => ({
			clientId: env.AUTORECOVERY_PAYPAL_CLIENT_ID,
			clientSecret: env.AUTORECOVERY_PAYPAL_CLIENT_SECRET,
			environment: env.AUTORECOVERY_PAYPAL_ENVIRONMENT || 'live',
			// Empty means "the environment's host".
			baseUrl: env.AUTORECOVERY_PAYPAL_BASE_URL || '',
		}),
	},
	{
		...CREDENTIALS.groq,
		type: 'autorecoveryGroqApi',
		requires: ['AUTORECOVERY_GROQ_API_KEY'],
		optional: ['AUTORECOVERY_GROQ_BASE_URL'],
		secrets: ['AUTORECOVERY_GROQ_API_KEY'],
		formats: { AUTORECOVERY_GROQ_BASE_URL: httpUrl },
		build: (env) => ({
			apiKey: env.AUTORECOVERY_GROQ_API_KEY,
			baseUrl: env.AUTORECOVERY_GROQ_BASE_URL || PROVIDER_BASE_URLS.groq,
		}),
	},
	{
		...CREDENTIALS.openai,
		type: 'autorecoveryOpenAiApi',
		requires: ['AUTORECOVERY_OPENAI_API_KEY'],
		optional: ['AUTORECOVERY_OPENAI_ORGANIZATION', 'AUTORECOVERY_OPENAI_BASE_URL'],
		secrets: ['AUTORECOVERY_OPENAI_API_KEY'],
		formats: { AUTORECOVERY_OPENAI_BASE_URL: httpUrl },
		build: (env) => ({
			apiKey: env.AUTORECOVERY_OPENAI_API_KEY,
			organization: env.AUTORECOVERY_OPENAI_ORGANIZATION || '',
			baseUrl: env.AUTORECOVERY_OPENAI_BASE_URL || PROVIDER_BASE_URLS.openai,
		}),
	},
	{
		...CREDENTIALS.anthropic,
		type: 'autorecoveryAnthropicApi',
		requires: ['AUTORECOVERY_ANTHROPIC_API_KEY'],
		optional: ['AUTORECOVERY_ANTHROPIC_BASE_URL'],
		secrets: ['AUTORECOVERY_ANTHROPIC_API_KEY'],
		formats: { AUTORECOVERY_ANTHROPIC_BASE_URL: httpUrl },
		build: (env) => ({
			apiKey: env.AUTORECOVERY_ANTHROPIC_API_KEY,
			baseUrl: env.AUTORECOVERY_ANTHROPIC_BASE_URL || PROVIDER_BASE_URLS.anthropic,
		}),
	},
	{
		...CREDENTIALS.supabase,
		type: 'autorecoverySupabaseApi',
		requires: ['AUTORECOVERY_SUPABASE_URL', 'AUTORECOVERY_SUPABASE_SERVICE_ROLE_KEY'],
		optional: [],
		secrets: ['AUTORECOVERY_SUPABASE_SERVICE_ROLE_KEY'],
		formats: { AUTORECOVERY_SUPABASE_URL: httpUrl },
		build: (env) => ({
			url: env.AUTORECOVERY_SUPABASE_URL,
			serviceRoleKey: env.AUTORECOVERY_SUPABASE_SERVICE_ROLE_KEY,
		}),
	},
];

/** Every variable the credential specs read (each must be documented in `.env.example`). */
export const CREDENTIAL_ENV_KEYS: ReadonlySet<string> = new Set(
	CREDENTIAL_SPECS.flatMap((spec) => [...spec.requires, ...spec.optional]),
);

/** Validates values that would otherwise fail later inside n8n. Problems never contain secret values. */
export function validateCredentialEnv(env: Record<string, string>): string[] {
	const problems: string[] = [];
	// Two credentials may read one variable (both Postgres ones): one problem per variable.
	const checked = new Set<string>();
	for (const spec of CREDENTIAL_SPECS) {
		for (const [key, check] of Object.entries(spec.formats ?? {})) {
			const value = env[key];
			if (value === undefined || value === '' || checked.has(key)) continue;
			checked.add(key);
			const problem = check(key, value);
			if (problem) problems.push(problem);
		}
		if (spec.when) continue;
		const missing = spec.requires.filter((key) => !env[key]);
		if (missing.length > 0 && missing.length < spec.requires.length) {
			const set = spec.requires.filter((key) => env[key]);
			problems.push(`${spec.name} needs ${missing.join(' and ')} too (${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set)`);
		}
	}
	const secrets = CREDENTIAL_SPECS.flatMap((spec) => spec.secrets.map((key) => env[key]));
	return problems.map((problem) => redact(problem, { secrets }));
}

export function credentialsFromEnv(env: Record<string, string>): N8nCredentialFile[] {
	return CREDENTIAL_SPECS.filter((spec) => (spec.when ? spec.when(env) : spec.requires.every((key) => env[key]))).map((spec) => ({
		id: spec.id,
		name: spec.name,
		type: spec.type,
		data: spec.build(env),
	}));
}
