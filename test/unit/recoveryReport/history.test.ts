/**
 * The recovery log and its statistics, read from n8n's execution history of the Recover
 * sub-workflow. The fixed history (historyFixtures.ts) has known numbers:
 *
 * | run | id   | started     | component | outcome                 | detect | duration | recover | notes                         |
 * |-----|------|-------------|-----------|-------------------------|--------|----------|---------|-------------------------------|
 * | K   | 1001 | 8 days ago  | llm       | failed                  | 60 s   | 20 s     | –       | outside the 7-day window      |
 * | A   | 1002 | 6 days ago  | whatsapp  | success                 | 60 s   | 30 s     | 90 s    |                               |
 * | B   | 1003 | 5 days ago  | whatsapp  | failed                  | 120 s  | 40 s     | –       | apikey secret in the cause    |
 * | D   | 1004 | 4 days ago  | database  | success                 | 30 s   | 20 s     | 50 s    | firstSeenAt 30 s, opened 20 s |
 * | E   | 1005 | 3 days ago  | database  | execution error         | 90 s   | 5 s      | –       | error from resultData.error   |
 * | F   | 1006 | 2 days ago  | database  | failed                  | 300 s  | 60 s     | –       | tracker escalated             |
 * | G   | 1007 | 36 h ago    | payments  | success                 | 45 s   | 15 s     | 60 s    |                               |
 * | H   | 1008 | 30 h ago    | host      | notify.escalate         | 480 s  | 2 s      | –       | escalated                     |
 * | C   | 1009 | 24 h ago    | whatsapp  | success                 | –      | 10 s     | –       | manual, no tracking           |
 * | I   | 1010 | 12 h ago    | llm       | success                 | 75 s   | 25 s     | 100 s   | manual + forced               |
 * | J   | 1011 | 6 h ago     | llm       | dry run                 | 40 s   | 3 s      | –       | excluded from stats           |
 * | L   | 1012 | 1 h ago     | llm       | success                 | 150 s  | 50 s     | 200 s   |                               |
 *
 * Last 7 days without the dry run: 10 recoveries, 6 succeeded; MTTD 1350 s / 9 = 150 s;
 * MTTR 500 s / 5 = 100 s; database timeouts (D, E, F: ids and numbers differ) are the
 * most common error (3) — the Groq rate limit would be 4 if the dry run J and the old K
 * were counted.
 */
import { HistoryOptionError, QueryError } from '../../../nodes/RecoveryReport/history/errors';
import { readExecutionsPage, readRecoveryExecution } from '../../../nodes/RecoveryReport/history/executions';
import type { RecoveryLogEntry } from '../../../nodes/RecoveryReport/history/logEntry';
import { parseLogQuery, parseStatsQuery } from '../../../nodes/RecoveryReport/history/query';
import { recoveryLog } from '../../../nodes/RecoveryReport/history/recoveryLog';
import { recoveryStats } from '../../../nodes/RecoveryReport/history/stats';
import { OptionError } from '../../../nodes/shared/optionError';
import { RECOVER_WORKFLOW_ID } from '../../../nodes/shared/workflowIds';
import { WORKFLOW_IDS } from '../../../scripts/workflows/ids';
import { recoverWorkflow } from '../../../scripts/workflows/recover';
import {
	DAY,
	dbTimeout,
	groqLimited,
	historyExecutions,
	HOUR,
	logEntry,
	NOW,
	otherExecutions,
	recoverExecution,
	RUNS,
	SEC,
	SECRETS,
	type RunName,
} from './historyFixtures';

const BASE = 'https://n8n.example.test';
const urlOf = (id: string): string => `${BASE}/workflow/arRecover0000001/executions/${id}`;
const iso = (ms: number): string => new Date(ms).toISOString();

function read(name: RunName, executionBaseUrl = BASE): RecoveryLogEntry {
	const entry = readRecoveryExecution(recoverExecution(RUNS[name]), { executionBaseUrl });
	if (!entry) throw new Error(`run ${name} was not read`);
	return entry;
}

type Json = Record<string, unknown>;
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function expectNoSecret(value: unknown): void {
	const text = JSON.stringify(value);
	for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('the fixture history', () => {
	it('is shaped like the Recover workflow and actually carries the planted secrets', () => {
		expect(RECOVER_WORKFLOW_ID).toBe(WORKFLOW_IDS.recover);
		const raw = JSON.stringify(historyExecutions());
		// Without this the no-secret assertions below could not fail.
		for (const secret of SECRETS) expect(raw).toContain(secret);
		const a = recoverExecution(RUNS.A) as { data: { resultData: { runData: Json } } };
		expect(Object.keys(a.data.resultData.runData)).toEqual(['When Called', 'By Component', 'Reconnect WhatsApp', 'Recovery Log Entry', 'Record Outcome', 'Recovery Failed?', 'Recovery Done']);
		// The node names are the shipped Recover's.
		const shipped = recoverWorkflow().nodes.map((node) => node.name);
		for (const name of Object.keys(a.data.resultData.runData)) expect(shipped).toContain(name);
		expect(shipped).toContain('Recovery Did Not Fix It');
	});

	it('ends a recovery that did not fix its target in error at Recovery Did Not Fix It, like the shipped Recover', () => {
		const b = recoverExecution(RUNS.B) as { status: string; data: { resultData: { lastNodeExecuted: string; error: { message: string } } } };
		expect(b.status).toBe('error');
		expect(b.data.resultData.lastNodeExecuted).toBe('Recovery Did Not Fix It');
		expect(b.data.resultData.error.message).toMatch(/^Recovery did not fix it: whatsapp \(evolution:ventas\) is still down after whatsapp\.reconnect\./);
	});
});

describe('readRecoveryExecution', () => {
	it('reads an automatic successful recovery into a full log entry', () => {
		expect(read('A')).toEqual({
			timestamp: iso(NOW - 6 * DAY),
			component: 'whatsapp',
			target: 'evolution:ventas',
			error: 'Evolution instance "ventas" is disconnected from WhatsApp (state close).',
			diagnosis: {
				rootCause: 'The whatsapp dependency failed.',
				summary: 'An automatic action usually fixes the whatsapp failure.',
				source: 'groq',
				recommendedActions: ['whatsapp.reconnect'],
			},
			action: 'whatsapp.reconnect',
			success: true,
			dryRun: false,
			outcome: 'fixed',
			notNeeded: false,
			manual: false,
			forced: false,
			automatic: true,
			escalated: false,
			durationMs: 30 * SEC,
			detectMs: 60 * SEC,
			recoverMs: 90 * SEC,
			executionId: '1002',
			executionUrl: urlOf('1002'),
		});
	});

	it.each([
		// name, component, action, success, dryRun, manual, forced, escalated, durationS, detectS, recoverS
		['K', 'llm', 'llm.use_fallback', false, false, false, false, false, 20, 60, null],
		['B', 'whatsapp', 'whatsapp.reconnect', false, false, false, false, false, 40, 120, null],
		['D', 'database', 'database.reconnect', true, false, false, false, false, 20, 30, 50],
		['E', 'database', null, false, false, false, false, false, 5, 90, null],
		['F', 'database', 'database.reconnect', false, false, false, false, true, 60, 300, null],
		['G', 'payments', 'payments.use_fallback', true, false, false, false, false, 15, 45, 60],
		['H', 'host', 'notify.escalate', false, false, false, false, true, 2, 480, null],
		['C', 'whatsapp', 'whatsapp.reconnect', true, false, true, false, false, 10, null, null],
		['I', 'llm', 'llm.use_fallback', true, false, true, true, false, 25, 75, 100],
		['J', 'llm', 'llm.use_fallback', false, true, false, false, false, 3, 40, null],
		['L', 'llm', 'llm.use_fallback', true, false, false, false, false, 50, 150, 200],
	] as const)('run %s: %s, action %s, success %s', (name, component, action, success, dryRun, manual, forced, escalated, durationS, detectS, recoverS) => {
		const entry = read(name);
		expect(entry).toMatchObject({ component, action, success, dryRun, manual, forced, escalated, automatic: !manual });
		expect(entry.durationMs).toBe(durationS * SEC);
		expect(entry.detectMs).toBe(detectS === null ? null : detectS * SEC);
		expect(entry.recoverMs).toBe(recoverS === null ? null : recoverS * SEC);
		expect(entry.executionUrl).toBe(urlOf(RUNS[name].id));
	});

	it.each([
		['B', 'error', 'not fixed'],
		['E', 'error', null],
		['F', 'success', 'not fixed'],
		['H', 'error', 'escalated'],
		['J', 'success', 'dry run'],
		['L', 'success', 'fixed'],
	] as const)('run %s (status %s) reads outcome %s', (name, status, outcome) => {
		expect((recoverExecution(RUNS[name]) as { status: string }).status).toBe(status);
		expect(read(name).outcome).toBe(outcome);
	});

	it('reads a recovery stopped as not fixed by its log entry: the cause, not the stop\'s message, is its error', () => {
		expect(read('B')).toMatchObject({ success: false, outcome: 'not fixed', action: 'whatsapp.reconnect', error: 'Evolution API rejected apikey=[REDACTED] for instance "ventas".' });
	});

	it('names the failing target, not the provider a fallback switched to', () => {
		// G's recovery result is about paypal (the secondary), the recovery was of mercadopago.
		expect(read('G').target).toBe('mercadopago');
		expect(read('I').target).toBe('groq');
	});

	it('reads a failed execution as a failed recovery with the execution error, redacted', () => {
		const entry = read('E');
		expect(entry.success).toBe(false);
		expect(entry.error).toBe(dbTimeout(12000, '7c1e0b9a44').replace('test-db-password-not-real', '[REDACTED]'));
		expect(entry.action).toBeNull();
		expect(entry.timestamp).toBe(iso(NOW - 3 * DAY));
	});

	it('prefers the first sighting of the failure over the incident opening for detect time', () => {
		expect(read('D').detectMs).toBe(30 * SEC);
		const withoutFirstSeen = clone(recoverExecution(RUNS.D)) as { data: { resultData: { runData: Record<string, Array<{ data: { main: Json[][] } }>> } } };
		for (const node of ['When Called', 'Recovery Log Entry']) {
			const json = withoutFirstSeen.data.resultData.runData[node][0].data.main[0][0].json as { tracking: { incident: Json } };
			delete json.tracking.incident.firstSeenAt;
		}
		expect(readRecoveryExecution(withoutFirstSeen)?.detectMs).toBe(20 * SEC);
	});

	it('reads a run without tracking or diagnosis (manual) with nulls', () => {
		expect(read('C')).toMatchObject({ manual: true, automatic: false, diagnosis: null, detectMs: null, recoverMs: null, escalated: false });
	});

	it('counts a run started from the editor (execution mode manual) as manual', () => {
		expect(readRecoveryExecution(recoverExecution({ ...RUNS.L, mode: 'manual' }))).toMatchObject({ manual: true, automatic: false, forced: false });
	});

	it('accepts a numeric execution id (the OpenAPI schema types it so) and leaves links out without a base URL', () => {
		const execution = { ...recoverExecution(RUNS.L), id: 1012 };
		expect(readRecoveryExecution(execution)).toMatchObject({ executionId: '1012', executionUrl: null });
		expect(readRecoveryExecution(execution, { executionBaseUrl: '' })?.executionUrl).toBeNull();
	});

	it('builds links from a base URL with trailing slashes, redacting credentials in it', () => {
		expect(read('L', `${BASE}///`).executionUrl).toBe(urlOf('1012'));
		expect(read('L', 'https://admin:test-evolution-key-not-real@n8n.example.test/').executionUrl).toBe(
			'https://admin:[REDACTED]@n8n.example.test/workflow/arRecover0000001/executions/1012',
		);
	});

	it.each([['ftp://n8n.example.test'], ['not a url'], [42]])('throws an OptionError naming executionBaseUrl for %p', (base) => {
		const call = () => readRecoveryExecution(recoverExecution(RUNS.A), { executionBaseUrl: base as string });
		expect(call).toThrow(OptionError);
		expect(call).toThrow(/executionBaseUrl/);
	});

	it('returns null for other workflows, unfinished runs, runs without data and malformed values', () => {
		for (const execution of otherExecutions()) expect(readRecoveryExecution(execution, { executionBaseUrl: BASE })).toBeNull();
	});

	it('returns null for a start time no date can hold, and reads an epoch-ms one', () => {
		expect(readRecoveryExecution({ ...recoverExecution(RUNS.L), startedAt: 1e17 })).toBeNull();
		expect(readRecoveryExecution({ ...recoverExecution(RUNS.L), startedAt: NOW - HOUR })?.timestamp).toBe(iso(NOW - HOUR));
	});

	it('reads a run of another workflow id when asked to', () => {
		const monitorLike = { ...recoverExecution(RUNS.L), workflowId: 'customRecover01' };
		expect(readRecoveryExecution(monitorLike)).toBeNull();
		expect(readRecoveryExecution(monitorLike, { workflowId: 'customRecover01' })?.executionId).toBe('1012');
	});

	it('treats a crashed or canceled run, and a finished run without a log entry, as a failed recovery', () => {
		const crashed = { ...recoverExecution(RUNS.L), status: 'crashed' };
		expect(readRecoveryExecution(crashed)).toMatchObject({ success: false, recoverMs: null, error: groqLimited(30) });
		const canceled = { ...recoverExecution(RUNS.L), status: 'canceled' };
		expect(readRecoveryExecution(canceled)?.success).toBe(false);
		const noEntry = clone(recoverExecution(RUNS.L)) as { data: { resultData: { runData: Json } } };
		delete noEntry.data.resultData.runData['Recovery Log Entry'];
		// The fixing node's own output still says which action ran.
		expect(readRecoveryExecution(noEntry)).toMatchObject({ success: false, action: 'llm.use_fallback', error: groqLimited(30) });
	});

	it('reads a run without status by its finished flag and stop time', () => {
		const old = clone(recoverExecution(RUNS.L));
		delete old.status;
		expect(readRecoveryExecution(old)?.success).toBe(true);
		expect(readRecoveryExecution({ ...old, finished: false, stoppedAt: null })).toBeNull();
	});

	it('a Recover that found the target healthy is "not needed": neither an escalation nor a failure, even as logged before (notify.escalate)', () => {
		const execution = clone(recoverExecution(RUNS.A)) as Json & { data: { resultData: { runData: Record<string, Array<{ data: { main: Json[][] } }>> } } };
		const logged = execution.data.resultData.runData['Recovery Log Entry'][0].data.main[0][0].json as Json;
		const steps = [{ action: 'check', ok: true, message: 'already healthy: nothing to do', durationMs: 0 }];
		for (const action of ['notify.escalate', 'whatsapp.reconnect']) {
			logged.recovery = { action, attempted: false, success: false, before: 'healthy', after: 'healthy', steps };
			expect(readRecoveryExecution(execution)).toMatchObject({ action, notNeeded: true, escalated: false, success: false });
		}
		// An escalation of a failing target stays one.
		logged.recovery = { action: 'notify.escalate', attempted: false, success: false, before: 'down', after: 'down', steps };
		expect(readRecoveryExecution(execution)).toMatchObject({ notNeeded: false, escalated: true });
	});

	it('turns malformed fields into nulls and false instead of guessing', () => {
		const execution = clone(recoverExecution(RUNS.A)) as Json & { data: { resultData: { runData: Record<string, Array<{ data: { main: Json[][] } }>> } } };
		const runData = execution.data.resultData.runData;
		const input = runData['When Called'][0].data.main[0][0].json as Json;
		const logged = runData['Recovery Log Entry'][0].data.main[0][0].json as Json;
		for (const json of [input, logged]) Object.assign(json, { component: 'toaster', target: 42, tracking: 'x', diagnosis: 5, manual: 'yes', forced: 1, cause: null, error: ['x'] });
		logged.recovery = { action: 'rm -rf /', success: 'yes', dryRun: 'no' };
		delete runData['Reconnect WhatsApp'];
		execution.stoppedAt = iso(NOW - 7 * DAY); // before startedAt: no duration
		expect(readRecoveryExecution(execution)).toEqual({
			timestamp: iso(NOW - 6 * DAY),
			component: null,
			target: null,
			error: '',
			diagnosis: null,
			action: null,
			success: false,
			dryRun: false,
			// An unreadable recovery fixed nothing (shared/recovery/outcome).
			outcome: 'not fixed',
			notNeeded: false,
			manual: false,
			forced: false,
			automatic: true,
			escalated: false,
			durationMs: null,
			detectMs: null,
			recoverMs: null,
			executionId: '1002',
			executionUrl: null,
		});
	});

	it('keeps only known action ids and sources from a diagnosis', () => {
		const execution = clone(recoverExecution(RUNS.A)) as { data: { resultData: { runData: Record<string, Array<{ data: { main: Json[][] } }>> } } };
		const logged = execution.data.resultData.runData['Recovery Log Entry'][0].data.main[0][0].json as Json;
		logged.diagnosis = { summary: '  restart it  ', source: 'magic', recommendedActions: ['whatsapp.reconnect', 'reboot the server', 7] };
		expect(readRecoveryExecution(execution)?.diagnosis).toEqual({ rootCause: null, summary: 'restart it', source: null, recommendedActions: ['whatsapp.reconnect'] });
	});

	it('never throws, whatever part of the execution is broken', () => {
		const original = recoverExecution(RUNS.H);
		const paths: string[][] = [];
		const walk = (value: unknown, path: string[]) => {
			paths.push(path);
			if (typeof value === 'object' && value !== null) for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
		};
		walk(original, []);
		expect(paths.length).toBeGreaterThan(150);
		const replacements: unknown[] = [null, 'x', -1, [], {}, true];
		for (const path of paths.slice(1)) {
			for (const replacement of replacements) {
				const broken = clone(original);
				let parent = broken as Record<string, unknown>;
				for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
				parent[path[path.length - 1]] = replacement;
				const entry = readRecoveryExecution(broken, { executionBaseUrl: BASE });
				if (entry !== null) {
					expect(Number.isNaN(Date.parse(entry.timestamp))).toBe(false);
					expectNoSecret(entry);
				}
			}
		}
	});
});

describe('recoveryLog', () => {
	it('lists the Recover runs newest first, dry runs and old runs included, nothing else', () => {
		const log = recoveryLog(historyExecutions(), { limit: 200, executionBaseUrl: BASE });
		expect(log.map((e) => e.executionId)).toEqual(['1012', '1011', '1010', '1009', '1008', '1007', '1006', '1005', '1004', '1003', '1002', '1001']);
		expect(log.map((e) => e.executionUrl)).toEqual(log.map((e) => urlOf(e.executionId)));
		expect(log.find((e) => e.executionId === '1011')?.dryRun).toBe(true);
	});

	it('returns at most limit entries, the newest', () => {
		const log = recoveryLog(historyExecutions(), { limit: 3, executionBaseUrl: '' });
		expect(log.map((e) => e.executionId)).toEqual(['1012', '1011', '1010']);
		expect(log.every((e) => e.executionUrl === null)).toBe(true);
	});

	it('lists an execution that appears on two pages once, and orders equal times by id', () => {
		const twice = [recoverExecution(RUNS.L), recoverExecution(RUNS.L), { ...recoverExecution(RUNS.L), id: '999' }, { ...recoverExecution(RUNS.L), id: '1100' }];
		expect(recoveryLog(twice, { limit: 10, executionBaseUrl: BASE }).map((e) => e.executionId)).toEqual(['1100', '1012', '999']);
	});

	it('returns an empty log for an empty history', () => {
		expect(recoveryLog([], { limit: 20, executionBaseUrl: BASE })).toEqual([]);
	});

	it.each([[0], [-1], [2.5], [Number.NaN], ['20']])('throws a HistoryOptionError naming limit for %p', (limit) => {
		const call = () => recoveryLog(historyExecutions(), { limit: limit as number, executionBaseUrl: BASE });
		expect(call).toThrow(HistoryOptionError);
		expect(call).toThrow(/^limit must be a positive integer/);
	});

	it('throws for executions that are not an array and for a bad base URL', () => {
		expect(() => recoveryLog({ data: [] } as unknown as unknown[], { limit: 5, executionBaseUrl: BASE })).toThrow(/executions must be an array/);
		expect(() => recoveryLog([], { limit: 5, executionBaseUrl: 'n8n.local' })).toThrow(/executionBaseUrl/);
	});

	it('reads pages of the public API', () => {
		const executions = historyExecutions();
		expect(readExecutionsPage({ data: executions, nextCursor: 'MTIzZmFrZQ' })).toEqual({ executions, nextCursor: 'MTIzZmFrZQ' });
		expect(readExecutionsPage({ data: executions, nextCursor: null }).nextCursor).toBeNull();
		expect(readExecutionsPage('<html>502</html>')).toEqual({ executions: [], nextCursor: null });
		expect(readExecutionsPage({ data: 'x', nextCursor: 5 })).toEqual({ executions: [], nextCursor: null });
	});
});

describe('recoveryStats', () => {
	const entries = () => recoveryLog(historyExecutions(), { limit: 200, executionBaseUrl: BASE });

	it('a Recover that was not needed counts neither as a recovery nor as a failure', () => {
		const base = recoveryStats(entries(), { now: NOW, days: 7 });
		const idle = logEntry({ timestamp: iso(NOW - 2 * 3_600_000), action: 'whatsapp.reconnect', success: false, notNeeded: true, recoverMs: null });
		const stats = recoveryStats([...entries(), idle], { now: NOW, days: 7 });
		expect(stats.total).toBe(base.total);
		expect(stats.successRate).toBe(base.successRate);
	});

	it('computes the known numbers of the last 7 days', () => {
		expect(recoveryStats(entries(), { now: NOW, days: 7 })).toEqual({
			from: iso(NOW - 7 * DAY),
			to: iso(NOW),
			days: 7,
			total: 10,
			succeeded: 6,
			successRate: 0.6,
			excludedDryRuns: 1,
			byComponent: {
				whatsapp: { total: 3, succeeded: 2, successRate: 0.6667, meanDetectMs: 90_000, meanRecoverMs: 90_000 },
				database: { total: 3, succeeded: 1, successRate: 0.3333, meanDetectMs: 140_000, meanRecoverMs: 50_000 },
				payments: { total: 1, succeeded: 1, successRate: 1, meanDetectMs: 45_000, meanRecoverMs: 60_000 },
				llm: { total: 2, succeeded: 2, successRate: 1, meanDetectMs: 112_500, meanRecoverMs: 150_000 },
				host: { total: 1, succeeded: 0, successRate: 0, meanDetectMs: 480_000, meanRecoverMs: null },
			},
			meanTimeToDetectMs: 150_000,
			meanTimeToRecoverMs: 100_000,
			mostCommonError: {
				text: dbTimeout(9000, '2b8d6e0f19').replace('test-db-password-not-real', '[REDACTED]'),
				normalised: 'postgres query on products timed out after <duration> via <url> (request <id>).',
				count: 3,
			},
			mostProblematicComponent: { component: 'database', failures: 2, total: 3 },
			automaticShare: 0.8,
			escalatedShare: 0.2,
		});
	});

	it('narrows to a shorter window (the dry run still excluded)', () => {
		const stats = recoveryStats(entries(), { now: NOW, days: 1 });
		// C (exactly 24 h ago), I and L; J is a dry run.
		expect(stats).toMatchObject({ total: 3, succeeded: 3, successRate: 1, excludedDryRuns: 1, automaticShare: 0.3333, escalatedShare: 0 });
		expect(stats.meanTimeToDetectMs).toBe(112_500);
		expect(stats.meanTimeToRecoverMs).toBe(150_000);
		expect(stats.mostProblematicComponent).toBeNull();
		expect(stats.mostCommonError).toEqual({ text: groqLimited(30), normalised: 'groq answered <n>: rate limited, retry in <duration>.', count: 2 });
		expect(Object.keys(stats.byComponent)).toEqual(['whatsapp', 'llm']);
	});

	it('counts the old run and the most common error differently once the window reaches it', () => {
		const stats = recoveryStats(entries(), { now: NOW, days: 9 });
		expect(stats).toMatchObject({ total: 11, succeeded: 6, excludedDryRuns: 1 });
		// K joins the Groq group: 3, tied with the database timeouts; the Groq group was seen more recently (L, 1 h ago).
		expect(stats.mostCommonError).toEqual({ text: groqLimited(30), normalised: 'groq answered <n>: rate limited, retry in <duration>.', count: 3 });
	});

	it('includes an entry exactly at the window start and at now, not one just outside or in the future', () => {
		const list = [
			logEntry({ executionId: '1', timestamp: iso(NOW - 7 * DAY) }),
			logEntry({ executionId: '2', timestamp: iso(NOW) }),
			logEntry({ executionId: '3', timestamp: iso(NOW - 7 * DAY - 1) }),
			logEntry({ executionId: '4', timestamp: iso(NOW + 1) }),
			logEntry({ executionId: '5', timestamp: 'garbage' }),
		];
		expect(recoveryStats(list, { now: NOW, days: 7 }).total).toBe(2);
	});

	it('answers nulls for an empty window', () => {
		expect(recoveryStats([], { now: NOW, days: 7 })).toEqual({
			from: iso(NOW - 7 * DAY),
			to: iso(NOW),
			days: 7,
			total: 0,
			succeeded: 0,
			successRate: null,
			excludedDryRuns: 0,
			byComponent: {},
			meanTimeToDetectMs: null,
			meanTimeToRecoverMs: null,
			mostCommonError: null,
			mostProblematicComponent: null,
			automaticShare: null,
			escalatedShare: null,
		});
	});

	it('answers null means when no time is known and counts entries without a component as unknown', () => {
		const stats = recoveryStats([logEntry({ component: null, success: false, detectMs: null, recoverMs: null, error: '' })], { now: NOW, days: 7 });
		expect(stats.byComponent).toEqual({ unknown: { total: 1, succeeded: 0, successRate: 0, meanDetectMs: null, meanRecoverMs: null } });
		expect(stats.meanTimeToDetectMs).toBeNull();
		expect(stats.mostCommonError).toBeNull();
		// Only a known component can be the most problematic one.
		expect(stats.mostProblematicComponent).toBeNull();
	});

	it('breaks most-problematic ties by total recoveries, then by name', () => {
		const failed = (component: RecoveryLogEntry['component'], executionId: string, success = false) =>
			logEntry({ component, executionId, success, recoverMs: success ? 1 : null });
		const byTotal = [failed('llm', '1'), failed('llm', '2'), failed('payments', '3'), failed('payments', '4'), failed('payments', '5', true)];
		expect(recoveryStats(byTotal, { now: NOW, days: 7 }).mostProblematicComponent).toEqual({ component: 'payments', failures: 2, total: 3 });
		const byName = [failed('payments', '1'), failed('database', '2')];
		expect(recoveryStats(byName, { now: NOW, days: 7 }).mostProblematicComponent).toEqual({ component: 'database', failures: 1, total: 1 });
	});

	it('breaks most-common-error ties by the most recent occurrence, showing its newest text', () => {
		const list = [
			logEntry({ executionId: '1', error: 'Request 8f3a9c21d4 failed after 300 ms.', timestamp: iso(NOW - 3 * HOUR) }),
			logEntry({ executionId: '2', error: 'Disk full.', timestamp: iso(NOW - 2 * HOUR) }),
			logEntry({ executionId: '3', error: 'Request 0b7e55a1c9 failed after 2500 ms.', timestamp: iso(NOW - 1 * HOUR) }),
			logEntry({ executionId: '4', error: 'DISK   full.', timestamp: iso(NOW - 5 * HOUR) }),
		];
		expect(recoveryStats(list, { now: NOW, days: 7 }).mostCommonError).toEqual({
			text: 'Request 0b7e55a1c9 failed after 2500 ms.',
			normalised: 'request <id> failed after <duration>.',
			count: 2,
		});
	});

	it.each([
		[{ now: Number.NaN, days: 7 }, /^now must be/],
		[{ now: -1, days: 7 }, /^now must be/],
		[{ now: NOW, days: 0 }, /^days must be/],
		[{ now: NOW, days: 1.5 }, /^days must be/],
		[{ now: NOW, days: 1e9 }, /^days must be/],
	])('throws a HistoryOptionError for %p', (options, message) => {
		expect(() => recoveryStats([], options)).toThrow(HistoryOptionError);
		expect(() => recoveryStats([], options)).toThrow(message);
	});

	it('throws for entries that are not an array', () => {
		expect(() => recoveryStats('x' as unknown as RecoveryLogEntry[], { now: NOW, days: 7 })).toThrow(/^entries must be an array/);
	});
});

describe('query parsing', () => {
	it('defaults and accepts whole numbers in range, as strings or numbers', () => {
		expect(parseStatsQuery({})).toEqual({ days: 7 });
		expect(parseStatsQuery({ days: '30', other: 'ignored' })).toEqual({ days: 30 });
		expect(parseStatsQuery({ days: ' 90 ' })).toEqual({ days: 90 });
		expect(parseStatsQuery({ days: 1 })).toEqual({ days: 1 });
		expect(parseLogQuery({})).toEqual({ limit: 20 });
		expect(parseLogQuery({ limit: '200' })).toEqual({ limit: 200 });
		expect(parseLogQuery({ limit: null })).toEqual({ limit: 20 });
		expect(parseLogQuery(undefined as unknown as Record<string, unknown>)).toEqual({ limit: 20 });
	});

	function queryErrorOf(call: () => unknown): QueryError {
		try {
			call();
		} catch (caught) {
			if (caught instanceof QueryError) return caught;
			throw caught;
		}
		throw new Error('expected a QueryError, nothing was thrown');
	}

	it.each([['0'], ['91'], ['7.5'], ['-3'], ['abc'], [''], ['1e1'], [['7', '8']], [{ gt: 3 }], [7.5], [true]])('rejects days=%p with a QueryError naming the parameter', (days) => {
		const error = queryErrorOf(() => parseStatsQuery({ days }));
		expect(error.parameter).toBe('days');
		expect(error.info).toEqual({ error: error.message, allowed: 'a whole number from 1 to 90 (default 7)' });
		expect(error.message).toMatch(/^days must be a whole number from 1 to 90 \(default 7\), got /);
	});

	it.each([['0'], ['201'], ['ten'], [['5']]])('rejects limit=%p with a QueryError naming the parameter', (limit) => {
		const error = queryErrorOf(() => parseLogQuery({ limit }));
		expect(error.parameter).toBe('limit');
		expect(error.info).toEqual({ error: error.message, allowed: 'a whole number from 1 to 200 (default 20)' });
		expect(error.message).toMatch(/^limit must be a whole number from 1 to 200 \(default 20\), got /);
	});

	it('says what was wrong with the value', () => {
		expect(queryErrorOf(() => parseLogQuery({ limit: '201' })).message).toBe('limit must be a whole number from 1 to 200 (default 20), got "201"');
		expect(queryErrorOf(() => parseStatsQuery({ days: ['1', '2'] })).message).toMatch(/got a list \(give it once\)$/);
		expect(queryErrorOf(() => parseStatsQuery({ days: { gt: 3 } })).message).toMatch(/got object$/);
	});

	it('echoes a rejected value redacted and short', () => {
		expect(() => parseLogQuery({ limit: 'password=test-db-password-not-real' })).toThrow('got "password=[REDACTED]"');
		expect(() => parseLogQuery({ limit: 'x'.repeat(500) })).toThrow(`got "${'x'.repeat(40)}"`);
	});
});

describe('secrets', () => {
	it('never appear in the log, the stats or any entry', () => {
		const executions = historyExecutions();
		const log = recoveryLog(executions, { limit: 200, executionBaseUrl: BASE });
		expect(log).toHaveLength(12);
		expectNoSecret(log);
		for (const days of [1, 7, 30, 90]) expectNoSecret(recoveryStats(log, { now: NOW, days }));
		for (const execution of executions) expectNoSecret(readRecoveryExecution(execution, { executionBaseUrl: BASE }));
		// The planted secrets were in texts the entries do show, masked.
		expect(log.find((e) => e.executionId === '1003')?.error).toBe('Evolution API rejected apikey=[REDACTED] for instance "ventas".');
		expect(log.find((e) => e.executionId === '1008')?.diagnosis?.summary).toBe('The agent token=[REDACTED] cannot free space; a person must clean the disk.');
	});

	it('never appear in error messages about bad parameters', () => {
		const messages: string[] = [];
		for (const call of [
			() => readRecoveryExecution({}, { executionBaseUrl: 'not-a-url test-evolution-key-not-real' }),
			() => recoveryLog([], { limit: 5, executionBaseUrl: 'postgres://u:test-db-password-not-real@h/db' }),
			() => parseStatsQuery({ days: 'token=test-host-token-not-real' }),
		]) {
			try {
				call();
			} catch (caught) {
				messages.push((caught as Error).message);
			}
		}
		expect(messages).toHaveLength(3);
		expectNoSecret(messages);
	});
});
