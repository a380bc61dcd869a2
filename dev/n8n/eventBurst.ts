/**
 * Issue 20's load test: 1,000 gateway events POSTed in a burst (bounded concurrency,
 * loopback only) at the Monitor's event webhooks on a running n8n, while n8n's health URL
 * and the status page are asked all along. Shared by the e2e test and the benchmark.
 *
 * The burst, and what it must give (the Ingest's documented answers and decisions):
 *  - Meta, 700 `delivered`/`read` statuses (information) in 7 callbacks of 100, as Meta
 *    batches statuses, sent first: more than the 600 events per source per minute on
 *    purpose. Per calendar minute of n8n's clock a callback is accepted (200) while the
 *    minute's count stays within 600 and refused whole (429, nothing recorded) otherwise:
 *    within one minute, 6 × 200 and 1 × 429. `rateLimitProblems` checks this against each
 *    answer's send/receive times, so a burst across a minute boundary is judged exactly too;
 *  - WAHA, 150 (one event per request, as WAHA sends them): three sessions that fail
 *    (FAILED, with WORKING in between, which never resolves an incident) and two that are
 *    fine (WORKING, message acks);
 *  - Evolution, 150 (one per request): one instance that closes (logged out) and four that
 *    report `open`.
 *  Evolution and WAHA stay under their limit (150 each, plus what a test sent earlier in
 *  the minute): every one is answered 200. Decisions: exactly one incident for each failing
 *  target (one `opened` outcome, the rest `observed`), none for the others, and no more
 *  recoveries than the budget allows.
 */
import type { GatewaySource } from '../../nodes/shared/gatewayEvents/types';
import { createPrng } from '../stack/permutation';
import type { EventAnswer, GatewayEventStack } from './eventStack';

export const RATE_LIMIT_PER_MINUTE = 600;

/** One webhook request of the burst. */
export interface BurstEvent {
	source: GatewaySource;
	target: string;
	bodyText: string;
	/** Events in the request (Meta batches statuses; the others send one). */
	count: number;
}

export interface BurstPlan {
	/** The requests, in the order they are sent: Meta's callbacks first, then the others interleaved. */
	events: BurstEvent[];
	/** The targets that must end with exactly one incident opened by the burst. */
	failingTargets: string[];
	/** Every target the burst names. */
	targets: string[];
	/** Events per source. */
	counts: Record<GatewaySource, number>;
}

const WAHA_FAILING = ['burst-down-1', 'burst-down-2', 'burst-down-3'];
const WAHA_FINE = ['burst-ok-1', 'burst-ok-2'];
const EVOLUTION_CLOSED = 'burst-closed';
const EVOLUTION_FINE = ['burst-ok-1', 'burst-ok-2', 'burst-ok-3', 'burst-ok-4'];
const META_PHONE_ID = '109876543210';
const PER_TARGET = 30;
const META_CALLBACKS = 7;
const META_STATUSES_PER_CALLBACK = 100;

/** The burst's 1,000 events in 307 requests (Meta's 7 callbacks first, the rest in a fixed pseudo-random order); `tag` keeps ids of two bursts apart. */
export function burstPlan(tag: string, now = Date.now()): BurstPlan {
	const events: BurstEvent[] = [];
	let sequence = 0;
	const waha = (session: string, event: string, payload: Record<string, unknown>): BurstEvent => {
		sequence += 1;
		const body = { id: `evt_${tag}_${sequence}`, timestamp: now, event, session, me: null, payload, engine: 'NOWEB', environment: { version: '2026.6.1', engine: 'NOWEB', tier: 'CORE' } };
		return { source: 'waha', target: `waha:${session}`, bodyText: JSON.stringify(body), count: 1 };
	};
	const evolution = (instance: string, state: string, statusReason: number): BurstEvent => {
		sequence += 1;
		// Evolution's envelope has no id: the Ingest hashes it, date_time included (one millisecond apart keeps them distinct).
		const body = { event: 'connection.update', instance, data: { instance, state, statusReason }, destination: '', date_time: new Date(now + sequence).toISOString(), sender: null, server_url: 'http://127.0.0.1', apikey: null };
		return { source: 'evolution', target: `evolution:${instance}`, bodyText: JSON.stringify(body), count: 1 };
	};
	for (const session of WAHA_FAILING) {
		for (let i = 0; i < PER_TARGET; i += 1) events.push(waha(session, 'session.status', { status: i % 3 === 2 ? 'WORKING' : 'FAILED' }));
	}
	for (const session of WAHA_FINE) {
		for (let i = 0; i < PER_TARGET; i += 1) events.push(i % 2 === 0 ? waha(session, 'session.status', { status: 'WORKING' }) : waha(session, 'message.ack', { id: `true_521555_${tag}${i}`, fromMe: true, ack: 3, ackName: 'READ' }));
	}
	for (let i = 0; i < PER_TARGET; i += 1) events.push(evolution(EVOLUTION_CLOSED, 'close', 401));
	for (const instance of EVOLUTION_FINE) for (let i = 0; i < PER_TARGET; i += 1) events.push(evolution(instance, 'open', 200));
	// Seeded: the same burst order on every run.
	const random = createPrng(20);
	for (let i = events.length - 1; i > 0; i -= 1) {
		const j = Math.floor(random() * (i + 1));
		[events[i], events[j]] = [events[j], events[i]];
	}
	const meta: BurstEvent[] = [];
	for (let callback = 0; callback < META_CALLBACKS; callback += 1) {
		const statuses = Array.from({ length: META_STATUSES_PER_CALLBACK }, (_, i) => ({
			id: `wamid.${tag}.${callback}.${i}`,
			status: i % 2 === 0 ? 'delivered' : 'read',
			timestamp: String(Math.floor(now / 1000)),
			recipient_id: '5215511112222',
		}));
		const value = { messaging_product: 'whatsapp', metadata: { display_phone_number: '5215500000000', phone_number_id: META_PHONE_ID }, statuses };
		const bodyText = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value }] }] });
		meta.push({ source: 'meta', target: `cloudapi:${META_PHONE_ID}`, bodyText, count: META_STATUSES_PER_CALLBACK });
	}
	events.unshift(...meta);
	const counts = { evolution: 0, waha: 0, meta: 0 };
	for (const event of events) counts[event.source] += event.count;
	return {
		events,
		failingTargets: [...WAHA_FAILING.map((session) => `waha:${session}`), `evolution:${EVOLUTION_CLOSED}`],
		targets: [...new Set(events.map((event) => event.target))],
		counts,
	};
}

export interface Sample {
	status: number | null;
	ms: number;
	at: number;
}

export interface BurstRun {
	answers: Array<EventAnswer & { event: BurstEvent }>;
	startedAt: number;
	endedAt: number;
	/** GET /healthz, one after the other all along the burst. */
	health: Sample[];
	/** GET of the status page (basic auth), once a second. */
	statusPage: Sample[];
}

async function timed(url: string, init: RequestInit): Promise<Sample> {
	const at = Date.now();
	const started = performance.now();
	try {
		const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
		await response.arrayBuffer();
		return { status: response.status, ms: performance.now() - started, at };
	} catch {
		return { status: null, ms: performance.now() - started, at };
	}
}

/** n8n's health URL asked `count` times in a row, idle: the baseline for the answer time during the burst. */
export async function idleHealth(base: string, count: number): Promise<Sample[]> {
	const samples: Sample[] = [];
	for (let i = 0; i < count; i += 1) samples.push(await timed(`${base}/healthz`, {}));
	return samples;
}

/** Sends the plan's events with at most `concurrency` in flight, asking n8n's health URL and status page meanwhile. */
export async function runBurst(events: GatewayEventStack, plan: BurstPlan, concurrency: number, statusPageAuth: string): Promise<BurstRun> {
	const answers: BurstRun['answers'] = [];
	const health: Sample[] = [];
	const statusPage: Sample[] = [];
	let done = false;
	const healthLoop = (async () => {
		while (!done) health.push(await timed(`${events.base}/healthz`, {}));
	})();
	const statusLoop = (async () => {
		while (!done) {
			statusPage.push(await timed(`${events.base}/webhook/status`, { headers: { authorization: statusPageAuth } }));
			await new Promise((resolve) => setTimeout(resolve, 1_000));
		}
	})();
	const startedAt = Date.now();
	let next = 0;
	const worker = async () => {
		for (;;) {
			const index = next;
			next += 1;
			if (index >= plan.events.length) return;
			const event = plan.events[index];
			try {
				answers.push({ ...(await events.send(event.source, event.bodyText)), event });
			} catch (error) {
				answers.push({ status: 0, json: { error: (error as Error).message }, sentAt: Date.now(), answeredAt: Date.now(), event });
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	const endedAt = Date.now();
	done = true;
	await Promise.all([healthLoop, statusLoop]);
	return { answers, startedAt, endedAt, health, statusPage };
}

const minuteOf = (ms: number) => Math.floor(ms / 60_000);

/**
 * Whether one source's answers follow the per-minute limit: in each calendar minute a request
 * is accepted while the minute's accepted events plus its own stay within `limit`, and refused
 * whole otherwise. n8n decides each request at a moment between its send and its answer; a
 * request whose two ends fall in different minutes may belong to either, so the bounds are
 * exact when none straddles a boundary. Returns the problems found.
 */
export function rateLimitProblems(answers: ReadonlyArray<EventAnswer & { event: Pick<BurstEvent, 'count'> }>, limit: number): string[] {
	const problems: string[] = [];
	const minutes = new Map<number, { accepted: number; maybeAccepted: number; refused: number[] }>();
	const bucket = (minute: number) => {
		let entry = minutes.get(minute);
		if (!entry) minutes.set(minute, (entry = { accepted: 0, maybeAccepted: 0, refused: [] }));
		return entry;
	};
	for (const answer of answers) {
		if (answer.status !== 200 && answer.status !== 429) problems.push(`answered ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`);
		const first = minuteOf(answer.sentAt);
		const last = minuteOf(answer.answeredAt);
		if (answer.status === 200) {
			if (first === last) bucket(first).accepted += answer.event.count;
			else for (let minute = first; minute <= last; minute += 1) bucket(minute).maybeAccepted += answer.event.count;
		} else if (answer.status === 429 && first === last) {
			bucket(first).refused.push(answer.event.count);
		}
	}
	for (const { accepted, maybeAccepted, refused } of minutes.values()) {
		if (accepted > limit) problems.push(`${accepted} events accepted in one minute (limit ${limit})`);
		for (const count of refused) {
			if (accepted + maybeAccepted + count <= limit) problems.push(`a request of ${count} events refused in a minute that had accepted only ${accepted}(+${maybeAccepted})`);
		}
	}
	return problems;
}

/** Percentile (nearest rank) of the samples' times. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Per target, how the accepted answers reported its events (`opened`, `observed`, `recorded`…). */
export function outcomesByTarget(answers: BurstRun['answers']): Map<string, Record<string, number>> {
	const byTarget = new Map<string, Record<string, number>>();
	for (const answer of answers) {
		if (answer.status !== 200) continue;
		for (const reported of (answer.json.events as Array<{ target: string; outcome: string }> | undefined) ?? []) {
			const counts = byTarget.get(reported.target) ?? {};
			counts[reported.outcome] = (counts[reported.outcome] ?? 0) + 1;
			byTarget.set(reported.target, counts);
		}
	}
	return byTarget;
}
