/** A node inside a bounded run (a Monitor tick) cuts every timeout it reads to what is left of the run. */
import { recoveryDeadlineMs, RUN_RESERVE_MS, timeoutParameter, withinRun } from '../../../nodes/shared/n8n/parameters';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const ctxWith = (parameters: Record<string, unknown>) => fakeExecuteFunctions({ parameters, input: [{}] });

describe('timeouts within a bounded run', () => {
	test('no run bound: the parameters as they are', () => {
		const ctx = ctxWith({ options: { timeoutMs: 10_000 }, deadlineSeconds: 60 });
		expect(timeoutParameter(ctx, 0)).toBe(10_000);
		expect(recoveryDeadlineMs(ctx, 0)).toBe(60_000);
	});

	test('plenty of run left: the parameters as they are', () => {
		const ctx = ctxWith({ options: { timeoutMs: 10_000, runStartedAt: ago(0), runDeadlineSeconds: 240 } });
		expect(timeoutParameter(ctx, 0)).toBe(10_000);
		expect(recoveryDeadlineMs(ctx, 0)).toBe(60_000);
	});

	test('little run left: cut to what is left less the reserve for the rest of the run', () => {
		// 30 s run, 18 s gone: 12 s left, less the reserve.
		const ctx = ctxWith({ options: { timeoutMs: 10_000, runStartedAt: ago(18_000), runDeadlineSeconds: 30 }, deadlineSeconds: 60 });
		const expected = 12_000 - RUN_RESERVE_MS;
		expect(Math.abs(timeoutParameter(ctx, 0) - expected)).toBeLessThan(500);
		expect(Math.abs(recoveryDeadlineMs(ctx, 0) - expected)).toBeLessThan(500);
	});

	test('the run is over: 100 ms, so the call fails fast as a timeout instead of not being tried', () => {
		const ctx = ctxWith({ options: { timeoutMs: 10_000, runStartedAt: ago(60_000), runDeadlineSeconds: 30 } });
		expect(timeoutParameter(ctx, 0)).toBe(100);
		expect(withinRun(ctx, 0, 5_000)).toBe(100);
	});

	test('an unset or unreadable start (a manual run of Recover) is no bound', () => {
		for (const runStartedAt of ['', 'yesterday', undefined]) {
			expect(timeoutParameter(ctxWith({ options: { timeoutMs: 10_000, runStartedAt, runDeadlineSeconds: 30 } }), 0)).toBe(10_000);
		}
	});
});
