import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import type { CheckResult } from '../../../nodes/shared/contract';
import { ACTIONS_BY_COMPONENT, COMPONENTS } from '../../../nodes/shared/contract';
import { idleActionOf, isNoActionNeeded, NO_ACTION_NEEDED } from '../../../nodes/shared/recovery/noActionNeeded';
import { runRecovery, type LadderRung } from '../../../nodes/shared/recovery/runRecovery';
import { validateRecoveryResult } from '../../../nodes/shared/validate';
import { onFakeClock } from '../../harness/fakeClock';

const down = (code = 'whatsapp.disconnected', needsHuman = false): CheckResult =>
	new CheckRecorder('whatsapp', 'evolution:ventas').fail('state', { code, message: `state is ${code}`, retryable: !needsHuman, needsHuman }).result();
const healthy = (): CheckResult => new CheckRecorder('whatsapp', 'evolution:ventas').pass('state', 'open').result();

/** A fake gateway: a queue of states the check returns, and rungs that record their calls. */
function scenario(states: CheckResult[]) {
	const calls: string[] = [];
	let i = 0;
	const check = async () => states[Math.min(i++, states.length - 1)];
	const rung = (action: LadderRung['action'], ok = true, extra: Record<string, unknown> = {}): LadderRung<Record<string, unknown>> => ({
		action,
		description: `do ${action}`,
		run: async () => {
			calls.push(action);
			return { ok, message: `${action} ${ok ? 'done' : 'failed'}`, ...extra };
		},
	});
	return { calls, check, rung };
}

describe('runRecovery', () => {
	test('healthy already: nothing attempted, and it logs that no action was needed, not an escalation', async () => {
		const s = scenario([healthy()]);
		const { result } = await runRecovery({ check: s.check, ladder: () => [s.rung('whatsapp.reconnect')], dryRun: false, maxSteps: 3 });
		expect(s.calls).toEqual([]);
		expect(result.recovery).toMatchObject({ action: 'whatsapp.reconnect', attempted: false, success: false, before: 'healthy', after: 'healthy' });
		expect(result.recovery.steps).toEqual([{ action: 'check', ok: true, message: NO_ACTION_NEEDED, durationMs: 0 }]);
		expect(JSON.stringify(result.recovery)).not.toContain('notify.escalate');
		expect(isNoActionNeeded(result.recovery)).toBe(true);
		expect(validateRecoveryResult(result)).toEqual([]);
	});

	test('healthy already: the action is the one the Recover stands for (idleAction), else the component\'s first', async () => {
		const named = await runRecovery({ check: scenario([healthy()]).check, ladder: () => [], idleAction: 'whatsapp.register', dryRun: true, maxSteps: 3 });
		expect(named.result.recovery).toMatchObject({ action: 'whatsapp.register', attempted: false, dryRun: true });
		for (const component of COMPONENTS) {
			expect(idleActionOf(component)).not.toBe('notify.escalate');
			expect(ACTIONS_BY_COMPONENT[component]).toContain(idleActionOf(component));
		}
		expect(idleActionOf('database')).toBe('database.reconnect');
	});

	test('isNoActionNeeded: only a recovery not attempted on a healthy target', () => {
		expect(isNoActionNeeded({ attempted: false, before: 'healthy' })).toBe(true);
		expect(isNoActionNeeded({ attempted: false, before: 'down' })).toBe(false);
		expect(isNoActionNeeded({ attempted: true, before: 'healthy' })).toBe(false);
		expect(isNoActionNeeded(null)).toBe(false);
	});

	test('the first rung fixes it: one action, one re-check, success', async () => {
		const s = scenario([down(), healthy()]);
		const { result } = await runRecovery({ check: s.check, ladder: () => [s.rung('whatsapp.reconnect'), s.rung('whatsapp.relink')], dryRun: false, maxSteps: 3 });
		expect(s.calls).toEqual(['whatsapp.reconnect']);
		expect(result.recovery).toMatchObject({ action: 'whatsapp.reconnect', attempted: true, success: true, before: 'down', after: 'healthy' });
		expect(result.recovery.steps.map((st) => st.action)).toEqual(['whatsapp.reconnect', 'check']);
		expect(validateRecoveryResult(result)).toEqual([]);
	});

	test('escalates rung by rung and keeps what rungs returned (e.g. a QR)', async () => {
		const s = scenario([down(), down(), down('whatsapp.qr_required')]);
		const run = await runRecovery({
			check: s.check,
			ladder: () => [s.rung('whatsapp.reconnect', false), s.rung('whatsapp.relink', true, { qr: 'png' })],
			dryRun: false,
			maxSteps: 3,
		});
		expect(s.calls).toEqual(['whatsapp.reconnect', 'whatsapp.relink']);
		expect(run.extras).toEqual([{}, { qr: 'png' }]);
		expect(run.result.recovery).toMatchObject({ action: 'whatsapp.relink', attempted: true, success: false, after: 'down' });
		expect(run.result.cause?.code).toBe('whatsapp.qr_required');
		expect(validateRecoveryResult(run.result)).toEqual([]);
	});

	test('maxSteps bounds the escalation and says what was left', async () => {
		const s = scenario([down()]);
		const { result } = await runRecovery({ check: s.check, ladder: () => [s.rung('whatsapp.reconnect'), s.rung('whatsapp.relink')], dryRun: false, maxSteps: 1 });
		expect(s.calls).toEqual(['whatsapp.reconnect']);
		expect(result.recovery.steps.at(-1)?.message).toMatch(/maxSteps=1; 1 more action/);
	});

	test('dry run calls nothing and reports what it would do', async () => {
		const s = scenario([down()]);
		const { result } = await runRecovery({ check: s.check, ladder: () => [s.rung('whatsapp.reconnect'), s.rung('whatsapp.relink')], dryRun: true, maxSteps: 5 });
		expect(s.calls).toEqual([]);
		expect(result.recovery).toMatchObject({ dryRun: true, attempted: true, success: false });
		expect(result.recovery.steps.map((st) => st.message)).toEqual(['dry run: would do whatsapp.reconnect', 'dry run: would do whatsapp.relink']);
		expect(validateRecoveryResult(result)).toEqual([]);
	});

	test('an empty ladder escalates without attempting anything', async () => {
		const s = scenario([down('auth.invalid_credentials', true)]);
		const { result } = await runRecovery({ check: s.check, ladder: () => [], dryRun: false, maxSteps: 3 });
		expect(result.recovery).toMatchObject({ action: 'notify.escalate', attempted: false, success: false });
		expect(result.recovery.steps[0].message).toMatch(/needs a person/);
	});

	test('a rung that throws is recorded as a failed step, and escalation goes on', async () => {
		const s = scenario([down(), down(), healthy()]);
		const boom: LadderRung = { action: 'whatsapp.reconnect', description: 'x', run: async () => { throw new Error('bug'); } };
		const { result } = await runRecovery({ check: s.check, ladder: () => [boom, s.rung('whatsapp.relink')], dryRun: false, maxSteps: 3 });
		expect(result.recovery.steps[0]).toMatchObject({ ok: false, message: 'failed unexpectedly: bug' });
		expect(result.recovery.success).toBe(true);
	});

	describe('deadline', () => {
		const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

		test('a rung that never ends is left at the deadline: the last step says where, the rest is not tried', async () => {
			const s = scenario([down()]);
			const hung: LadderRung = { action: 'whatsapp.reconnect', description: 'hang', run: never };
			// On jest's fake clock: exactly at the deadline, whatever the machine's load.
			const {
				value: { result },
				elapsedMs,
			} = await onFakeClock(() => runRecovery({ check: s.check, ladder: () => [hung, s.rung('whatsapp.relink')], dryRun: false, maxSteps: 3, deadlineMs: 200 }));
			expect(elapsedMs).toBe(200);
			expect(s.calls).toEqual([]);
			expect(result.recovery).toMatchObject({ action: 'whatsapp.reconnect', attempted: true, success: false, deadlineMs: 200, deadlineHit: true });
			expect(result.recovery.steps.map((st) => [st.action, st.ok])).toEqual([['whatsapp.reconnect', false], ['deadline', false]]);
			expect(result.recovery.steps[0].message).toMatch(/did not finish before the recovery deadline/);
			expect(result.recovery.steps[1].message).toBe('stopped at the recovery deadline (0.2 s) during whatsapp.reconnect; 1 more action(s) not tried');
			expect(validateRecoveryResult(result)).toEqual([]);
		});

		test('a re-check that never ends: the state stays the last one known', async () => {
			let checks = 0;
			const check = () => (checks++ === 0 ? Promise.resolve(down()) : never<CheckResult>());
			const s = scenario([down()]);
			const { result } = await runRecovery({ check, ladder: () => [s.rung('whatsapp.reconnect')], dryRun: false, maxSteps: 3, deadlineMs: 200 });
			expect(result.status).toBe('down');
			expect(result.recovery.deadlineHit).toBe(true);
			expect(result.recovery.steps.at(-1)?.message).toMatch(/during the re-check after whatsapp\.reconnect$/);
		});

		test('every call is handed the signal, and it aborts at the deadline', async () => {
			const signals: AbortSignal[] = [];
			const check = (signal: AbortSignal) => {
				signals.push(signal);
				return new Promise<CheckResult>((resolve) => signal.addEventListener('abort', () => resolve(down('net.timeout'))));
			};
			const { result } = await runRecovery({ check, ladder: (_state, signal) => (signals.push(signal), [{ action: 'whatsapp.reconnect', description: 'x', run: async () => ({ ok: true, message: 'x' }) }]), dryRun: false, maxSteps: 3, deadlineMs: 100 });
			expect(signals.length).toBeGreaterThanOrEqual(2);
			expect(signals.every((signal) => signal.aborted)).toBe(true);
			expect(result.recovery).toMatchObject({ attempted: false, deadlineHit: true });
			expect(result.recovery.steps).toEqual([expect.objectContaining({ action: 'deadline', message: 'stopped at the recovery deadline (0.1 s) during the first check; 1 more action(s) not tried' })]);
		});

		test('a recovery that ends in time reports its deadline and no hit', async () => {
			const s = scenario([down(), healthy()]);
			const { result } = await runRecovery({ check: s.check, ladder: () => [s.rung('whatsapp.reconnect')], dryRun: false, maxSteps: 3, deadlineMs: 5_000 });
			expect(result.recovery.deadlineMs).toBe(5_000);
			expect(result.recovery).not.toHaveProperty('deadlineHit');
		});
	});
});
