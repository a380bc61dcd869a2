/**
 * The status page model: per component the worst of its targets' last checks (stale →
 * unknown), open incidents with age and a short redacted cause, availability, the pause,
 * the overall banner and the last recoveries. The fixture (statusFixture.ts) goes
 * through the real Incident Tracker.
 */
import { openIncidents } from '../../../nodes/shared/incident/controls';
import { createTrackerState } from '../../../nodes/shared/incident/state';
import { StatusParameterError } from '../../../nodes/RecoveryReport/status/errors';
import { buildStatusModel, worstPageStatus, type StatusModelInput } from '../../../nodes/RecoveryReport/status/statusModel';
import type { ObservedStatus, StatusPageModel } from '../../../nodes/RecoveryReport/status/types';
import {
	DAY,
	DB_URL,
	EVIL_TARGET,
	FIXTURE_SECRETS,
	fixtureInput,
	fixtureState,
	HOUR,
	logEntry,
	MIN,
	NOW,
	SECRET_KEY,
} from '../../integration/statusPage/statusFixture';

function emptyInput(overrides: Partial<StatusModelInput> = {}): StatusModelInput {
	return { now: NOW, language: 'es', observed: [], status: openIncidents(createTrackerState(), NOW), closed: [], recoveries: [], ...overrides };
}

function componentOf(model: StatusPageModel, component: string) {
	const view = model.components.find((c) => c.component === component);
	if (!view) throw new Error(`no ${component} card`);
	return view;
}

describe('the fixture', () => {
	it('really carries the planted secrets and the raw body in the tracker state', () => {
		const raw = JSON.stringify(fixtureInput());
		expect(raw).toContain(SECRET_KEY);
		expect(raw).toContain(DB_URL);
		expect(raw).toContain('{\\"error\\":\\"Unauthorized\\"');
	});
});

describe('buildStatusModel', () => {
	const model = buildStatusModel(fixtureInput('es'));

	it('lists observed components in contract order, the rest as without data', () => {
		expect(model.components.map((c) => [c.component, c.status])).toEqual([
			['whatsapp', 'down'],
			['database', 'healthy'],
			['payments', 'degraded'],
			['llm', 'unknown'],
		]);
		expect(model.withoutData).toEqual(['backup', 'logs', 'host']);
		expect(model.overall).toBe('down');
	});

	it('takes the worst of the targets and sorts them by name', () => {
		const whatsapp = componentOf(model, 'whatsapp');
		expect(whatsapp.targets.map((t) => [t.target, t.status, t.checkedAgo])).toEqual([
			[EVIL_TARGET, 'healthy', '1 min'],
			['evolution:ventas', 'down', '1 min'],
		]);
		expect(whatsapp.lastCheckedAt).toBe(new Date(NOW - MIN).toISOString());
	});

	it('marks a check older than the stale limit unknown, keeping what it said and how old it is', () => {
		const llm = componentOf(model, 'llm');
		expect(llm.targets).toEqual([{ target: 'groq', name: 'groq', status: 'unknown', lastStatus: 'healthy', checkedAt: new Date(NOW - 25 * MIN).toISOString(), checkedAgo: '25 min', stale: true }]);
		expect(llm.lastCheckedAgo).toBe('25 min');
		// With a longer limit the same check is fresh.
		const relaxed = buildStatusModel({ ...fixtureInput(), staleAfterMs: 30 * MIN });
		expect(componentOf(relaxed, 'llm').status).toBe('healthy');
	});

	it('shows open incidents with age, escalation and a short redacted cause without the raw body', () => {
		expect(componentOf(model, 'whatsapp').incidents).toEqual([
			{
				id: 'whatsapp:evolution:ventas@2026-02-20T11:20:00.000Z',
				name: 'evolution:ventas',
				target: 'evolution:ventas',
				status: 'down',
				openedAt: '2026-02-20T11:20:00.000Z',
				openedAtText: '2026-02-20 12:20', // Europe/Madrid, UTC+1 in February
				ageMs: 40 * MIN,
				age: '40 min',
				escalated: true,
				escalationReason: 'needs_human',
				attempts: 0,
				causeCode: 'auth.invalid_credentials',
				causeMessage: 'Evolution rejected apikey=[REDACTED] (401)',
				needsHuman: true,
			},
		]);
		const [payments] = componentOf(model, 'payments').incidents;
		expect(payments.escalated).toBe(false);
		expect(payments.escalationReason).toBeUndefined();
		expect(payments.causeMessage).toHaveLength(140);
		expect(payments.causeMessage.endsWith('…')).toBe(true);
		expect(payments.causeMessage).toContain('postgres://u:[REDACTED]@h/db');
	});

	it('leaves no planted secret anywhere in the model', () => {
		const text = JSON.stringify(model);
		for (const secret of FIXTURE_SECRETS) expect(text).not.toContain(secret);
		expect(text).not.toContain('Unauthorized');
	});

	it('computes 24 h and 7 d availability from closed and open incidents', () => {
		const whatsapp = componentOf(model, 'whatsapp').availability;
		// 24 h: 2 h closed + 40 min open = 160 min of 1440.
		expect(whatsapp.day).toEqual({ ratio: 0.8889, downMs: 160 * MIN, degradedMs: 0, coveredMs: DAY });
		// 7 d: tracked for 3 d 1 h only.
		expect(whatsapp.week).toEqual({ ratio: 0.9635, downMs: 160 * MIN, degradedMs: 0, coveredMs: 3 * DAY + HOUR });
		const payments = componentOf(model, 'payments').availability;
		expect(payments.day).toEqual({ ratio: 1, downMs: 0, degradedMs: 10 * MIN, coveredMs: DAY });
		expect(payments.week.degradedMs).toBe(40 * MIN);
		const noTracking = buildStatusModel({ ...fixtureInput(), trackingSince: undefined });
		expect(componentOf(noTracking, 'database').availability.day.ratio).toBeNull();
	});

	it('shows the pause with local end time, time left, reason and who', () => {
		expect(model.pause).toEqual({ until: '2026-02-20T12:45:00.000Z', untilText: '2026-02-20 13:45', remaining: '45 min', reason: 'Mudanza del servidor', setBy: 'ana' });
		expect(buildStatusModel({ ...fixtureInput(), now: NOW + HOUR, status: openIncidents(fixtureState(), NOW + HOUR) }).pause).toBeUndefined();
	});

	it('lists recoveries newest first with outcome, duration and only http(s) links', () => {
		expect(model.recoveries?.map((r) => [r.atText, r.component, r.action, r.outcome, r.duration, r.manual, r.link])).toEqual([
			['2026-02-20 12:40', 'payments', 'payments.use_fallback', 'dry_run', '30 s', true, null], // javascript: link dropped
			['2026-02-20 12:22', 'whatsapp', 'notify.escalate', 'escalated', '2 s', false, 'https://n8n.example.test/workflow/arRecover0000001/executions/1002'],
			['2026-02-20 10:00', 'whatsapp', 'whatsapp.reconnect', 'success', '30 s', false, 'https://n8n.example.test/workflow/arRecover0000001/executions/1001'],
			['2026-02-18 13:00', null, null, 'failed', null, false, null],
		]);
	});

	it('keeps the last 10 recoveries and skips entries without a readable time', () => {
		const entries = Array.from({ length: 14 }, (_, i) => logEntry({ timestamp: new Date(NOW - i * HOUR).toISOString(), executionId: String(2000 + i) }));
		const withBroken = [...entries, logEntry({ timestamp: 'yesterday', executionId: '9' })];
		const recoveries = buildStatusModel(emptyInput({ recoveries: withBroken })).recoveries ?? [];
		expect(recoveries).toHaveLength(10);
		expect(recoveries[0].at).toBe(new Date(NOW).toISOString());
		expect(recoveries[9].at).toBe(new Date(NOW - 9 * HOUR).toISOString());
	});

	it('says when the history is unavailable (null) and carries a redacted note', () => {
		const unavailable = buildStatusModel(emptyInput({ recoveries: null, recoveriesNote: `n8n API refused token=${SECRET_KEY}\n<html>502</html>` }));
		expect(unavailable.recoveries).toBeNull();
		expect(unavailable.recoveriesNote).toBe('n8n API refused token=[REDACTED]');
	});

	it('takes the newest observation per target and skips malformed ones', () => {
		const observed = [
			{ component: 'database', target: 'postgres:shop', status: 'down', at: NOW - 3 * MIN },
			{ component: 'database', target: 'postgres:shop', status: 'healthy', at: NOW - MIN },
			{ component: 'mail', target: 'smtp', status: 'down', at: NOW },
			{ component: 'database', target: 'postgres:replica', status: 'broken', at: NOW },
			{ component: 'database', target: 'postgres:replica2', status: 'down', at: 'now' },
			null,
		] as unknown as ObservedStatus[];
		const result = buildStatusModel(emptyInput({ observed }));
		expect(result.components.map((c) => [c.component, c.status, c.targets.length])).toEqual([['database', 'healthy', 1]]);
	});

	it('shows a component with an open incident but no observation, using the incident’s last check', () => {
		const status = openIncidents(fixtureState(), NOW);
		const result = buildStatusModel(emptyInput({ status }));
		expect(result.components.map((c) => c.component)).toEqual(['whatsapp', 'payments']);
		// The incidents were last seen 40 min and 10 min before NOW: stale.
		expect(componentOf(result, 'whatsapp').targets[0]).toMatchObject({ target: 'evolution:ventas', status: 'unknown', lastStatus: 'down', stale: true, checkedAgo: '39 min 40 s' });
	});

	it('is unknown overall with nothing observed, and healthy when every check is fresh and healthy', () => {
		const empty = buildStatusModel(emptyInput());
		expect(empty.components).toEqual([]);
		expect(empty.overall).toBe('unknown');
		expect(empty.withoutData).toHaveLength(7);
		const healthy = buildStatusModel(emptyInput({ observed: [{ component: 'host', target: 'vps', status: 'healthy', at: NOW - MIN }] }));
		expect(healthy.overall).toBe('healthy');
		expect(healthy.title).toBe('Estado del bot de ventas');
		expect(buildStatusModel(emptyInput({ language: 'en', title: `  Shop ${SECRET_KEY}  `, secrets: [SECRET_KEY] })).title).toBe('Shop [REDACTED]');
	});

	it('ranks unknown above healthy and below a known failure', () => {
		expect(worstPageStatus(['healthy', 'unknown'])).toBe('unknown');
		expect(worstPageStatus(['unknown', 'degraded'])).toBe('degraded');
		expect(worstPageStatus(['down', 'unknown', 'healthy'])).toBe('down');
		expect(worstPageStatus([])).toBeUndefined();
	});

	it('formats times in the given timezone (UTC by default)', () => {
		expect(buildStatusModel(emptyInput()).generatedAtText).toBe('2026-02-20 12:00');
		expect(buildStatusModel(emptyInput({ timezone: 'America/Mexico_City' })).generatedAtText).toBe('2026-02-20 06:00');
	});

	it('throws a StatusParameterError naming the bad parameter', () => {
		const cases: Array<[Partial<StatusModelInput>, string]> = [
			[{ now: Number.NaN }, 'now'],
			[{ language: 'fr' as 'es' }, 'language'],
			[{ observed: {} as ObservedStatus[] }, 'observed'],
			[{ status: {} as StatusModelInput['status'] }, 'status'],
			[{ closed: undefined as unknown as [] }, 'closed'],
			[{ recoveries: 'none' as unknown as null }, 'recoveries'],
			[{ staleAfterMs: 0 }, 'staleAfterMs'],
			[{ timezone: 'Mars/Olympus' }, 'timezone'],
			[{ secrets: [42] as unknown as string[] }, 'secrets'],
		];
		for (const [overrides, parameter] of cases) {
			let thrown: unknown;
			try {
				buildStatusModel(emptyInput(overrides));
			} catch (error) {
				thrown = error;
			}
			expect(thrown).toBeInstanceOf(StatusParameterError);
			expect((thrown as StatusParameterError).parameter).toBe(parameter);
		}
	});
});
