import { trackRecovery, trackResults } from '../../../nodes/shared/incident/tracker';
import { reset } from '../../../nodes/shared/incident/controls';
import { createTrackerState, readTrackerState } from '../../../nodes/shared/incident/state';
import { TrackerInputError, TrackerOptionError } from '../../../nodes/shared/incident/errors';
import { DECISIONS, TRACKER_STATE_VERSION } from '../../../nodes/shared/incident/types';
import { evolutionClosed, failing, healthy, HOUR, MIN, netDown, qrRequired, recovery, SEC, T0, tokenRevoked } from './results';
import { compact, runScenario, ticks, type Step } from './scenario';

const TICK = 5 * MIN;

describe('Incident Tracker: scenarios (sequences of results in, decisions out)', () => {
	test('all healthy for 12 ticks: ok every time, no alert, nothing kept', () => {
		const run = runScenario(ticks(T0, T0 + 12 * TICK, TICK, () => [healthy(), healthy('payments', 'mercadopago')], ['ok', 'ok']));
		expect(run.decisions).toHaveLength(12);
		expect(run.alerts).toEqual([]);
		// No incident, no pending re-check, no budget: only the status page's memory of the last observations.
		const { memory, ...decisionState } = run.state;
		expect(decisionState).toEqual(createTrackerState());
		expect(Object.values(memory?.observed ?? {}).map((o) => `${o.component}:${o.status}`).sort()).toEqual(['payments:healthy', 'whatsapp:healthy']);
		expect(memory?.closed).toEqual([]);
	});

	test('Evolution closes: confirm, re-check still down → recover, restart works → ONE resolved alert, back in 40 s', () => {
		const run = runScenario([
			{ at: T0 - TICK, tick: [healthy()], expect: ['ok'] },
			{ at: T0, tick: [evolutionClosed()], expect: ['confirm'] },
			{ at: T0 + 20 * SEC, tick: [evolutionClosed()], expect: ['recover'] },
			{ at: T0 + 40 * SEC, recovery: [recovery(healthy(), { action: 'whatsapp.reconnect' })], expect: ['resolved!'] },
			...ticks(T0 + TICK, T0 + 12 * TICK, TICK, () => [healthy()], ['ok']),
		]);
		expect(run.alerts).toHaveLength(1);
		const [resolved] = run.alerts;
		expect(resolved).toMatchObject({ alertKind: 'resolved', durationMs: 40 * SEC, fixedBy: 'whatsapp.reconnect', key: 'whatsapp:evolution:ventas' });
		expect(resolved.incident).toMatchObject({
			id: 'whatsapp:evolution:ventas@2026-01-15T10:00:00.000Z',
			openedAt: T0,
			resolvedAt: T0 + 40 * SEC,
			attempts: 1,
			lastAction: 'whatsapp.reconnect',
			lastActionOk: true,
			cause: { code: 'whatsapp.disconnected' },
		});
		const confirm = run.items.find((item) => item.decision === 'confirm');
		expect(confirm?.recheckInMs).toBe(20_000);
		// What n8n's Wait node takes: whole seconds, never 0.
		expect(confirm?.recheckInSeconds).toBe(20);
		expect(run.items.find((item) => item.decision === 'recover')?.incident).toMatchObject({ attempts: 1, checks: 2 });
		expect(run.state.incidents).toEqual({});
	});

	test('a blip: the re-check is healthy, so no incident opens and nothing is alerted', () => {
		const run = runScenario([
			{ at: T0, tick: [evolutionClosed()], expect: ['confirm'] },
			{ at: T0 + 20 * SEC, tick: [healthy()], expect: ['ok'] },
			{ at: T0 + TICK, tick: [healthy()], expect: ['ok'] },
			// A new failure later starts a new confirmation, not an incident.
			{ at: T0 + 2 * TICK, tick: [evolutionClosed()], expect: ['confirm'] },
		]);
		expect(run.items[1].reason).toMatch(/blip/);
		expect(run.alerts).toEqual([]);
		expect(run.state.incidents).toEqual({});
	});

	test('a lost re-check is confirmed by the next tick; an older first failure starts over', () => {
		const lost = runScenario([
			{ at: T0, tick: [evolutionClosed()], expect: ['confirm'] },
			{ at: T0 + TICK, tick: [evolutionClosed()], expect: ['recover'] },
		]);
		expect(lost.items[1].incident?.openedAt).toBe(T0);
		const stale = runScenario([
			{ at: T0, tick: [evolutionClosed()], expect: ['confirm'] },
			// confirmWindowMs defaults to 10 min: a failure 10 min + 1 ms later is a new first failure.
			{ at: T0 + 10 * MIN + 1, tick: [evolutionClosed()], expect: ['confirm'] },
			{ at: T0 + 10 * MIN + 20 * SEC, tick: [evolutionClosed()], expect: ['recover'] },
		]);
		expect(stale.items[2].incident?.openedAt).toBe(T0 + 10 * MIN + 1);
		const edge = runScenario([
			{ at: T0, tick: [evolutionClosed()], expect: ['confirm'] },
			{ at: T0 + 10 * MIN, tick: [evolutionClosed()], expect: ['recover'] },
		]);
		expect(edge.items[1].incident?.openedAt).toBe(T0);
	});

	test('successThreshold 2: one healthy result keeps the incident open, two in a row resolve it; a failure in between starts over', () => {
		const run = runScenario(
			[
				{ at: T0, tick: [evolutionClosed()], expect: ['confirm'] },
				{ at: T0 + 20 * SEC, tick: [evolutionClosed()], expect: ['recover'] },
				{ at: T0 + 40 * SEC, recovery: [recovery(healthy())], expect: ['ongoing'] },
				{ at: T0 + TICK, tick: [evolutionClosed()], expect: ['opened!'] },
				{ at: T0 + 2 * TICK, tick: [healthy()], expect: ['ongoing'] },
				{ at: T0 + 3 * TICK, tick: [healthy()], expect: ['resolved!'] },
				{ at: T0 + 4 * TICK, tick: [healthy()], expect: ['ok'] },
			],
			{ successThreshold: 2 },
		);
		expect(run.items[2].incident?.consecutiveSuccesses).toBe(1);
		expect(run.items[2].reason).toMatch(/1 of 2/);
		expect(run.items[3].reason).toMatch(/waiting for the next automatic action/);
		// The action worked once, but the failure came back: the resolution is not credited to it.
		const resolved = run.alerts.find((a) => a.alertKind === 'resolved');
		expect(resolved?.fixedBy).toBeUndefined();
		expect(resolved?.durationMs).toBe(3 * TICK);
	});

	test('a QR is needed (needsHuman): one escalated alert, no action, quiet for 11 ticks, resolved when open again', () => {
		const run = runScenario([
			{ at: T0, tick: [qrRequired()], expect: ['confirm'] },
			{ at: T0 + 20 * SEC, tick: [qrRequired()], expect: ['escalated!'] },
			...ticks(T0 + TICK, T0 + 12 * TICK, TICK, () => [qrRequired()], ['ongoing']),
			{ at: T0 + 12 * TICK, tick: [healthy()], expect: ['resolved!'] },
		]);
		expect(run.items.some((item) => item.decision === 'recover')).toBe(false);
		expect(run.alerts.map((a) => a.alertKind)).toEqual(['escalated', 'resolved']);
		expect(run.alerts[0].incident).toMatchObject({ escalationReason: 'needs_human', attempts: 0, status: 'degraded', worstStatus: 'degraded' });
		expect(run.alerts[1].fixedBy).toBeUndefined();
	});

	test('payment token revoked: escalated once, never an automatic action, over an hour of ticks', () => {
		const run = runScenario([
			{ at: T0, tick: [tokenRevoked()], expect: ['confirm'] },
			{ at: T0 + 20 * SEC, tick: [tokenRevoked()], expect: ['escalated!'] },
			...ticks(T0 + TICK, T0 + HOUR, TICK, () => [tokenRevoked()], ['ongoing']),
		]);
		expect(run.alerts).toHaveLength(1);
		expect(run.items.filter((item) => item.decision === 'recover')).toEqual([]);
		expect(run.state.budgets).toEqual({});
		expect(run.alerts[0].budget).toEqual({ used: 0, max: 3, spent: false, nextAllowedAt: T0 });
	});

	test('reminder: exactly reminderIntervalMs after the last alert, not a millisecond before, then again after another interval', () => {
		const escalatedAt = T0 + 20 * SEC;
		const run = runScenario([
			{ at: T0, tick: [tokenRevoked()], expect: ['confirm'] },
			{ at: escalatedAt, tick: [tokenRevoked()], expect: ['escalated!'] },
			{ at: escalatedAt + 4 * HOUR - 1, tick: [tokenRevoked()], expect: ['ongoing'] },
			{ at: escalatedAt + 4 * HOUR, tick: [tokenRevoked()], expect: ['reminder!'] },
			{ at: escalatedAt + 4 * HOUR + TICK, tick: [tokenRevoked()], expect: ['ongoing'] },
			{ at: escalatedAt + 8 * HOUR, tick: [tokenRevoked()], expect: ['reminder!'] },
		]);
		expect(run.alerts[1].incident).toMatchObject({ lastAlertKind: 'reminder', lastAlertAt: escalatedAt + 4 * HOUR, escalatedAt });
	});

	test('a fault no action fixes: 3 attempts with growing gaps (0, 5, 10 min) in the hour, then ONE escalation, then quiet', () => {
		const down = () => [evolutionClosed()];
		const run = runScenario([
			{ at: T0, tick: down(), expect: ['confirm'] },
			{ at: T0 + 20 * SEC, tick: down(), expect: ['recover'] },
			{ at: T0 + 40 * SEC, recovery: [recovery(evolutionClosed())], expect: ['opened!'] },
			// Next action 5 min after the first (T0+5m20s): the T0+5m tick waits.
			{ at: T0 + 5 * MIN, tick: down(), expect: ['ongoing'] },
			{ at: T0 + 10 * MIN, tick: down(), expect: ['recover'] },
			{ at: T0 + 10 * MIN + 20 * SEC, recovery: [recovery(evolutionClosed())], expect: ['ongoing'] },
			// Then 10 min after the second.
			{ at: T0 + 15 * MIN, tick: down(), expect: ['ongoing'] },
			{ at: T0 + 20 * MIN, tick: down(), expect: ['recover'] },
			{ at: T0 + 20 * MIN + 20 * SEC, recovery: [recovery(evolutionClosed())], expect: ['escalated!'] },
			// Quiet afterwards, even when the window has passed and the budget is free again.
			...ticks(T0 + 25 * MIN, T0 + 2 * HOUR, TICK, down, ['ongoing']),
		]);
		expect(run.items.filter((item) => item.decision === 'recover').map((item) => item.at)).toEqual([T0 + 20 * SEC, T0 + 10 * MIN, T0 + 20 * MIN]);
		expect(run.alerts.map((a) => a.alertKind)).toEqual(['opened', 'escalated']);
		const escalated = run.alerts[1];
		expect(escalated.incident).toMatchObject({ attempts: 3, escalationReason: 'budget_spent', lastAction: 'whatsapp.reconnect', lastActionOk: false });
		expect(escalated.budget).toEqual({ used: 3, max: 3, spent: true });
		expect(run.items[4].budget).toEqual({ used: 2, max: 3, spent: false, nextAllowedAt: T0 + 20 * MIN });
		expect(run.items[3].budget.nextAllowedAt).toBe(T0 + 5 * MIN + 20 * SEC);
	});

	test('budget spent between ticks escalates on the next tick (the last action was not the one that spent it)', () => {
		const run = runScenario(
			[
				{ at: T0, tick: [evolutionClosed()], expect: ['confirm'] },
				{ at: T0 + 20 * SEC, tick: [evolutionClosed()], expect: ['recover'] },
				{ at: T0 + TICK, tick: [evolutionClosed()], expect: ['escalated!'] },
			],
			{ budget: { maxActions: 1 } },
		);
		// The recovery callback never came: the tick still sees the spent budget and escalates.
		expect(run.alerts[0].incident?.escalationReason).toBe('budget_spent');
	});

	test('maxActions 0: a confirmed failure escalates at once', () => {
		const run = runScenario(
			[
				{ at: T0, tick: [evolutionClosed()], expect: ['confirm'] },
				{ at: T0 + 20 * SEC, tick: [evolutionClosed()], expect: ['escalated!'] },
			],
			{ budget: { maxActions: 0 } },
		);
		expect(run.alerts[0].budget).toEqual({ used: 0, max: 0, spent: true });
	});

	test('reset by a person restores automation: after a budget escalation, the next failure is recovered again', () => {
		const run = runScenario(
			[
				{ at: T0, tick: [evolutionClosed()], expect: ['confirm'] },
				{ at: T0 + 20 * SEC, tick: [evolutionClosed()], expect: ['recover'] },
				{ at: T0 + 40 * SEC, recovery: [recovery(evolutionClosed())], expect: ['escalated!'] },
				{ at: T0 + TICK, tick: [evolutionClosed()], expect: ['ongoing'] },
				{ at: T0 + TICK + 1, reset: 'whatsapp:evolution:ventas', by: 'ana' },
				{ at: T0 + 2 * TICK, tick: [evolutionClosed()], expect: ['recover'] },
				{ at: T0 + 2 * TICK + 20 * SEC, recovery: [recovery(healthy())], expect: ['resolved!'] },
			],
			{ budget: { maxActions: 1 } },
		);
		expect(run.items[2].incident).toMatchObject({ escalationReason: 'budget_spent', attempts: 1 });
		expect(run.items[4].incident).toMatchObject({ resetAt: T0 + TICK + 1, resetBy: 'ana', attempts: 2 });
		expect(run.items[4].incident?.escalatedAt).toBeUndefined();
		expect(run.alerts.at(-1)).toMatchObject({ fixedBy: 'whatsapp.reconnect', durationMs: 2 * TICK + 20 * SEC });
	});

	test('reset of one key lifts only that incident\'s escalation; bad scopes throw', () => {
		const both = () => [qrRequired(), failing({ target: 'evolution:soporte', code: 'whatsapp.qr_required', status: 'degraded', needsHuman: true })];
		const run = runScenario(
			[
				{ at: T0, tick: both(), expect: ['confirm', 'confirm'] },
				{ at: T0 + 20 * SEC, tick: both(), expect: ['escalated!', 'escalated!'] },
				{ at: T0 + MIN, reset: 'whatsapp:evolution:ventas', by: 'ana' },
				// Still needs a person: the reset one is escalated again (one new alert), the other stays quiet.
				{ at: T0 + TICK, tick: both(), expect: ['escalated!', 'ongoing'] },
			],
		);
		expect(run.items.at(-1)?.incident?.resetAt).toBeUndefined();
		const state = run.state;
		expect(() => reset(state, 'nonsense', T0)).toThrow(TrackerInputError);
		expect(() => reset(state, 'nonsense:x', T0)).toThrow(/scope must be a component/);
		expect(() => reset(state, 'whatsapp:', T0)).toThrow(/scope must be a component/);
		expect(() => reset(state, 'whatsapp', T0, '  ')).toThrow(/by must be a non-empty name/);
	});

	test('reset clears a spent budget and the escalation of every incident of the component', () => {
		const ventas = () => evolutionClosed('evolution:ventas');
		const run = runScenario(
			[
				{ at: T0, tick: [ventas()], expect: ['confirm'] },
				{ at: T0 + 20 * SEC, tick: [ventas()], expect: ['recover'] },
				{ at: T0 + 40 * SEC, recovery: [recovery(ventas())], expect: ['escalated!'] },
				{ at: T0 + TICK, tick: [ventas()], expect: ['ongoing'] },
				{ at: T0 + TICK + 1, reset: 'whatsapp' },
				{ at: T0 + 2 * TICK, tick: [ventas()], expect: ['recover'] },
			],
			{ budget: { maxActions: 1 } },
		);
		expect(run.items[2].incident?.escalationReason).toBe('budget_spent');
		expect(run.items[4].incident?.resetBy).toBeUndefined();
		expect(run.state.budgets.whatsapp?.attempts).toEqual([T0 + 2 * TICK]);
	});

	test('needsHuman with allowOneActionWhenNeedsHuman: one relink (a QR for the person), then escalated with the QR, no more actions', () => {
		const run = runScenario(
			[
				{ at: T0, tick: [qrRequired()], expect: ['confirm'] },
				{ at: T0 + 20 * SEC, tick: [qrRequired()], expect: ['recover'] },
				{ at: T0 + 40 * SEC, recovery: [recovery(qrRequired(), { action: 'whatsapp.relink', artifacts: ['qr'] })], expect: ['escalated!'] },
				...ticks(T0 + TICK, T0 + HOUR, TICK, () => [qrRequired()], ['ongoing']),
			],
			{ allowOneActionWhenNeedsHuman: true },
		);
		expect(run.alerts[0].incident).toMatchObject({ attempts: 1, lastAction: 'whatsapp.relink', escalationReason: 'needs_human' });
	});

	test('a recover answered by notify.escalate (nothing automatic applies): escalated once, no further actions', () => {
		const stuck = () => failing({ component: 'backup', target: 'volume:data', code: 'backup.disk_full', message: 'The backup volume is full.' });
		const run = runScenario([
			{ at: T0, tick: [stuck()], expect: ['confirm'] },
			{ at: T0 + 20 * SEC, tick: [stuck()], expect: ['recover'] },
			{ at: T0 + 40 * SEC, recovery: [recovery(stuck(), { action: 'notify.escalate' })], expect: ['escalated!'] },
			...ticks(T0 + TICK, T0 + 2 * HOUR, TICK, () => [stuck()], ['ongoing']),
		]);
		expect(run.alerts[0].incident).toMatchObject({ escalationReason: 'no_automatic_action', lastAction: 'notify.escalate', lastActionOk: false });
		expect(run.state.budgets).toEqual({});
	});

	test('a second target of the same component shares the component budget (and its gaps)', () => {
		const ventas = () => evolutionClosed('evolution:ventas');
		const soporte = () => evolutionClosed('evolution:soporte');
		const run = runScenario(
			[
				{ at: T0, tick: [ventas(), soporte(), healthy('payments', 'mercadopago')], expect: ['confirm', 'confirm', 'ok'] },
				// One action now; the second target must wait the 5-minute gap: it is announced instead.
				{ at: T0 + 20 * SEC, tick: [ventas(), soporte()], expect: ['recover', 'opened!'] },
				{ at: T0 + 40 * SEC, recovery: [recovery(ventas())], expect: ['opened!'] },
				{ at: T0 + TICK, tick: [ventas(), soporte()], expect: ['ongoing', 'ongoing'] },
				{ at: T0 + 2 * TICK, tick: [ventas(), soporte()], expect: ['recover', 'ongoing'] },
				{ at: T0 + 2 * TICK + 20 * SEC, recovery: [recovery(ventas())], expect: ['ongoing'] },
				{ at: T0 + 4 * TICK, tick: [ventas(), soporte()], expect: ['recover', 'escalated!'] },
				{ at: T0 + 4 * TICK + 20 * SEC, recovery: [recovery(healthy('whatsapp', 'evolution:ventas'))], expect: ['resolved!'] },
			],
			{ groupNetworkCauses: false },
		);
		expect(run.items[4].budget).toMatchObject({ used: 1, max: 3 });
		expect(run.items.filter((i) => i.decision === 'escalated')[0].incident).toMatchObject({ target: 'evolution:soporte', attempts: 0, escalationReason: 'budget_spent' });
		expect(run.state.budgets.whatsapp?.attempts).toHaveLength(3);
	});

	test('pause for 30 minutes: decisions paused, no alerts, no actions, results recorded; resumes by itself at the end time', () => {
		const pausedAt = T0;
		const until = T0 + 30 * MIN;
		const run = runScenario([
			{ at: pausedAt - 1, tick: [healthy()], expect: ['ok'] },
			{ at: pausedAt, pause: { until, reason: 'moving the server' } },
			{ at: pausedAt, tick: [healthy()], expect: ['paused'] },
			{ at: T0 + TICK, tick: [evolutionClosed()], expect: ['paused'] },
			{ at: T0 + 2 * TICK, tick: [evolutionClosed()], expect: ['paused'] },
			...ticks(T0 + 3 * TICK, until, TICK, () => [evolutionClosed()], ['paused']),
			{ at: until - 1, tick: [evolutionClosed()], expect: ['paused'] },
			// At the end time exactly, tracking resumes: the silent incident gets its first action.
			{ at: until, tick: [evolutionClosed()], expect: ['recover'] },
			{ at: until + 20 * SEC, recovery: [recovery(evolutionClosed())], expect: ['opened!'] },
		]);
		const paused = run.items.filter((item) => item.decision === 'paused');
		expect(paused.every((item) => !item.alert && item.pausedUntil === until)).toBe(true);
		// The incident opened silently during the pause, dated from its first failure.
		expect(paused.at(-1)?.incident).toMatchObject({ openedAt: T0 + TICK, attempts: 0, checks: 6 });
		expect(paused.at(-1)?.incident?.lastAlertAt).toBeUndefined();
		expect(run.alerts).toHaveLength(1);
		expect(run.state.pause).toBeUndefined();
	});

	test('pause: an incident that heals during the pause resolves silently; an alerted one gets no reminder until the pause ends', () => {
		const run = runScenario([
			{ at: T0, tick: [tokenRevoked(), evolutionClosed()], expect: ['confirm', 'confirm'] },
			{ at: T0 + 20 * SEC, tick: [tokenRevoked(), evolutionClosed()], expect: ['escalated!', 'recover'] },
			{ at: T0 + 1 * MIN, pause: { until: T0 + 6 * HOUR, reason: 'maintenance' } },
			{ at: T0 + 2 * MIN, recovery: [recovery(healthy())], expect: ['paused'] },
			{ at: T0 + 5 * HOUR, tick: [tokenRevoked(), healthy()], expect: ['paused', 'paused'] },
			{ at: T0 + 6 * HOUR, tick: [tokenRevoked(), healthy()], expect: ['reminder!', 'ok'] },
		]);
		const [silent] = run.items.filter((item) => item.step === 3);
		expect(silent.incident).toMatchObject({ key: 'whatsapp:evolution:ventas', resolvedAt: T0 + 2 * MIN });
		expect(silent.reason).toMatch(/resolved silently/);
		expect(Object.keys(run.state.incidents)).toEqual(['payments:mercadopago']);
	});

	test('resume ends a pause early', () => {
		const run = runScenario([
			{ at: T0, pause: { until: T0 + HOUR, reason: 'deploy' } },
			{ at: T0 + TICK, tick: [evolutionClosed()], expect: ['paused'] },
			{ at: T0 + TICK + 1, resume: true },
			{ at: T0 + 2 * TICK, tick: [evolutionClosed()], expect: ['recover'] },
		]);
		expect(run.state.pause).toBeUndefined();
	});

	test('grouping: 2 and 3 net.* failures in one cycle give one alert listing all members', () => {
		const three = () => [netDown('database', 'postgres:shop'), netDown('payments', 'mercadopago', 'net.unreachable'), netDown('llm', 'groq', 'net.reset')];
		const run = runScenario([
			{ at: T0, tick: three(), expect: ['confirm', 'confirm', 'confirm'] },
			{ at: T0 + 20 * SEC, tick: three(), expect: ['recover', 'recover', 'recover'] },
			{
				at: T0 + 40 * SEC,
				recovery: [
					recovery(netDown('database', 'postgres:shop'), { action: 'database.reconnect' }),
					recovery(netDown('payments', 'mercadopago', 'net.unreachable'), { action: 'payments.use_fallback' }),
					recovery(netDown('llm', 'groq', 'net.reset'), { action: 'llm.use_fallback' }),
				],
				expect: ['opened!', 'opened', 'opened'],
			},
			{
				at: T0 + 11 * MIN,
				recovery: [recovery(healthy('database', 'postgres:shop'), { action: 'database.reconnect' }), recovery(healthy('payments', 'mercadopago'), { action: 'payments.use_fallback' })],
				expect: ['resolved!', 'resolved'],
			},
		]);
		const opened = run.items.filter((item) => item.step === 2);
		const group = { id: 'net-opened@2026-01-15T10:00:40.000Z', size: 3, members: ['database:postgres:shop', 'payments:mercadopago', 'llm:groq'] };
		expect(opened.map((item) => item.group)).toEqual([group, group, group]);
		expect(opened.map((item) => item.alertKind)).toEqual(['opened', 'opened', 'opened']);
		const resolved = run.items.filter((item) => item.step === 3);
		expect(resolved[0].group).toEqual({ id: 'net-resolved@2026-01-15T10:11:00.000Z', size: 2, members: ['database:postgres:shop', 'payments:mercadopago'] });
		expect(resolved[1].group?.id).toBe(resolved[0].group?.id);
	});

	test('grouping: mixed causes, a single net.* alert, different kinds, or grouping switched off stay separate alerts', () => {
		const mixed = runScenario(
			[
				{ at: T0, tick: [netDown('database', 'postgres:shop'), evolutionClosed(), tokenRevoked()], expect: ['confirm', 'confirm', 'confirm'] },
				{ at: T0 + 20 * SEC, tick: [netDown('database', 'postgres:shop'), evolutionClosed(), tokenRevoked()], expect: ['escalated!', 'escalated!', 'escalated!'] },
			],
			{ budget: { maxActions: 0 } },
		);
		expect(mixed.alerts.every((item) => item.group === undefined)).toBe(true);

		const kinds = runScenario([
			{ at: T0, tick: [netDown('database', 'postgres:shop'), failing({ component: 'llm', target: 'groq', code: 'net.timeout', needsHuman: true })], expect: ['confirm', 'confirm'] },
			{ at: T0 + 20 * SEC, tick: [netDown('database', 'postgres:shop'), failing({ component: 'llm', target: 'groq', code: 'net.timeout', needsHuman: true })], expect: ['recover', 'escalated!'] },
			{ at: T0 + 40 * SEC, recovery: [recovery(netDown('database', 'postgres:shop'), { action: 'database.reconnect' })], expect: ['opened!'] },
		]);
		expect(kinds.alerts.every((item) => item.group === undefined)).toBe(true);

		const off = runScenario(
			[
				{ at: T0, tick: [netDown('database', 'postgres:shop'), netDown('llm', 'groq')], expect: ['confirm', 'confirm'] },
				{ at: T0 + 20 * SEC, tick: [netDown('database', 'postgres:shop'), netDown('llm', 'groq')], expect: ['escalated!', 'escalated!'] },
			],
			{ budget: { maxActions: 0 }, groupNetworkCauses: false },
		);
		expect(off.alerts.every((item) => item.group === undefined)).toBe(true);
	});

	test('status changes inside an incident: worst status kept, cause follows the last failure', () => {
		const run = runScenario([
			{ at: T0, tick: [qrRequired()], expect: ['confirm'] },
			{ at: T0 + 20 * SEC, tick: [qrRequired()], expect: ['escalated!'] },
			{ at: T0 + TICK, tick: [evolutionClosed()], expect: ['ongoing'] },
			{ at: T0 + 2 * TICK, tick: [qrRequired()], expect: ['ongoing'] },
		]);
		expect(run.items[3].incident).toMatchObject({ status: 'degraded', worstStatus: 'down', cause: { code: 'whatsapp.qr_required' }, checks: 4 });
	});

	test('a recovery result with no incident: healthy is ok, failing opens an incident (not counted against the budget)', () => {
		const run = runScenario([
			{ at: T0, recovery: [recovery(healthy())], expect: ['ok'] },
			{ at: T0 + TICK, recovery: [recovery(evolutionClosed())], expect: ['opened!'] },
		]);
		expect(run.items[1].incident).toMatchObject({ openedAt: T0 + TICK, attempts: 0, checks: 1, lastAction: 'whatsapp.reconnect' });
		expect(run.state.budgets).toEqual({});
	});
});

describe('Incident Tracker: state, determinism and inputs', () => {
	const sequence: Step[] = [
		{ at: T0, tick: [evolutionClosed(), netDown('database', 'postgres:shop')] },
		{ at: T0 + 20 * SEC, tick: [evolutionClosed(), netDown('database', 'postgres:shop')] },
		{ at: T0 + 40 * SEC, recovery: [recovery(healthy())] },
		{ at: T0 + TICK, tick: [healthy(), netDown('database', 'postgres:shop')] },
	];

	test('the same sequence gives the same items and state every time (ids included)', () => {
		const a = runScenario(sequence);
		const b = runScenario(sequence);
		expect(b.items).toEqual(a.items);
		expect(b.state).toEqual(a.state);
		expect(a.state.incidents['database:postgres:shop'].id).toBe('database:postgres:shop@2026-01-15T10:00:00.000Z');
	});

	test('the state carries its version and every decision output is in the documented set', () => {
		const run = runScenario(sequence);
		expect(run.state.version).toBe(TRACKER_STATE_VERSION);
		for (const item of run.items) expect(DECISIONS).toContain(item.decision);
	});

	test('items carry copies: changing an output item does not change the returned state', () => {
		const first = trackResults(createTrackerState(), [evolutionClosed()], {}, T0);
		const second = trackResults(first.state, [evolutionClosed()], {}, T0 + 20 * SEC);
		const incident = second.items[0].incident;
		if (!incident) throw new Error('expected an incident');
		incident.attempts = 99;
		expect(second.state.incidents['whatsapp:evolution:ventas'].attempts).toBe(1);
	});

	test('readTrackerState: fresh state for nothing, junk or another version; a copy of a stored state', () => {
		expect(readTrackerState(undefined)).toEqual(createTrackerState());
		expect(readTrackerState('junk')).toEqual(createTrackerState());
		expect(readTrackerState({ version: 999, incidents: {}, pending: {}, budgets: {} })).toEqual(createTrackerState());
		const stored = trackResults(createTrackerState(), [evolutionClosed()], {}, T0).state;
		const read = readTrackerState(JSON.parse(JSON.stringify(stored)));
		expect(read).toEqual(stored);
		expect(read).not.toBe(stored);
	});

	test('a secret-shaped value in a cause message never reaches the state or the items', () => {
		const secret = 'test-service-key-not-real';
		const leaky = () => failing({ code: 'provider.server_error', message: `Upstream said: token=${secret} is fine but Bearer ${secret} failed` });
		const first = trackResults(createTrackerState(), [leaky()], {}, T0);
		const second = trackResults(first.state, [leaky()], {}, T0 + 20 * SEC);
		const out = JSON.stringify([first, second]);
		expect(out).not.toContain(secret);
		expect(second.items[0].incident?.cause.message).toContain('[REDACTED]');
	});

	test('bad options throw TrackerOptionError naming the option', () => {
		const call = (options: Record<string, unknown>) => () => trackResults(createTrackerState(), [healthy()], options, T0);
		expect(call({ successThreshold: 0 })).toThrow(TrackerOptionError);
		expect(call({ successThreshold: 1.5 })).toThrow(/successThreshold/);
		expect(call({ confirmDelayMs: -1 })).toThrow(/confirmDelayMs/);
		expect(call({ confirmDelayMs: 10 * MIN })).toThrow(/confirmWindowMs .* must be longer than confirmDelayMs/);
		expect(call({ reminderIntervalMs: 0 })).toThrow(/reminderIntervalMs/);
		expect(call({ budget: { maxActions: -1 } })).toThrow(/budget\.maxActions/);
		expect(call({ budget: { windowMs: Number.NaN } })).toThrow(/budget\.windowMs/);
		expect(call({ budget: { gapFactor: 0.5 } })).toThrow(/budget\.gapFactor/);
		expect(call({ groupNetworkCauses: 'yes' })).toThrow(/groupNetworkCauses/);
	});

	test('a second probe of one target (its `probe`) has its own incident beside the Check\'s', () => {
		const zombie = { ...failing({ code: 'whatsapp.inbound_not_delivered' }), probe: 'conversation' };
		const first = trackResults(createTrackerState(), [healthy(), zombie], {}, T0);
		expect(first.items.map((item) => [item.key, item.decision])).toEqual([
			['whatsapp:evolution:ventas', 'ok'],
			['whatsapp:evolution:ventas#conversation', 'confirm'],
		]);
		const second = trackResults(first.state, [zombie], {}, T0 + 20 * SEC);
		expect(second.items[0]).toMatchObject({ key: 'whatsapp:evolution:ventas#conversation', decision: 'recover', target: 'evolution:ventas' });
		expect(Object.keys(second.state.incidents)).toEqual(['whatsapp:evolution:ventas#conversation']);
		expect(() => trackResults(createTrackerState(), [healthy(), { ...healthy(), probe: 'Not A Word' }], {}, T0)).toThrow(/probe must be a word/);
	});

	test('bad inputs throw TrackerInputError naming the parameter; the state is untouched', () => {
		const state = createTrackerState();
		expect(() => trackResults(state, [healthy(), healthy()], {}, T0)).toThrow(/results\[1\] repeats whatsapp:evolution:ventas/);
		const broken = { ...evolutionClosed(), cause: undefined };
		expect(() => trackResults(state, [broken], {}, T0)).toThrow(TrackerInputError);
		expect(() => trackResults(state, [broken], {}, T0)).toThrow(/results\[0\] is not a valid result: an unhealthy result must carry a cause/);
		expect(() => trackResults(state, 'nope' as never, {}, T0)).toThrow(/results must be an array/);
		expect(() => trackResults(state, [healthy()], {}, Number.NaN)).toThrow(/now must be a time/);
		expect(() => trackRecovery(state, [healthy() as never], {}, T0)).toThrow(/recoveries\[0\] is not a valid result: recovery must be an object/);
		expect(state).toEqual(createTrackerState());
	});

	test('compact() marks alerts with "!"', () => {
		const out = trackResults(createTrackerState(), [evolutionClosed()], {}, T0);
		expect(out.items.map(compact)).toEqual(['confirm']);
	});
});

describe('Incident Tracker: the status page memory', () => {
	test('remembers the last observation per target and each resolved incident; a week later both are gone', () => {
		const run = runScenario([
			...ticks(T0, T0 + 2 * TICK, TICK, () => [evolutionClosed()]),
			...ticks(T0 + 2 * TICK, T0 + 4 * TICK, TICK, () => [healthy()]),
		]);
		const memory = run.state.memory;
		expect(memory?.since).toBe(T0);
		expect(memory?.observed['whatsapp:evolution:ventas']).toEqual({ component: 'whatsapp', target: 'evolution:ventas', status: 'healthy', at: T0 + 3 * TICK });
		expect(memory?.closed).toHaveLength(1);
		expect(memory?.closed[0]).toMatchObject({ component: 'whatsapp', openedAt: T0, worstStatus: 'down' });
		const later = trackResults(run.state, [healthy('payments', 'mercadopago')], {}, T0 + 9 * 24 * 3600_000);
		expect(later.state.memory?.closed).toEqual([]);
		expect(Object.keys(later.state.memory?.observed ?? {})).toEqual(['payments:mercadopago']);
	});

	test('a malformed memory is forgotten, the incidents are kept', () => {
		const opened = runScenario(ticks(T0, T0 + 2 * TICK, TICK, () => [evolutionClosed()])).state;
		const read = readTrackerState({ ...opened, memory: 'junk' });
		expect(read.memory).toBeUndefined();
		expect(Object.keys(read.incidents)).toEqual(['whatsapp:evolution:ventas']);
	});
});
