import fs from 'node:fs';
import path from 'node:path';

import { CREDENTIAL_SPECS, credentialsFromEnv, validateCredentialEnv } from '../../../scripts/lib/credentialsFromEnv';
import { DEMO_INSTANCE, demoCredentialEnv, demoSecrets, type DemoEndpoints } from '../../../scripts/lib/demo/demoEnv';
import { STACK, type EmulatorName } from '../../../dev/emulators/stack';

const WORKFLOWS_DIR = path.join(__dirname, '../../../workflows');

const endpoints: DemoEndpoints = {
	postgres: { host: '127.0.0.1', port: 54329, database: 'demo_shop_1', user: 'postgres', password: 'test-pg-password-not-real' },
	smtp: { host: '127.0.0.1', port: 2525, user: 'alerts', password: 'test-smtp-password-not-real' },
	emulators: Object.fromEntries((Object.keys(STACK) as EmulatorName[]).map((name) => [name, `http://127.0.0.1:${3900 + STACK[name].offset}`])) as Record<EmulatorName, string>,
	access: { webhookToken: 'test-webhook-token-not-real', statusUser: 'demo', statusPassword: 'test-status-password-not-real', relinkSecret: 'test-relink-secret-not-real-0123456789abcdef' },
};
const n8nApi = { url: 'http://127.0.0.1:5679', apiKey: 'test-n8n-api-key-not-real' };

/** Credential ids the shipped workflows reference, with their types. */
function referencedCredentials(): Map<string, string> {
	const found = new Map<string, string>();
	for (const file of fs.readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith('.json'))) {
		const workflow = JSON.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), 'utf8')) as { nodes: Array<{ credentials?: Record<string, { id: string }> }> };
		for (const node of workflow.nodes) for (const [type, ref] of Object.entries(node.credentials ?? {})) found.set(ref.id, type);
	}
	return found;
}

describe('demoCredentialEnv', () => {
	// Once n8n made its API key; before that the same minus n8n's own API.
	const env = demoCredentialEnv(endpoints, n8nApi);
	const credentials = credentialsFromEnv(env);

	test('is a valid .env for npm start\'s own rules', () => {
		expect(validateCredentialEnv(env)).toEqual([]);
		const known = new Set(CREDENTIAL_SPECS.flatMap((spec) => [...spec.requires, ...spec.optional]));
		expect(Object.keys(env).filter((key) => !known.has(key))).toEqual([]);
	});

	test('creates every credential the shipped workflows use, with the type they expect', () => {
		const referenced = referencedCredentials();
		expect(referenced.size).toBeGreaterThan(0);
		for (const [id, type] of referenced) {
			const credential = credentials.find((c) => c.id === id);
			expect({ id, type: credential?.type }).toEqual({ id, type });
		}
	});

	test('before n8n has its API key, everything but n8n\'s own API credential', () => {
		const early = credentialsFromEnv(demoCredentialEnv(endpoints));
		expect(credentials.filter((c) => !early.some((e) => e.id === c.id)).map((c) => c.type)).toEqual(['n8nApi']);
		expect(credentials.find((c) => c.type === 'n8nApi')?.data).toEqual({ apiKey: n8nApi.apiKey, baseUrl: 'http://127.0.0.1:5679/api/v1' });
	});

	test('points every credential at the demo stack', () => {
		const data = (type: string) => credentials.find((c) => c.type === type)?.data;
		expect(data('autorecoveryPostgresApi')).toMatchObject({ host: '127.0.0.1', port: 54329, database: 'demo_shop_1', ssl: 'disable' });
		expect(data('smtp')).toMatchObject({ host: '127.0.0.1', port: 2525, secure: false, disableStartTls: true });
		expect(data('autorecoveryEvolutionApi')).toMatchObject({ baseUrl: endpoints.emulators.evolution, instance: DEMO_INSTANCE });
		expect(data('autorecoveryMercadoPagoApi')).toMatchObject({ baseUrl: endpoints.emulators.mercadopago, environment: 'production' });
		expect(data('autorecoveryPayPalApi')).toMatchObject({ baseUrl: endpoints.emulators.paypal });
		expect(data('autorecoveryGroqApi')).toMatchObject({ baseUrl: endpoints.emulators.groq });
		expect(data('autorecoveryOpenAiApi')).toMatchObject({ baseUrl: `${endpoints.emulators.openai}/v1` });
		expect(data('autorecoveryAnthropicApi')).toMatchObject({ baseUrl: endpoints.emulators.anthropic });
	});

	test('demoSecrets lists the value of every secret variable set', () => {
		// n8n's API key is not the stack's: the demo keeps it in its state file and tests check it on its own.
		const secretValues = CREDENTIAL_SPECS.flatMap((spec) => spec.secrets.map((key) => env[key])).filter((value): value is string => Boolean(value) && value !== n8nApi.apiKey);
		expect(secretValues.length).toBeGreaterThanOrEqual(10);
		expect(demoSecrets(endpoints)).toEqual(expect.arrayContaining(secretValues));
	});
});
