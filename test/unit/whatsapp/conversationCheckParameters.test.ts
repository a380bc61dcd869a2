/** Conversation Check and Webhook Check: bad input is a NodeOperationError naming the parameter, before any call. */
import { NodeOperationError, type ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DEFAULT_REPLY_TIMEOUT_MS, DEFAULT_SLOW_REPLY_MS } from '../../../nodes/WhatsAppProbe/conversation/verdict';
import { WhatsAppProbe } from '../../../nodes/WhatsAppProbe/WhatsAppProbe.node';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';

/** Port 9 (discard): any call that slipped through would fail as unreachable, not as a parameter error. */
const BOT_CREDENTIAL: ICredentialDataDecryptedObject = { baseUrl: 'http://127.0.0.1:9', apiKey: 'bot-KEY-3c1d9e77', instance: 'ventas' };
const CANARY_CREDENTIAL: ICredentialDataDecryptedObject = { baseUrl: 'http://127.0.0.1:9', apiKey: 'canary-KEY-8e2f0a13', session: 'canary' };

const node = new WhatsAppProbe();

function run(parameters: Record<string, unknown>, credentials: Record<string, ICredentialDataDecryptedObject> = { autorecoveryEvolutionApi: BOT_CREDENTIAL, autorecoveryCanaryWahaApi: CANARY_CREDENTIAL }) {
	const ctx = fakeExecuteFunctions({
		parameters: {
			resource: 'whatsApp',
			operation: 'conversationCheck',
			gateway: 'evolution',
			canaryGateway: 'waha',
			botNumber: '+52 1 55 1234 5678',
			canaryNumber: '5215599990000',
			replyTimeoutSeconds: 60,
			slowReplySeconds: 20,
			expectedReplyPattern: '',
			canaryLanguage: 'es',
			options: { timeoutMs: 1000 },
			...parameters,
		},
		input: [{}],
		credentials,
	});
	return node.execute.call(ctx);
}

async function errorOf(promise: Promise<unknown>): Promise<NodeOperationError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(NodeOperationError);
	const message = (error as Error).message;
	// Neither credential's key in any error.
	expect(message).not.toContain(String(BOT_CREDENTIAL.apiKey));
	expect(message).not.toContain(String(CANARY_CREDENTIAL.apiKey));
	return error as NodeOperationError;
}

describe('Conversation Check parameters', () => {
	test('missing canary credential → names "Canary Credential"', async () => {
		const error = await errorOf(run({}, { autorecoveryEvolutionApi: BOT_CREDENTIAL }));
		expect(error.message).toMatch(/Parameter "Canary Credential" is not set/);
		expect(error.message).toMatch(/WAHA/);
	});

	test('a negative interval → names "Run At Most Every (Minutes)"', async () => {
		const error = await errorOf(run({ everyMinutes: -5 }));
		expect(error.message).toMatch(/Run At Most Every \(Minutes\)/);
	});

	test('canary number = bot number → names "Canary Number"', async () => {
		const error = await errorOf(run({ canaryNumber: '5215512345678' }));
		expect(error.message).toMatch(/Parameter "Canary Number" must be another number than the bot's/);
	});

	test.each([
		['(a+)+$', /repeats a group/],
		['[unclosed', /not a valid regular expression/],
		['(?=x)y', /lookahead/],
	])('malformed pattern %s → names "Expected Reply Pattern"', async (pattern, why) => {
		const error = await errorOf(run({ expectedReplyPattern: pattern }));
		expect(error.message).toMatch(/Parameter "Expected Reply Pattern"/);
		expect(error.message).toMatch(why);
	});

	test.each([
		[{ botNumber: 'ventas' }, 'Bot Number'],
		[{ canaryNumber: '' }, 'Canary Number'],
		[{ slowReplySeconds: 60 }, 'Slow Reply After'],
		[{ replyTimeoutSeconds: 0 }, 'Reply Timeout'],
		[{ canaryGateway: 'cloudApi' }, 'Canary Gateway'],
		[{ canaryLanguage: 'fr' }, 'Language'],
	])('%p → names "%s"', async (parameters, name) => {
		const error = await errorOf(run(parameters));
		expect(error.message).toContain(`Parameter "${name}"`);
	});

	test('defaults shown in n8n are the logic\'s defaults (60 s timeout, 20 s slow)', () => {
		const property = (name: string) => node.description.properties.find((p) => p.name === name && JSON.stringify(p.displayOptions).includes('conversationCheck'));
		expect(property('replyTimeoutSeconds')?.default).toBe(DEFAULT_REPLY_TIMEOUT_MS / 1000);
		expect(property('slowReplySeconds')?.default).toBe(DEFAULT_SLOW_REPLY_MS / 1000);
	});

	test('the canary credential types are offered only for Conversation Check and Recover → Conversation, one per canary gateway', () => {
		const canary = (node.description.credentials ?? []).filter((c) => c.name.startsWith('autorecoveryCanary'));
		expect(canary.map((c) => [c.name, c.displayOptions])).toEqual([
			['autorecoveryCanaryEvolutionApi', { show: { operation: ['conversationCheck', 'recover'], canaryGateway: ['evolution'] }, hide: { recoverWhat: ['connection', 'webhook', 'passive'] } }],
			['autorecoveryCanaryWahaApi', { show: { operation: ['conversationCheck', 'recover'], canaryGateway: ['waha'] }, hide: { recoverWhat: ['connection', 'webhook', 'passive'] } }],
		]);
	});

	test('Recover → Conversation checks the same parameters', async () => {
		const error = await errorOf(run({ operation: 'recover', recoverWhat: 'conversation', canaryNumber: '5215512345678' }));
		expect(error.message).toContain('Parameter "Canary Number"');
		const missing = await errorOf(run({ operation: 'recover', recoverWhat: 'conversation' }, { autorecoveryEvolutionApi: BOT_CREDENTIAL }));
		expect(missing.message).toContain('Parameter "Canary Credential"');
	});
});

describe('Webhook Check parameters', () => {
	test('a Webhook URL that is not http(s) → names "Webhook URL", before any call', async () => {
		const ctx = fakeExecuteFunctions({
			parameters: { resource: 'whatsApp', operation: 'webhookCheck', gateway: 'evolution', webhookUrl: 'n8n.local/webhook', options: { timeoutMs: 1000 } },
			input: [{}],
			credentials: { autorecoveryEvolutionApi: BOT_CREDENTIAL },
		});
		const error = await errorOf(node.execute.call(ctx));
		expect(error.message).toMatch(/Parameter "Webhook URL" must be an http\(s\) URL/);
	});

	test('Recover in Webhook mode reads the same parameter', async () => {
		const ctx = fakeExecuteFunctions({
			parameters: { resource: 'whatsApp', operation: 'recover', recoverWhat: 'webhook', gateway: 'evolution', webhookUrl: 'ftp://x', options: { timeoutMs: 1000 } },
			input: [{}],
			credentials: { autorecoveryEvolutionApi: BOT_CREDENTIAL },
		});
		const error = await errorOf(node.execute.call(ctx));
		expect(error.message).toContain('Parameter "Webhook URL"');
	});
});
