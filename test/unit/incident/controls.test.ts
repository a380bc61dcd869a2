import { openIncidents, pause, resume } from '../../../nodes/shared/incident/controls';
import { TrackerInputError } from '../../../nodes/shared/incident/errors';
import { createTrackerState, isPaused } from '../../../nodes/shared/incident/state';
import { trackResults } from '../../../nodes/shared/incident/tracker';
import { evolutionClosed, HOUR, MIN, SEC, T0, tokenRevoked } from './results';
import { runScenario } from './scenario';

describe('pause and resume', () => {
	test('pause records until, reason, when and who; paused from its start until just before its end', () => {
		const state = pause(createTrackerState(), T0 + 30 * MIN, '  moving the server ', T0, 'ana');
		expect(state.pause).toEqual({ until: T0 + 30 * MIN, reason: 'moving the server', setAt: T0, setBy: 'ana' });
		expect(isPaused(state, T0)).toBe(true);
		expect(isPaused(state, T0 + 30 * MIN - 1)).toBe(true);
		expect(isPaused(state, T0 + 30 * MIN)).toBe(false);
		expect(resume(state, T0 + MIN).pause).toBeUndefined();
		expect(state.pause).toBeDefined();
	});

	test('bad pause parameters throw TrackerInputError naming them', () => {
		const state = createTrackerState();
		expect(() => pause(state, T0, 'x', T0)).toThrow(TrackerInputError);
		expect(() => pause(state, T0 - 1, 'x', T0)).toThrow(/until must be a time after now/);
		expect(() => pause(state, Number.NaN, 'x', T0)).toThrow(/until/);
		expect(() => pause(state, T0 + MIN, ' ', T0)).toThrow(/reason must say why/);
		expect(() => pause(state, T0 + MIN, 'x', Number.POSITIVE_INFINITY)).toThrow(/now must be a time/);
	});

	test('an ended pause is dropped from the state by the next call', () => {
		const paused = pause(createTrackerState(), T0 + MIN, 'deploy', T0);
		expect(trackResults(paused, [], {}, T0 + MIN - 1).state.pause).toBeDefined();
		expect(trackResults(paused, [], {}, T0 + MIN).state.pause).toBeUndefined();
	});
});

describe('openIncidents (status page)', () => {
	test('open incidents oldest first with age, escalation and budget; pause shown while active', () => {
		const run = runScenario([
			{ at: T0, tick: [tokenRevoked()] },
			{ at: T0 + 20 * SEC, tick: [tokenRevoked()] },
			{ at: T0 + 5 * MIN, tick: [evolutionClosed()] },
			{ at: T0 + 5 * MIN + 20 * SEC, tick: [evolutionClosed()] },
			{ at: T0 + 6 * MIN, pause: { until: T0 + HOUR, reason: 'maintenance' } },
		]);
		const status = openIncidents(run.state, T0 + 10 * MIN);
		expect(status.paused).toBe(true);
		expect(status.pause?.reason).toBe('maintenance');
		expect(status.incidents.map((view) => [view.incident.key, view.ageMs, view.escalated])).toEqual([
			['payments:mercadopago', 10 * MIN, true],
			['whatsapp:evolution:ventas', 5 * MIN, false],
		]);
		expect(status.incidents[1].budget).toEqual({ used: 1, max: 3, spent: false, nextAllowedAt: T0 + 10 * MIN + 20 * SEC });
		// A copy: changing the view does not change the state.
		status.incidents[0].incident.attempts = 42;
		expect(run.state.incidents['payments:mercadopago'].attempts).toBe(0);
		expect(openIncidents(run.state, T0 + 2 * HOUR).paused).toBe(false);
		expect(openIncidents(createTrackerState(), T0)).toEqual({ paused: false, incidents: [] });
	});
});
