/**
 * Payment Link Test in real n8n against the MercadoPago and PayPal emulators: both
 * checks merged into Select Provider; a revoked MercadoPago token switches the bot to
 * PayPal; and n8n's stored execution data holds none of the token and secret values.
 */
import type { Emulator } from '../../dev/emulators/core/emulator';
import { createMercadoPagoEmulator, mercadoPagoDefaults, type MercadoPagoState } from '../../dev/emulators/payments/mercadopago';
import { createPayPalEmulator, payPalDefaults, type PayPalState } from '../../dev/emulators/payments/paypal';
import { validateCheckResult } from '../../nodes/shared/validate';
import { createTestN8n, nodeItems, type TestN8n, type WorkflowJson } from '../../dev/n8n/testN8n';

const MP = { id: 'payMercadoPago01', name: 'E2E MercadoPago', type: 'autorecoveryMercadoPagoApi' };
const PP = { id: 'payPayPalE2e0001', name: 'E2E PayPal', type: 'autorecoveryPayPalApi' };
const WORKFLOW_ID = 'paymentsSelect01';

function paymentsWorkflow(): WorkflowJson {
	const check = (id: string, name: string, provider: string, credential: typeof MP, y: number) => ({
		id,
		name,
		type: 'n8n-nodes-autorecovery.paymentLinkTest',
		typeVersion: 1,
		position: [250, y],
		parameters: { operation: 'check', provider, options: { timeoutMs: 3000 } },
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
	});
	return {
		id: WORKFLOW_ID,
		name: 'E2E payments: check both, select provider',
		nodes: [
			{ id: 't', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			check('a', 'MercadoPago', 'mercadopago', MP, -100),
			check('b', 'PayPal', 'paypal', PP, 100),
			{ id: 'm', name: 'Merge', type: 'n8n-nodes-base.merge', typeVersion: 3, position: [500, 0], parameters: { mode: 'append' } },
			{
				id: 's',
				name: 'Select Provider',
				type: 'n8n-nodes-autorecovery.paymentLinkTest',
				typeVersion: 1,
				position: [750, 0],
				parameters: { operation: 'selectProvider', primaryProvider: 'mercadopago', secondaryProvider: 'paypal' },
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'MercadoPago', type: 'main', index: 0 }, { node: 'PayPal', type: 'main', index: 0 }]] },
			MercadoPago: { main: [[{ node: 'Merge', type: 'main', index: 0 }]] },
			PayPal: { main: [[{ node: 'Merge', type: 'main', index: 1 }]] },
			Merge: { main: [[{ node: 'Select Provider', type: 'main', index: 0 }]] },
		},
	};
}

describe('Payment Link Test in real n8n', () => {
	let env: TestN8n;
	let mercadopago: Emulator<MercadoPagoState>;
	let paypal: Emulator<PayPalState>;

	beforeAll(async () => {
		mercadopago = await createMercadoPagoEmulator().start();
		paypal = await createPayPalEmulator().start();
		env = await createTestN8n();
		await env.importCredentials([
			{ ...MP, data: { accessToken: mercadoPagoDefaults.productionToken, environment: 'production', baseUrl: mercadopago.url } },
			{ ...PP, data: { clientId: payPalDefaults.clientId, clientSecret: payPalDefaults.clientSecret, environment: 'sandbox', baseUrl: paypal.url } },
		]);
		await env.importWorkflow(paymentsWorkflow());
	});
	afterAll(async () => {
		await env?.cleanup();
		await Promise.all([mercadopago?.close(), paypal?.close()]);
	});

	test('both providers healthy: valid contract items with real test links; stay on MercadoPago; nothing captured', async () => {
		const run = await env.execute(WORKFLOW_ID);
		const [mp] = nodeItems(run, 'MercadoPago');
		const [pp] = nodeItems(run, 'PayPal');
		for (const item of [mp, pp]) {
			expect(validateCheckResult(item)).toEqual([]);
			expect(item.status).toBe('healthy');
		}
		expect(nodeItems(run, 'Select Provider')).toEqual([expect.objectContaining({ use: 'mercadopago', switchNeeded: false, action: null })]);
		expect(mercadopago.requests('mercadopago.createPreference')).toHaveLength(1);
		expect(mercadopago.requests('mercadopago.createPreference')[0].body).toMatchObject({ external_reference: expect.stringMatching(/^autorecovery-probe-\d+$/) });
		expect(paypal.state.captures).toEqual([]);
	});

	test('MercadoPago token revoked → PayPal selected with payments.use_fallback', async () => {
		mercadopago.patchState({ revokedTokens: [mercadoPagoDefaults.productionToken] });
		const run = await env.execute(WORKFLOW_ID);
		const [mp] = nodeItems(run, 'MercadoPago');
		expect(mp).toMatchObject({ status: 'down', cause: { code: 'auth.invalid_credentials', needsHuman: true } });
		expect(nodeItems(run, 'Select Provider')).toEqual([
			expect.objectContaining({ use: 'paypal', switchNeeded: true, action: 'payments.use_fallback', primaryStatus: 'down', secondaryStatus: 'healthy' }),
		]);
	});

	test('n8n stored no token, client secret or issued access token', () => {
		const stored = env.storedText();
		const issued = Object.keys(paypal.state.issuedTokens);
		expect(issued.length).toBeGreaterThan(0);
		for (const secret of [mercadoPagoDefaults.productionToken, payPalDefaults.clientSecret, ...issued]) {
			expect(stored).not.toContain(secret);
		}
	});
});
