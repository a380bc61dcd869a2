/**
 * The WhatsApp Probe node's Conversation Check, Webhook Check and Recover (Webhook) through its
 * router, with n8n replaced by the fake execute functions and the gateways by the emulators.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { validateCheckResult, validateRecoveryResult } from '../../../nodes/shared/validate';
import { WhatsAppProbe } from '../../../nodes/WhatsAppProbe/WhatsAppProbe.node';
import type { Emulator } from '../../../dev/emulators/core/emulator';
import { createEvolutionEmulator, evolutionDefaults, type EvolutionState } from '../../../dev/emulators/whatsapp/evolution';
import { WhatsAppNetwork } from '../../../dev/emulators/whatsapp/network';
import { createWahaEmulator, wahaDefaults, type WahaState } from '../../../dev/emulators/whatsapp/waha';
import { call } from '../emulators/selfTest';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';
import { startFakeBot, type FakeBot } from './fakeBot';

const EVO_KEY = evolutionDefaults.apiKey;
const WAHA_KEY = wahaDefaults.apiKey ?? '';
const CANARY = '5215599990000';
const WAHA_NUMBER = '5215512345678';

describe('WhatsApp Probe node: Conversation Check, Webhook Check, Recover (Webhook)', () => {
	let network: WhatsAppNetwork;
	let evolution: Emulator<EvolutionState>;
	let waha: Emulator<WahaState>;
	let bot: FakeBot;
	const node = new WhatsAppProbe();
	const staticData: Record<string, IDataObject> = {};

	const credentials = (): Record<string, ICredentialDataDecryptedObject> => ({
		autorecoveryWahaApi: { baseUrl: waha.url, apiKey: WAHA_KEY, session: 'default' },
		autorecoveryCanaryEvolutionApi: { baseUrl: evolution.url, apiKey: EVO_KEY, instance: 'canary' },
	});
	async function execute(parameters: Record<string, unknown>): Promise<IDataObject> {
		const ctx = fakeExecuteFunctions({
			parameters: { resource: 'whatsApp', gateway: 'waha', target: '', options: { timeoutMs: 3000 }, ...parameters },
			input: [{}],
			credentials: credentials(),
			staticData,
		});
		const [[item]] = await node.execute.call(ctx);
		const text = JSON.stringify(item.json);
		for (const secret of [EVO_KEY, WAHA_KEY].filter(Boolean)) expect(text).not.toContain(secret);
		return item.json;
	}

	beforeAll(async () => {
		network = new WhatsAppNetwork({ serverAckMs: 10, deliveryMs: 20, readMs: 40, retryMs: 20 });
		evolution = await createEvolutionEmulator(
			{
				instances: {
					canary: { ...structuredClone(evolutionDefaults.instances.ventas), id: 'canary-id', token: 'canary-token', number: CANARY, ownerJid: `${CANARY}@s.whatsapp.net`, profileName: 'Canary' },
					ventas: { ...structuredClone(evolutionDefaults.instances.ventas), number: '5215577776666', ownerJid: '5215577776666@s.whatsapp.net' },
				},
			},
			{ network },
		).start();
		waha = await createWahaEmulator({}, { network }).start();
		bot = await startFakeBot({ waha: { url: waha.url, apiKey: WAHA_KEY } });
		const hooked = await call(`${waha.url}/api/sessions/default`, {
			method: 'PUT',
			headers: { 'x-api-key': WAHA_KEY, 'content-type': 'application/json' },
			body: JSON.stringify({ config: { webhooks: [{ url: `${bot.url}/waha`, events: ['message'] }] } }),
		});
		expect(hooked.status).toBe(200);
	});
	afterAll(async () => {
		await bot.close();
		await Promise.all([evolution.close(), waha.close()]);
		network.stop();
	});

	test('Conversation Check: the canary (its own credential) reaches the WAHA bot and gets its answer', async () => {
		const json = await execute({ operation: 'conversationCheck', canaryGateway: 'evolution', botNumber: WAHA_NUMBER, canaryNumber: CANARY, replyTimeoutSeconds: 20, slowReplySeconds: 10, canaryLanguage: 'en' });
		expect(validateCheckResult(json)).toEqual([]);
		expect(json).toMatchObject({ component: 'whatsapp', target: 'waha:default', status: 'healthy' });
		expect(bot.seen.at(-1)).toMatch(/^Automatic test message from Autorecovery/);
	});

	test('Conversation Check with Run At Most Every: the run right after one sends nothing and outputs no item', async () => {
		const parameters = { operation: 'conversationCheck', canaryGateway: 'evolution', botNumber: WAHA_NUMBER, canaryNumber: CANARY, replyTimeoutSeconds: 20, slowReplySeconds: 10, everyMinutes: 10 };
		// One node's static data across both runs, as n8n keeps it between executions.
		const ctx = fakeExecuteFunctions({ parameters: { resource: 'whatsApp', gateway: 'waha', target: '', options: { timeoutMs: 3000 }, ...parameters }, input: [{}], credentials: credentials(), staticData: {} as Record<string, IDataObject> });
		const seenBefore = bot.seen.length;
		const [first] = await node.execute.call(ctx);
		// The bot's path and the canary that worked, each on its own target.
		expect(first.map((item) => [item.json.target, item.json.status])).toEqual([
			['waha:default', 'healthy'],
			['evolution:canary', 'healthy'],
		]);
		expect(first.map((item) => validateCheckResult(item.json))).toEqual([[], []]);
		expect(bot.seen.length).toBe(seenBefore + 1);
		const [second] = await node.execute.call(ctx);
		expect(second).toEqual([]);
		expect(bot.seen.length).toBe(seenBefore + 1);
	});

	test('Recover → Conversation: a zombie WAHA bot is restarted and the conversation proves it', async () => {
		waha.patchState({ sessions: { default: { zombie: true } } });
		const json = await execute({
			operation: 'recover',
			recoverWhat: 'conversation',
			canaryGateway: 'evolution',
			botNumber: WAHA_NUMBER,
			canaryNumber: CANARY,
			replyTimeoutSeconds: 4,
			slowReplySeconds: 3,
			maxSteps: 1,
			deadlineSeconds: 60,
		});
		expect(validateRecoveryResult(json)).toEqual([]);
		expect(json).toMatchObject({ target: 'waha:default', status: 'healthy', recovery: { action: 'whatsapp.reconnect', success: true, before: 'down', after: 'healthy' } });
		expect(waha.state.sessions.default.zombie).toBeFalsy();
	});

	test('Webhook Check remembers a healthy webhook in static data, then Recover (Webhook) restores it when it is lost', async () => {
		const first = await execute({ operation: 'webhookCheck', rememberWebhook: true });
		expect(first).toMatchObject({ status: 'healthy', details: { webhook: 'remembered' } });
		expect(JSON.stringify(staticData)).toContain(`${bot.url}/waha`);

		waha.patchState({ sessions: { default: { webhookLost: true } } });
		const lost = await execute({ operation: 'webhookCheck', rememberWebhook: true });
		expect(lost).toMatchObject({ status: 'down', cause: { code: 'whatsapp.webhook_missing' } });

		const recovered = await execute({ operation: 'recover', recoverWhat: 'webhook', deadlineSeconds: 30, maxSteps: 2 });
		expect(validateRecoveryResult(recovered)).toEqual([]);
		expect(recovered).toMatchObject({ status: 'healthy', recovery: { action: 'whatsapp.restore_webhook', success: true, before: 'down', after: 'healthy' } });

		const again = await execute({ operation: 'webhookCheck', rememberWebhook: true });
		expect(again).toMatchObject({ status: 'healthy', details: { webhook: 'as_expected' } });
	});
});
