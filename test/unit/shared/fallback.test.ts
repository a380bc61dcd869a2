/**
 * The shared fallback (shared/recovery/fallback) on its own, with a made-up domain:
 * the provider named by a target, the first usable provider of an ordered list, the
 * timed checks, and the recovery result of every decision (keep, switch, escalate;
 * dry runs; the steps). The payment and LLM suites cover the two real domains.
 */
import { CheckRecorder } from '../../../nodes/shared/checkRecorder';
import type { CheckResult, Status } from '../../../nodes/shared/contract';
import {
	causeText,
	checkAll,
	unfinishedCheck,
	fallbackRecoveryResult,
	FallbackParameterError,
	firstUsable,
	providerOfTarget,
	requireDryRun,
	type FallbackTerms,
	type LabelledCheck,
} from '../../../nodes/shared/recovery/fallback';
import { validateRecoveryResult } from '../../../nodes/shared/validate';
import { onFakeClock } from '../../harness/fakeClock';

type Name = 'alpha' | 'beta' | 'gamma';
const NAMES: readonly Name[] = ['alpha', 'beta', 'gamma'];

class DemoFallbackError extends FallbackParameterError {}
const TERMS: FallbackTerms = { action: 'payments.use_fallback', reader: 'bot', error: DemoFallbackError };

function result(name: string, status: Status): CheckResult {
	const recorder = new CheckRecorder('payments', name, () => Date.UTC(2026, 0, 15));
	if (status === 'healthy') recorder.pass('probe', 'ok');
	else if (status === 'degraded') recorder.degrade('probe', { code: 'provider.rate_limited', message: `${name} is rate limiting.`, retryable: true, needsHuman: false });
	else recorder.fail('probe', { code: 'provider.server_error', message: `${name} answered HTTP 500.`, retryable: true, needsHuman: false });
	return recorder.result({ fact: name });
}

const check = (name: Name, status: Status, i: number): LabelledCheck<Name> => ({ name, label: `#${i} ${name}`, result: result(name, status), durationMs: 10 * (i + 1) });

/** The demo domain's selection: the first provider that is not down. */
function select(checks: Array<LabelledCheck<Name>>): { use: Name | null; reason: string } {
	const { chosen } = firstUsable(checks, (r) => r.status !== 'down');
	return { use: chosen?.name ?? null, reason: chosen ? `${chosen.name} works.` : 'none works.' };
}

function recover(statuses: Status[], dryRun = false) {
	const checks = statuses.map((status, i) => check(NAMES[i], status, i));
	const out = fallbackRecoveryResult(checks, select(checks), TERMS, { dryRun });
	expect(validateRecoveryResult(out)).toEqual([]);
	return out;
}

describe('providerOfTarget', () => {
	test('the name before the first colon, for a result of the component only', () => {
		expect(providerOfTarget({ component: 'payments', target: 'beta:live' }, 'payments', NAMES)).toBe('beta');
		expect(providerOfTarget({ component: 'payments', target: 'alpha' }, 'payments', NAMES)).toBe('alpha');
		expect(providerOfTarget({ component: 'llm', target: 'alpha' }, 'payments', NAMES)).toBeNull();
		expect(providerOfTarget({ component: 'payments', target: 'delta' }, 'payments', NAMES)).toBeNull();
		expect(providerOfTarget({ component: 'payments', target: 7 as unknown as string }, 'payments', NAMES)).toBeNull();
	});
});

describe('firstUsable', () => {
	const named = (statuses: Status[]) => statuses.map((status, i) => ({ name: NAMES[i], result: result(NAMES[i], status) }));
	const notDown = (r: CheckResult) => r.status !== 'down';

	test('the primary when it is usable, nothing skipped', () => {
		const list = named(['degraded', 'healthy']);
		expect(firstUsable(list, notDown)).toEqual({ primary: list[0], chosen: list[0], skipped: [] });
	});
	test('the first usable one after the primary, the ones before it skipped', () => {
		const list = named(['down', 'down', 'healthy']);
		const pick = firstUsable(list, notDown);
		expect(pick.chosen).toBe(list[2]);
		expect(pick.skipped).toEqual([list[0], list[1]]);
	});
	test('none usable: no choice, every provider skipped', () => {
		const list = named(['down', 'down']);
		expect(firstUsable(list, notDown)).toEqual({ primary: list[0], skipped: list });
	});
	test('"usable" is the domain\'s: here only healthy counts', () => {
		const list = named(['degraded', 'healthy']);
		expect(firstUsable(list, (r) => r.status === 'healthy').chosen).toBe(list[1]);
	});
});

test('causeText quotes the cause, else the status', () => {
	expect(causeText(result('alpha', 'down'))).toBe('alpha answered HTTP 500.');
	expect(causeText(result('alpha', 'healthy'))).toBe('healthy');
});

describe('checkAll', () => {
	test('every provider checked at once, in order, each timed on the clock given', async () => {
		let clock = 100;
		const started: string[] = [];
		const out = await checkAll(
			['alpha', 'beta'] as const,
			async (name) => {
				started.push(name);
				await Promise.resolve();
				clock += 5;
				return result(name, 'healthy');
			},
			{ deadlineMs: 5000, unfinished: (name) => result(name, 'down'), now: () => clock },
		);
		expect(started).toEqual(['alpha', 'beta']);
		expect(out.map((c) => [c.provider, c.result.target])).toEqual([['alpha', 'alpha'], ['beta', 'beta']]);
		expect(out.every((c) => c.durationMs >= 5)).toBe(true);
	});
	test('a clock that steps back never gives a negative duration', async () => {
		let clock = 1000;
		const [only] = await checkAll(['alpha'], async (name) => ((clock -= 50), result(name, 'down')), { deadlineMs: 5000, unfinished: (name) => result(name, 'down'), now: () => clock });
		expect(only.durationMs).toBe(0);
	});
	test('a check still running at the deadline is reported as unfinished (down, net.timeout), the others as they are', async () => {
		// On jest's fake clock: exactly at the deadline, whatever the machine's load.
		const { value: out, elapsedMs } = await onFakeClock(() =>
			checkAll(
				['alpha', 'beta'] as const,
				(name, signal) => (name === 'alpha' ? Promise.resolve(result(name, 'healthy')) : new Promise<CheckResult>(() => void signal)),
				{ deadlineMs: 100, unfinished: (name) => unfinishedCheck('payments', name, 100) },
			),
		);
		expect(elapsedMs).toBe(100);
		expect(out.map((c) => [c.provider, c.result.status, c.late])).toEqual([['alpha', 'healthy', false], ['beta', 'down', true]]);
		expect(out[1].result.cause).toMatchObject({ code: 'net.timeout', message: 'The check of beta did not finish before the recovery deadline (0.1 s).' });
	});
});

describe('fallbackRecoveryResult', () => {
	test('primary usable: kept, nothing attempted, the item is the primary check with the selection', () => {
		const out = recover(['healthy', 'down']);
		expect(out).toMatchObject({ target: 'alpha', status: 'healthy', details: { fact: 'alpha', selection: { use: 'alpha' } } });
		const { steps, ...decision } = out.recovery;
		expect(decision).toEqual({ action: 'payments.use_fallback', attempted: false, success: false, before: 'healthy', after: 'healthy' });
		expect(steps.map((step) => [step.action, step.ok, step.message, step.durationMs])).toEqual([
			['check', true, '#0 alpha: healthy', 10],
			['check', false, '#1 beta: down (provider.server_error: beta answered HTTP 500.)', 20],
			['select', true, 'primary works: nothing to switch. alpha works.', 0],
		]);
	});

	test('a switch to a healthy provider further down the list: attempted and a success', () => {
		const out = recover(['down', 'down', 'healthy']);
		expect(out).toMatchObject({ target: 'gamma', status: 'healthy', details: { fact: 'gamma' } });
		expect(out.cause).toBeUndefined();
		expect(out.recovery).toMatchObject({ action: 'payments.use_fallback', attempted: true, success: true, before: 'down', after: 'healthy' });
		expect(out.recovery.dryRun).toBeUndefined();
		expect(out.recovery.steps.at(-1)).toEqual({
			action: 'select',
			ok: true,
			message: 'gamma works. Nothing is changed here: the switch is a decision the bot reads from details.selection.use (gamma).',
			durationMs: 0,
		});
	});

	test('a switch to a degraded provider: attempted, no success', () => {
		expect(recover(['down', 'degraded']).recovery).toMatchObject({ attempted: true, success: false, before: 'down', after: 'degraded' });
	});

	test('none usable: notify.escalate, the item is the primary check', () => {
		const out = recover(['down', 'down']);
		expect(out).toMatchObject({ target: 'alpha', status: 'down', cause: { code: 'provider.server_error' } });
		expect(out.recovery).toMatchObject({ action: 'notify.escalate', attempted: false, success: false });
		expect(out.recovery.steps.at(-1)).toMatchObject({ ok: false, message: 'none works. Nothing to switch to: escalate to a person.' });
	});

	test('dry run: the same decision, marked dry, never a success', () => {
		const out = recover(['down', 'healthy'], true);
		expect(out.recovery).toMatchObject({ attempted: true, success: false, dryRun: true });
		expect(out.recovery.steps.at(-1)?.message).toBe('dry run: would switch to beta. beta works. Nothing is changed either way: the switch is a decision the bot reads from details.selection.use (beta).');
		expect(recover(['healthy'], true).recovery).toMatchObject({ attempted: false, dryRun: true });
	});

	test('the action and the reader are the domain\'s', () => {
		const checks = [check('alpha', 'down', 0), check('beta', 'healthy', 1)];
		const out = fallbackRecoveryResult(checks, select(checks), { ...TERMS, action: 'llm.use_fallback', reader: 'caller' }, { dryRun: false });
		expect(out.recovery.action).toBe('llm.use_fallback');
		expect(out.recovery.steps.at(-1)?.message).toMatch(/decision the caller reads/);
	});

	test('a dryRun that is not a boolean throws the domain\'s error naming dryRun', () => {
		const checks = [check('alpha', 'healthy', 0)];
		expect(() => fallbackRecoveryResult(checks, select(checks), TERMS, { dryRun: 'no' as unknown as boolean })).toThrow(DemoFallbackError);
		expect(() => requireDryRun(undefined, DemoFallbackError)).toThrow(expect.objectContaining({ name: 'DemoFallbackError', parameter: 'dryRun', message: 'dryRun must be true or false.' }));
		expect(() => requireDryRun(false, DemoFallbackError)).not.toThrow();
	});
});
