/**
 * The Conversation Check and the Webhook Check end to end against the WhatsApp emulators on
 * one emulated network, with a small fake bot that answers the gateways' message webhooks.
 */
import type { CheckResult } from '../../../nodes/shared/contract';
import { runRecovery } from '../../../nodes/shared/recovery/runRecovery';
import { validateCheckResult, validateRecoveryResult } from '../../../nodes/shared/validate';
import { compileExpectedReplyPattern } from '../../../nodes/WhatsAppProbe/conversation/expectedReply';
import { runConversationCheck, type ConversationRun } from '../../../nodes/WhatsAppProbe/conversation/runConversation';
import { createCloudApiGateway } from '../../../nodes/WhatsAppProbe/providers/cloudApi';
import { createEvolutionGateway } from '../../../nodes/WhatsAppProbe/providers/evolution';
import type { WhatsAppGateway } from '../../../nodes/WhatsAppProbe/providers/types';
import { createWahaGateway } from '../../../nodes/WhatsAppProbe/providers/waha';
import { conversationRecoveryLadder } from '../../../nodes/WhatsAppProbe/conversation/conversationRecovery';
import type { ExpectedWebhook } from '../../../nodes/WhatsAppProbe/webhook/expectedWebhook';
import { runWebhookCheck, webhookRecoveryLadder } from '../../../nodes/WhatsAppProbe/webhook/webhookCheck';
import type { Emulator } from '../../../dev/emulators/core/emulator';
import { createCloudApiEmulator, type CloudApiState } from '../../../dev/emulators/whatsapp/cloudApi';
import { createEvolutionEmulator, evolutionDefaults, type EvolutionState } from '../../../dev/emulators/whatsapp/evolution';
import { WhatsAppNetwork } from '../../../dev/emulators/whatsapp/network';
import { createWahaEmulator, wahaDefaults, type WahaState } from '../../../dev/emulators/whatsapp/waha';
import { call } from '../emulators/selfTest';
import { startFakeBot, type FakeBot } from './fakeBot';

const EVO_KEY = evolutionDefaults.apiKey;
const WAHA_KEY = wahaDefaults.apiKey ?? '';
const CANARY = '5215599990000';
/** The Evolution bot (instance `ventas`), moved off the WAHA session's number. */
const EVO_BOT = '5215577776666';
/** WAHA's default session holds this number. */
const WAHA_NUMBER = '5215512345678';
const CLOUD_NUMBER = '525512345678';
const CALL = { timeoutMs: 3000 };
/** Generous: the machine is loaded. The gateways stamp whole seconds, so latencies are ≥ 0 s in 1 s steps. */
const TIMING = { replyTimeoutMs: 10_000, slowReplyMs: 5_000 };
/** For runs that wait for the whole timeout (no reply): short. */
const SHORT = { replyTimeoutMs: 1_500, slowReplyMs: 1_000 };

describe('Conversation Check and Webhook Check against the WhatsApp emulators', () => {
	let network: WhatsAppNetwork;
	let evolution: Emulator<EvolutionState>;
	let waha: Emulator<WahaState>;
	let cloud: Emulator<CloudApiState>;
	let bot: FakeBot;
	let outputs: unknown[];

	const seen = <T>(value: T): T => {
		outputs.push(value);
		return value;
	};
	const evoGateway = (instance: string) => createEvolutionGateway({ baseUrl: evolution.url, apiKey: EVO_KEY, instance });
	const wahaGateway = () => createWahaGateway({ baseUrl: waha.url, apiKey: WAHA_KEY, session: 'default' });
	const cloudGateway = () =>
		createCloudApiGateway({ baseUrl: cloud.url, graphVersion: 'v23.0', accessToken: cloud.state.accessToken, phoneNumberId: cloud.state.phone.id, wabaId: cloud.state.waba.id });
	const evo = (path: string, body: unknown) =>
		call(`${evolution.url}${path}`, { method: 'POST', headers: { apikey: EVO_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const wahaPut = (path: string, body: unknown) =>
		call(`${waha.url}${path}`, { method: 'PUT', headers: { 'x-api-key': WAHA_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const hookEvolutionBot = () => evo('/webhook/set/ventas', { webhook: { enabled: true, url: `${bot.url}/evo`, events: ['MESSAGES_UPSERT'] } });
	const hookWahaBot = () => wahaPut('/api/sessions/default', { config: { webhooks: [{ url: `${bot.url}/waha`, events: ['message'] }] } });

	async function converse(run: Pick<ConversationRun, 'bot' | 'canary' | 'botNumber' | 'canaryNumber'> & Partial<ConversationRun>): Promise<CheckResult> {
		const { result } = await runConversationCheck({ timing: TIMING, language: 'es', call: CALL, pollMs: 100, ...run });
		expect(validateCheckResult(result)).toEqual([]);
		return seen(result);
	}
	const evolutionToWaha = (extra: Partial<ConversationRun> = {}) =>
		converse({ canary: evoGateway('canary'), bot: wahaGateway(), canaryNumber: CANARY, botNumber: WAHA_NUMBER, ...extra });
	const wahaToEvolution = (extra: Partial<ConversationRun> = {}) =>
		converse({ canary: wahaGateway(), bot: evoGateway('ventas'), canaryNumber: WAHA_NUMBER, botNumber: EVO_BOT, ...extra });
	const stepsOf = (result: CheckResult) => Object.fromEntries(result.checks.map((c) => [c.name, c.status]));

	beforeEach(async () => {
		outputs = [];
		network = new WhatsAppNetwork({ serverAckMs: 10, deliveryMs: 20, readMs: 40, retryMs: 20 });
		evolution = await createEvolutionEmulator(
			{
				instances: {
					canary: { ...structuredClone(evolutionDefaults.instances.ventas), id: 'canary-id', token: 'canary-token', number: CANARY, ownerJid: `${CANARY}@s.whatsapp.net`, profileName: 'Canary' },
					ventas: { ...structuredClone(evolutionDefaults.instances.ventas), number: EVO_BOT, ownerJid: `${EVO_BOT}@s.whatsapp.net` },
				},
			},
			{ network },
		).start();
		waha = await createWahaEmulator({}, { network }).start();
		cloud = await createCloudApiEmulator({}, { network }).start();
		bot = await startFakeBot({
			evolution: { url: evolution.url, apiKey: EVO_KEY },
			waha: { url: waha.url, apiKey: WAHA_KEY },
			cloud: { url: cloud.url, token: cloud.state.accessToken, phoneNumberId: cloud.state.phone.id },
		});
	});
	afterEach(async () => {
		await bot.close();
		await Promise.all([evolution.close(), waha.close(), cloud.close()]);
		network.stop();
		// No API key, token or instance token in anything the gateways returned.
		const text = JSON.stringify(outputs);
		for (const secret of [EVO_KEY, WAHA_KEY, 'canary-token', evolutionDefaults.instances.ventas.token, cloud.state.accessToken].filter(Boolean)) {
			expect(text).not.toContain(secret);
		}
	});

	describe('conversation', () => {
		test('Evolution canary → WAHA bot: sent, received, answered, sent by the bot → healthy', async () => {
			expect((await hookWahaBot()).status).toBe(200);
			const result = await evolutionToWaha();
			expect(result.status).toBe('healthy');
			expect(result.target).toBe('waha:default');
			expect(stepsOf(result)).toEqual({ canarySend: 'healthy', inbound: 'healthy', reply: 'healthy', outbound: 'healthy' });
			expect(result.details).toMatchObject({ role: 'bot', canaryTarget: 'evolution:canary', inbound: 'found', outbound: 'found' });
			expect(bot.seen.some((text) => text.includes('[autorecovery-canary:'))).toBe(true);
		});

		test('WAHA canary → Evolution bot → healthy, and a matching Expected Reply Pattern passes', async () => {
			expect((await hookEvolutionBot()).status).toBe(201);
			const result = await wahaToEvolution({ pattern: compileExpectedReplyPattern('cat[aá]logo') });
			expect(result.status).toBe('healthy');
			expect(result.target).toBe('evolution:ventas');
			expect(stepsOf(result)).toEqual({ canarySend: 'healthy', inbound: 'healthy', reply: 'healthy', replyPattern: 'healthy', outbound: 'healthy' });
		});

		test('the cost of one healthy run: one send, and a few reads on each side', async () => {
			await hookWahaBot();
			const { result, calls } = await runConversationCheck({ canary: evoGateway('canary'), bot: wahaGateway(), canaryNumber: CANARY, botNumber: WAHA_NUMBER, timing: TIMING, language: 'en', call: CALL, pollMs: 100 });
			seen(result);
			expect(result.status).toBe('healthy');
			expect(calls.canary).toBeGreaterThanOrEqual(2); // the send and at least one inbox read
			expect(calls.bot).toBeGreaterThanOrEqual(2); // inbound and outbound read-backs
			expect(network.log.filter((m) => m.from === CANARY)).toHaveLength(1); // one message per run
		});

		test('zombie bot session (WORKING, nothing arrives) → down inbound_not_delivered; the restart rung heals it and the conversation passes again', async () => {
			await hookWahaBot();
			waha.patchState({ sessions: { default: { zombie: true } } });
			const result = await evolutionToWaha({ timing: SHORT });
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'whatsapp.inbound_not_delivered', needsHuman: false });
			expect(stepsOf(result)).toMatchObject({ canarySend: 'healthy', inbound: 'down' });
			// The status endpoint is green the whole time.
			expect((await wahaGateway().check(CALL)).status).toBe('healthy');

			const gateway = wahaGateway();
			const ladder = gateway.recoveryLadder(result, CALL);
			expect(ladder.map((rung) => rung.action)).toEqual(['whatsapp.reconnect', 'whatsapp.relink']);
			expect(seen(await ladder[0].run())).toMatchObject({ ok: true });
			const again = await evolutionToWaha();
			expect(again.status).toBe('healthy');
		});

		test('zombie Evolution bot → inbound_not_delivered; its ladder restarts only (no logout of an open session)', async () => {
			await hookEvolutionBot();
			evolution.patchState({ instances: { ventas: { zombie: true } } });
			const result = await wahaToEvolution({ timing: SHORT });
			expect(result.cause?.code).toBe('whatsapp.inbound_not_delivered');
			expect(evoGateway('ventas').recoveryLadder(result, CALL).map((rung) => rung.action)).toEqual(['whatsapp.reconnect']);
		});

		test('bot silent (its workflow does not answer) → down bot_silent, and no WhatsApp action in any ladder', async () => {
			await hookWahaBot();
			bot.mode = 'silent';
			const result = await evolutionToWaha({ timing: SHORT });
			expect(result.status).toBe('down');
			expect(result.cause).toMatchObject({ code: 'whatsapp.bot_silent', needsHuman: true });
			expect(stepsOf(result)).toMatchObject({ inbound: 'healthy', reply: 'down' });
			expect(wahaGateway().recoveryLadder(result, CALL)).toEqual([]);
			expect(evoGateway('ventas').recoveryLadder({ ...result, target: 'evolution:ventas' }, CALL)).toEqual([]);
			expect(waha.requests('waha.restart')).toHaveLength(0);
			expect(waha.requests('waha.logout')).toHaveLength(0);
			expect(waha.requests('waha.chatMessages').length).toBeGreaterThan(0); // the inbound read-back did run
		});

		test('slow reply → degraded reply_slow with the time it took', async () => {
			await hookWahaBot();
			bot.delayMs = 2200;
			const result = await evolutionToWaha({ timing: { replyTimeoutMs: 15_000, slowReplyMs: 1_000 } });
			expect(result.status).toBe('degraded');
			expect(result.cause?.code).toBe('whatsapp.reply_slow');
			const latency = (result.details?.reply as { latencyMs: number }).latencyMs;
			expect(latency).toBeGreaterThanOrEqual(1000);
			expect(result.cause?.message).toMatch(/answered in \d+(\.\d)? s/);
		});

		test('reply that does not match the Expected Reply Pattern → down reply_mismatch', async () => {
			await hookWahaBot();
			bot.replyText = 'Lo siento, ocurrió un error.';
			const result = await evolutionToWaha({ pattern: compileExpectedReplyPattern('cat[aá]logo') });
			expect(result.status).toBe('down');
			expect(result.cause?.code).toBe('whatsapp.reply_mismatch');
			expect((result.details?.reply as { text: string }).text).toBe('Lo siento, ocurrió un error.');
		});

		test('canary broken (its own instance closed) → canary_broken about the canary; the bot gateway is not called', async () => {
			await hookWahaBot();
			evolution.patchState({ instances: { canary: { state: 'close' } } });
			const wahaCallsBefore = waha.requests().length;
			expect(wahaCallsBefore).toBeGreaterThan(0); // the webhook PUT
			const result = await evolutionToWaha();
			expect(result.status).toBe('down');
			expect(result.target).toBe('evolution:canary');
			expect(result.cause).toMatchObject({ code: 'whatsapp.canary_broken', needsHuman: true });
			expect(result.details).toMatchObject({ role: 'canary', botTarget: 'waha:default', botJudged: false });
			expect(waha.requests().length).toBe(wahaCallsBefore);
		});

		test('zombie canary (its gateway accepts, WhatsApp never acknowledges) → canary_broken, never blamed on the bot', async () => {
			await hookWahaBot();
			evolution.patchState({ instances: { canary: { zombie: true } } });
			const result = await evolutionToWaha({ timing: SHORT });
			expect(result.status).toBe('down');
			expect(result.target).toBe('evolution:canary');
			expect(result.cause?.code).toBe('whatsapp.canary_broken');
			expect(result.cause?.message).toMatch(/never acknowledged/);
			expect(result.details).toMatchObject({ role: 'canary', botJudged: false });
		});

		test('zombie WAHA canary → canary_broken as well (its copy stays at ack 0)', async () => {
			await hookEvolutionBot();
			waha.patchState({ sessions: { default: { zombie: true } } });
			const result = await wahaToEvolution({ timing: SHORT });
			expect(result.target).toBe('waha:default');
			expect(result.cause?.code).toBe('whatsapp.canary_broken');
		});

		test('Cloud API bot: no read-back, so inbound is inferred from the reply → healthy', async () => {
			cloud.patchState({ app: { secret: 'app-secret', callbackUrl: `${bot.url}/meta` } });
			const result = await converse({ canary: evoGateway('canary'), bot: cloudGateway(), canaryNumber: CANARY, botNumber: CLOUD_NUMBER });
			expect(result.status).toBe('healthy');
			expect(result.checks.find((c) => c.name === 'inbound')).toMatchObject({ status: 'healthy', value: 'inferred' });
			expect(result.checks.find((c) => c.name === 'outbound')).toMatchObject({ status: 'healthy', value: 'not_checked' });
		});

		test('Cloud API bot that does not answer → no_reply (delivery unknown), a person looks', async () => {
			cloud.patchState({ app: { secret: 'app-secret', callbackUrl: `${bot.url}/meta` } });
			bot.mode = 'silent';
			const result = await converse({ canary: evoGateway('canary'), bot: cloudGateway(), canaryNumber: CANARY, botNumber: CLOUD_NUMBER, timing: SHORT });
			expect(result.cause).toMatchObject({ code: 'whatsapp.no_reply', needsHuman: true });
		});
	});

	describe('recovery proven by the conversation', () => {
		async function recoverConversation(canary: WhatsAppGateway, botGateway: WhatsAppGateway, canaryNumber: string, botNumber: string, expected?: ExpectedWebhook) {
			const run = await runRecovery({
				check: async (signal) => (await runConversationCheck({ bot: botGateway, canary, canaryNumber, botNumber, timing: SHORT, language: 'es', call: { ...CALL, signal }, pollMs: 100 })).result,
				ladder: (state, signal) => conversationRecoveryLadder(botGateway, state, { ...CALL, signal }, expected ? { expected, secrets: {} } : undefined),
				idleAction: 'whatsapp.reconnect',
				dryRun: false,
				maxSteps: 2,
				deadlineMs: 30_000,
			});
			seen(run);
			expect(validateRecoveryResult(run.result)).toEqual([]);
			return run.result;
		}

		test('zombie WAHA bot: restart, then the conversation passes → success; no relink', async () => {
			await hookWahaBot();
			waha.patchState({ sessions: { default: { zombie: true } } });
			const result = await recoverConversation(evoGateway('canary'), wahaGateway(), CANARY, WAHA_NUMBER);
			expect(result.recovery).toMatchObject({ action: 'whatsapp.reconnect', attempted: true, success: true, before: 'down', after: 'healthy' });
			expect(result.recovery.steps.map((s) => s.action)).toEqual(['whatsapp.reconnect', 'check']);
			expect(waha.requests('waha.logout')).toHaveLength(0);
		});

		test('silent Evolution bot whose webhook was lost: the webhook rung restores it and the conversation passes', async () => {
			await hookEvolutionBot();
			const captured = (await runWebhookCheck({ gateway: evoGateway('ventas'), parameters: {}, capture: true, call: CALL })).captured;
			evolution.patchState({ instances: { ventas: { webhookLost: true } } });
			const result = await recoverConversation(wahaGateway(), evoGateway('ventas'), WAHA_NUMBER, EVO_BOT, captured);
			expect(result.recovery).toMatchObject({ action: 'whatsapp.restore_webhook', success: true, before: 'down', after: 'healthy' });
			expect(evolution.requests('evolution.restart')).toHaveLength(0);
		});

		test('silent bot with its webhook as expected: nothing restored, no restart; it stays down for a person', async () => {
			await hookWahaBot();
			const captured = (await runWebhookCheck({ gateway: wahaGateway(), parameters: {}, capture: true, call: CALL })).captured;
			bot.mode = 'silent';
			const updatesBefore = waha.requests('waha.updateSession').length;
			const result = await recoverConversation(evoGateway('canary'), wahaGateway(), CANARY, WAHA_NUMBER, captured);
			expect(result.recovery).toMatchObject({ action: 'whatsapp.restore_webhook', success: false, after: 'down' });
			expect(result.recovery.steps[0]).toMatchObject({ ok: false, message: expect.stringMatching(/not why the bot is silent/) });
			expect(result.cause?.code).toBe('whatsapp.bot_silent');
			expect(waha.requests('waha.updateSession')).toHaveLength(updatesBefore);
			expect(waha.requests('waha.restart')).toHaveLength(0);
		});

		test('broken canary: escalates, nothing is done to the bot', async () => {
			await hookWahaBot();
			evolution.patchState({ instances: { canary: { state: 'close' } } });
			const result = await recoverConversation(evoGateway('canary'), wahaGateway(), CANARY, WAHA_NUMBER);
			expect(result.recovery).toMatchObject({ action: 'notify.escalate', attempted: false });
			expect(result.target).toBe('evolution:canary');
			expect(waha.requests('waha.restart')).toHaveLength(0);
		});
	});

	describe('webhook', () => {
		async function recoverWebhook(gateway: WhatsAppGateway, remembered: unknown) {
			const run = await runRecovery({
				check: async (signal) => (await runWebhookCheck({ gateway, parameters: {}, remembered, capture: false, call: { ...CALL, signal } })).result,
				ladder: (state, signal) => webhookRecoveryLadder(gateway, state, (remembered ?? undefined) as never, {}, { ...CALL, signal }),
				idleAction: 'whatsapp.restore_webhook',
				dryRun: false,
				maxSteps: 1,
				deadlineMs: 20_000,
			});
			seen(run);
			expect(validateRecoveryResult(run.result)).toEqual([]);
			return run.result;
		}

		test('Evolution webhookLost: remembered when healthy, detected, restored by restore_webhook, re-verified; the conversation passes again', async () => {
			await hookEvolutionBot();
			const gateway = evoGateway('ventas');
			const first = await runWebhookCheck({ gateway, parameters: {}, capture: true, call: CALL });
			seen(first);
			expect(first.result.status).toBe('healthy');
			expect(first.captured).toMatchObject({ gateway: 'evolution', url: `${bot.url}/evo`, events: ['MESSAGES_UPSERT'] });

			evolution.patchState({ instances: { ventas: { webhookLost: true } } });
			// The conversation shows a deaf bot: the gateway has the message, nobody answers.
			expect((await wahaToEvolution({ timing: SHORT })).cause?.code).toBe('whatsapp.bot_silent');
			const lost = await runWebhookCheck({ gateway, parameters: {}, remembered: first.captured, capture: true, call: CALL });
			seen(lost);
			expect(lost.result.status).toBe('down');
			expect(lost.result.cause).toMatchObject({ code: 'whatsapp.webhook_missing', needsHuman: false });
			expect(lost.captured).toBeUndefined();

			const recovered = await recoverWebhook(gateway, first.captured);
			expect(recovered.recovery).toMatchObject({ action: 'whatsapp.restore_webhook', attempted: true, success: true, before: 'down', after: 'healthy' });
			expect(recovered.recovery.steps.map((s) => s.action)).toEqual(['whatsapp.restore_webhook', 'check']);
			expect(evolution.requests('evolution.webhookSet').at(-1)?.body).toMatchObject({ webhook: { enabled: true, url: `${bot.url}/evo`, events: ['MESSAGES_UPSERT'] } });
			expect((await wahaToEvolution()).status).toBe('healthy');
		});

		test('WAHA webhookLost: detected and restored with a session update (PUT), re-verified', async () => {
			await hookWahaBot();
			const gateway = wahaGateway();
			const first = await runWebhookCheck({ gateway, parameters: {}, capture: true, call: CALL });
			seen(first);
			expect(first.captured).toMatchObject({ gateway: 'waha', url: `${bot.url}/waha` });
			waha.patchState({ sessions: { default: { webhookLost: true } } });
			const lost = await runWebhookCheck({ gateway, parameters: {}, remembered: first.captured, capture: true, call: CALL });
			seen(lost);
			expect(lost.result.cause?.code).toBe('whatsapp.webhook_missing');
			const recovered = await recoverWebhook(gateway, first.captured);
			expect(recovered.recovery).toMatchObject({ success: true, after: 'healthy' });
			expect(recovered.recovery.steps[0].message).toMatch(/restarts the session/);
			expect(waha.requests('waha.updateSession').length).toBeGreaterThanOrEqual(2);
		});

		test('parameters win over the remembered configuration: another URL is a mismatch', async () => {
			await hookEvolutionBot();
			const gateway = evoGateway('ventas');
			const first = await runWebhookCheck({ gateway, parameters: {}, capture: true, call: CALL });
			const other = await runWebhookCheck({ gateway, parameters: { url: 'https://n8n.example.com/webhook/bot' }, remembered: first.captured, capture: true, call: CALL });
			seen(other);
			expect(other.result.cause?.code).toBe('whatsapp.webhook_mismatch');
			expect(other.result.cause?.message).toMatch(/expected https:\/\/n8n\.example\.com\/webhook\/bot/);
		});

		test('Cloud API: the app unsubscribed from the WABA → webhook_missing; restore subscribes it again', async () => {
			const gateway = cloudGateway();
			const first = await runWebhookCheck({ gateway, parameters: {}, capture: true, call: CALL });
			seen(first);
			expect(first.result.status).toBe('healthy');
			cloud.patchState({ webhookLost: true });
			const lost = await runWebhookCheck({ gateway, parameters: {}, remembered: first.captured, capture: true, call: CALL });
			seen(lost);
			expect(lost.result.cause?.code).toBe('whatsapp.webhook_missing');
			const recovered = await recoverWebhook(gateway, first.captured);
			expect(recovered.recovery).toMatchObject({ success: true, after: 'healthy' });
		});

		test('no expected configuration and nothing to remember → webhook_missing, and no restore rung (nothing to restore to)', async () => {
			const gateway = evoGateway('ventas');
			const outcome = await runWebhookCheck({ gateway, parameters: {}, capture: true, call: CALL });
			seen(outcome);
			expect(outcome.result.cause?.code).toBe('whatsapp.webhook_missing');
			expect(webhookRecoveryLadder(gateway, outcome.result, undefined, {}, CALL)).toEqual([]);
		});

		test('an unreachable gateway is a classified failure, not a throw', async () => {
			const gateway = createEvolutionGateway({ baseUrl: 'http://127.0.0.1:9', apiKey: EVO_KEY, instance: 'ventas' });
			const outcome = await runWebhookCheck({ gateway, parameters: {}, capture: true, call: CALL });
			seen(outcome);
			expect(outcome.result.status).toBe('down');
			expect(outcome.result.cause?.code).toMatch(/^net\./);
		});
	});
});
