import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import type { CheckResult } from '../../../nodes/shared/contract';
import { runRecovery, type LadderRung } from '../../../nodes/shared/recovery/runRecovery';
import { validateRecoveryResult } from '../../../nodes/shared/validate';

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
	test('healthy already: nothing attempted', async () => {
		const s = scenario([healthy()]);
		const { result } = await runRecovery({ check: s.check, ladder: () => [s.rung('whatsapp.reconnect')], dryRun: false, maxSteps: 3 });
		expect(s.calls).toEqual([]);
		expect(result.recovery).toMatchObject({ attempted: false, success: false, before: 'healthy', after: 'healthy' });
		expect(validateRecoveryResult(result)).toEqual([]);
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
});
