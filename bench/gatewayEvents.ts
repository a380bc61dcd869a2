/**
 * Gateway events benchmark (issue 20), in real n8n running the shipped workflows (the Monitor
 * published on n8n's HTTP server, the emulators POSTing real webhooks):
 *   1. detection: an Evolution instance drops and stays down (`connecting` that never opens);
 *      from the emulator's webhook POST to the Recover execution's start, median and worst of
 *      `--runs` (target < 10 s; it includes the Ingest's 5 s Connecting Grace and the probe's
 *      re-check). Beside it the polling loop, measured in the same run: the same drop with
 *      the webhook pointed nowhere (events lost), one tick with the shipped 20 s confirm
 *      delay, from the tick's first node to the Recover execution's start (`--ticks` runs);
 *      the polling figure adds the wait for the next 5-minute tick, computed: 150 s on
 *      average, 300 s at worst;
 *   2. the burst of dev/n8n/eventBurst.ts (1,000 events in 307 requests, `--concurrency` in
 *      flight, the WhatsApp budget spent): requests and accepted events per second, and
 *      whether every answer and decision was the expected one, next to a minimal published
 *      webhook (Webhook → Respond to Webhook) sent as many requests the same way; n8n's answer
 *      time (GET /healthz, asked one after the other) during each burst next to idle.
 *
 *   npx tsx bench/gatewayEvents.ts [--runs 20] [--ticks 3] [--concurrency 16]
 *
 * Needs the provisioned n8n (`npm run n8n:provision`, or any e2e run) and a build
 * (`npm run build`). Each run is a first outage: the WhatsApp budget unspent and no earlier
 * drop remembered (neither is what is measured; drops seconds apart are flapping by design).
 */
import { parseArgs } from 'node:util';

import { burstPlan, idleHealth, outcomesByTarget, percentile, RATE_LIMIT_PER_MINUTE, rateLimitProblems, runBurst, type BurstPlan, type Sample } from '../dev/n8n/eventBurst';
import { STATUS_PAGE_LOGIN, startGatewayEventStack, until, type GatewayEventStack } from '../dev/n8n/eventStack';
import type { WorkflowJson } from '../dev/n8n/testN8n';
import { freePort } from '../scripts/lib/ports';

const KEY = 'whatsapp:evolution:ventas';
const TICK_INTERVAL_S = 300;
const ECHO_PATH = 'bench-echo';

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The baseline for the burst: the smallest published webhook n8n can answer from a workflow. */
const ECHO_WORKFLOW: WorkflowJson = {
	id: 'benchEchoWebhook1',
	name: 'Bench: Echo Webhook',
	nodes: [
		{ id: 'e1', name: 'Echo', type: 'n8n-nodes-base.webhook', typeVersion: 1, position: [0, 0], webhookId: '5b0e2f1c-7d3a-4e9b-8c1f-0a2b3c4d5e6f', parameters: { httpMethod: 'POST', path: ECHO_PATH, responseMode: 'responseNode', options: {} } },
		{ id: 'e2', name: 'Respond', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, position: [200, 0], parameters: { respondWith: 'json', responseBody: '={{ { "received": 1 } }}', options: {} } },
	],
	connections: { Echo: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1', saveDataSuccessExecution: 'none', saveDataErrorExecution: 'none', saveManualExecutions: false },
	active: false,
};

/**
 * Each run is a first outage: the budget unspent, and no earlier drop remembered (drops a few
 * seconds apart are flapping by design: the 4th within a minute opens at once, later ones are absorbed).
 */
async function freshOutage(events: GatewayEventStack): Promise<void> {
	if ((await events.trackerState()) === undefined) return;
	await events.editTrackerState((state) => {
		const memory = state.gatewayEvents;
		if (memory) {
			delete memory.connecting[KEY];
			delete memory.flapping?.[KEY];
		}
		return { ...state, budgets: {} };
	});
}

async function healthyAgain(events: GatewayEventStack): Promise<void> {
	const { evolution } = events.stack;
	await until('the instance open', () => evolution.state.instances.ventas.state === 'open', 120_000);
	await until('no open incident or pending re-check', async () => {
		const state = await events.trackerState();
		return !state?.incidents[KEY] && !state?.pending[KEY] ? true : undefined;
	}, 120_000);
}

async function nextRecoverStart(events: GatewayEventStack, since: number): Promise<number> {
	const runs = await until('a Recover execution', async () => {
		const found = (await events.recoverRuns()).filter((run) => Date.parse(run.startedAt) >= since);
		return found.length > 0 ? found : undefined;
	}, 120_000);
	return Math.min(...runs.map((run) => Date.parse(run.startedAt)));
}

/** Event → Recover started, for `runs` drops reported by the emulator's real webhook. */
async function eventDetection(events: GatewayEventStack, runs: number): Promise<number[]> {
	const { evolution } = events.stack;
	const times: number[] = [];
	for (let i = 0; i < runs; i += 1) {
		await healthyAgain(events);
		await freshOutage(events);
		const deliveries = evolution.state.webhookDeliveries.length;
		const since = Date.now();
		evolution.act('drop', { instance: 'ventas' });
		const delivery = await until('the connecting webhook', () => evolution.state.webhookDeliveries.slice(deliveries).find((d) => d.status !== null || d.error !== null));
		if (delivery.status !== 200) throw new Error(`the Monitor answered the connecting webhook ${delivery.status ?? delivery.error}`);
		times.push((await nextRecoverStart(events, since)) - Date.parse(delivery.at));
		process.stdout.write(`  run ${i + 1}/${runs}: ${seconds(times[i])}\n`);
	}
	await healthyAgain(events);
	return times;
}

/** One tick with the shipped confirm delay, the drop's event lost: the tick's first node → Recover started. */
async function tickDetection(events: GatewayEventStack, ticks: number): Promise<number[]> {
	const { evolution } = events.stack;
	const setWebhook = async (url: string) => {
		const response = await fetch(`${evolution.url}/webhook/set/ventas`, {
			method: 'POST',
			headers: { apikey: evolution.state.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ webhook: { enabled: true, url, headers: events.authHeaders('evolution', ''), byEvents: false, events: ['CONNECTION_UPDATE'] } }),
		});
		if (response.status !== 201) throw new Error(`Evolution /webhook/set answered ${response.status}`);
	};
	const times: number[] = [];
	await setWebhook(`http://127.0.0.1:${await freePort()}/nowhere`);
	try {
		for (let i = 0; i < ticks; i += 1) {
			await healthyAgain(events);
			await freshOutage(events);
			const since = Date.now();
			evolution.act('drop', { instance: 'ventas' });
			const run = await events.stack.tick();
			const nodeStarts = Object.values(run.data.resultData.runData).flatMap((entries) => entries.map((entry) => entry.startTime ?? Number.POSITIVE_INFINITY));
			times.push((await nextRecoverStart(events, since)) - Math.min(...nodeStarts));
			process.stdout.write(`  tick ${i + 1}/${ticks}: ${seconds(times[i])}\n`);
		}
	} finally {
		await setWebhook(events.eventUrl('evolution'));
	}
	await healthyAgain(events);
	return times;
}

interface BurstFigures {
	seconds: number;
	accepted: number;
	refused: number;
	problems: string[];
	health: Sample[];
}

/** What the burst's answers and the stored state say, against the plan (see eventBurst.ts). */
async function burstProblems(events: GatewayEventStack, plan: BurstPlan, answers: Awaited<ReturnType<typeof runBurst>>['answers'], since: number): Promise<string[]> {
	const problems: string[] = [];
	for (const source of ['evolution', 'waha'] as const) {
		const wrong = answers.filter((answer) => answer.event.source === source && answer.status !== 200);
		if (wrong.length > 0) problems.push(`${wrong.length} ${source} answers were not 200 (first: ${wrong[0].status} ${JSON.stringify(wrong[0].json).slice(0, 200)})`);
	}
	problems.push(...rateLimitProblems(answers.filter((answer) => answer.event.source === 'meta'), RATE_LIMIT_PER_MINUTE).map((problem) => `meta: ${problem}`));
	const outcomes = outcomesByTarget(answers);
	for (const target of plan.targets) {
		const opened = outcomes.get(target)?.opened ?? 0;
		if (opened !== (plan.failingTargets.includes(target) ? 1 : 0)) problems.push(`${target}: ${opened} incidents opened`);
	}
	const state = await events.trackerState();
	const open = Object.values(state?.incidents ?? {}).filter((incident) => incident.openedAt >= since).map((incident) => incident.target);
	const closed = (state?.memory?.closed ?? []).filter((span) => span.openedAt >= since).map((span) => span.target);
	const expected = [...plan.failingTargets].sort();
	if (JSON.stringify([...open, ...closed].sort()) !== JSON.stringify(expected)) problems.push(`incidents in the state: ${JSON.stringify([...open, ...closed].sort())}, expected ${JSON.stringify(expected)}`);
	return problems;
}

async function echoBurst(events: GatewayEventStack, count: number, concurrency: number): Promise<BurstFigures> {
	const health: Sample[] = [];
	let done = false;
	const healthLoop = (async () => {
		while (!done) health.push(...(await idleHealth(events.base, 1)));
	})();
	const started = Date.now();
	let next = 0;
	let accepted = 0;
	const worker = async () => {
		while (next < count) {
			next += 1;
			const response = await fetch(`${events.base}/webhook/${ECHO_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: next }), signal: AbortSignal.timeout(60_000) });
			await response.arrayBuffer();
			if (response.status === 200) accepted += 1;
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const elapsed = (Date.now() - started) / 1000;
	done = true;
	await healthLoop;
	return { seconds: elapsed, accepted, refused: 0, problems: accepted === count ? [] : [`${count - accepted} not answered 200`], health };
}

async function main(): Promise<void> {
	const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, ticks: { type: 'string', default: '3' }, concurrency: { type: 'string', default: '16' } } });
	const runs = Number(values.runs);
	const ticks = Number(values.ticks);
	const concurrency = Number(values.concurrency);
	// The shipped Settings (confirm delay 20 s), with the budget out of the way of repeated measurements.
	const events = await startGatewayEventStack({ monitorSettings: { confirmDelaySeconds: 20, budgetMaxActions: 3, budgetGapMinutes: 0.05 }, extraWorkflows: [ECHO_WORKFLOW] });
	try {
		console.log(`detection, ${runs} drops reported by Evolution's webhook (event → Recover started):`);
		const eventTimes = runs > 0 ? await eventDetection(events, runs) : [];
		console.log(`detection, ${ticks} ticks with the drop's webhook lost (tick start → Recover started, confirm delay 20 s):`);
		const tickTimes = ticks > 0 ? await tickDetection(events, ticks) : [];

		const idle = await idleHealth(events.base, 200);
		const plan = burstPlan(`bench${Date.now()}`);
		// The baseline gets as many requests as the event burst has.
		const echo = await echoBurst(events, plan.events.length, concurrency);
		// As in the e2e test, the flood comes with the budget spent: it may start no recovery (and the shipped Recover drives Evolution only).
		const spentAt = Date.now();
		await events.editTrackerState((state) => ({ ...state, budgets: { whatsapp: { attempts: [spentAt - 3_000, spentAt - 2_000, spentAt - 1_000] } } }));
		const since = Date.now();
		const slack = events.stack.slackTexts().length;
		const auth = `Basic ${Buffer.from(`${STATUS_PAGE_LOGIN.user}:${STATUS_PAGE_LOGIN.password}`).toString('base64')}`;
		const burst = await runBurst(events, plan, concurrency, auth);
		await until('one alert per incident', () => (events.stack.slackTexts().length >= slack + plan.failingTargets.length ? true : undefined), 120_000);
		const problems = await burstProblems(events, plan, burst.answers, since);
		const recoveries = (await events.recoverRuns()).filter((run) => Date.parse(run.startedAt) >= since).length;
		if (recoveries > 0) problems.push(`${recoveries} Recover runs with the budget spent`);
		if (events.stack.slackTexts().length - slack !== plan.failingTargets.length) problems.push(`${events.stack.slackTexts().length - slack} alerts for ${plan.failingTargets.length} incidents`);
		const burstSeconds = (burst.endedAt - burst.startedAt) / 1000;
		const accepted = burst.answers.filter((answer) => answer.status === 200).reduce((sum, answer) => sum + answer.event.count, 0);
		const refused = burst.answers.filter((answer) => answer.status === 429).reduce((sum, answer) => sum + answer.event.count, 0);
		const p99 = (samples: Sample[]) => percentile(samples.filter((sample) => sample.status === 200).map((sample) => sample.ms), 99);
		const failedAsks = (samples: Sample[]) => samples.filter((sample) => sample.status !== 200).length;

		console.log('');
		console.log('gateway events, shipped workflows on real n8n 2.41.1:');
		if (eventTimes.length > 0) {
			console.log(`  event → incident → Recover started (Evolution drop, 5 s grace included): median ${seconds(median(eventTimes))}, worst ${seconds(Math.max(...eventTimes))} of ${eventTimes.length} (target < 10 s)`);
		}
		if (tickTimes.length > 0) {
			const tickMedian = median(tickTimes);
			const tickWorst = Math.max(...tickTimes);
			console.log(`  polling baseline: tick start → Recover started, measured: median ${seconds(tickMedian)}, worst ${seconds(tickWorst)} of ${tickTimes.length} (confirm delay 20 s)`);
			console.log(
				`    + the wait for the next ${TICK_INTERVAL_S / 60}-minute tick (computed, not measured: ${TICK_INTERVAL_S / 2} s on average, ${TICK_INTERVAL_S} s at worst)` +
					` = fault → Recover started ${seconds(TICK_INTERVAL_S * 500 + tickMedian)} on average, ${seconds(TICK_INTERVAL_S * 1000 + tickWorst)} at worst` +
					(eventTimes.length > 0 ? `; events are ${((TICK_INTERVAL_S * 500 + tickMedian) / median(eventTimes)).toFixed(0)}× faster on average` : ''),
			);
		}
		const requests = plan.events.length;
		console.log(`  burst of 1,000 events in ${requests} requests, ${concurrency} in flight (${plan.counts.evolution} Evolution and ${plan.counts.waha} WAHA one per request, ${plan.counts.meta} Meta statuses in callbacks of 100):`);
		console.log(`    ${burstSeconds.toFixed(1)} s: ${(requests / burstSeconds).toFixed(1)} requests/s; ${accepted} events accepted (${(accepted / burstSeconds).toFixed(0)} events/s), ${refused} refused with 429 (Meta over ${RATE_LIMIT_PER_MINUTE}/min)`);
		console.log(`    answers and decisions as expected (200/429, one incident and one alert per failing target, no recovery on a spent budget): ${problems.length === 0 ? 'yes' : `NO: ${problems.join('; ')}`}`);
		console.log(`    baseline, a minimal published webhook (Webhook → Respond), ${requests} requests: ${(requests / echo.seconds).toFixed(1)} requests/s (${echo.seconds.toFixed(1)} s)${echo.problems.length ? `, ${echo.problems.join('; ')}` : ''}; the event requests run at ${(echo.seconds / burstSeconds).toFixed(2)}× its rate`);
		console.log(`    n8n's answer time, GET /healthz p99: idle ${p99(idle).toFixed(0)} ms; during the echo burst ${p99(echo.health).toFixed(0)} ms; during the event burst ${p99(burst.health).toFixed(0)} ms (${burst.health.length} asks, ${failedAsks(burst.health)} failed)`);
		console.log(`    status page during the event burst: ${burst.statusPage.length} asks, ${failedAsks(burst.statusPage)} failed, p99 ${p99(burst.statusPage).toFixed(0)} ms`);
		if (problems.length > 0) process.exitCode = 1;
	} finally {
		await events.close();
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
