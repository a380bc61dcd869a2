import fs from 'node:fs';
import path from 'node:path';

import type { ICredentialType, INodeProperties } from 'n8n-workflow';

import { AutorecoveryAnthropicApi } from '../../../credentials/AutorecoveryAnthropicApi.credentials';
import { AutorecoveryCanaryEvolutionApi } from '../../../credentials/AutorecoveryCanaryEvolutionApi.credentials';
import { AutorecoveryEvolutionApi } from '../../../credentials/AutorecoveryEvolutionApi.credentials';
import { AutorecoveryGroqApi } from '../../../credentials/AutorecoveryGroqApi.credentials';
import { AutorecoveryMercadoPagoApi } from '../../../credentials/AutorecoveryMercadoPagoApi.credentials';
import { AutorecoveryOpenAiApi } from '../../../credentials/AutorecoveryOpenAiApi.credentials';
import { AutorecoveryPayPalApi } from '../../../credentials/AutorecoveryPayPalApi.credentials';
import { AutorecoveryPostgresApi } from '../../../credentials/AutorecoveryPostgresApi.credentials';
import { AutorecoverySlackWebhookApi } from '../../../credentials/AutorecoverySlackWebhookApi.credentials';
import { AutorecoverySupabaseApi } from '../../../credentials/AutorecoverySupabaseApi.credentials';
import { AutorecoveryWahaApi } from '../../../credentials/AutorecoveryWahaApi.credentials';
import { AutorecoveryWhatsAppCloudApi } from '../../../credentials/AutorecoveryWhatsAppCloudApi.credentials';
import {
	CREDENTIAL_ENV_KEYS,
	CREDENTIAL_SPECS,
	credentialsFromEnv,
	n8nPostgresCredential,
	validateCredentialEnv,
	type N8nCredentialFile,
} from '../../../scripts/lib/credentialsFromEnv';
import { documentedKeys, parseEnv } from '../../../scripts/lib/envFile';
import { CREDENTIALS } from '../../../scripts/workflows/ids';

const EXAMPLE_FILE = path.join(__dirname, '../../../.env.example');

/** The credential classes, by type name: the source of truth for fields, defaults and options. */
const CLASSES: Record<string, ICredentialType> = Object.fromEntries(
	[
		new AutorecoveryEvolutionApi(),
		new AutorecoveryCanaryEvolutionApi(),
		new AutorecoveryWahaApi(),
		new AutorecoveryWhatsAppCloudApi(),
		new AutorecoveryMercadoPagoApi(),
		new AutorecoveryPayPalApi(),
		new AutorecoveryGroqApi(),
		new AutorecoveryOpenAiApi(),
		new AutorecoveryAnthropicApi(),
		new AutorecoverySupabaseApi(),
		new AutorecoveryPostgresApi(),
		new AutorecoverySlackWebhookApi(),
	].map((credential) => [credential.name, credential]),
);

/** Obviously fake secrets; each must never appear in a validation problem. */
const SECRETS = {
	AUTORECOVERY_EVOLUTION_API_KEY: 'test-evolution-key-not-real',
	AUTORECOVERY_CANARY_EVOLUTION_API_KEY: 'test-canary-key-not-real',
	AUTORECOVERY_WAHA_API_KEY: 'test-waha-key-not-real',
	AUTORECOVERY_META_ACCESS_TOKEN: 'test-meta-token-not-real',
	AUTORECOVERY_META_PIN: '482913',
	AUTORECOVERY_MERCADOPAGO_ACCESS_TOKEN: 'test-mercadopago-token-not-real',
	AUTORECOVERY_PAYPAL_CLIENT_SECRET: 'test-paypal-secret-not-real',
	AUTORECOVERY_GROQ_API_KEY: 'test-groq-key-not-real',
	AUTORECOVERY_OPENAI_API_KEY: 'test-openai-key-not-real',
	AUTORECOVERY_ANTHROPIC_API_KEY: 'test-anthropic-key-not-real',
	AUTORECOVERY_SUPABASE_SERVICE_ROLE_KEY: 'test-service-key-not-real',
	AUTORECOVERY_SLACK_WEBHOOK_URL: 'https://hooks.slack.example.test/services/T0TEST/B0TEST/test-slack-secret-not-real',
};

/** Every new credential's variables, all set to non-default values. */
const FULL_ENV: Record<string, string> = {
	...SECRETS,
	AUTORECOVERY_EVOLUTION_URL: 'https://evolution.example.test',
	AUTORECOVERY_EVOLUTION_INSTANCE: 'ventas',
	AUTORECOVERY_CANARY_EVOLUTION_URL: 'https://evolution.example.test',
	AUTORECOVERY_CANARY_EVOLUTION_INSTANCE: 'canary',
	AUTORECOVERY_WAHA_URL: 'http://waha.example.test:3000',
	AUTORECOVERY_WAHA_SESSION: 'bot',
	AUTORECOVERY_META_PHONE_NUMBER_ID: '106540352242922',
	AUTORECOVERY_META_WABA_ID: '102290129340398',
	AUTORECOVERY_META_GRAPH_VERSION: 'v21.0',
	AUTORECOVERY_META_BASE_URL: 'http://127.0.0.1:9100',
	AUTORECOVERY_MERCADOPAGO_ENVIRONMENT: 'sandbox',
	AUTORECOVERY_MERCADOPAGO_BASE_URL: 'http://127.0.0.1:9101',
	AUTORECOVERY_PAYPAL_CLIENT_ID: 'test-paypal-client-id',
	AUTORECOVERY_PAYPAL_ENVIRONMENT: 'sandbox',
	AUTORECOVERY_PAYPAL_BASE_URL: 'http://127.0.0.1:9102',
	AUTORECOVERY_GROQ_BASE_URL: 'http://127.0.0.1:9103',
	AUTORECOVERY_OPENAI_ORGANIZATION: 'org-test',
	AUTORECOVERY_OPENAI_BASE_URL: 'http://127.0.0.1:9104/v1',
	AUTORECOVERY_ANTHROPIC_BASE_URL: 'http://127.0.0.1:9105',
	AUTORECOVERY_SUPABASE_URL: 'https://project-ref.supabase.test',
};

const EXPECTED: N8nCredentialFile[] = [
	{
		id: 'autorecoverySlack01',
		name: 'Autorecovery Slack Webhook',
		type: 'autorecoverySlackWebhookApi',
		data: { webhookUrl: SECRETS.AUTORECOVERY_SLACK_WEBHOOK_URL },
	},
	{
		id: 'autorecoveryEvo001',
		name: 'Autorecovery Evolution API',
		type: 'autorecoveryEvolutionApi',
		data: { baseUrl: 'https://evolution.example.test', apiKey: SECRETS.AUTORECOVERY_EVOLUTION_API_KEY, instance: 'ventas' },
	},
	{
		id: 'autorecoveryCanEvo1',
		name: 'Autorecovery Canary Evolution API',
		type: 'autorecoveryCanaryEvolutionApi',
		data: { baseUrl: 'https://evolution.example.test', apiKey: SECRETS.AUTORECOVERY_CANARY_EVOLUTION_API_KEY, instance: 'canary' },
	},
	{
		id: 'autorecoveryWaha01',
		name: 'Autorecovery WAHA',
		type: 'autorecoveryWahaApi',
		data: { baseUrl: 'http://waha.example.test:3000', apiKey: SECRETS.AUTORECOVERY_WAHA_API_KEY, session: 'bot' },
	},
	{
		id: 'autorecoveryMeta01',
		name: 'Autorecovery WhatsApp Cloud API',
		type: 'autorecoveryWhatsAppCloudApi',
		data: {
			accessToken: SECRETS.AUTORECOVERY_META_ACCESS_TOKEN,
			phoneNumberId: '106540352242922',
			wabaId: '102290129340398',
			graphVersion: 'v21.0',
			baseUrl: 'http://127.0.0.1:9100',
			pin: SECRETS.AUTORECOVERY_META_PIN,
		},
	},
	{
		id: 'autorecoveryMp0001',
		name: 'Autorecovery MercadoPago',
		type: 'autorecoveryMercadoPagoApi',
		data: {
			accessToken: SECRETS.AUTORECOVERY_MERCADOPAGO_ACCESS_TOKEN,
			environment: 'sandbox',
			baseUrl: 'http://127.0.0.1:9101',
		},
	},
	{
		id: 'autorecoveryPp0001',
		name: 'Autorecovery PayPal',
		type: 'autorecoveryPayPalApi',
		data: {
			clientId: 'test-paypal-client-id',
			clientSecret: SECRETS.AUTORECOVERY_PAYPAL_CLIENT_SECRET,
			environment: 'sandbox',
			baseUrl: 'http://127.0.0.1:9102',
		},
	},
	{
		id: 'autorecoveryGroq01',
		name: 'Autorecovery Groq',
		type: 'autorecoveryGroqApi',
		data: { apiKey: SECRETS.AUTORECOVERY_GROQ_API_KEY, baseUrl: 'http://127.0.0.1:9103' },
	},
	{
		id: 'autorecoveryOai001',
		name: 'Autorecovery OpenAI',
		type: 'autorecoveryOpenAiApi',
		data: { apiKey: SECRETS.AUTORECOVERY_OPENAI_API_KEY, organization: 'org-test', baseUrl: 'http://127.0.0.1:9104/v1' },
	},
	{
		id: 'autorecoveryAnt001',
		name: 'Autorecovery Anthropic',
		type: 'autorecoveryAnthropicApi',
		data: { apiKey: SECRETS.AUTORECOVERY_ANTHROPIC_API_KEY, baseUrl: 'http://127.0.0.1:9105' },
	},
	{
		id: 'autorecoverySb0001',
		name: 'Autorecovery Supabase',
		type: 'autorecoverySupabaseApi',
		data: { url: 'https://project-ref.supabase.test', serviceRoleKey: SECRETS.AUTORECOVERY_SUPABASE_SERVICE_ROLE_KEY },
	},
];

/** The variables that must all be set for each new credential to be created. */
const KEY_VARIABLES: Record<string, string[]> = {
	autorecoveryEvo001: ['AUTORECOVERY_EVOLUTION_URL', 'AUTORECOVERY_EVOLUTION_API_KEY', 'AUTORECOVERY_EVOLUTION_INSTANCE'],
	autorecoveryCanEvo1: ['AUTORECOVERY_CANARY_EVOLUTION_URL', 'AUTORECOVERY_CANARY_EVOLUTION_API_KEY', 'AUTORECOVERY_CANARY_EVOLUTION_INSTANCE'],
	autorecoveryWaha01: ['AUTORECOVERY_WAHA_URL', 'AUTORECOVERY_WAHA_API_KEY'],
	autorecoveryMeta01: ['AUTORECOVERY_META_ACCESS_TOKEN', 'AUTORECOVERY_META_PHONE_NUMBER_ID'],
	autorecoveryMp0001: ['AUTORECOVERY_MERCADOPAGO_ACCESS_TOKEN'],
	autorecoveryPp0001: ['AUTORECOVERY_PAYPAL_CLIENT_ID', 'AUTORECOVERY_PAYPAL_CLIENT_SECRET'],
	autorecoveryGroq01: ['AUTORECOVERY_GROQ_API_KEY'],
	autorecoveryOai001: ['AUTORECOVERY_OPENAI_API_KEY'],
	autorecoveryAnt001: ['AUTORECOVERY_ANTHROPIC_API_KEY'],
	autorecoverySb0001: ['AUTORECOVERY_SUPABASE_URL', 'AUTORECOVERY_SUPABASE_SERVICE_ROLE_KEY'],
	autorecoverySlack01: ['AUTORECOVERY_SLACK_WEBHOOK_URL'],
};

const pick = (keys: string[]): Record<string, string> => Object.fromEntries(keys.map((key) => [key, FULL_ENV[key]]));
const byId = (credentials: N8nCredentialFile[], id: string) => credentials.find((c) => c.id === id);
const classOf = (type: string): ICredentialType => {
	const credential = CLASSES[type];
	if (!credential) throw new Error(`no credential class for ${type}`);
	return credential;
};
const optionValues = (property: INodeProperties): unknown[] =>
	(property.options ?? []).map((option) => ('value' in option ? option.value : undefined));

function expectNoSecretIn(texts: string[]): void {
	const joined = texts.join('\n');
	for (const secret of Object.values(SECRETS)) expect(joined).not.toContain(secret);
}

/** Checks a credential's data against its class: known fields, no empty required field, allowed options. */
function expectFitsItsClass(credential: N8nCredentialFile): void {
	const properties = classOf(credential.type).properties;
	const names = properties.map((property) => property.name);
	expect(Object.keys(credential.data).sort()).toEqual([...names].sort());
	for (const property of properties) {
		const value = credential.data[property.name];
		if (property.required) expect({ field: property.name, value }).not.toEqual({ field: property.name, value: '' });
		if (property.required) expect(value).toBeDefined();
		if (property.type === 'options') expect(optionValues(property)).toContain(value);
	}
}

describe('credentialsFromEnv: the WhatsApp, payment, LLM and Supabase credentials', () => {
	test('creates each credential from its variables with its fixed id, type and data', () => {
		const credentials = credentialsFromEnv(FULL_ENV);
		expect(credentials).toEqual(EXPECTED);
		for (const credential of credentials) expectFitsItsClass(credential);
	});

	test.each(Object.entries(KEY_VARIABLES))('%s: only its key variables set -> created, optional fields take the class defaults', (id, keys) => {
		const credentials = credentialsFromEnv(pick(keys));
		expect(credentials.map((c) => c.id)).toEqual([id]);
		const [credential] = credentials;
		expectFitsItsClass(credential);
		const keyValues = keys.map((key) => FULL_ENV[key]);
		for (const property of classOf(credential.type).properties) {
			const value = credential.data[property.name];
			if (!keyValues.includes(value as string)) expect({ [property.name]: value }).toEqual({ [property.name]: property.default });
		}
		expect(validateCredentialEnv(pick(keys))).toEqual([]);
	});

	test('spot-checks the defaults by value, so a wrong class default is noticed too', () => {
		const credentials = credentialsFromEnv({
			...pick(KEY_VARIABLES.autorecoveryWaha01),
			...pick(KEY_VARIABLES.autorecoveryMeta01),
			...pick(KEY_VARIABLES.autorecoveryMp0001),
			...pick(KEY_VARIABLES.autorecoveryPp0001),
		});
		expect(byId(credentials, 'autorecoveryWaha01')?.data.session).toBe('default');
		expect(byId(credentials, 'autorecoveryMeta01')?.data).toMatchObject({ graphVersion: 'v23.0', baseUrl: 'https://graph.facebook.com', pin: '' });
		expect(byId(credentials, 'autorecoveryMp0001')?.data).toMatchObject({ environment: 'production', baseUrl: 'https://api.mercadopago.com' });
		expect(byId(credentials, 'autorecoveryPp0001')?.data).toMatchObject({ environment: 'live', baseUrl: '' });
	});

	test('empty optional variables (as in a copied .env.example) fall back to the defaults', () => {
		const env = { ...pick(KEY_VARIABLES.autorecoveryOai001), AUTORECOVERY_OPENAI_BASE_URL: '', AUTORECOVERY_OPENAI_ORGANIZATION: '' };
		expect(byId(credentialsFromEnv(env), 'autorecoveryOai001')?.data).toEqual({
			apiKey: SECRETS.AUTORECOVERY_OPENAI_API_KEY,
			organization: '',
			baseUrl: 'https://api.openai.com/v1',
		});
	});

	const missingOne = Object.entries(KEY_VARIABLES).flatMap(([id, keys]) => keys.map((missing) => [id, missing, keys] as const));
	test.each(missingOne)('%s is not created without %s, and the half-configuration is reported by name', (id, missing, keys) => {
		const env = pick(keys.filter((key) => key !== missing));
		expect(byId(credentialsFromEnv(env), id)).toBeUndefined();
		const problems = validateCredentialEnv(env);
		if (keys.length === 1) {
			expect(problems).toEqual([]);
		} else {
			expect(problems).toHaveLength(1);
			expect(problems[0]).toContain(missing);
			expect(problems[0]).toContain(CREDENTIAL_SPECS.find((spec) => spec.id === id)?.name);
			expectNoSecretIn(problems);
		}
	});

	test('an empty key variable counts as missing', () => {
		const env = { ...pick(KEY_VARIABLES.autorecoveryGroq01), AUTORECOVERY_GROQ_API_KEY: '' };
		expect(credentialsFromEnv(env)).toEqual([]);
	});

	test('optional variables alone create nothing and are not a problem', () => {
		const env = {
			AUTORECOVERY_WAHA_SESSION: 'bot',
			AUTORECOVERY_META_GRAPH_VERSION: 'v23.0',
			AUTORECOVERY_PAYPAL_ENVIRONMENT: 'sandbox',
			AUTORECOVERY_GROQ_BASE_URL: 'https://api.groq.com',
		};
		expect(credentialsFromEnv(env)).toEqual([]);
		expect(validateCredentialEnv(env)).toEqual([]);
	});

	test('fixed ids are unique', () => {
		const ids = CREDENTIAL_SPECS.map((spec) => spec.id);
		expect(new Set(ids).size).toBe(ids.length);
	});

	test('every credential the shipped workflows reference (scripts/workflows/ids.ts) is created under that id and name', () => {
		for (const reference of Object.values(CREDENTIALS)) {
			const spec = CREDENTIAL_SPECS.find((candidate) => candidate.id === reference.id);
			expect({ id: reference.id, name: spec?.name }).toEqual({ id: reference.id, name: reference.name });
		}
	});
});

describe('validateCredentialEnv: bad values are reported naming the variable', () => {
	const URL_VARIABLES = [
		'AUTORECOVERY_EVOLUTION_URL',
		'AUTORECOVERY_WAHA_URL',
		'AUTORECOVERY_META_BASE_URL',
		'AUTORECOVERY_MERCADOPAGO_BASE_URL',
		'AUTORECOVERY_PAYPAL_BASE_URL',
		'AUTORECOVERY_GROQ_BASE_URL',
		'AUTORECOVERY_OPENAI_BASE_URL',
		'AUTORECOVERY_ANTHROPIC_BASE_URL',
		'AUTORECOVERY_SUPABASE_URL',
	];

	test('a valid full configuration has no problems', () => {
		expect(validateCredentialEnv(FULL_ENV)).toEqual([]);
	});

	const badUrls = URL_VARIABLES.flatMap((key) =>
		['ftp://files.example.test', 'evolution.example.test', 'localhost:8080', 'https://'].map((value) => [key, value] as const),
	);
	test.each(badUrls)('%s = %s is not an http(s) URL', (key, value) => {
		const problems = validateCredentialEnv({ ...FULL_ENV, [key]: value });
		expect(problems).toHaveLength(1);
		expect(problems[0]).toContain(key);
		expect(problems[0]).toMatch(/http:\/\/ or https:\/\//);
	});

	test.each(URL_VARIABLES)('%s accepts http and https URLs', (key) => {
		expect(validateCredentialEnv({ ...FULL_ENV, [key]: 'http://localhost:8080' })).toEqual([]);
		expect(validateCredentialEnv({ ...FULL_ENV, [key]: 'https://host.example.test/path/' })).toEqual([]);
	});

	test.each([
		['AUTORECOVERY_MERCADOPAGO_ENVIRONMENT', 'live', /production or sandbox/],
		['AUTORECOVERY_MERCADOPAGO_ENVIRONMENT', 'Production', /production or sandbox/],
		['AUTORECOVERY_PAYPAL_ENVIRONMENT', 'production', /live or sandbox/],
		['AUTORECOVERY_PAYPAL_ENVIRONMENT', 'test', /live or sandbox/],
	])('%s = %s is not one of the credential\'s options', (key, value, allowed) => {
		const problems = validateCredentialEnv({ ...FULL_ENV, [key]: value });
		expect(problems).toHaveLength(1);
		expect(problems[0]).toContain(key);
		expect(problems[0]).toMatch(allowed);
		expect(problems[0]).toContain(`"${value}"`);
	});

	test('the environment values the checks allow are exactly the credential classes\' options', () => {
		const options = (type: string, field: string) =>
			optionValues(classOf(type).properties.find((property) => property.name === field) as INodeProperties);
		for (const value of options('autorecoveryMercadoPagoApi', 'environment')) {
			expect(validateCredentialEnv({ AUTORECOVERY_MERCADOPAGO_ENVIRONMENT: String(value) })).toEqual([]);
		}
		for (const value of options('autorecoveryPayPalApi', 'environment')) {
			expect(validateCredentialEnv({ AUTORECOVERY_PAYPAL_ENVIRONMENT: String(value) })).toEqual([]);
		}
	});

	test.each(['23.0', 'v23', 'V23.0', 'latest', 'v23.0.1'])('graph version %s is not like v21.0', (value) => {
		const problems = validateCredentialEnv({ ...FULL_ENV, AUTORECOVERY_META_GRAPH_VERSION: value });
		expect(problems).toHaveLength(1);
		expect(problems[0]).toContain('AUTORECOVERY_META_GRAPH_VERSION');
		expect(problems[0]).toMatch(/like v23\.0/);
	});

	test.each(['48291', '4829130', '48a913', '48 913'])('PIN %s is not 6 digits, and the PIN itself is never echoed', (value) => {
		const problems = validateCredentialEnv({ ...FULL_ENV, AUTORECOVERY_META_PIN: value });
		expect(problems).toHaveLength(1);
		expect(problems[0]).toContain('AUTORECOVERY_META_PIN');
		expect(problems[0]).toMatch(/6 digits/);
		expect(problems[0]).not.toContain(value);
	});

	test('every problem at once: one line each, all named', () => {
		const problems = validateCredentialEnv({
			AUTORECOVERY_EVOLUTION_URL: 'ftp://evolution.example.test',
			AUTORECOVERY_META_GRAPH_VERSION: 'latest',
			AUTORECOVERY_META_PIN: '12',
			AUTORECOVERY_MERCADOPAGO_ENVIRONMENT: 'prod',
			AUTORECOVERY_PAYPAL_CLIENT_ID: 'test-paypal-client-id',
		});
		expect(problems).toHaveLength(6);
		for (const key of [
			'AUTORECOVERY_EVOLUTION_URL',
			'AUTORECOVERY_EVOLUTION_API_KEY',
			'AUTORECOVERY_META_GRAPH_VERSION',
			'AUTORECOVERY_META_PIN',
			'AUTORECOVERY_MERCADOPAGO_ENVIRONMENT',
			'AUTORECOVERY_PAYPAL_CLIENT_SECRET',
		]) {
			expect(problems.some((problem) => problem.includes(key))).toBe(true);
		}
	});

	test('a secret pasted into a URL variable (swapped values) is masked in the problem', () => {
		const swapped = {
			...FULL_ENV,
			AUTORECOVERY_GROQ_BASE_URL: SECRETS.AUTORECOVERY_GROQ_API_KEY,
			AUTORECOVERY_SUPABASE_URL: SECRETS.AUTORECOVERY_SUPABASE_SERVICE_ROLE_KEY,
			AUTORECOVERY_WAHA_URL: `ftp://user:${SECRETS.AUTORECOVERY_WAHA_API_KEY}@waha.example.test`,
		};
		const problems = validateCredentialEnv(swapped);
		expect(problems).toHaveLength(3);
		expect(problems.join('\n')).toContain('AUTORECOVERY_GROQ_BASE_URL');
		expect(problems.join('\n')).toContain('AUTORECOVERY_SUPABASE_URL');
		expect(problems.join('\n')).toContain('AUTORECOVERY_WAHA_URL');
		expectNoSecretIn(problems);
	});

	test('a Slack webhook URL that is not an http(s) URL is a problem that does not echo it', () => {
		const mistyped = SECRETS.AUTORECOVERY_SLACK_WEBHOOK_URL.replace('https://', 'hooks:');
		const problems = validateCredentialEnv({ ...FULL_ENV, AUTORECOVERY_SLACK_WEBHOOK_URL: mistyped });
		expect(problems).toHaveLength(1);
		expect(problems[0]).toContain('AUTORECOVERY_SLACK_WEBHOOK_URL must be an http:// or https:// URL');
		expect(problems[0]).not.toContain('test-slack-secret-not-real');
	});

	test('the earlier checks still hold (SMTP and Postgres ports, Postgres SSL mode)', () => {
		const problems = validateCredentialEnv({
			AUTORECOVERY_SMTP_PORT: 'abc',
			AUTORECOVERY_PG_PORT: '54x',
			AUTORECOVERY_PG_SSL: 'prefer',
		});
		expect(problems).toEqual([
			'AUTORECOVERY_SMTP_PORT must be a port number, got "abc"',
			'AUTORECOVERY_PG_PORT must be a port number, got "54x"',
			'AUTORECOVERY_PG_SSL must be disable, require or verify-full, got "prefer"',
		]);
		expect(validateCredentialEnv({ AUTORECOVERY_SMTP_PORT: '465', AUTORECOVERY_PG_PORT: '5432', AUTORECOVERY_PG_SSL: 'require' })).toEqual([]);
	});
});

describe('.env.example documents every variable', () => {
	const exampleText = fs.readFileSync(EXAMPLE_FILE, 'utf8');

	test('every variable the credential specs use is a KEY= line of .env.example', () => {
		const example = parseEnv(exampleText, '.env.example');
		const undocumented = [...CREDENTIAL_ENV_KEYS].filter((key) => !(key in example));
		expect(undocumented).toEqual([]);
		// And start.ts's list of known keys (built from the example) includes them, so no "typo?" warning.
		const known = documentedKeys(EXAMPLE_FILE);
		expect([...CREDENTIAL_ENV_KEYS].filter((key) => !known.has(key))).toEqual([]);
	});

	test('CREDENTIAL_ENV_KEYS is complete: building and validating read no other variable', () => {
		const read = new Set<string>();
		const tracking = new Proxy(
			{ ...FULL_ENV, AUTORECOVERY_SMTP_HOST: 'smtp.example.test', AUTORECOVERY_PG_HOST: 'db.example.test', AUTORECOVERY_WEBHOOK_TOKEN: 'test-token-not-real', AUTORECOVERY_STATUS_USER: 'owner', AUTORECOVERY_STATUS_PASSWORD: 'test-status-password-not-real', AUTORECOVERY_N8N_API_KEY: 'test-n8n-api-key-not-real', AUTORECOVERY_EVENTS_EVOLUTION_TOKEN: 'test-events-token-not-real', AUTORECOVERY_RELINK_SECRET: 'test-relink-secret-not-real-0123456789abcdef' },
			{
				get(target: Record<string, string>, key: string | symbol) {
					if (typeof key === 'string') read.add(key);
					return typeof key === 'string' ? target[key] : undefined;
				},
			},
		);
		expect(credentialsFromEnv(tracking)).toHaveLength(CREDENTIAL_SPECS.length);
		validateCredentialEnv(tracking);
		for (const spec of CREDENTIAL_SPECS) spec.build(tracking);
		expect([...read].filter((key) => !CREDENTIAL_ENV_KEYS.has(key))).toEqual([]);
		// The tracking works: it saw the variables of every credential.
		expect(read.has('AUTORECOVERY_META_PIN')).toBe(true);
		expect(read.has('AUTORECOVERY_SUPABASE_SERVICE_ROLE_KEY')).toBe(true);
	});

	test('every new variable has a comment right above it', () => {
		const lines = exampleText.split(/\r?\n/);
		const newKeys = [...CREDENTIAL_ENV_KEYS].filter((key) => !/^AUTORECOVERY_(SMTP|PG|WEBHOOK)_/.test(key));
		for (const key of newKeys) {
			const index = lines.findIndex((line) => line.startsWith(`${key}=`));
			expect({ key, commented: lines[index - 1]?.startsWith('#') }).toEqual({ key, commented: true });
		}
	});

	test('a copy of .env.example as it is creates no credential and has no problem', () => {
		const example = parseEnv(exampleText, '.env.example');
		expect(credentialsFromEnv(example)).toEqual([]);
		expect(validateCredentialEnv(example)).toEqual([]);
	});

	test('the example\'s sample values pass validation once the key variables are set', () => {
		const example = parseEnv(exampleText, '.env.example');
		const env = { ...example, ...FULL_ENV };
		const keyVariables = new Set(Object.values(KEY_VARIABLES).flat());
		for (const key of Object.keys(FULL_ENV)) if (!keyVariables.has(key) && example[key]) env[key] = example[key];
		expect(validateCredentialEnv(env)).toEqual([]);
		expect(credentialsFromEnv(env).map((c) => c.id)).toEqual(expect.arrayContaining(Object.keys(KEY_VARIABLES)));
	});
});

describe("n8nPostgresCredential: n8n's own Postgres credential for the example bot, from the same variables", () => {
	test('from the separate variables, with the defaults of the Autorecovery Postgres credential', () => {
		expect(n8nPostgresCredential({ AUTORECOVERY_PG_HOST: 'db.local', AUTORECOVERY_PG_PASSWORD: 'test-pg-secret-not-real' })).toEqual({
			host: 'db.local',
			port: 5432,
			database: 'postgres',
			user: 'postgres',
			password: 'test-pg-secret-not-real',
			ssl: 'disable',
			allowUnauthorizedCerts: false,
			maxConnections: 10,
		});
	});

	test('the URL wins over the separate variables, its parts decoded', () => {
		const env = { AUTORECOVERY_PG_URL: 'postgresql://shop%40owner:p%40ss%2Fword@db.example.test:6543/tienda?sslmode=verify-full', AUTORECOVERY_PG_HOST: 'ignored', AUTORECOVERY_PG_PASSWORD: 'ignored' };
		expect(n8nPostgresCredential(env)).toMatchObject({ host: 'db.example.test', port: 6543, database: 'tienda', user: 'shop@owner', password: 'p@ss/word', ssl: 'require', allowUnauthorizedCerts: false });
	});

	test.each([
		['disable', 'disable', false],
		['prefer', 'allow', true],
		['require', 'require', true],
		['verify-ca', 'require', false],
		['verify-full', 'require', false],
	])('sslmode %s → n8n ssl %s (unchecked certificate allowed: %s; n8n turns SSL on whenever it is)', (sslmode, ssl, allowUnauthorizedCerts) => {
		expect(n8nPostgresCredential({ AUTORECOVERY_PG_URL: `postgres://u:p@h/d?sslmode=${sslmode}` })).toMatchObject({ ssl, allowUnauthorizedCerts });
	});

	test('created under its fixed id and name whenever the Autorecovery Postgres one is', () => {
		const created = credentialsFromEnv({ AUTORECOVERY_PG_HOST: 'db.local' }).map((credential) => [credential.id, credential.type]);
		expect(created).toEqual([
			['autorecoveryPg001', 'autorecoveryPostgresApi'],
			['autorecoveryBotPg01', 'postgres'],
		]);
		expect(credentialsFromEnv({}).some((credential) => credential.type === 'postgres')).toBe(false);
	});

	test('a URL that is not a postgres:// URL is one problem that does not echo it', () => {
		const problems = validateCredentialEnv({ AUTORECOVERY_PG_URL: 'db.local:5432 user=shop password=test-pg-secret-not-real' });
		expect(problems).toEqual(['AUTORECOVERY_PG_URL must be a postgres:// or postgresql:// URL (user, password, host, port and database in it)']);
		expect(validateCredentialEnv({ AUTORECOVERY_PG_URL: 'postgres://shop:test-pg-secret-not-real@db.local:5432/tienda' })).toEqual([]);
	});
});

