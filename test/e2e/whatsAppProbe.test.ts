/**
 * WhatsApp Probe in real n8n against the gateway emulators: one workflow per gateway
 * whose output items match the contract; recovery with a QR binary; a message sent;
 * and no token or key in anything n8n stored.
 */
import type { Emulator } from '../../dev/emulators/core/emulator';
import { cloudApiDefaults, createCloudApiEmulator, type CloudApiState } from '../../dev/emulators/whatsapp/cloudApi';
import { createEvolutionEmulator, evolutionDefaults, type EvolutionState } from '../../dev/emulators/whatsapp/evolution';
import { createWahaEmulator, wahaDefaults, type WahaState } from '../../dev/emulators/whatsapp/waha';
import { validateCheckResult, validateRecoveryResult } from '../../nodes/shared/validate';
import { createTestN8n, type RunOutput, type TestN8n, type WorkflowJson } from '../../dev/n8n/testN8n';

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

	test('a hanging gateway is down with net.timeout within timeout + 1 s, not a hung execution', async () => {
		evolution.setFault('*', { hang: true });
		try {
			await env.importWorkflow(
				probeWorkflow('waHangEvo0000001', 'evolution', [{ name: 'Probe', parameters: { operation: 'check', options: { timeoutMs: 1500 } } }]),
			);
			const run = await env.execute('waHangEvo0000001');
			const item = firstItem(run, 'Probe');
			expect(validateCheckResult(item.json)).toEqual([]);
			expect(item.json).toMatchObject({ status: 'down', cause: { code: 'net.timeout' } });
			const probe = run.data.resultData.runData.Probe[0] as { executionTime?: number };
			expect(probe.executionTime).toBeLessThan(2_500);
		} finally {
			evolution.clearFaults();
		}
	});

	test('WAHA waiting for a scan: Get QR gives a PNG binary that Send Message attaches to an image for the admin', async () => {
		waha.patchState({ sessions: { default: { status: 'SCAN_QR_CODE' } } });
		await env.importWorkflow(
			probeWorkflow('waQrToAdmin00001', 'waha', [
				{ name: 'Get QR', parameters: { operation: 'getQr' } },
				{ name: 'Send QR', parameters: { operation: 'sendMessage', to: '5215599990000', text: 'Escanea este QR', attachImage: true, binaryPropertyName: 'qr' } },
			]),
		);
		waha.patchState({ sessions: { default: { status: 'SCAN_QR_CODE' } } });
		const run = await env.execute('waQrToAdmin00001');
		const qr = firstItem(run, 'Get QR');
		expect(qr.json).toMatchObject({ pending: true, target: 'waha:default' });
		expect(qr.binary?.qr).toMatchObject({ mimeType: 'image/png' });
		// The image went out while the session still waits for its scan: WAHA refuses sends then,
		// so the Send Message item reports the gateway's refusal as a contract result.
		const sent = firstItem(run, 'Send QR');
		expect(sent.json.sent).toBe(false);
		expect(validateCheckResult({ ...sent.json, sent: undefined })).toEqual([]);
	});

	test('Evolution: the QR of an instance waiting for a scan is sent as an image through a working instance', async () => {
		const admin = { ...structuredClone(evolutionDefaults.instances.ventas), id: 'admin-instance', name: 'admin', state: 'open' as const };
		evolution.patchState({ instances: { ventas: { state: 'connecting' }, admin } });
		await env.importWorkflow(
			probeWorkflow('waQrEvoAdmin0001', 'evolution', [
				{ name: 'Get QR', parameters: { operation: 'getQr' } },
				{ name: 'Send', parameters: { operation: 'sendMessage', target: 'admin', to: '5215599990000', text: 'Escanea este QR', attachImage: true } },
			]),
		);
		const run = await env.execute('waQrEvoAdmin0001');
		expect(firstItem(run, 'Get QR').binary?.qr).toMatchObject({ mimeType: 'image/png' });
		expect(firstItem(run, 'Send').json).toMatchObject({ sent: true, target: 'evolution:admin', messageId: expect.any(String) });
		const sent = evolution.requests('evolution.sendMedia').at(-1)?.body as { media?: string; caption?: string; mimetype?: string };
		expect(sent).toMatchObject({ caption: 'Escanea este QR', mimetype: 'image/png' });
		expect(Buffer.from(String(sent.media), 'base64').subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
	});

	test('a bad parameter is an error naming it; with continueOnFail it becomes an error item', async () => {
		const workflow = probeWorkflow('waBadParamEvo001', 'evolution', [{ name: 'Send', parameters: { operation: 'sendMessage', to: 'the admin', text: 'x' } }]);
		await env.importWorkflow(workflow);
		const failed = await env.execute('waBadParamEvo001').catch((error: Error) => error);
		const text = failed instanceof Error ? failed.message : JSON.stringify(failed.data.resultData.error);
		expect(text).toMatch(/Parameter "To" must be a phone number/);
		workflow.nodes[1].onError = 'continueRegularOutput';
		await env.importWorkflow(workflow);
		const item = firstItem(await env.execute('waBadParamEvo001'), 'Send');
		expect(item.json).toEqual({ error: expect.stringMatching(/Parameter "To"/) });
	});

	test('credential tests call the gateways: valid keys pass, a wrong key fails', async () => {
		await env.startServer();
		const testCredential = (type: string, data: Record<string, unknown>) => env.n8n.testCredential(type, data);
		expect(await testCredential('autorecoveryEvolutionApi', { baseUrl: evolution.url, apiKey: evolutionDefaults.apiKey, instance: 'ventas' })).toMatchObject({ status: 'OK' });
		expect(await testCredential('autorecoveryEvolutionApi', { baseUrl: evolution.url, apiKey: 'wrong-key', instance: 'ventas' })).toMatchObject({ status: 'Error' });
		expect(await testCredential('autorecoveryWahaApi', { baseUrl: waha.url, apiKey: wahaDefaults.apiKey, session: 'default' })).toMatchObject({ status: 'OK' });
		expect(await testCredential('autorecoveryWahaApi', { baseUrl: waha.url, apiKey: 'wrong-key', session: 'default' })).toMatchObject({ status: 'Error' });
		const cloudData = { baseUrl: cloud.url, phoneNumberId: cloudApiDefaults.phone.id, graphVersion: 'v23.0' };
		expect(await testCredential('autorecoveryWhatsAppCloudApi', { ...cloudData, accessToken: cloudApiDefaults.accessToken })).toMatchObject({ status: 'OK' });
		expect(await testCredential('autorecoveryWhatsAppCloudApi', { ...cloudData, accessToken: 'EAAwrongtoken' })).toMatchObject({ status: 'Error' });
	});

	test('no token or API key is in anything n8n stored', () => {
		const stored = env.storedText();
		for (const secret of [evolutionDefaults.apiKey, wahaDefaults.apiKey, cloudApiDefaults.accessToken]) {
			expect(stored).not.toContain(secret);
		}
	});
});
