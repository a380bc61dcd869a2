/**
 * The Passive Check against the Evolution and WAHA emulators: their message stores serve a
 * seeded history (action `traffic`) through findMessages and chats/all/messages, page by page;
 * a deaf bot (`botDeaf`: stored, never answered) and a zombie (nothing arrives) are told from a
 * working bot; the Cloud API says why it cannot be checked.
 */
import type { CheckResult } from '../../../nodes/shared/contract';
import { validateCheckResult } from '../../../nodes/shared/validate';
import { MINUTE_MS } from '../../../nodes/shared/timeUnits';
import { conversationRecoveryLadder } from '../../../nodes/WhatsAppProbe/conversation/conversationRecovery';
import { DEFAULT_PASSIVE_PARAMETERS } from '../../../nodes/WhatsAppProbe/passive/passiveVerdict';
import { runPassiveCheck } from '../../../nodes/WhatsAppProbe/passive/runPassiveCheck';
import { createCloudApiGateway } from '../../../nodes/WhatsAppProbe/providers/cloudApi';
import { createEvolutionGateway } from '../../../nodes/WhatsAppProbe/providers/evolution';
import type { WhatsAppGateway } from '../../../nodes/WhatsAppProbe/providers/types';
import { createWahaGateway } from '../../../nodes/WhatsAppProbe/providers/waha';
import type { Emulator } from '../../../dev/emulators/core/emulator';
import { createCloudApiEmulator } from '../../../dev/emulators/whatsapp/cloudApi';
import { CUSTOMER_PREFIX } from '../../../dev/emulators/whatsapp/customers';
import { createEvolutionEmulator, evolutionDefaults, type EvolutionState } from '../../../dev/emulators/whatsapp/evolution';
import { WhatsAppNetwork } from '../../../dev/emulators/whatsapp/network';
import { createWahaEmulator, wahaDefaults, type WahaState } from '../../../dev/emulators/whatsapp/waha';
import { call } from '../emulators/selfTest';

const EVO_KEY = evolutionDefaults.apiKey;
const WAHA_KEY = wahaDefaults.apiKey ?? '';
const CALL = { timeoutMs: 5000 };
const P = DEFAULT_PASSIVE_PARAMETERS;
/** 14 days, 6 customers an hour, answered after 20 s: about 2,000 conversations, 4,000 messages. */
const BUSY = { days: 14, perHour: 6, answerAfterS: 20 };

async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe('Passive Check against the WhatsApp emulators', () => {
	let network: WhatsAppNetwork;
	let evolution: Emulator<EvolutionState>;
	let waha: Emulator<WahaState>;
	let outputs: unknown[];
	const evoGateway = () => createEvolutionGateway({ baseUrl: evolution.url, apiKey: EVO_KEY, instance: 'ventas' });
	const wahaGateway = () => createWahaGateway({ baseUrl: waha.url, apiKey: WAHA_KEY, session: 'default' });

	async function passive(gateway: WhatsAppGateway, extra: { now?: () => number; parameters?: Partial<typeof P> } = {}) {
		const outcome = await runPassiveCheck({ gateway, parameters: { ...P, ...extra.parameters }, call: CALL, ...(extra.now ? { now: extra.now } : {}) });
		expect(validateCheckResult(outcome.result)).toEqual([]);
		outputs.push(outcome.result);
		return outcome;
	}
	const stepsOf = (result: CheckResult) => Object.fromEntries(result.checks.map((c) => [c.name, c.status]));

	beforeEach(async () => {
		outputs = [];
		network = new WhatsAppNetwork({ serverAckMs: 10, deliveryMs: 20, readMs: 40, retryMs: 20 });
		evolution = await createEvolutionEmulator({}, { network }).start();
		waha = await createWahaEmulator({ engine: 'NOWEB', sessions: { default: { ...structuredClone(wahaDefaults.sessions.default), account: { id: '5215577776666@c.us', pushName: 'Bot' }, config: { noweb: { store: { enabled: true, fullSync: true } } } } } }, { network }).start();
	});
	afterEach(async () => {
		await Promise.all([evolution.close(), waha.close()]);
		network.stop();
		const text = JSON.stringify(outputs);
		for (const secret of [EVO_KEY, WAHA_KEY, evolutionDefaults.instances.ventas.token]) expect(text).not.toContain(secret);
	});

	test('Evolution: the seeded history is served faithfully by findMessages, page by page, and a working bot is healthy', async () => {
		const seeded = evolution.act('traffic', { instance: 'ventas', ...BUSY }) as { inbound: number; outbound: number };
		expect(seeded.inbound).toBeGreaterThan(1900);
		// The rows as findMessages serves them: customers' and the bot's, acks as MessageUpdate rows.
		const page = await call(`${evolution.url}/chat/findMessages/ventas`, {
			method: 'POST',
			headers: { apikey: EVO_KEY, 'content-type': 'application/json' },
			body: JSON.stringify({ where: { messageTimestamp: { gte: new Date(Date.now() - 3600_000).toISOString(), lte: new Date().toISOString() } }, offset: 5, page: 1 }),
		});
		const records = (page.json as { messages: { total: number; records: Array<Record<string, unknown>> } }).messages;
		expect(records.total).toBeGreaterThanOrEqual(10);
		expect(records.records).toHaveLength(5);
		const own = records.records.find((r) => (r.key as { fromMe: boolean }).fromMe);
		expect(own).toMatchObject({ key: { remoteJid: expect.stringMatching(new RegExp(`^${CUSTOMER_PREFIX}\\d+@s\\.whatsapp\\.net$`)) }, MessageUpdate: [{ status: 'SERVER_ACK' }, { status: 'DELIVERY_ACK' }, { status: 'READ' }] });
		expect(own).not.toHaveProperty('status');

		const { result, calls, verdict } = await passive(evoGateway());
		expect(result).toMatchObject({ component: 'whatsapp', target: 'evolution:ventas', probe: 'passive', status: 'healthy' });
		expect(stepsOf(result)).toEqual({ history: 'healthy', inboundSilence: 'healthy', answers: 'healthy' });
		expect(calls).toBeGreaterThan(1); // paged: 1,000 a page
		expect(verdict?.inbound).toBe(seeded.inbound);
		expect(verdict?.outbound).toBe(seeded.outbound);
		expect(verdict?.silence.kind).toBe('receiving');
		expect(verdict?.answers.kind).toBe('answered');
	});

	test('Evolution deaf bot: customers\' messages stored, none answered for 40 min → down, whatsapp.inbound_unanswered, no restart offered', async () => {
		evolution.act('traffic', { instance: 'ventas', ...BUSY, unansweredLastMinutes: 40 });
		const { result } = await passive(evoGateway());
		expect(result.status).toBe('down');
		expect(result.cause).toMatchObject({ code: 'whatsapp.inbound_unanswered', needsHuman: true, retryable: false });
		expect(result.cause?.message).toMatch(/none got an answer within 10 min/);
		expect(stepsOf(result)).toMatchObject({ inboundSilence: 'healthy', answers: 'down' });
		// No webhook is expected: nothing on the bot's side to do (a reconnect would cut a working session).
		expect(conversationRecoveryLadder(evoGateway(), result, CALL)).toEqual([]);
	});

	test('Evolution live: the emulated bot answers live customers; botDeaf stores them and answers none', async () => {
		evolution.act('traffic', { instance: 'ventas', days: 0, perHour: 0, answerAfterS: 0, everyMs: 100 });
		const stored = () => evolution.state.messages.ventas ?? [];
		await until('answered live customers', () => stored().filter((m) => m.key.fromMe).length >= 3);
		await call(`${evolution.url}/__emulator/state`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instances: { ventas: { botDeaf: true } } }) });
		const answered = stored().filter((m) => m.key.fromMe).length;
		const received = stored().filter((m) => !m.key.fromMe).length;
		await until('more customers', () => stored().filter((m) => !m.key.fromMe).length >= received + 5);
		// At most one answer was already on its way when the switch flipped.
		expect(stored().filter((m) => m.key.fromMe).length).toBeLessThanOrEqual(answered + 1);
	});

	test('Evolution zombie: nothing arrives, a silence at a busy time is an outage; the restart Recover → Passive runs brings the backlog', async () => {
		evolution.act('traffic', { instance: 'ventas', days: 14, perHour: 20, answerAfterS: 5, everyMs: 100 });
		await until('live customers', () => (evolution.state.messages.ventas ?? []).some((m) => !m.key.fromMe && m.key.remoteJid.startsWith(`${CUSTOMER_PREFIX}5`)));
		evolution.state.instances.ventas.zombie = true;
		const storedBefore = evolution.state.messages.ventas.length;
		await new Promise((resolve) => setTimeout(resolve, 500));
		// Live customers kept writing; nothing reached the zombie (their messages wait on WhatsApp's server).
		expect(evolution.state.messages.ventas.length).toBeLessThanOrEqual(storedBefore + 2);
		// Judged 25 minutes from now, as a Monitor tick would after that much silence (20 customers an hour usually).
		const later = () => Date.now() + 25 * MINUTE_MS;
		const { result } = await passive(evoGateway(), { now: later });
		expect(result.status).toBe('degraded');
		expect(result.cause).toMatchObject({ code: 'whatsapp.inbound_silent', needsHuman: false });
		expect(result.details).toMatchObject({ silence: 'outage' });
		// Recover → Passive's ladder: the same restart as the Conversation recovery.
		const ladder = conversationRecoveryLadder(evoGateway(), result, CALL);
		expect(ladder.map((rung) => rung.action)).toEqual(['whatsapp.reconnect']);
		const outcome = await ladder[0].run();
		expect(outcome.ok).toBe(true);
		expect(evolution.state.instances.ventas.zombie).toBe(false);
		await until('the backlog delivered', () => evolution.state.messages.ventas.length > storedBefore + 5);
		expect((await passive(evoGateway())).result.status).toBe('healthy');
	});

	test('WAHA (NOWEB with its store): the same history through chats/all/messages; a deaf bot is down', async () => {
		const seeded = waha.act('traffic', { session: 'default', ...BUSY, unansweredLastMinutes: 30 }) as { inbound: number };
		const { result, verdict, calls } = await passive(wahaGateway());
		expect(calls).toBeGreaterThan(1);
		expect(verdict?.inbound).toBe(seeded.inbound);
		expect(result).toMatchObject({ target: 'waha:default', probe: 'passive', status: 'down', cause: { code: 'whatsapp.inbound_unanswered' } });
	});

	test('WAHA on WEBJS cannot list every chat: degraded config.invalid saying why, once, rather than a silent pass', async () => {
		await waha.close();
		waha = await createWahaEmulator({ engine: 'WEBJS' }, { network }).start();
		const { result } = await passive(wahaGateway());
		expect(result).toMatchObject({ status: 'degraded', probe: 'passive', cause: { code: 'config.invalid', needsHuman: true } });
		expect(result.cause?.message).toMatch(/NOWEB engine with its store enabled, or on GOWS/);
	});

	test('a new bot with two days of history is learning, not alarming, even with nothing answered', async () => {
		evolution.act('traffic', { instance: 'ventas', days: 2, perHour: 6, answerAfterS: 20, unansweredLastMinutes: 40 });
		const { result, verdict } = await passive(evoGateway(), { now: () => Date.now() + 2 * 60 * MINUTE_MS });
		expect(result.status).toBe('healthy');
		expect(verdict?.silence.kind).toBe('learning');
		expect(verdict?.answers.kind).toBe('learning');
	});

	test('an empty store (a gateway that does not save messages) says so and judges nothing', async () => {
		const { result } = await passive(evoGateway());
		expect(result.status).toBe('healthy');
		expect(result.checks[0].message).toMatch(/not storing them/);
	});

	test('Cloud API: no readable history, and the reason', async () => {
		const cloud = await createCloudApiEmulator({}, { network }).start();
		try {
			const gateway = createCloudApiGateway({ baseUrl: cloud.url, graphVersion: 'v23.0', accessToken: cloud.state.accessToken, phoneNumberId: cloud.state.phone.id, wabaId: cloud.state.waba.id });
			const reading = await gateway.readHistory(0, Date.now(), CALL);
			expect(reading).toMatchObject({ ok: false, unsupported: true, reason: expect.stringMatching(/no endpoint to list received or sent messages/) });
		} finally {
			await cloud.close();
		}
	});
});
