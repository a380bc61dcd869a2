/**
 * Queue mode end to end, without Docker: n8n's main process schedules the shipped
 * Monitor (patched to tick every 20 s) and hands each tick to Redis; two `n8n worker`
 * processes run them, on n8n's database in a real Postgres. The Incident Tracker keeps
 * its state in a table of that database (changed atomically by whichever worker runs a
 * tick; this test reads the copy mirrored into static data), so a broken WhatsApp session is one incident and one alert however
 * the ticks are spread over the workers (here: the worker that raised the alert leaves, as
 * in a rolling restart, and the other one carries on), and healing it is one resolved alert.
 *
 * Before the state store, that held only while ticks did not overlap (seen here with 10 s
 * ticks on a loaded machine: a second incident, a second alert); overlaps are now safe
 * (test/integration/stateStore), but the interval still keeps them apart so that the
 * static-data copy this test reads is the latest state.
 */
import fs from 'node:fs';

import type { Client } from 'pg';

import { WORKFLOW_IDS } from '../../scripts/workflows/ids';
import { evolutionDefaults } from '../../dev/emulators/whatsapp/evolution';
import { waitFor } from '../../dev/n8n/testN8n';
import { enqueuedExecutions, overlappingRuns, readJsonLog, workerFinishedExecutions, workerRunSpans, workerStartedExecutions } from './helpers/queueLogs';
import { startQueueStack, type QueueStack } from './helpers/queueStack';

const TICK_SECONDS = 20;

interface MonitorRun {
	executionId: string;
	worker: string;
	finished: boolean;
}

interface TrackedIncident {
	id: string;
	key: string;
	component: string;
	lastSeenAt: number;
}

describe('queue mode: Monitor ticks on two workers over Redis, one incident state', () => {
	let stack: QueueStack;
	let n8nDb: Client;

	/**
	 * Monitor ticks as the workers' logs tell them, oldest first within each worker: a worker logs the
	 * Triggers run its schedule started, which runs the tick inside it (a sub-execution) and waits for it.
	 */
	const monitorRuns = (): MonitorRun[] =>
		stack.cluster.workers.flatMap((worker) => {
			const finished = new Set(workerFinishedExecutions(worker.logFile));
			return workerStartedExecutions(worker.logFile)
				.filter((run) => run.workflowId === WORKFLOW_IDS.triggers)
				.map((run) => ({ executionId: run.executionId, worker: worker.name, finished: finished.has(run.executionId) }));
		});
	const finishedRuns = () => monitorRuns().filter((run) => run.finished);
	const workersOf = (runs: MonitorRun[]) => [...new Set(runs.map((run) => run.worker))].sort();
	const allWorkers = () => stack.cluster.workers.map((worker) => worker.name).sort();
	/** Alerts about WhatsApp (their title line names the component). */
	const whatsAppAlerts = () => stack.slackTexts().filter((text) => /WhatsApp/i.test(text.split('\n')[0]));
	const whatsAppIncidents = async () => (await trackerIncidents()).filter((incident) => incident.component === 'whatsapp');

	const spanOf = (run: MonitorRun) => {
		const worker = stack.cluster.workers.find((candidate) => candidate.name === run.worker);
		return worker ? workerRunSpans(worker.logFile, worker.name).find((span) => span.executionId === run.executionId) : undefined;
	};
	const runStartedBefore = (run: MonitorRun, time: number) => (spanOf(run)?.startedAt ?? Infinity) <= time;
	const runStartedAfter = (run: MonitorRun, time: number) => (spanOf(run)?.startedAt ?? -Infinity) >= time;

	/** Monitor runs that overlapped another (the tracker's state assumes they do not). */
	const overlaps = () => {
		const monitorIds = new Set(monitorRuns().map((run) => run.executionId));
		const spans = stack.cluster.workers.flatMap((worker) => workerRunSpans(worker.logFile, worker.name)).filter((span) => monitorIds.has(span.executionId) && span.finishedAt !== undefined);
		return overlappingRuns(spans).map(([a, b]) => `${a.executionId}@${a.worker} ${new Date(a.startedAt).toISOString()}–${new Date(a.finishedAt ?? NaN).toISOString()} overlaps ${b.executionId}@${b.worker} from ${new Date(b.startedAt).toISOString()}`);
	};

	const trackerIncidents = async (): Promise<TrackedIncident[]> => {
		const { rows } = await n8nDb.query<{ staticData: unknown }>('SELECT "staticData" FROM workflow_entity WHERE id = $1', [WORKFLOW_IDS.monitor]);
		const data = (typeof rows[0]?.staticData === 'string' ? JSON.parse(rows[0].staticData) : rows[0]?.staticData) as
			| { global?: { incidentTracker?: { incidents?: Record<string, TrackedIncident> } } }
			| null
			| undefined;
		return Object.values(data?.global?.incidentTracker?.incidents ?? {});
	};

	beforeAll(async () => {
		stack = await startQueueStack({ tickSeconds: TICK_SECONDS, workers: 2, workerConcurrency: 2 });
		({ n8nDb } = stack);
	}, 240_000);

	afterAll(async () => {
		await stack?.close();
	}, 120_000);

	test('the main process enqueues the scheduled ticks and only the workers run them', async () => {
		const runs = await waitFor(() => (finishedRuns().length >= 2 ? finishedRuns() : undefined), 90_000, 'healthy Monitor ticks');
		expect(runs.length).toBeGreaterThanOrEqual(2);
		const enqueued = new Set(enqueuedExecutions(stack.cluster.main.logFile));
		for (const run of monitorRuns()) expect(enqueued.has(run.executionId)).toBe(true);
		// Each execution ran exactly once, on one worker; the main process ran none.
		const ids = monitorRuns().map((run) => run.executionId);
		expect(new Set(ids).size).toBe(ids.length);
		expect(readJsonLog(stack.cluster.main.logFile).filter((line) => /^Worker (started|finished) execution/.test(line.message))).toEqual([]);
		for (const worker of stack.cluster.workers) expect(worker.alive).toBe(true);
		// Healthy ticks: nothing to say.
		expect(stack.slackTexts()).toEqual([]);
		expect(await whatsAppIncidents()).toEqual([]);
	});

	test('WhatsApp\'s API key is revoked: one incident and one alert, though the ticks after it run on the other worker', async () => {
		// A credential problem needs a person: escalated at once, no Recover run, so a tick stays well inside the interval.
		stack.evolution.patchState({ apiKey: 'evo-key-rotated-by-the-admin' });
		const brokenAt = Date.now();
		const texts = await waitFor(() => (whatsAppAlerts().length > 0 ? whatsAppAlerts() : undefined), 90_000, 'the WhatsApp alert');
		expect(texts).toHaveLength(1);
		expect(texts[0]).toMatch(/auth\.invalid_credentials/);
		const [opened] = await waitFor(async () => {
			const incidents = await whatsAppIncidents();
			return incidents.length > 0 ? incidents : undefined;
		}, 30_000, 'the incident in the static data');

		// An idle Bull worker that keeps winning the next job is normal, so the worker that raised
		// the alert leaves (as in a rolling restart): the next ticks run on the other worker,
		// which must read the incident from the shared state.
		const raisedBy = monitorRuns().filter((run) => runStartedBefore(run, Date.now()) && runStartedAfter(run, brokenAt - TICK_SECONDS * 1000)).pop()?.worker;
		expect(raisedBy).toBeDefined();
		const leaving = stack.cluster.workers.find((worker) => worker.name === raisedBy);
		await leaving?.stop();
		const before = new Set(monitorRuns().map((run) => run.executionId));
		const later = await waitFor(
			() => {
				const fresh = finishedRuns().filter((run) => !before.has(run.executionId));
				return fresh.length >= 2 ? fresh : undefined;
			},
			90_000,
			'2 more Monitor runs on the other worker',
		);
		expect(later.map((run) => run.worker)).not.toContain(raisedBy);
		// Both workers ran ticks of this test.
		expect(workersOf(finishedRuns())).toEqual(allWorkers());
		expect(whatsAppAlerts()).toHaveLength(1);
		// The same incident (its id is fixed at the first failure), updated by the later ticks.
		const incidents = await whatsAppIncidents();
		expect(incidents.map((incident) => incident.id)).toEqual([opened.id]);
		expect(incidents[0].lastSeenAt).toBeGreaterThan(opened.lastSeenAt);
		expect(overlaps()).toEqual([]);
	});

	test('healed: exactly one resolved alert, then quiet, and the incident is closed in the shared state', async () => {
		stack.evolution.patchState({ apiKey: evolutionDefaults.apiKey });
		await waitFor(() => (whatsAppAlerts().length >= 2 ? true : undefined), 60_000, 'the resolved alert');
		expect(whatsAppAlerts()[1]).toMatch(/Resolved/i);
		const before = new Set(monitorRuns().map((run) => run.executionId));
		await waitFor(() => (finishedRuns().filter((run) => !before.has(run.executionId)).length >= 1 ? true : undefined), 60_000, 'one more Monitor run');
		expect(whatsAppAlerts()).toHaveLength(2);
		expect(await whatsAppIncidents()).toEqual([]);
		expect(overlaps()).toEqual([]);
	});

	test('a recovery that does not fix it, run on a worker: its Recover execution failed in n8n\'s database, labelled; the Monitor alerts once, the Error Handler not at all', async () => {
		const recoverRuns = async () =>
			(
				await n8nDb.query<{ id: string; status: string; metadata: Record<string, string> | null }>(
					`SELECT e.id::text AS id, e.status, (SELECT json_object_agg(m.key, m.value) FROM execution_metadata m WHERE m."executionId" = e.id) AS metadata
					 FROM execution_entity e WHERE e."workflowId" = $1 ORDER BY e.id`,
					[WORKFLOW_IDS.recover],
				)
			).rows;
		const handlerRuns = async () => (await n8nDb.query<{ status: string }>('SELECT status FROM execution_entity WHERE "workflowId" = $1', [WORKFLOW_IDS.errorHandler])).rows;
		const alertsBefore = stack.slackTexts().length;
		const recoveriesBefore = (await recoverRuns()).length;
		const handledBefore = (await handlerRuns()).length;
		// A restart does nothing for this session (Evolution v2.3.6): the recovery ends with a QR for a person to scan.
		stack.evolution.patchState({ restartCloseQuirk: true, instances: { ventas: { state: 'close' } } });
		const failed = await waitFor(async () => (await recoverRuns()).slice(recoveriesBefore).find((run) => run.status === 'error'), 150_000, 'a failed Recover execution');
		expect(failed.metadata).toMatchObject({ component: 'whatsapp', target: 'evolution:ventas', outcome: 'not fixed' });
		// The Monitor learnt the outcome (read back from the failed execution on the worker): one alert, the QR one.
		const alerts = await waitFor(() => (stack.slackTexts().length > alertsBefore ? stack.slackTexts().slice(alertsBefore) : undefined), 60_000, 'the Monitor\'s alert');
		expect(alerts).toHaveLength(1);
		expect(alerts[0]).toMatch(/whatsapp\.qr_required/);
		// The Error Handler ran for the failed execution and sent nothing.
		await waitFor(async () => ((await handlerRuns()).length > handledBefore ? true : undefined), 60_000, 'the Error Handler run');
		expect((await handlerRuns()).map((run) => run.status)).toEqual((await handlerRuns()).map(() => 'success'));
		const before = new Set(monitorRuns().map((run) => run.executionId));
		await waitFor(() => (finishedRuns().filter((run) => !before.has(run.executionId)).length >= 1 ? true : undefined), 60_000, 'one more Monitor run');
		expect(stack.slackTexts().slice(alertsBefore)).toHaveLength(1);
		expect(stack.slackTexts().filter((text) => /Autorecovery: Recover|Recovery Did Not Fix It/.test(text))).toEqual([]);
		// Scanned: resolved, the incident closed.
		stack.evolution.patchState({ restartCloseQuirk: false, instances: { ventas: { state: 'open' } } });
		await waitFor(async () => ((await whatsAppIncidents()).length === 0 ? true : undefined), 90_000, 'the incident closed');
		expect(overlaps()).toEqual([]);
	}, 400_000);

	test('no secret value in any process log or in what n8n stored (executions, static data)', async () => {
		const logs = [stack.cluster.main.logFile, ...stack.cluster.workers.map((worker) => worker.logFile)].map((file) => fs.readFileSync(file, 'utf8'));
		const stored = await n8nDb.query<{ text: string }>(
			`SELECT coalesce((SELECT string_agg(data, '\n') FROM execution_data), '') || (SELECT string_agg(coalesce("staticData"::text, ''), '\n') FROM workflow_entity) AS text`,
		);
		const everything = [...logs, stored.rows[0].text].join('\n');
		expect(everything.length).toBeGreaterThan(0);
		for (const secret of stack.secrets) expect(everything).not.toContain(secret);
	});
});
