/**
 * Issue 20 under storms, in real n8n running the shipped workflows (the Monitor published on
 * its HTTP server): a flapping session POSTed by the Evolution emulator is one incident and
 * no more Recover runs than the budget allows; events that never arrive (the gateway's
 * webhook points nowhere) leave the outage to the next tick, which catches it; and 1,000
 * events in a burst (dev/n8n/eventBurst.ts) get the documented answers and the expected
 * incidents while n8n keeps answering. Recover runs are counted through n8n's API, the
 * tracker's decisions from the state store n8n writes.
 */
import type { IncidentRecord, TrackerState } from '../../nodes/shared/incident/types';
import { burstPlan, outcomesByTarget, percentile, RATE_LIMIT_PER_MINUTE, rateLimitProblems, runBurst } from '../../dev/n8n/eventBurst';
import { STATUS_PAGE_LOGIN, startGatewayEventStack, until, type GatewayEventStack } from '../../dev/n8n/eventStack';
import { freePort } from '../../scripts/lib/ports';

/** A small gap, so that the budget's maximum, not its gap, is what a storm runs into. */
const BUDGET = { budgetMaxActions: 3, budgetWindowMinutes: 60, budgetGapMinutes: 0.1 };
const GAP_MS = BUDGET.budgetGapMinutes * 60_000;
const KEY = 'whatsapp:evolution:ventas';
/** The Ingest's Connecting Grace (5 s): the re-check of a `connecting` comes that long after it. */
const GRACE_MS = 5_000;

let events: GatewayEventStack;
const report: string[] = [];

beforeAll(async () => {
	events = await startGatewayEventStack({ monitorSettings: BUDGET });
}, 600_000);

afterAll(async () => {
	if (report.length > 0) console.log(`gateway events under load:\n  ${report.join('\n  ')}`);
	await events?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function state(): Promise<TrackerState> {
	const stored = await events.trackerState();
	if (!stored) throw new Error('the tracker has stored no state');
	return stored;
}

/** Each scenario starts with the WhatsApp recovery budget unspent (the budget is the component's, shared by every target). */
async function unspentBudget(): Promise<void> {
	if ((await events.trackerState()) === undefined) return; // nothing stored yet: nothing spent
	await events.editTrackerState((current) => ({ ...current, budgets: {} }));
}

const attemptsSince = (tracker: TrackerState, since: number) => (tracker.budgets.whatsapp?.attempts ?? []).filter((at) => at >= since);

/** Incidents of `key` opened since `since`: the open one and those already resolved. */
function incidentsOpenedSince(tracker: TrackerState, key: string, since: number): Array<Pick<IncidentRecord, 'openedAt'>> {
	const open = tracker.incidents[key] && tracker.incidents[key].openedAt >= since ? [tracker.incidents[key]] : [];
	return [...open, ...(tracker.memory?.closed ?? []).filter((span) => span.key === key && span.openedAt >= since)];
}

async function recoverRunsSince(since: number): Promise<Array<{ id: string; startedAt: string; finished?: boolean; status?: string }>> {
	return (await events.recoverRuns()).filter((run) => Date.parse(run.startedAt) >= since);
}

/** The budget as the tracker spent it: never more than the maximum, never two closer than the gap. */
function expectBudgetRespected(attempts: number[]): void {
	expect(attempts.length).toBeLessThanOrEqual(BUDGET.budgetMaxActions);
	for (let i = 1; i < attempts.length; i += 1) expect(attempts[i] - attempts[i - 1]).toBeGreaterThanOrEqual(GAP_MS);
}

/** Everything the scenario started has finished: no re-check pending, no Recover running, and the last delivery older than the grace. */
async function settled(since: number): Promise<void> {
	const { evolution } = events.stack;
	await until(
		'the Monitor to settle',
		async () => {
			const last = evolution.state.webhookDeliveries.at(-1);
			if (last && (last.status === null && last.error === null)) return undefined;
			if (last && Date.now() - Date.parse(last.at) < GRACE_MS + 2_000) return undefined;
			if ((await state()).pending[KEY]) return undefined;
			const runs = await recoverRunsSince(since);
			return runs.every((run) => run.status !== 'running' && run.status !== 'new' && run.status !== 'waiting') ? true : undefined;
		},
		120_000,
	);
}

describe('storms: flapping and lost events', () => {
	test('a flapping session (20 drops in a minute, POSTed by the emulator): one incident, no more Recover runs than the budget allows', async () => {
		const { evolution } = events.stack;
		await unspentBudget();
		const since = Date.now();
		const deliveries = evolution.state.webhookDeliveries.length;
		const slack = events.stack.slackTexts().length;
		for (let drop = 0; drop < 20; drop += 1) {
			// Open again (by itself, or restarted by a recovery) before the next drop: connecting and open alternate.
			await until('the instance open', () => evolution.state.instances.ventas.state === 'open', 30_000);
			// Down briefly, up a little longer: a probe's re-check mostly finds it open, as it would a real flapping session.
			evolution.act('drop', { instance: 'ventas', reconnectAfterMs: 250 });
			await until('the instance open', () => evolution.state.instances.ventas.state === 'open', 30_000);
			await sleep(900);
		}
		const flapSeconds = (Date.now() - since) / 1000;
		expect(flapSeconds).toBeLessThan(60);
		await settled(since);

		const sent = evolution.state.webhookDeliveries.slice(deliveries);
		const drops = sent.filter((delivery) => (delivery.body as { data: { state: string } }).data.state === 'connecting');
		expect(drops.length).toBeGreaterThanOrEqual(20);
		expect(sent.every((delivery) => delivery.status === 200)).toBe(true);

		const tracker = await state();
		const opened = incidentsOpenedSince(tracker, KEY, since);
		expect(opened).toHaveLength(1);
		// No other target got an incident out of it.
		expect(Object.keys(tracker.incidents).filter((key) => key !== KEY)).toEqual([]);
		const runs = await recoverRunsSince(since);
		const attempts = attemptsSince(tracker, since);
		expect(runs.length).toBeGreaterThanOrEqual(1);
		// Every action the tracker authorised ran once, and nothing ran that it did not authorise.
		expect(runs.length).toBe(attempts.length);
		expectBudgetRespected(attempts);
		const firstRecovery = Math.min(...runs.map((run) => Date.parse(run.startedAt)));
		report.push(
			`flapping: ${drops.length} drops in ${flapSeconds.toFixed(0)} s → ${opened.length} incident, ${runs.length} Recover run(s) (budget ${BUDGET.budgetMaxActions}), ` +
				`${events.stack.slackTexts().length - slack} alert(s); first drop → Recover started ${((firstRecovery - Date.parse(drops[0].at)) / 1000).toFixed(1)} s`,
		);
	});

	test('events lost (the gateway webhook points nowhere): nothing is known until the next tick, which catches the drop and recovers', async () => {
		const { evolution } = events.stack;
		await unspentBudget();
		const nowhere = `http://127.0.0.1:${await freePort()}/webhook/autorecovery-events/evolution`;
		const setWebhook = (url: string) =>
			fetch(`${evolution.url}/webhook/set/ventas`, {
				method: 'POST',
				headers: { apikey: evolution.state.apiKey, 'content-type': 'application/json' },
				body: JSON.stringify({ webhook: { enabled: true, url, headers: { 'x-autorecovery-token': 'e2e-evolution-events-token-not-real' }, byEvents: false, events: ['CONNECTION_UPDATE'] } }),
			});
		expect((await setWebhook(nowhere)).status).toBe(201);
		try {
			const since = Date.now();
			const deliveries = evolution.state.webhookDeliveries.length;
			// The instance drops and stays down (no reconnect): Evolution's only word about it is a `connecting` that nobody receives.
			evolution.act('drop', { instance: 'ventas' });
			const lost = await until('the lost delivery', () => evolution.state.webhookDeliveries.slice(deliveries).find((delivery) => delivery.error !== null || delivery.status !== null));
			expect(lost.url).toBe(nowhere);
			expect(lost.status).toBeNull();
			expect(lost.error).toMatch(/ECONNREFUSED/);
			const before = await state();
			expect(before.incidents[KEY]).toBeUndefined();
			expect(before.pending[KEY]).toBeUndefined();
			expect(await recoverRunsSince(since)).toEqual([]);

			// The next tick: the probe sees `connecting`, confirms it after the confirm delay, recovers.
			const tickStarted = Date.now();
			const tick = await events.stack.tick();
			expect(tick.data.resultData.error).toBeUndefined();
			const runs = await until('the Recover run', async () => {
				const found = await recoverRunsSince(since);
				return found.length > 0 ? found : undefined;
			});
			expect(runs).toHaveLength(1);
			expect(Date.parse(runs[0].startedAt)).toBeGreaterThanOrEqual(tickStarted);
			await until('the instance open again', () => evolution.state.instances.ventas.state === 'open');
			const after = await until('the incident resolved', async () => {
				const tracker = await state();
				return tracker.incidents[KEY] ? undefined : tracker;
			});
			expect(incidentsOpenedSince(after, KEY, since)).toHaveLength(1);
			expect(attemptsSince(after, since)).toHaveLength(1);
			report.push(`events lost: drop → (webhook refused) → next tick → Recover started ${((Date.parse(runs[0].startedAt) - tickStarted) / 1000).toFixed(1)} s after the tick was started (a one-off \`n8n execute\`, start-up included)`);
		} finally {
			expect((await setWebhook(events.eventUrl('evolution'))).status).toBe(201);
		}
	});
});

describe('1,000 events in a burst', () => {
	test('every request gets 200 or 429 as documented, exactly the expected incidents, a spent budget starts nothing, one alert per incident, and n8n keeps answering', async () => {
		// The budget is spent when the flood comes (3 actions in the last seconds): however many outages, no recovery may start.
		const spentAt = Date.now();
		await events.editTrackerState((current) => ({ ...current, budgets: { whatsapp: { attempts: [spentAt - 3_000, spentAt - 2_000, spentAt - 1_000] } } }));
		const plan = burstPlan(`e2e${Date.now()}`);
		expect(plan.counts).toEqual({ evolution: 150, waha: 150, meta: 700 });
		const since = Date.now();
		const slack = events.stack.slackTexts().length;
		const auth = `Basic ${Buffer.from(`${STATUS_PAGE_LOGIN.user}:${STATUS_PAGE_LOGIN.password}`).toString('base64')}`;
		const run = await runBurst(events, plan, 16, auth);
		const seconds = (run.endedAt - run.startedAt) / 1000;

		// Answers: Evolution and WAHA under their limit (150 each, plus the few sent by the tests above): all 200.
		// Meta, 700 statuses in 7 callbacks of 100: per minute, callbacks are accepted up to 600 events, the next refused whole.
		const bySource = (source: string) => run.answers.filter((answer) => answer.event.source === source);
		expect(run.answers).toHaveLength(plan.events.length);
		for (const source of ['evolution', 'waha']) expect(bySource(source).filter((answer) => answer.status !== 200).map((answer) => `${answer.status} ${JSON.stringify(answer.json)}`)).toEqual([]);
		expect(rateLimitProblems(bySource('meta'), RATE_LIMIT_PER_MINUTE)).toEqual([]);
		const refused = bySource('meta').filter((answer) => answer.status === 429);
		for (const answer of refused) expect(answer.json.error).toMatch(/more than 600 meta events in a minute/);
		const acceptedEvents = run.answers.filter((answer) => answer.status === 200).reduce((sum, answer) => sum + answer.event.count, 0);

		// Decisions: exactly one `opened` per failing target, none elsewhere; nothing was a duplicate or stale.
		const outcomes = outcomesByTarget(run.answers);
		for (const target of plan.targets) {
			const counts = outcomes.get(target) ?? {};
			expect({ target, opened: counts.opened ?? 0 }).toEqual({ target, opened: plan.failingTargets.includes(target) ? 1 : 0 });
			expect({ target, duplicate: counts.duplicate ?? 0, stale: counts.stale ?? 0 }).toEqual({ target, duplicate: 0, stale: 0 });
		}

		// One alert per incident (an escalation: the budget is spent, or the QR needs a person), not one per event.
		await until('one alert per incident', () => events.stack.slackTexts().length >= slack + plan.failingTargets.length, 120_000);
		await sleep(3_000);
		expect(events.stack.slackTexts().length - slack).toBe(plan.failingTargets.length);
		// The stored state agrees: exactly the failing targets have an incident, each opened once; no action was spent.
		const tracker = await state();
		const burstKeys = plan.targets.map((target) => `whatsapp:${target}`);
		expect(Object.keys(tracker.incidents).filter((key) => burstKeys.includes(key)).sort()).toEqual(plan.failingTargets.map((target) => `whatsapp:${target}`).sort());
		for (const key of burstKeys) expect({ key, opened: incidentsOpenedSince(tracker, key, since).length }).toEqual({ key, opened: plan.failingTargets.includes(key.slice('whatsapp:'.length)) ? 1 : 0 });
		expect(Object.values(tracker.incidents).filter((incident) => incident.openedAt >= since).map((incident) => incident.escalationReason).sort()).toEqual(['budget_spent', 'budget_spent', 'budget_spent', 'needs_human']);
		expect(await recoverRunsSince(since)).toEqual([]);
		expect(attemptsSince(tracker, since)).toEqual([]);

		// n8n kept answering: every health check and status page answered 200.
		expect(run.health.length).toBeGreaterThan(5);
		expect(run.health.filter((sample) => sample.status !== 200)).toEqual([]);
		expect(run.statusPage.length).toBeGreaterThan(0);
		expect(run.statusPage.filter((sample) => sample.status !== 200)).toEqual([]);
		const healthP99 = percentile(
			run.health.map((sample) => sample.ms),
			99,
		);
		expect(healthP99).toBeLessThan(10_000);
		report.push(
			`burst: 1,000 events (${plan.events.length} requests, 16 in flight) in ${seconds.toFixed(1)} s → ${acceptedEvents} events accepted (${(acceptedEvents / seconds).toFixed(0)}/s), ` +
				`${refused.length} Meta callback(s) × 429; ${plan.failingTargets.length} incidents and alerts as expected, no Recover (budget spent); ` +
				`/healthz p99 ${healthP99.toFixed(0)} ms over ${run.health.length} asks, status page max ${Math.max(...run.statusPage.map((s) => s.ms)).toFixed(0)} ms`,
		);
	});
});
