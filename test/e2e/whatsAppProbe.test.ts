/**
 * WhatsApp Probe in real n8n against the gateway emulators: one workflow per gateway
 * whose output items match the contract; recovery with a QR binary; a message sent;
 * and no token or key in anything n8n stored.
 */
import type { Emulator } from '../emulators/core/emulator';
import { cloudApiDefaults, createCloudApiEmulator, type CloudApiState } from '../emulators/whatsapp/cloudApi';
import { createEvolutionEmulator, evolutionDefaults, type EvolutionState } from '../emulators/whatsapp/evolution';
import { createWahaEmulator, wahaDefaults, type WahaState } from '../emulators/whatsapp/waha';
import { validateCheckResult, validateRecoveryResult } from '../../nodes/shared/validate';
import { createTestN8n, type RunOutput, type TestN8n, type WorkflowJson } from './helpers/testN8n';

const CREDENTIALS = {
	evolution: { id: 'waEvolutionE2e01', name: 'E2E Evolution', type: 'autorecoveryEvolutionApi' },
	waha: { id: 'waWahaE2e0000001', name: 'E2E WAHA', type: 'autorecoveryWahaApi' },
	cloudApi: { id: 'waCloudApiE2e001', name: 'E2E Cloud API', type: 'autorecoveryWhatsAppCloudApi' },
} as const;

type Gateway = keyof typeof CREDENTIALS;

function probeWorkflow(id: string, gateway: Gateway, steps: Array<{ name: string; parameters: Record<string, unknown> }>): WorkflowJson {
	const credential = CREDENTIALS[gateway];
	const nodes: Array<Record<string, unknown>> = [
		{ id: 'm', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
	];
	const connections: Record<string, unknown> = {};
	let previous = 'Manual Trigger';
	steps.forEach((step, i) => {
		nodes.push({
			id: `s${i}`,
			name: step.name,
			type: 'n8n-nodes-autorecovery.whatsAppProbe',
			typeVersion: 1,
			position: [250 * (i + 1), 0],
			parameters: { gateway, options: { timeoutMs: 2000 }, ...step.parameters },
			credentials: { [credential.type]: { id: credential.id, name: credential.name } },
		});
		connections[previous] = { main: [[{ node: step.name, type: 'main', index: 0 }]] };
		previous = step.name;
	});
	return { id, name: `E2E WhatsApp ${gateway} ${id}`, nodes, connections };
}

function firstItem(run: RunOutput, node: string): { json: Record<string, unknown>; binary?: Record<string, unknown> } {
	const item = run.data.resultData.runData[node]?.[0]?.data?.main?.[0]?.[0];
	if (!item) throw new Error(`no output from ${node}: ${JSON.stringify(run.data.resultData.error ?? {})}`);
	return item;
}

describe('WhatsApp Probe in real n8n', () => {
	let env: TestN8n;
	let evolution: Emulator<EvolutionState>;
	let waha: Emulator<WahaState>;
	let cloud: Emulator<CloudApiState>;

	beforeAll(async () => {
		evolution = await createEvolutionEmulator().start();
		waha = await createWahaEmulator().start();
		cloud = await createCloudApiEmulator().start();
		env = await createTestN8n();
		await env.importCredentials([
			{ ...CREDENTIALS.evolution, data: { baseUrl: evolution.url, apiKey: evolutionDefaults.apiKey, instance: 'ventas' } },
			{ ...CREDENTIALS.waha, data: { baseUrl: waha.url, apiKey: wahaDefaults.apiKey, session: 'default' } },
			{
				...CREDENTIALS.cloudApi,
				data: {
					baseUrl: cloud.url,
					accessToken: cloudApiDefaults.accessToken,
					phoneNumberId: cloudApiDefaults.phone.id,
					wabaId: cloudApiDefaults.waba.id,
					graphVersion: 'v23.0',
					pin: cloudApiDefaults.pin,
				},
			},
		]);
	});
	afterAll(async () => {
		await env?.cleanup();
		await Promise.all([evolution?.close(), waha?.close(), cloud?.close()]);
	});

	test.each(['evolution', 'waha', 'cloudApi'] as const)('%s: Check of a healthy gateway is a valid healthy contract item', async (gateway) => {
		await env.importWorkflow(probeWorkflow(`waCheck${gateway}`.padEnd(16, '0'), gateway, [{ name: 'Probe', parameters: { operation: 'check' } }]));
		const item = firstItem(await env.execute(`waCheck${gateway}`.padEnd(16, '0')), 'Probe');
		expect(validateCheckResult(item.json)).toEqual([]);
		expect(item.json).toMatchObject({ component: 'whatsapp', status: 'healthy' });
	});

	test('Evolution closed → Recover restarts it; WAHA needing a QR → Recover outputs the QR as a PNG binary', async () => {
		evolution.patchState({ instances: { ventas: { state: 'close' } }, restartCloseQuirk: false });
		await env.importWorkflow(probeWorkflow('waRecoverEvo0001', 'evolution', [{ name: 'Recover', parameters: { operation: 'recover' } }]));
		const evoItem = firstItem(await env.execute('waRecoverEvo0001'), 'Recover');
		expect(validateRecoveryResult(evoItem.json)).toEqual([]);
		expect(evoItem.json).toMatchObject({ status: 'healthy', recovery: { action: 'whatsapp.reconnect', success: true, before: 'down' } });

		waha.patchState({ sessions: { default: { status: 'FAILED', account: null } } });
		await env.importWorkflow(probeWorkflow('waRecoverWaha001', 'waha', [{ name: 'Recover', parameters: { operation: 'recover', maxSteps: 2 } }]));
		const wahaItem = firstItem(await env.execute('waRecoverWaha001'), 'Recover');
		expect(validateRecoveryResult(wahaItem.json)).toEqual([]);
		expect(wahaItem.json).toMatchObject({ recovery: { success: false, artifacts: ['qr'] } });
		expect(wahaItem.binary?.qr).toMatchObject({ mimeType: 'image/png' });
	});

	test('Send Message delivers a text through the gateway and reports its message id', async () => {
		evolution.patchState({ instances: { ventas: { state: 'open' } } });
		await env.importWorkflow(
			probeWorkflow('waSendEvo0000001', 'evolution', [{ name: 'Send', parameters: { operation: 'sendMessage', to: '+52 155 9999 0000', text: 'Alerta: prueba' } }]),
		);
		const item = firstItem(await env.execute('waSendEvo0000001'), 'Send');
		expect(item.json).toMatchObject({ sent: true, messageId: expect.any(String) });
		expect(evolution.requests('evolution.sendText').at(-1)?.body).toMatchObject({ number: '5215599990000', text: 'Alerta: prueba' });
	});

	test('no token or API key is in anything n8n stored', () => {
		const stored = env.storedText();
		for (const secret of [evolutionDefaults.apiKey, wahaDefaults.apiKey, cloudApiDefaults.accessToken]) {
			expect(stored).not.toContain(secret);
		}
	});
});
