/**
 * The two fallback recoveries in real n8n, in one workflow: Payment Link Test → Recover
 * (both payment credentials on one node) and LLM Diagnose → Recover, against the
 * MercadoPago, PayPal, Groq, OpenAI and Anthropic emulators. A revoked MercadoPago token
 * and a Groq outage switch to PayPal and OpenAI; everything down escalates; every item is
 * a valid recovery result, and n8n stored no secret.
 */
import type { Emulator } from '../../dev/emulators/core/emulator';
import { createAnthropicEmulator, type AnthropicState } from '../../dev/emulators/llm/anthropic';
import { createGroqEmulator, type GroqState } from '../../dev/emulators/llm/groq';
import { createOpenAiEmulator, type OpenAiState } from '../../dev/emulators/llm/openai';
import { createMercadoPagoEmulator, mercadoPagoDefaults, type MercadoPagoState } from '../../dev/emulators/payments/mercadopago';
import { createPayPalEmulator, payPalDefaults, type PayPalState } from '../../dev/emulators/payments/paypal';
import { validateRecoveryResult } from '../../nodes/shared/validate';
import { createTestN8n, nodeItems, type TestN8n, type WorkflowJson } from '../../dev/n8n/testN8n';

const MP = { id: 'fbMercadoPago001', name: 'Fallback MercadoPago', type: 'autorecoveryMercadoPagoApi' };
const PP = { id: 'fbPayPal00000001', name: 'Fallback PayPal', type: 'autorecoveryPayPalApi' };
const LLM = {
	groq: { id: 'fbGroq0000000001', name: 'Fallback Groq', type: 'autorecoveryGroqApi' },
	openai: { id: 'fbOpenAi00000001', name: 'Fallback OpenAI', type: 'autorecoveryOpenAiApi' },
	anthropic: { id: 'fbAnthropic00001', name: 'Fallback Anthropic', type: 'autorecoveryAnthropicApi' },
};
const KEYS = { groq: 'e2e-fallback-groq-key-not-real', openai: 'e2e-fallback-openai-key-not-real', anthropic: 'e2e-fallback-anthropic-key-not-real' };
const MP_TOKEN = mercadoPagoDefaults.sandboxToken;
const WORKFLOW_ID = 'fallbackRecover1';

const ref = (credential: { id: string; name: string; type: string }) => ({ [credential.type]: { id: credential.id, name: credential.name } });

function recoverWorkflow(id = WORKFLOW_ID, payments: Record<string, unknown> = { primaryProvider: 'mercadopago', secondaryProvider: 'paypal' }): WorkflowJson {
	return {
		id,
		name: 'E2E fallback recoveries: payments and LLM',
		nodes: [
			{ id: 't', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'p',
				name: 'Payments Recover',
				type: 'n8n-nodes-autorecovery.paymentLinkTest',
				typeVersion: 1,
				position: [250, -100],
				parameters: { operation: 'recover', ...payments, options: { timeoutMs: 3000 } },
				credentials: { ...ref(MP), ...ref(PP) },
			},
			{
				id: 'l',
				name: 'LLM Recover',
				type: 'n8n-nodes-autorecovery.llmDiagnose',
				typeVersion: 1,
				position: [250, 100],
				parameters: { operation: 'recover', options: { timeoutMs: 3000 } },
				credentials: { ...ref(LLM.groq), ...ref(LLM.openai), ...ref(LLM.anthropic) },
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Payments Recover', type: 'main', index: 0 }, { node: 'LLM Recover', type: 'main', index: 0 }]] },
		},
	};
}

describe('fallback recoveries in real n8n', () => {
	let env: TestN8n;
	let mercadopago: Emulator<MercadoPagoState>;
	let paypal: Emulator<PayPalState>;
	let groq: Emulator<GroqState>;
	let openai: Emulator<OpenAiState>;
	let anthropic: Emulator<AnthropicState>;

	beforeAll(async () => {
		mercadopago = await createMercadoPagoEmulator().start();
		paypal = await createPayPalEmulator().start();
		groq = await createGroqEmulator({ apiKeys: [KEYS.groq] }).start();
		openai = await createOpenAiEmulator({ apiKeys: [KEYS.openai] }).start();
		anthropic = await createAnthropicEmulator({ apiKeys: [KEYS.anthropic] }).start();
		env = await createTestN8n();
		await env.importCredentials([
			{ ...MP, data: { accessToken: MP_TOKEN, environment: 'sandbox', baseUrl: mercadopago.url } },
			{ ...PP, data: { clientId: payPalDefaults.clientId, clientSecret: payPalDefaults.clientSecret, environment: 'sandbox', baseUrl: paypal.url } },
			{ ...LLM.groq, data: { apiKey: KEYS.groq, baseUrl: groq.url } },
			{ ...LLM.openai, data: { apiKey: KEYS.openai, baseUrl: `${openai.url}/v1`, organization: '' } },
			{ ...LLM.anthropic, data: { apiKey: KEYS.anthropic, baseUrl: anthropic.url } },
		]);
		await env.importWorkflow(recoverWorkflow());
	});
	afterEach(() => {
		for (const emulator of [mercadopago, paypal, groq, openai, anthropic]) emulator.clearFaults();
		mercadopago.patchState({ revokedTokens: [] });
	});
	afterAll(async () => {
		await env?.cleanup();
		await Promise.all([mercadopago, paypal, groq, openai, anthropic].map((emulator) => emulator?.close()));
	});

	test('MercadoPago token revoked and Groq failing with 500: switch to PayPal and to OpenAI, both succeed', async () => {
		mercadopago.patchState({ revokedTokens: [MP_TOKEN] });
		groq.setFault('*', { status: 500 });
		const run = await env.execute(WORKFLOW_ID);
		const [payments, ...morePayments] = nodeItems(run, 'Payments Recover');
		const [llm, ...moreLlm] = nodeItems(run, 'LLM Recover');
		expect([morePayments, moreLlm]).toEqual([[], []]);
		expect(validateRecoveryResult(payments)).toEqual([]);
		expect(validateRecoveryResult(llm)).toEqual([]);
		expect(payments).toMatchObject({
			component: 'payments',
			target: 'paypal:sandbox',
			status: 'healthy',
			recovery: { action: 'payments.use_fallback', attempted: true, success: true, before: 'down', after: 'healthy' },
			details: { selection: { use: 'paypal', switchNeeded: true } },
		});
		expect(llm).toMatchObject({
			component: 'llm',
			target: 'openai',
			status: 'healthy',
			recovery: { action: 'llm.use_fallback', attempted: true, success: true, before: 'down', after: 'healthy' },
			details: { selection: { use: 'openai', fallback: true } },
		});
		expect(paypal.state.captures).toEqual([]);
	});

	test('every provider down: both recoveries escalate with the primary\'s cause', async () => {
		mercadopago.patchState({ revokedTokens: [MP_TOKEN] });
		paypal.setFault('*', { status: 503 });
		for (const emulator of [groq, openai, anthropic]) emulator.setFault('*', { status: 503 });
		const run = await env.execute(WORKFLOW_ID);
		const [payments] = nodeItems(run, 'Payments Recover');
		const [llm] = nodeItems(run, 'LLM Recover');
		expect(validateRecoveryResult(payments)).toEqual([]);
		expect(validateRecoveryResult(llm)).toEqual([]);
		expect(payments).toMatchObject({ target: 'mercadopago', status: 'down', cause: { code: 'auth.invalid_credentials' }, recovery: { action: 'notify.escalate', attempted: false, success: false } });
		expect(llm).toMatchObject({ target: 'groq', status: 'down', recovery: { action: 'notify.escalate', attempted: false, success: false } });
	});

	test('the same provider as primary and secondary: an error naming both parameters, no provider called', async () => {
		await env.importWorkflow(recoverWorkflow('fallbackSame0001', { primaryProvider: 'paypal', secondaryProvider: 'paypal' }));
		for (const emulator of [mercadopago, paypal]) emulator.clearRequests();
		const failed = await env.execute('fallbackSame0001').catch((error: Error) => error);
		const text = failed instanceof Error ? failed.message : JSON.stringify(failed.data.resultData.error);
		expect(text).toMatch(/Parameters "Primary Provider" and "Secondary Provider" must differ/);
		expect([...mercadopago.requests(), ...paypal.requests()]).toEqual([]);
	});

	test('n8n stored no token, secret or API key', () => {
		const stored = env.storedText();
		const issued = Object.keys(paypal.state.issuedTokens);
		expect(issued.length).toBeGreaterThan(0);
		for (const secret of [MP_TOKEN, payPalDefaults.clientSecret, ...issued, ...Object.values(KEYS)]) expect(stored).not.toContain(secret);
	});
});
