/**
 * Ticks, gateway events, recovery results and a person's reset hitting one tracker state
 * at the same time, through several independent store instances (each with its own
 * in-process lock and connections, as separate n8n processes have), and the check that
 * the outcome is serializable: the stored state, and every decision each run got, equal
 * a one-at-a-time replay of the same runs in the order they committed.
 */
import { isDeepStrictEqual } from 'node:util';

import type { CheckResult, Component, RecoveryResult } from '../../../nodes/shared/contract';
import { DEFAULT_EVENT_OPTIONS, ingestEvents } from '../../../nodes/shared/gatewayEvents/ingest';
import { parseEvents } from '../../../nodes/shared/gatewayEvents/parse';
import type { GatewayEvent } from '../../../nodes/shared/gatewayEvents/types';
import { reset } from '../../../nodes/shared/incident/controls';
import { trackRecovery, trackResults } from '../../../nodes/shared/incident/tracker';
import { readTrackerState } from '../../../nodes/shared/incident/state';
import type { TrackedItem, TrackerOptionsInput, TrackerState } from '../../../nodes/shared/incident/types';
import type { StateStore } from '../../../nodes/shared/stateStore/types';
import { evolutionClosed, failing, healthy, recovery, T0 } from '../../unit/incident/results';

/** Two WhatsApp targets share one recovery budget (the double-spend case), plus the database. */
const TARGETS: ReadonlyArray<[Component, string]> = [
	['whatsapp', 'evolution:ventas'],
	['whatsapp', 'evolution:soporte'],
	['database', 'postgres:shop'],
];

export const OPTIONS: TrackerOptionsInput = {
	confirmDelayMs: 1_000,
	groupNetworkCauses: false,
	budget: { maxActions: 2, windowMs: 24 * 3_600_000, firstGapMs: 0, gapMs: 0, gapFactor: 1 },
};

type Op =
	| { kind: 'tick'; results: CheckResult[] }
	| { kind: 'event'; result: CheckResult }
	/** A webhook from the gateway itself (issue 20), through the Event Ingest's decision; a replay reuses an earlier one. */
	| { kind: 'gatewayEvent'; events: GatewayEvent[] }
	| { kind: 'recovery'; result: RecoveryResult }
	| { kind: 'reset'; scope: string };

const failingResult = (component: Component, target: string): CheckResult =>
	component === 'whatsapp' ? evolutionClosed(target) : failing({ component, target, code: 'database.unavailable', message: 'The database did not answer.' });

/** A random mix: mostly failures (so incidents open and the budget is spent), some healing. */
export function generateOps(random: () => number, count: number): Op[] {
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const result = ([component, target]: [Component, string]) => (random() < 0.75 ? failingResult(component, target) : healthy(component, target));
	const sent: GatewayEvent[][] = [];
	const gatewayEvent = (target: string, index: number): GatewayEvent[] => {
		if (sent.length > 0 && random() < 0.2) return pick(sent);
		const state = pick(['close', 'connecting', 'connecting', 'open', 'refused']);
		const events = parseEvents('evolution', { event: 'connection.update', instance: target.split(':')[1], data: { state, statusReason: state === 'open' ? 200 : 428 }, date_time: `op-${index}-${random()}` });
		sent.push(events);
		return events;
	};
	return Array.from({ length: count }, (_unused, index): Op => {
		const roll = random();
		if (roll < 0.3) return { kind: 'tick', results: TARGETS.map(result) };
		if (roll < 0.55) return { kind: 'gatewayEvent', events: gatewayEvent(pick(TARGETS.filter(([component]) => component === 'whatsapp'))[1], index) };
		if (roll < 0.85) return { kind: 'event', result: result(pick(TARGETS)) };
		if (roll < 0.95) {
			const [component, target] = pick(TARGETS.filter(([component]) => component === 'whatsapp'));
			return { kind: 'recovery', result: recovery(random() < 0.5 ? healthy(component, target) : failingResult(component, target)) };
		}
		return { kind: 'reset', scope: pick(['whatsapp', 'database']) };
	});
}

/** One run's decision, as the tracker node makes it: a pure function of (state, op, now). */
export function applyOp(stored: TrackerState | undefined, op: Op, now: number): { state: TrackerState; items: TrackedItem[] } {
	const state = readTrackerState(stored);
	if (op.kind === 'tick') return trackResults(state, op.results, OPTIONS, now);
	if (op.kind === 'event') return trackResults(state, [op.result], OPTIONS, now);
	if (op.kind === 'gatewayEvent') {
		const outcome = ingestEvents(state, 'evolution', op.events, OPTIONS, DEFAULT_EVENT_OPTIONS, now);
		return { state: outcome.state, items: outcome.decisions.map((decision) => decision.tracking) };
	}
	if (op.kind === 'recovery') return trackRecovery(state, [op.result], OPTIONS, now);
	return { state: reset(state, op.scope, now), items: [] };
}

interface Run {
	op: number;
	version: number;
	now: number;
	items: TrackedItem[];
}

export interface InterleavingReport {
	runs: number;
	/** Runs that committed while another one was in flight. */
	overlapped: number;
	/** Decisions computed again because another process committed first (the file store's compare-and-swap). */
	recomputed: number;
	recoverDecisions: number;
	problems: string[];
}

/**
 * Starts every op at a random moment within a few milliseconds, each through a randomly
 * chosen store instance, and checks the result against the sequential replay.
 */
export async function runInterleaving(stores: StateStore[], key: string, ops: Op[], random: () => number): Promise<InterleavingReport> {
	// The clock the decisions read (Date.now() in the node), advanced by every decision.
	let clock = T0;
	let inFlight = 0;
	let overlapped = 0;
	let decided = 0;
	const delays = ops.map(() => Math.floor(random() * 4));
	const storeOf = ops.map(() => stores[Math.floor(random() * stores.length)]);
	const runs = await Promise.all(
		ops.map(async (op, index): Promise<Run> => {
			await new Promise((resolve) => setTimeout(resolve, delays[index]));
			inFlight++;
			try {
				const committed = await storeOf[index].update<TrackerState, { now: number; items: TrackedItem[] }>(key, (current) => {
					decided++;
					clock += 1_000;
					const now = clock;
					const outcome = applyOp(current, op, now);
					return { next: outcome.state, result: { now, items: outcome.items } };
				});
				if (inFlight > 1) overlapped++;
				return { op: index, version: committed.version, ...committed.result };
			} finally {
				inFlight--;
			}
		}),
	);

	const problems: string[] = [];
	const versions = runs.map((run) => run.version).sort((a, b) => a - b);
	if (!isDeepStrictEqual(versions, ops.map((_op, index) => index + 1))) problems.push(`versions are not 1..${ops.length} once each: ${versions.join(',')}`);

	// The sequential replay, in commit order, at the times the runs decided at.
	let replayed: TrackerState | undefined;
	for (const run of [...runs].sort((a, b) => a.version - b.version)) {
		const outcome = applyOp(replayed, ops[run.op], run.now);
		if (!isDeepStrictEqual(outcome.items, run.items)) problems.push(`op ${run.op} (version ${run.version}) decided differently than in the replay`);
		replayed = outcome.state;
	}
	const stored = await stores[0].read<TrackerState>(key);
	if (!isDeepStrictEqual(stored, replayed)) problems.push('the stored state differs from the sequential replay');

	// The properties the issue names, on what the runs actually decided.
	const items = runs.flatMap((run) => run.items);
	const recoverDecisions = items.filter((item) => item.decision === 'recover');
	const resets = ops.filter((op) => op.kind === 'reset').length;
	for (const component of new Set(TARGETS.map(([component]) => component))) {
		const spent = recoverDecisions.filter((item) => item.component === component).length;
		if (spent > 2 * (resets + 1)) problems.push(`${component}: ${spent} recover decisions, more than the budget allows`);
	}
	const openedIds = items.filter((item) => item.decision === 'opened' && item.incident).map((item) => item.incident?.id);
	if (new Set(openedIds).size !== openedIds.length) problems.push('an incident was opened twice');
	return { runs: runs.length, overlapped, recomputed: decided - runs.length, recoverDecisions: recoverDecisions.length, problems };
}
