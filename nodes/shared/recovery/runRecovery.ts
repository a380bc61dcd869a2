/**
 * The escalation engine behind every Recover/Repair operation: check, then try the
 * ladder's actions one by one, re-checking after each, until the target is healthy,
 * the ladder or the `maxSteps` budget runs out. With `dryRun` nothing is called: the
 * steps say what would have been done. Plain logic with injected calls, so it is
 * tested without n8n and shared by every node.
 */
import type { ActionId, CheckResult, Recovery, RecoveryResult, RecoveryStep } from '../contract';

export interface LadderRung<A = unknown> {
	action: ActionId;
	description: string;
	run: () => Promise<{ ok: boolean; message: string } & A>;
}

interface RecoveryPlan<A = unknown> {
	check: () => Promise<CheckResult>;
	/** The rungs that could fix this state, in escalation order; empty: escalate to a human. */
	ladder: (state: CheckResult) => Array<LadderRung<A>>;
	dryRun: boolean;
	/** At most this many actions (each followed by a re-check). */
	maxSteps: number;
	now?: () => number;
}

interface RecoveryRun<A> {
	result: RecoveryResult;
	/** What the rungs returned beyond ok/message (e.g. a QR), in order. */
	extras: Array<Omit<{ ok: boolean; message: string } & A, 'ok' | 'message'>>;
}

export async function runRecovery<A = unknown>(plan: RecoveryPlan<A>): Promise<RecoveryRun<A>> {
	const now = plan.now ?? Date.now;
	const before = await plan.check();
	const steps: RecoveryStep[] = [];
	const extras: RecoveryRun<A>['extras'] = [];
	const finish = (state: CheckResult, action: ActionId, attempted: boolean): RecoveryRun<A> => {
		const recovery: Recovery = {
			action,
			attempted,
			success: attempted && !plan.dryRun && state.status === 'healthy',
			...(plan.dryRun ? { dryRun: true } : {}),
			before: before.status,
			after: state.status,
			steps,
		};
		return { result: { ...state, recovery }, extras };
	};

	if (before.status === 'healthy') {
		steps.push({ action: 'check', ok: true, message: 'already healthy: nothing to do', durationMs: 0 });
		return finish(before, 'notify.escalate', false);
	}

	const ladder = plan.ladder(before);
	if (ladder.length === 0) {
		const why = before.cause?.needsHuman ? 'it needs a person' : 'no automatic action applies';
		steps.push({ action: 'notify.escalate', ok: true, message: `${before.cause?.message ?? 'unhealthy'} (${why})`, durationMs: 0 });
		return finish(before, 'notify.escalate', false);
	}

	let state = before;
	let lastAction: ActionId = ladder[0].action;
	for (const rung of ladder.slice(0, Math.max(0, plan.maxSteps))) {
		lastAction = rung.action;
		if (plan.dryRun) {
			steps.push({ action: rung.action, ok: true, message: `dry run: would ${rung.description}`, durationMs: 0 });
			continue;
		}
		const started = now();
		let outcome: { ok: boolean; message: string } & A;
		try {
			outcome = await rung.run();
		} catch (error) {
			// Rungs report failures as results; a throw is a bug, still recorded, never fatal.
			outcome = { ok: false, message: `failed unexpectedly: ${(error as Error).message}` } as { ok: boolean; message: string } & A;
		}
		const { ok, message, ...extra } = outcome;
		extras.push(extra as RecoveryRun<A>['extras'][number]);
		steps.push({ action: rung.action, ok, message, durationMs: Math.max(0, now() - started) });
		const recheckStarted = now();
		state = await plan.check();
		steps.push({ action: 'check', ok: state.status === 'healthy', message: `re-check: ${state.status}${state.cause ? ` (${state.cause.code})` : ''}`, durationMs: Math.max(0, now() - recheckStarted) });
		if (state.status === 'healthy') break;
	}
	if (!plan.dryRun && state.status !== 'healthy' && ladder.length > plan.maxSteps) {
		steps.push({ action: 'notify.escalate', ok: true, message: `stopped after maxSteps=${plan.maxSteps}; ${ladder.length - plan.maxSteps} more action(s) not tried`, durationMs: 0 });
	}
	return finish(state, lastAction, true);
}
