/**
 * The customer's path in the shipped Monitor, end to end in real n8n (issue 19, done-when 1, 2,
 * 3 and 5): the Monitor's Webhook Check and Conversation Check against the emulated Evolution
 * server, whose instance `ventas` is the bot and `canary` a second number of the owner's. The
 * bot is the shipped example "Demo: Sales Bot", published on the same n8n: Evolution POSTs
 * `messages.upsert` to its webhook and it answers through Evolution's sendText, so every canary
 * round trip passes through real n8n. The tests drive the ticks (`n8n execute`), as
 * monitor.test.ts does; the confirmation delay is 1 s.
 */
import { CREDENTIALS, WORKFLOW_IDS } from '../../scripts/workflows/ids';
import { DEMO_SALES_BOT_PATH, demoSalesBotWorkflow } from '../../scripts/workflows/demoSalesBot';
import { resetCounters } from '../../scripts/workflows/builder';
import type { Emulator } from '../../dev/emulators/core/emulator';
import { evolutionDefaults, type EvolutionState } from '../../dev/emulators/whatsapp/evolution';
import { startMonitorStack, type MonitorStack } from '../../dev/n8n/monitorStack';
import type { RunOutput, TestN8n } from '../../dev/n8n/testN8n';

const BOT_NUMBER = evolutionDefaults.instances.ventas.number as string;
const CANARY_NUMBER = '5215599990000';
/** The canary's own instance token: its credential's key (the global key is the bot's). */
const CANARY_TOKEN = 'e2e-canary-instance-token-secret';
/** A tick whose canary gets no answer waits the reply timeout twice (the tick's check and the re-check). */
const SLOW_TEST_MS = 900_000;
/** The CLI run of one tick: past the Monitor's own execution timeout (270 s). */
const TICK_TIMEOUT_MS = 330_000;
/** Routes that would reconnect, relink or log out a session. */
const SESSION_ACTIONS = ['evolution.restart', 'evolution.connect', 'evolution.logout'];

type Tracked = { component: string; target: string; probe?: string; status: string; cause?: { code: string }; tracking: { decision: string; alert: boolean } };

describe('The Monitor watches the customer\'s path (canary, webhook) in real n8n', () => {
	let stack: MonitorStack;
	let evolution: Emulator<EvolutionState>;
	let env: TestN8n;
	let botUrl: string;

	const slackTexts = () => stack.slackTexts();
	/** One tick (`n8n execute`), with room for a canary that waits its reply timeout three times on a loaded machine. */
	const tick = async (): Promise<RunOutput> => (await env.n8n.executeWorkflow(WORKFLOW_IDS.monitor, TICK_TIMEOUT_MS)) as RunOutput;
	/** Every item Track and Track Recovery decided on in one tick. */
	const decisionsOf = (run: RunOutput): Tracked[] =>
		['Track', 'Track Recovery'].flatMap((node) => (run.data.resultData.runData[node] ?? []).flatMap((entry) => (entry.data?.main?.[0] ?? []).map((item) => item.json as unknown as Tracked)));
	/** The WhatsApp items of one probe (undefined: the Check), on the bot's target unless told. */
	const ofProbe = (run: RunOutput, probe: string | undefined, target = 'evolution:ventas') =>
		decisionsOf(run).filter((item) => item.component === 'whatsapp' && item.probe === probe && item.target === target);
	const sessionActions = () => evolution.requests().filter((request) => request.routeId !== null && SESSION_ACTIONS.includes(request.routeId));
	const evolutionPost = (path: string, body: unknown) =>
		fetch(`${evolution.url}${path}`, { method: 'POST', headers: { apikey: evolutionDefaults.apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
	const setBot = async (active: boolean) => {
		await env.n8n.publicApi(`/workflows/${WORKFLOW_IDS.demoSalesBot}/${active ? 'activate' : 'deactivate'}`, { method: 'POST' });
	};
	/** Waits until the bot's production webhook answers (registered) or not (404), as `active` says. */
	const botRegistered = async (active: boolean) => {
		const deadline = Date.now() + 60_000;
		for (;;) {
			const response = await fetch(botUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(30_000) });
			if ((response.status !== 404) === active) return;
			if (Date.now() > deadline) throw new Error(`the bot's webhook never became ${active ? 'registered' : 'unregistered'}`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	};
	/** Runs one tick while reading Evolution's status endpoint for the bot every 500 ms: what a status-only monitor would see. */
	async function tickWatchingStatus(): Promise<{ run: RunOutput; states: string[] }> {
		const states: string[] = [];
		const timer = setInterval(() => {
			void fetch(`${evolution.url}/instance/connectionState/ventas`, { headers: { apikey: evolutionDefaults.apiKey }, signal: AbortSignal.timeout(5_000) })
				.then((response) => response.json() as Promise<{ instance?: { state?: string } }>)
				.then((body) => states.push(String(body.instance?.state)))
				.catch(() => undefined);
		}, 500);
		try {
			return { run: await tick(), states };
		} finally {
			clearInterval(timer);
		}
	}

	beforeAll(async () => {
		// Room for one automatic action per scenario (the default gap of 5 minutes would hold back the next one).
		stack = await startMonitorStack({ monitorSettings: { budgetMaxActions: 20, budgetGapMinutes: 0.01 } });
		({ evolution, env } = stack);
		// The canary: a second number on its own instance of the same server, its credential keyed by that instance's token.
		evolution.patchState({
			instances: {
				canary: { ...structuredClone(evolutionDefaults.instances.ventas), id: 'canary-e2e-id', token: CANARY_TOKEN, number: CANARY_NUMBER, ownerJid: `${CANARY_NUMBER}@s.whatsapp.net`, profileName: 'Canary' },
			},
		});
		await env.importCredentials([
			{ ...CREDENTIALS.canaryEvolution, type: 'autorecoveryCanaryEvolutionApi', data: { baseUrl: evolution.url, apiKey: CANARY_TOKEN, instance: 'canary' } },
			// The bot's catalog, as n8n's own Postgres credential (what npm start makes from the same .env).
			{ ...CREDENTIALS.botCatalog, type: 'postgres', data: { ...stack.pg.connection, ssl: 'disable', allowUnauthorizedCerts: false, maxConnections: 10 } },
		]);
		// The bot: the shipped example workflow, published on the running server.
		resetCounters();
		await env.importWorkflow(demoSalesBotWorkflow() as unknown as Parameters<TestN8n['importWorkflow']>[0]);
		botUrl = `${env.n8n.url}/webhook/${DEMO_SALES_BOT_PATH}`;
		await setBot(true);
		await botRegistered(true);
		expect((await evolutionPost('/webhook/set/ventas', { webhook: { enabled: true, url: botUrl, events: ['MESSAGES_UPSERT'] } })).status).toBe(201);
		// The bot answers a customer from the catalog through real n8n before any tick (and n8n has loaded the package's nodes).
		const asked = Date.now();
		expect((await evolutionPost('/message/sendText/canary', { number: BOT_NUMBER, text: 'Hola, ¿tienen gorras azules?' })).status).toBe(201);
		const answer = () => evolution.state.sentMessages.find((message) => message.instance === 'ventas' && message.number === CANARY_NUMBER && Date.parse(message.at) >= asked);
		const deadline = Date.now() + 90_000;
		while (!answer()) {
			if (Date.now() > deadline) {
				const deliveries = evolution.state.webhookDeliveries.map((delivery) => [delivery.event, delivery.url, delivery.status, delivery.error ?? null]);
				throw new Error(`the bot never answered a customer; webhook deliveries: ${JSON.stringify(deliveries)}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		// The products it offers are the catalog's, the one asked for first.
		const offered = await stack.db.query<{ name: string }>("SELECT name FROM products WHERE name LIKE 'Gorra % Azul' AND active AND stock > 0 AND price > 0 ORDER BY id LIMIT 1");
		expect(answer()?.text).toContain(`para vos: ${offered.rows[0].name} (ARS `);
		// Generous reply times: the bot is real n8n on a loaded machine.
		await stack.editMonitorSettings({ botNumber: BOT_NUMBER, canaryNumber: CANARY_NUMBER, botMessageUrl: botUrl, conversationReplyTimeoutSeconds: 25, conversationSlowReplySeconds: 20 });
	}, 600_000);

	afterAll(async () => {
		await stack?.close();
	});

	test('0. all healthy: the Check, the Webhook Check and the Conversation Check pass through the real bot; no alert', async () => {
		const run = await tick();
		expect(run.data.resultData.error).toBeUndefined();
		const whatsapp = decisionsOf(run).filter((item) => item.component === 'whatsapp');
		// On failure the causes and the conversation's details say why.
		const failing = whatsapp.filter((item) => item.status !== 'healthy').map((item) => ({ cause: item.cause, details: (item as unknown as { details?: unknown }).details }));
		expect(failing).toEqual([]);
		expect(whatsapp.map((item) => [item.target, item.probe ?? 'check', item.status, item.tracking.decision])).toEqual([
			['evolution:ventas', 'check', 'healthy', 'ok'],
			['evolution:ventas', 'webhook', 'healthy', 'ok'],
			['evolution:ventas', 'conversation', 'healthy', 'ok'],
			// The canary worked too: its own result, so an incident about it could resolve.
			['evolution:canary', 'conversation', 'healthy', 'ok'],
		]);
		// The canary's message reached the bot's workflow and its fixed answer came back.
		const canaryChat = evolution.state.sentMessages.filter((message) => JSON.stringify(message).includes('Bot OK'));
		expect(canaryChat.length).toBeGreaterThan(0);
		expect(slackTexts()).toEqual([]);
	});

	test('1. zombie session: detected in one tick, confirmed, restarted, the conversation passes again; one resolved alert; the status endpoint was green throughout', async () => {
		evolution.clearRequests();
		evolution.patchState({ instances: { ventas: { zombie: true } } });
		const { run, states } = await tickWatchingStatus();
		expect(run.data.resultData.error).toBeUndefined();
		// The status endpoint said open all along, and so did the Monitor's own Check.
		expect(states.length).toBeGreaterThan(0);
		expect(new Set(states)).toEqual(new Set(['open']));
		expect(ofProbe(run, undefined).every((item) => item.status === 'healthy')).toBe(true);
		// The canary saw it: first failure, confirmed, recovered, healthy again.
		const conversation = ofProbe(run, 'conversation');
		expect(conversation.map((item) => item.tracking.decision)).toEqual(['confirm', 'recover', 'resolved']);
		expect(conversation[0].cause?.code).toBe('whatsapp.inbound_not_delivered');
		expect(evolution.state.instances.ventas.zombie).toBe(false);
		// A restart, never a logout of a session that says it is open.
		expect(sessionActions().map((request) => request.routeId)).toContain('evolution.restart');
		expect(sessionActions().map((request) => request.routeId)).not.toContain('evolution.logout');
		expect(slackTexts()).toHaveLength(1);
		expect(slackTexts()[0]).toMatch(/resolved/i);
		const recoveries = await stack.executionsOf(WORKFLOW_IDS.recover);
		expect(recoveries).toHaveLength(1);
		expect(JSON.stringify(recoveries[0].data)).toContain('Recover Conversation');

		const next = await tick();
		expect(ofProbe(next, 'conversation').map((item) => [item.status, item.tracking.decision])).toEqual([['healthy', 'ok']]);
		expect(slackTexts()).toHaveLength(1);
	}, SLOW_TEST_MS);

	test('2. webhook lost: detected and restored automatically; the resolved alert names the webhook', async () => {
		const before = slackTexts().length;
		evolution.patchState({ instances: { ventas: { webhookLost: true } } });
		const run = await tick();
		expect(run.data.resultData.error).toBeUndefined();
		const webhook = ofProbe(run, 'webhook');
		expect(webhook.map((item) => item.tracking.decision)).toEqual(['confirm', 'recover', 'resolved']);
		expect(webhook[0].cause?.code).toBe('whatsapp.webhook_missing');
		// The silent bot it caused is the webhook's incident, not a second one: the canary waited.
		expect(ofProbe(run, 'conversation')).toEqual([]);
		expect(evolution.state.instances.ventas.webhookLost).toBe(false);
		expect(slackTexts()).toHaveLength(before + 1);
		expect(slackTexts()[before]).toMatch(/resolved/i);
		expect(slackTexts()[before]).toMatch(/webhook/i);

		const next = await tick();
		expect(ofProbe(next, 'conversation').map((item) => [item.status, item.tracking.decision])).toEqual([['healthy', 'ok']]);
		expect(slackTexts()).toHaveLength(before + 1);
	}, SLOW_TEST_MS);

	test('3. the bot stops answering while WhatsApp is fine: one alert that points at the bot; no WhatsApp reconnect', async () => {
		const before = slackTexts().length;
		const recoveriesBefore = (await stack.executionsOf(WORKFLOW_IDS.recover)).length;
		evolution.clearRequests();
		await setBot(false);
		await botRegistered(false);
		const run = await tick();
		expect(run.data.resultData.error).toBeUndefined();
		const conversation = ofProbe(run, 'conversation');
		expect(conversation.map((item) => item.tracking.decision)).toEqual(['confirm', 'escalated']);
		expect(conversation[0].cause?.code).toBe('whatsapp.bot_silent');
		expect(slackTexts()).toHaveLength(before + 1);
		expect(slackTexts()[before]).toMatch(/does not answer/i);
		expect(slackTexts()[before]).toMatch(/bot/i);
		// Still silent on the next tick: no second alert.
		await tick();
		expect(slackTexts()).toHaveLength(before + 1);
		expect(sessionActions()).toEqual([]);
		expect(await stack.executionsOf(WORKFLOW_IDS.recover)).toHaveLength(recoveriesBefore);

		await setBot(true);
		await botRegistered(true);
		const healed = await tick();
		expect(ofProbe(healed, 'conversation').map((item) => [item.status, item.tracking.decision])).toEqual([['healthy', 'resolved']]);
		expect(slackTexts()).toHaveLength(before + 2);
		expect(slackTexts()[before + 1]).toMatch(/resolved/i);
	}, SLOW_TEST_MS);

	test('5. the canary\'s own session closes: one alert about the canary; the bot is neither blamed nor touched', async () => {
		const before = slackTexts().length;
		const recoveriesBefore = (await stack.executionsOf(WORKFLOW_IDS.recover)).length;
		evolution.clearRequests();
		evolution.patchState({ instances: { canary: { state: 'close' } } });
		const run = await tick();
		expect(run.data.resultData.error).toBeUndefined();
		const conversation = ofProbe(run, 'conversation', 'evolution:canary');
		expect(conversation.map((item) => item.tracking.decision)).toEqual(['confirm', 'escalated']);
		expect(conversation[0].cause?.code).toBe('whatsapp.canary_broken');
		// The bot was not judged (no conversation result on its target), its Check and Webhook Check stay ok.
		expect(ofProbe(run, 'conversation')).toEqual([]);
		expect(decisionsOf(run).filter((item) => item.target === 'evolution:ventas').every((item) => item.status === 'healthy')).toBe(true);
		expect(slackTexts()).toHaveLength(before + 1);
		expect(slackTexts()[before]).toMatch(/canary/i);
		await tick();
		expect(slackTexts()).toHaveLength(before + 1);
		expect(sessionActions()).toEqual([]);
		expect(await stack.executionsOf(WORKFLOW_IDS.recover)).toHaveLength(recoveriesBefore);

		evolution.patchState({ instances: { canary: { state: 'open' } } });
		const healed = await tick();
		expect(ofProbe(healed, 'conversation', 'evolution:canary').map((item) => [item.status, item.tracking.decision])).toEqual([['healthy', 'resolved']]);
		expect(slackTexts()).toHaveLength(before + 2);
		expect(slackTexts()[before + 1]).toMatch(/resolved/i);
	}, SLOW_TEST_MS);

	test('no secret of the canary or the bot is stored in n8n or sent in an alert', () => {
		const stored = env.storedText();
		const received = stack.fakesReceived();
		expect(slackTexts().length).toBeGreaterThan(0);
		for (const secret of [CANARY_TOKEN, ...stack.secrets]) expect({ secret, stored: stored.includes(secret) }).toEqual({ secret, stored: false });
		for (const secret of [CANARY_TOKEN, ...stack.channelSecrets]) expect({ secret, received: received.includes(secret) }).toEqual({ secret, received: false });
	});
});
