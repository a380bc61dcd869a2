/** The load test's plan and its rate-limit judge (dev/n8n/eventBurst.ts): what the e2e test and the benchmark expect. */
import { burstPlan, percentile, rateLimitProblems } from '../../../dev/n8n/eventBurst';

const MINUTE = 60_000;
const M0 = 29_000_000 * MINUTE; // a minute boundary

const answer = (status: number, count: number, sentAt: number, answeredAt = sentAt + 100) => ({ status, json: {}, sentAt, answeredAt, event: { count } });

describe('the burst plan', () => {
	it('1,000 events: 150 Evolution and 150 WAHA one per request, 700 Meta statuses in 7 callbacks sent first; distinct ids', () => {
		const plan = burstPlan('t', M0);
		expect(plan.counts).toEqual({ evolution: 150, waha: 150, meta: 700 });
		expect(plan.events).toHaveLength(307);
		expect(plan.events.slice(0, 7).every((event) => event.source === 'meta' && event.count === 100)).toBe(true);
		expect(new Set(plan.events.map((event) => event.bodyText)).size).toBe(307);
		expect(plan.failingTargets.sort()).toEqual(['evolution:burst-closed', 'waha:burst-down-1', 'waha:burst-down-2', 'waha:burst-down-3']);
		// The same order on every run.
		expect(burstPlan('t', M0).events.map((event) => event.target)).toEqual(plan.events.map((event) => event.target));
	});
});

describe('rateLimitProblems', () => {
	it('within one minute: 6 callbacks of 100 accepted, the 7th refused is right', () => {
		const answers = [...Array.from({ length: 6 }, (_, i) => answer(200, 100, M0 + i * 10)), answer(429, 100, M0 + 70)];
		expect(rateLimitProblems(answers, 600)).toEqual([]);
	});

	it('more than the limit accepted in a minute, or a refusal while there was room, is a problem', () => {
		expect(rateLimitProblems(Array.from({ length: 7 }, (_, i) => answer(200, 100, M0 + i)), 600)).toEqual(['700 events accepted in one minute (limit 600)']);
		expect(rateLimitProblems([answer(200, 100, M0), answer(429, 100, M0 + 1)], 600)).toHaveLength(1);
	});

	it('across a minute boundary each minute has its own 600; a request straddling the boundary may count for either', () => {
		const answers = [...Array.from({ length: 5 }, (_, i) => answer(200, 100, M0 - 5_000 + i)), answer(200, 100, M0 - 50, M0 + 50), answer(200, 100, M0 + 1_000)];
		expect(rateLimitProblems(answers, 600)).toEqual([]);
		expect(rateLimitProblems([...answers.slice(0, 6), answer(429, 100, M0 - 10)], 600)).toEqual([]);
	});

	it('an answer other than 200 or 429 is a problem', () => {
		expect(rateLimitProblems([answer(500, 1, M0)], 600)).toEqual([expect.stringMatching(/answered 500/)]);
	});
});

describe('percentile', () => {
	it('nearest rank', () => {
		const values = Array.from({ length: 100 }, (_, i) => i + 1);
		expect(percentile(values, 99)).toBe(99);
		expect(percentile(values, 50)).toBe(50);
		expect(percentile([], 99)).toBeNaN();
	});
});
