/**
 * The Monitor's Passive Check in real n8n (issue 19, "the canary is optional"): no canary,
 * Settings passiveCheck on. The emulated Evolution bot `ventas` has two weeks of customer
 * conversations in its message store, all answered until 40 minutes ago; since then its bot is
 * deaf (customers' messages stored, none answered). One tick finds it from the gateway's own
 * history, confirms it, and the first alert tells the owner in their words, without touching
 * the WhatsApp session (WhatsApp receives: a reconnect would not help).
 */
import { WORKFLOW_IDS } from '../../scripts/workflows/ids';
import type { Emulator } from '../../dev/emulators/core/emulator';
import type { EvolutionState } from '../../dev/emulators/whatsapp/evolution';
import { startMonitorStack, type MonitorStack } from '../../dev/n8n/monitorStack';
import type { RunOutput, TestN8n } from '../../dev/n8n/testN8n';

/** The CLI run of one tick: past the Monitor's own execution timeout (270 s). */
const TICK_TIMEOUT_MS = 330_000;
/** Routes that would reconnect, relink or log out a session. */
const SESSION_ACTIONS = ['evolution.restart', 'evolution.connect', 'evolution.logout'];

type Tracked = { component: string; target: string; probe?: string; status: string; cause?: { code: string }; tracking: { decision: string; alert: boolean } };

describe('The Monitor\'s Passive Check finds a deaf bot from its own message history, in real n8n', () => {
	let stack: MonitorStack;
	let evolution: Emulator<EvolutionState>;
	let env: TestN8n;

	const tick = async (): Promise<RunOutput> => (await env.n8n.executeWorkflow(WORKFLOW_IDS.monitor, TICK_TIMEOUT_MS)) as RunOutput;
	const passiveOf = (run: RunOutput): Tracked[] =>
		['Track', 'Track Recovery']
			.flatMap((node) => (run.data.resultData.runData[node] ?? []).flatMap((entry) => (entry.data?.main?.[0] ?? []).map((item) => item.json as unknown as Tracked)))
			.filter((item) => item.component === 'whatsapp' && item.probe === 'passive');

	beforeAll(async () => {
		stack = await startMonitorStack({ monitorSettings: { passiveCheck: true } });
		({ evolution, env } = stack);
	}, 600_000);

	afterAll(async () => {
		await stack?.close();
	});

	test('0. no stored history: the Passive Check runs, judges nothing and says why; no alert', async () => {
		const run = await tick();
		expect(run.data.resultData.error).toBeUndefined();
		expect(passiveOf(run).map((item) => [item.target, item.status, item.tracking.decision])).toEqual([['evolution:ventas', 'healthy', 'ok']]);
		expect(stack.slackTexts()).toEqual([]);
	});

	test('1. a deaf bot (customers\' messages stored, none answered for 40 min): down, confirmed, one alert in the owner\'s words, no reconnect', async () => {
		evolution.patchState({ instances: { ventas: { botDeaf: true } } });
		evolution.act('traffic', { instance: 'ventas', days: 14, perHour: 6, answerAfterS: 20, unansweredLastMinutes: 40 });
		evolution.clearRequests();
		const run = await tick();
		expect(run.data.resultData.error).toBeUndefined();
		const passive = passiveOf(run);
		expect(passive.map((item) => [item.status, item.cause?.code])).toEqual([
			['down', 'whatsapp.inbound_unanswered'],
			['down', 'whatsapp.inbound_unanswered'],
		]);
		// Confirmed by a re-check, then a person is told (no automatic action fixes a bot's workflow).
		expect(passive.map((item) => item.tracking.decision)).toEqual(['confirm', 'escalated']);
		const texts = stack.slackTexts();
		expect(texts).toHaveLength(1);
		expect(texts[0]).toMatch(/Customers are writing to the shop’s WhatsApp and the bot answers none of them/);
		// The history was read from the gateway (findMessages), and the session was left alone.
		expect(evolution.requests().some((request) => request.routeId === 'evolution.findMessages')).toBe(true);
		expect(evolution.requests().filter((request) => request.routeId !== null && SESSION_ACTIONS.includes(request.routeId))).toEqual([]);
	});
});
