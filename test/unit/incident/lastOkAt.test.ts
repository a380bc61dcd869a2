/**
 * How long customers were cut off: the incident dates from the first failed check
 * (openedAt, the pending record's `since`) and keeps the last good check before it
 * (lastOkAt), since the failure began somewhere between the two. States saved before
 * lastOkAt existed still confirm and resolve, just without the upper bound.
 */
import { trackResults } from '../../../nodes/shared/incident/tracker';
import { createTrackerState } from '../../../nodes/shared/incident/state';
import { evolutionClosed, healthy, recovery, SEC, T0 } from './results';
import { runScenario } from './scenario';

describe('incident durations', () => {
	test('the incident opens at the first failed check and remembers the last good one; the resolved duration counts from the first failed check', () => {
		const run = runScenario([
			{ at: T0 - 30 * SEC, tick: [healthy()], expect: ['ok'] },
			{ at: T0, tick: [evolutionClosed()], expect: ['confirm'] },
			{ at: T0 + 5 * SEC, tick: [evolutionClosed()], expect: ['recover'] },
			{ at: T0 + 6 * SEC, recovery: [recovery(healthy())], expect: ['resolved!'] },
		]);
		expect(run.alerts[0]).toMatchObject({ durationMs: 6 * SEC, incident: { openedAt: T0, lastOkAt: T0 - 30 * SEC, resolvedAt: T0 + 6 * SEC } });
	});

	test('with no earlier observation there is no lastOkAt', () => {
		const run = runScenario([
			{ at: T0, tick: [evolutionClosed()], expect: ['confirm'] },
			{ at: T0 + 5 * SEC, tick: [evolutionClosed()], expect: ['recover'] },
		]);
		expect(run.items[1].incident).toMatchObject({ openedAt: T0 });
		expect(run.items[1].incident).not.toHaveProperty('lastOkAt');
	});

	test('a state saved before lastOkAt existed (pending without it) still confirms from its first failure', () => {
		const old = { ...createTrackerState(), pending: { 'whatsapp:evolution:ventas': { since: T0, status: 'down' as const, causeCode: 'whatsapp.disconnected' } } };
		const { items } = trackResults(old, [evolutionClosed()], {}, T0 + 20 * SEC);
		expect(items[0]).toMatchObject({ decision: 'recover', incident: { openedAt: T0 } });
		expect(items[0].incident).not.toHaveProperty('lastOkAt');
	});
});
