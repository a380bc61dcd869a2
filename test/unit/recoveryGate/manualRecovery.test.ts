/**
 * The manual recovery request: parsing every bad-input class, admission by the
 * tracker's pause/budget/escalation (read-only), per-component locks across concurrent
 * callers, the answer, and the paging of n8n's execution history.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { admitRecovery } from '../../../nodes/RecoveryGate/manual/admission';
import { manualRecoveryAnswer, readManualRequest } from '../../../nodes/RecoveryGate/manual/answer';
import { acquireLocks, LockFolderError, releaseLocks } from '../../../nodes/RecoveryGate/lock/locks';
import { parseRecoveryRequest, RECOVERABLE_COMPONENTS, RequestRefused } from '../../../nodes/RecoveryGate/manual/request';
import { pause } from '../../../nodes/shared/incident/controls';
import { createTrackerState } from '../../../nodes/shared/incident/state';
import { trackResults } from '../../../nodes/shared/incident/tracker';
import { fetchRecoveryExecutions, type ExecutionsPageRequest } from '../../../nodes/RecoveryReport/history/fetchRecoveries';
import { evolutionClosed, T0 } from '../incident/results';

function refusal(run: () => unknown): RequestRefused {
	try {
		run();
	} catch (error) {
		if (error instanceof RequestRefused) return error;
		throw error;
	}
	throw new Error('expected a refusal');
}

describe('parseRecoveryRequest', () => {
	test('the documented shapes', () => {
		expect(parseRecoveryRequest('{"action":"full"}')).toEqual({ scope: 'full', components: [...RECOVERABLE_COMPONENTS], dryRun: false, force: false });
		expect(parseRecoveryRequest(Buffer.from('{"component":"database","dryRun":true}'))).toEqual({ scope: 'database', components: ['database'], dryRun: true, force: false });
		expect(parseRecoveryRequest('{"component":"llm","force":true}')).toMatchObject({ components: ['llm'], force: true });
	});

	test.each([
		['malformed JSON', '{"action":', /not valid JSON/, null],
		['no body', undefined, /empty/, null],
		['whitespace only', '  \n', /empty/, null],
		['an array', '[1]', /must be a JSON object, got an array/, null],
		['a string', '"full"', /must be a JSON object, got "full"/, null],
		['an unknown action', '{"action":"all"}', /unknown action "all"/, ['full']],
		['an unknown component', '{"component":"router"}', /unknown component "router"/, ['whatsapp', 'database', 'payments', 'llm']],
		['a component that cannot be recovered by hand', '{"component":"backup"}', /unknown component "backup"/, ['whatsapp', 'database', 'payments', 'llm']],
		['a number for component', '{"component":3}', /unknown component 3/, ['whatsapp', 'database', 'payments', 'llm']],
		['a string for dryRun', '{"component":"llm","dryRun":"true"}', /"dryRun" must be true or false, got "true"/, ['true', 'false']],
		['a number for force', '{"action":"full","force":1}', /"force" must be true or false/, ['true', 'false']],
		['both', '{"action":"full","component":"llm"}', /not both/, null],
		['neither', '{"dryRun":true}', /say what to recover/, null],
		['a typo', '{"component":"llm","dryrun":true}', /unknown field "dryrun"/, ['action', 'component', 'dryRun', 'force']],
	])('%s → 400', (_what, body, message, allowed) => {
		const refused = refusal(() => parseRecoveryRequest(body));
		expect(refused.statusCode).toBe(400);
		expect(refused.message).toMatch(message);
		if (allowed) expect(refused.body.allowed).toEqual(allowed);
		else expect(refused.body.allowed).toEqual(expect.arrayContaining(['{"action":"full"}', '{"component":"whatsapp"}']));
		expect((refused.body.allowed as unknown[]).length).toBeGreaterThan(0);
	});

	test('a huge body is refused with 413 before parsing', () => {
		expect(refusal(() => parseRecoveryRequest(`{"component":"llm","x":"${'a'.repeat(20_000)}"}`)).statusCode).toBe(413);
	});

	test('a secret pasted into a field is not echoed back', () => {
		const refused = refusal(() => parseRecoveryRequest('{"component":"postgres://bot:hunter2-not-real@db/shop"}'));
		expect(refused.message).not.toContain('hunter2-not-real');
	});
});

describe('admitRecovery (reads the tracker state, never changes it)', () => {
	const request = (body: string) => parseRecoveryRequest(body);

	test('a quiet state admits everything', () => {
		expect(admitRecovery(createTrackerState(), request('{"action":"full"}'), {}, T0)).toEqual({ admitted: [...RECOVERABLE_COMPONENTS], skipped: [] });
	});

	test('a pause refuses real runs (409) but not dry runs', () => {
		const paused = pause(createTrackerState(), T0 + 3_600_000, 'migrating the catalog', T0);
		const refused = refusal(() => admitRecovery(paused, request('{"component":"whatsapp"}'), {}, T0 + 1000));
		expect(refused.statusCode).toBe(409);
		expect(refused.message).toMatch(/paused until .*migrating the catalog/);
		expect(refused.body.allowed).toEqual(expect.arrayContaining(['"dryRun": true']));
		expect(admitRecovery(paused, request('{"component":"whatsapp","dryRun":true}'), {}, T0 + 1000).admitted).toEqual(['whatsapp']);
		// force does not lift a pause: a person paused automation on purpose.
		expect(refusal(() => admitRecovery(paused, request('{"component":"whatsapp","force":true}'), {}, T0 + 1000)).statusCode).toBe(409);
	});

	test('a spent budget refuses the component (409, allowed: force); force admits it; a full run skips only that one', () => {
		const options = { budget: { maxActions: 1 } };
		// Two failing ticks open an incident and the tracker authorises (spends) one action.
		let state = trackResults(createTrackerState(), [evolutionClosed()], options, T0).state;
		state = trackResults(state, [evolutionClosed()], options, T0 + 30_000).state;
		const frozen = JSON.stringify(state);
		const refused = refusal(() => admitRecovery(state, request('{"component":"whatsapp"}'), options, T0 + 60_000));
		expect(refused.statusCode).toBe(409);
		expect(refused.message).toMatch(/whatsapp: its recovery budget is spent \(1 of 1/);
		expect(JSON.stringify(refused.body.allowed)).toMatch(/force/);
		expect(admitRecovery(state, request('{"component":"whatsapp","force":true}'), options, T0 + 60_000).admitted).toEqual(['whatsapp']);
		const full = admitRecovery(state, request('{"action":"full"}'), options, T0 + 60_000);
		expect(full.admitted).toEqual(['database', 'payments', 'llm']);
		expect(full.skipped).toEqual([{ component: 'whatsapp', reason: expect.stringMatching(/budget is spent/) }]);
		expect(JSON.stringify(state)).toBe(frozen);
	});
});

describe('locks', () => {
	let folder: string;
	beforeEach(() => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ar-locks-'));
	});
	afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

	test('all or nothing; the second caller is told who holds it; release frees only its own', () => {
		expect(acquireLocks(folder, ['whatsapp', 'database'], { requestId: 'a', at: T0 }, 60_000)).toEqual({ acquired: true });
		const second = acquireLocks(folder, ['llm', 'database'], { requestId: 'b', at: T0 + 10 }, 60_000);
		expect(second).toEqual({ acquired: false, busy: { component: 'database', heldBy: { requestId: 'a', at: T0 } } });
		// b took llm before it met database, and gave it back.
		expect(fs.existsSync(path.join(folder, 'llm.lock'))).toBe(false);
		releaseLocks(folder, ['whatsapp', 'database'], 'b');
		expect(fs.readdirSync(folder).sort()).toEqual(['database.lock', 'whatsapp.lock']);
		releaseLocks(folder, ['whatsapp', 'database'], 'a');
		expect(fs.readdirSync(folder)).toEqual([]);
	});

	test('an expired lock (its execution crashed) is taken over', () => {
		acquireLocks(folder, ['payments'], { requestId: 'crashed', at: T0 }, 60_000);
		expect(acquireLocks(folder, ['payments'], { requestId: 'late', at: T0 + 59_000 }, 60_000).acquired).toBe(false);
		expect(acquireLocks(folder, ['payments'], { requestId: 'late', at: T0 + 61_000 }, 60_000).acquired).toBe(true);
	});

	test('an unwritable folder is a LockFolderError naming it', () => {
		const file = path.join(folder, 'not-a-folder');
		fs.writeFileSync(file, 'x');
		expect(() => acquireLocks(path.join(file, 'locks'), ['llm'], { requestId: 'a', at: T0 }, 1000)).toThrow(LockFolderError);
	});
});

describe('the answer', () => {
	const record = { id: 'r1', scope: 'full', dryRun: false, force: false, components: ['whatsapp', 'database'] as Array<'whatsapp' | 'database'>, skipped: [{ component: 'llm' as const, reason: 'its recovery budget is spent' }], receivedAt: '2026-11-22T00:00:00.000Z' };

	test('results without the workflow fields, a summary, what was skipped, what produced nothing', () => {
		const { statusCode, body } = manualRecoveryAnswer(record, [
			{ component: 'whatsapp', status: 'healthy', recovery: { action: 'whatsapp.reconnect', attempted: true, success: true }, manualRequest: record, manual: true, forced: false, tracking: {} },
		]);
		expect(statusCode).toBe(200);
		expect(body.results).toEqual([{ component: 'whatsapp', status: 'healthy', recovery: { action: 'whatsapp.reconnect', attempted: true, success: true } }]);
		expect(body.summary).toEqual({ components: 2, recovered: 1, attempted: 1, alreadyHealthy: 0, skipped: 1 });
		expect(body.noResult).toEqual(['database']);
		expect(body.skipped).toEqual(record.skipped);
	});

	test('readManualRequest refuses anything but the Accept node\'s record', () => {
		expect(readManualRequest(JSON.stringify(record))).toEqual(record);
		expect(() => readManualRequest({ id: 'x', components: ['router'] })).toThrow(/manualRequest object/);
		expect(() => readManualRequest('')).toThrow();
	});
});

describe('fetchRecoveryExecutions (paging n8n\'s history)', () => {
	const execution = (id: number, startedAt: number) => ({ id: String(id), workflowId: 'arRecover0000001', startedAt: new Date(startedAt).toISOString() });

	function pages(total: number, pageSize: number) {
		const all = Array.from({ length: total }, (_, i) => execution(total - i, T0 - i * 60_000));
		const calls: ExecutionsPageRequest[] = [];
		const fetchPage = async (request: ExecutionsPageRequest) => {
			calls.push(request);
			const start = request.cursor === null ? 0 : Number(request.cursor);
			const end = start + pageSize;
			return { data: all.slice(start, end), nextCursor: end < all.length ? String(end) : null };
		};
		return { fetchPage, calls };
	}

	test('stops once enough is read for the log', async () => {
		const { fetchPage, calls } = pages(50, 10);
		const fetched = await fetchRecoveryExecutions(fetchPage, { atLeast: 15, pageSize: 10 });
		expect(fetched.executions).toHaveLength(20);
		expect(calls).toHaveLength(2);
		expect(calls[0]).toEqual({ workflowId: 'arRecover0000001', cursor: null, limit: 10 });
	});

	test('stops once it passed the window start for the stats', async () => {
		const { fetchPage, calls } = pages(50, 10);
		const fetched = await fetchRecoveryExecutions(fetchPage, { since: T0 - 25 * 60_000, pageSize: 10 });
		expect(calls).toHaveLength(3);
		expect(fetched.truncated).toBe(false);
	});

	test('a bound on pages says the result is truncated; the end of history does not', async () => {
		expect((await fetchRecoveryExecutions(pages(50, 10).fetchPage, { maxPages: 2, pageSize: 10 })).truncated).toBe(true);
		expect((await fetchRecoveryExecutions(pages(5, 10).fetchPage, { pageSize: 10 })).truncated).toBe(false);
	});

	test('an unreadable page is an empty end, not an exception', async () => {
		expect(await fetchRecoveryExecutions(async () => 'junk', {})).toEqual({ executions: [], truncated: false });
	});
});
