/**
 * The escalation engine behind every Recover/Repair operation: check, then try the
 * ladder's actions one by one, re-checking after each, until the target is healthy,
 * the ladder, the `maxSteps` budget or the deadline runs out. The deadline bounds the
 * whole recovery: its signal reaches every call, an action still running when it
 * passes is left behind, and a last step says where it stopped. With `dryRun` nothing
 * is called: the steps say what would have been done. Plain logic with injected calls,
 * so it is tested without n8n and shared by every node.
 */
import type { ActionId, CheckResult, Recovery, RecoveryResult, RecoveryStep } from '../contract';
import { DEFAULT_RECOVERY_DEADLINE_SECONDS, describeDeadline, startDeadline } from '../deadline';
import { idleActionOf, NO_ACTION_NEEDED } from './noActionNeeded';

export interface LadderRung<A = unknown> {
	action: ActionId;
	description: string;
	run: () => Promise<{ ok: boolean; message: string } & A>;
}

interface RecoveryPlan<A = unknown> {
	/** Must honour the signal (hand it to every call): it aborts when the deadline passes. */
	check: (signal: AbortSignal) => Promise<CheckResult>;
	/** The rungs that could fix this state, in escalation order; empty: escalate to a human. Rungs get the same signal. */
	ladder: (state: CheckResult, signal: AbortSignal) => Array<LadderRung<A>>;
	dryRun: boolean;
	/**
	 * The action this Recover stands for, logged as not attempted when the target is already
	 * healthy (shared/recovery/noActionNeeded); default: the component's first action.
	 */
	idleAction?: ActionId;
	/** At most this many actions (each followed by a re-check). */
	maxSteps: number;
	/** The whole recovery (check, actions, re-checks) ends within this many ms. */
	deadlineMs?: number;
	now?: () => number;
}

interface RecoveryRun<A> {
	result: RecoveryResult;
	/** What the rungs returned beyond ok/message (e.g. a QR), in order. */
	extras: Array<Omit<{ ok: boolean; message: string } & A, 'ok' | 'message'>>;
}

export async function runRecovery<A = unknown>(plan: RecoveryPlan<A>): Promise<RecoveryRun<A>> {
	const deadline = startDeadline(plan.deadlineMs ?? DEFAULT_RECOVERY_DEADLINE_SECONDS * 1000, plan.now);
	try {
		return await climb(plan, deadline);
	} finally {
		deadline.end();
	}
}

async function climb<A>(plan: RecoveryPlan<A>, deadline: ReturnType<typeof startDeadline>): Promise<RecoveryRun<A>> {
	const now = plan.now ?? Date.now;
	const { signal } = deadline;
	const before = await plan.check(signal);
	const steps: RecoveryStep[] = [];
	const extras: RecoveryRun<A>['extras'] = [];
	let deadlineHit = false;
	const finish = (state: CheckResult, action: ActionId, attempted: boolean): RecoveryRun<A> => {
		const recovery: Recovery = {
			action,
			attempted,
			success: attempted && !plan.dryRun && state.status === 'healthy',
			...(plan.dryRun ? { dryRun: true } : {}),
			before: before.status,
			after: state.status,
			steps,
			deadlineMs: deadline.totalMs,
			...(deadlineHit ? { deadlineHit: true } : {}),
		};
		return { result: { ...state, recovery }, extras };
	};
	/** The step that says the deadline stopped the ladder, where, and what was left. */
	const stopAtDeadline = (during: string, left: number) => {
		deadlineHit = true;
		const rest = left > 0 ? `; ${left} more action(s) not tried` : '';
		steps.push({ action: 'deadline', ok: false, message: `stopped at the recovery deadline (${describeDeadline(deadline.totalMs)}) during ${during}${rest}`, durationMs: 0 });
	};

	if (before.status === 'healthy') {
		// Nothing to fix: say so, never a notify.escalate nobody needs (shared/recovery/noActionNeeded).
		steps.push({ action: 'check', ok: true, message: NO_ACTION_NEEDED, durationMs: 0 });
		return finish(before, plan.idleAction ?? idleActionOf(before.component), false);
	}

	const ladder = plan.ladder(before, signal);
	if (ladder.length === 0) {
		const why = before.cause?.needsHuman ? 'it needs a person' : 'no automatic action applies';
		steps.push({ action: 'notify.escalate', ok: true, message: `${before.cause?.message ?? 'unhealthy'} (${why})`, durationMs: 0 });
		return finish(before, 'notify.escalate', false);
	}

	let state = before;
	let lastAction: ActionId = ladder[0].action;
	let ran = plan.dryRun;
	const planned = ladder.slice(0, Math.max(0, plan.maxSteps));
	for (const [index, rung] of planned.entries()) {
		if (plan.dryRun) {
			lastAction = rung.action;
			steps.push({ action: rung.action, ok: true, message: `dry run: would ${rung.description}`, durationMs: 0 });
			continue;
		}
		if (index === 0 && deadline.passed()) {
			stopAtDeadline('the first check', planned.length);
			break;
		}
		ran = true;
		lastAction = rung.action;
		const started = now();
		let outcome: { ok: boolean; message: string } & A;
		let late = false;
		try {
			outcome = await deadline.race(rung.run(), () => {
				late = true;
				return { ok: false, message: 'did not finish before the recovery deadline; its outcome is not known' } as { ok: boolean; message: string } & A;
			});
		} catch (error) {
			// Rungs report failures as results; a throw is a bug, still recorded, never fatal.
			outcome = { ok: false, message: `failed unexpectedly: ${(error as Error).message}` } as { ok: boolean; message: string } & A;
		}
		const { ok, message, ...extra } = outcome;
		extras.push(extra as RecoveryRun<A>['extras'][number]);
		steps.push({ action: rung.action, ok, message, durationMs: Math.max(0, now() - started) });
		if (late) {
			stopAtDeadline(rung.action, planned.length - index - 1);
			break;
		}
		const recheckStarted = now();
		state = await deadline.race(plan.check(signal), () => state);
		steps.push({ action: 'check', ok: state.status === 'healthy', message: `re-check: ${state.status}${state.cause ? ` (${state.cause.code})` : ''}`, durationMs: Math.max(0, now() - recheckStarted) });
		if (state.status === 'healthy') break;
		if (deadline.passed()) {
			stopAtDeadline(`the re-check after ${rung.action}`, planned.length - index - 1);
			break;
		}
	}
	if (!plan.dryRun && !deadlineHit && state.status !== 'healthy' && ladder.length > plan.maxSteps) {
		steps.push({ action: 'notify.escalate', ok: true, message: `stopped after maxSteps=${plan.maxSteps}; ${ladder.length - plan.maxSteps} more action(s) not tried`, durationMs: 0 });
	}
	return finish(state, lastAction, ran);
}
