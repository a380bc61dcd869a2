/**
 * Availability per component: down time is the union of the component's `down`
 * incidents (overlapping targets counted once) clipped to the tracked part of the
 * window; degraded time is the degraded-only union minus the down time.
 */
import { availability, type AvailabilityInput } from '../../../nodes/RecoveryReport/status/availability';
import { StatusParameterError } from '../../../nodes/RecoveryReport/status/errors';
import type { ClosedIncidentSpan } from '../../../nodes/RecoveryReport/status/types';
import type { Component } from '../../../nodes/shared/contract';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 1, 20, 12, 0, 0);

function closed(component: Component, target: string, from: number, to: number, worstStatus: 'degraded' | 'down' = 'down'): ClosedIncidentSpan {
	return { key: `${component}:${target}`, component, target, openedAt: NOW - from, resolvedAt: NOW - to, worstStatus };
}

function run(overrides: Partial<AvailabilityInput>): ReturnType<typeof availability> {
	return availability({ component: 'whatsapp', now: NOW, windowMs: DAY, trackingSince: NOW - 30 * DAY, closed: [], open: [], ...overrides });
}

describe('availability', () => {
	it('is 1 over a fully tracked window without incidents', () => {
		expect(run({})).toEqual({ ratio: 1, downMs: 0, degradedMs: 0, coveredMs: DAY });
	});

	it('counts overlapping incidents of several targets once', () => {
		const result = run({
			closed: [closed('whatsapp', 'evolution:ventas', 10 * HOUR, 8 * HOUR), closed('whatsapp', 'evolution:soporte', 9 * HOUR, 7 * HOUR)],
		});
		// [−10 h, −8 h] ∪ [−9 h, −7 h] = 3 h, not 4 h.
		expect(result).toEqual({ ratio: 0.875, downMs: 3 * HOUR, degradedMs: 0, coveredMs: DAY });
	});

	it('merges touching and nested spans and adds disjoint ones', () => {
		const result = run({
			closed: [
				closed('whatsapp', 'a', 6 * HOUR, 5 * HOUR),
				closed('whatsapp', 'b', 5 * HOUR, 4 * HOUR), // touches the first
				closed('whatsapp', 'c', 5.5 * HOUR, 4.5 * HOUR), // inside both
				closed('whatsapp', 'd', 2 * HOUR, 1 * HOUR), // apart
			],
		});
		expect(result.downMs).toBe(3 * HOUR);
		expect(result.ratio).toBe(0.875);
	});

	it('clips incidents to the window and ignores those before it', () => {
		const result = run({
			closed: [closed('whatsapp', 'a', 30 * HOUR, 22 * HOUR), closed('whatsapp', 'b', 50 * HOUR, 26 * HOUR)],
		});
		expect(result).toEqual({ ratio: 0.9167, downMs: 2 * HOUR, degradedMs: 0, coveredMs: DAY });
	});

	it('runs open incidents until now', () => {
		const result = run({ open: [{ component: 'whatsapp', openedAt: NOW - HOUR, worstStatus: 'down' }] });
		expect(result).toEqual({ ratio: 0.9583, downMs: HOUR, degradedMs: 0, coveredMs: DAY });
	});

	it('only counts the part of the window after trackingSince', () => {
		const result = run({
			trackingSince: NOW - 6 * HOUR,
			closed: [closed('whatsapp', 'a', 20 * HOUR, 5 * HOUR)], // 15 h, of which 1 h was tracked
		});
		expect(result).toEqual({ ratio: 0.8333, downMs: HOUR, degradedMs: 0, coveredMs: 6 * HOUR });
	});

	it('is unknown (null) before tracking started or with an empty covered window', () => {
		const open = [{ component: 'whatsapp' as const, openedAt: NOW - HOUR, worstStatus: 'down' as const }];
		expect(run({ trackingSince: undefined, open })).toEqual({ ratio: null, downMs: 0, degradedMs: 0, coveredMs: 0 });
		expect(run({ trackingSince: NOW, open })).toEqual({ ratio: null, downMs: 0, degradedMs: 0, coveredMs: 0 });
		expect(run({ trackingSince: NOW + HOUR, open })).toEqual({ ratio: null, downMs: 0, degradedMs: 0, coveredMs: 0 });
	});

	it('counts degraded-only time apart from down time (overlap goes to down)', () => {
		const result = run({
			closed: [closed('whatsapp', 'a', 5 * HOUR, 2 * HOUR, 'degraded'), closed('whatsapp', 'b', 4 * HOUR, 3 * HOUR, 'down')],
			open: [{ component: 'whatsapp', openedAt: NOW - 30 * MIN, worstStatus: 'degraded' }],
		});
		// Degraded [−5 h, −2 h] ∪ [−30 min, now] = 3.5 h, minus the 1 h it was down.
		expect(result).toEqual({ ratio: 0.9583, downMs: HOUR, degradedMs: 2.5 * HOUR, coveredMs: DAY });
	});

	it('ignores other components', () => {
		const result = run({
			closed: [closed('database', 'postgres:shop', 5 * HOUR, 1 * HOUR)],
			open: [{ component: 'payments', openedAt: NOW - HOUR, worstStatus: 'down' }],
		});
		expect(result.ratio).toBe(1);
		expect(run({ component: 'database', closed: [closed('database', 'postgres:shop', 5 * HOUR, 1 * HOUR)] }).downMs).toBe(4 * HOUR);
	});

	it('rounds the ratio to 4 decimals', () => {
		// 1 − 1/1440 = 0.999305…
		expect(run({ closed: [closed('whatsapp', 'a', 10 * MIN, 9 * MIN)] }).ratio).toBe(0.9993);
	});

	it('works over 7 days', () => {
		const result = run({ windowMs: 7 * DAY, closed: [closed('whatsapp', 'a', 3 * DAY, 3 * DAY - 7 * HOUR)], open: [{ component: 'whatsapp', openedAt: NOW - 7 * HOUR, worstStatus: 'down' }] });
		// 14 h of 168 h.
		expect(result).toEqual({ ratio: 0.9167, downMs: 14 * HOUR, degradedMs: 0, coveredMs: 7 * DAY });
	});

	it('skips broken spans read back from storage and counts a reversed span as nothing', () => {
		const broken = { ...closed('whatsapp', 'a', 5 * HOUR, 4 * HOUR), openedAt: Number.NaN };
		const reversed = closed('whatsapp', 'b', 2 * HOUR, 3 * HOUR);
		expect(run({ closed: [broken, reversed, closed('whatsapp', 'c', 1 * HOUR, 0)] }).downMs).toBe(HOUR);
	});

	it('throws a StatusParameterError naming the bad parameter', () => {
		const cases: Array<[Partial<AvailabilityInput>, string]> = [
			[{ component: 'mail' as Component }, 'component'],
			[{ now: Number.NaN }, 'now'],
			[{ windowMs: 0 }, 'windowMs'],
			[{ windowMs: -DAY }, 'windowMs'],
			[{ trackingSince: Number.POSITIVE_INFINITY }, 'trackingSince'],
			[{ closed: 'none' as unknown as ClosedIncidentSpan[] }, 'closed'],
			[{ open: null as unknown as [] }, 'open'],
		];
		for (const [overrides, parameter] of cases) {
			let thrown: unknown;
			try {
				run(overrides);
			} catch (error) {
				thrown = error;
			}
			expect(thrown).toBeInstanceOf(StatusParameterError);
			expect((thrown as StatusParameterError).parameter).toBe(parameter);
			expect((thrown as Error).message).toContain(parameter);
		}
	});
});
