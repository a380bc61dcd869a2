/**
 * A fallback between interchangeable providers (payments: MercadoPago / PayPal; LLMs:
 * Groq → OpenAI → Anthropic) as a decision and as a contract recovery result. Nothing
 * is repaired and nothing is switched here: every provider in the ordered list is
 * checked, the first usable one is the one to use (the first of the list is the
 * primary), and the caller reads that from `details.selection.use`. What "usable"
 * means, how the reason is worded and which action a switch is stay with the domain.
 * Plain logic, tested without n8n.
 */
import { commonCause } from '../causes';
import { CheckRecorder } from '../checkRecorder';
import type { ActionId, CheckResult, Component, Recovery, RecoveryResult, RecoveryStep } from '../contract';
import { describeDeadline, startDeadline } from '../deadline';

/** An input that cannot work (the caller's mistake), naming the parameter; each domain names its own subclass. */
export class FallbackParameterError extends Error {
	constructor(
		readonly parameter: string,
		message: string,
	) {
		super(message);
		this.name = new.target.name;
	}
}

type FallbackErrorClass = new (parameter: string, message: string) => FallbackParameterError;

/** A provider's check result, under the provider's name. */
export interface NamedResult<N extends string> {
	name: N;
	result: CheckResult;
}

/** The provider a result speaks of, from its target (`paypal:live` → paypal), if it is a `component` result of a known provider. */
export function providerOfTarget<N extends string>(result: Pick<CheckResult, 'component' | 'target'>, component: CheckResult['component'], names: readonly N[]): N | null {
	if (result.component !== component || typeof result.target !== 'string') return null;
	const name = result.target.split(':')[0];
	return (names as readonly string[]).includes(name) ? (name as N) : null;
}

/** The first usable provider of the ordered list (the first is the primary), and the ones passed over before it. */
export function firstUsable<C extends NamedResult<string>>(
	ordered: readonly C[],
	usable: (result: CheckResult) => boolean,
): { primary: C; chosen?: C; skipped: C[] } {
	const index = ordered.findIndex((candidate) => usable(candidate.result));
	return index < 0 ? { primary: ordered[0], skipped: [...ordered] } : { primary: ordered[0], chosen: ordered[index], skipped: ordered.slice(0, index) };
}

/** What a reason quotes of a result: its cause's message, else its status. */
export function causeText(result: CheckResult): string {
	return result.cause?.message ?? result.status;
}

export function requireDryRun(dryRun: unknown, error: FallbackErrorClass): void {
	if (typeof dryRun !== 'boolean') throw new error('dryRun', 'dryRun must be true or false.');
}

/** One provider's check, how long it took, and how a step names it (`primary mercadopago`, `fallback 1 openai`). */
export interface LabelledCheck<N extends string> extends NamedResult<N> {
	label: string;
	durationMs: number;
	/** The recovery deadline cut this check short. */
	late?: boolean;
}

/** A provider's check the recovery deadline cut short: down with net.timeout, saying so. */
export function unfinishedCheck(component: Component, target: string, deadlineMs: number): CheckResult {
	const cause = commonCause('net.timeout', `The check of ${target} did not finish before the recovery deadline (${describeDeadline(deadlineMs)}).`);
	return new CheckRecorder(component, target).fail('deadline', cause).result();
}

export interface CheckAllOptions<P> {
	/** The whole recovery's bound: a check still running then is reported as `unfinished` (signal: every call's abort). */
	deadlineMs: number;
	unfinished: (provider: P) => CheckResult;
	now?: () => number;
}

/**
 * Checks every provider at once (each call has its own timeout, so this takes as long
 * as the slowest check, and never longer than the deadline), timing each.
 */
export async function checkAll<P>(
	providers: readonly P[],
	check: (provider: P, signal: AbortSignal) => Promise<CheckResult>,
	options: CheckAllOptions<P>,
): Promise<Array<{ provider: P; result: CheckResult; durationMs: number; late: boolean }>> {
	const now = options.now ?? Date.now;
	const deadline = startDeadline(options.deadlineMs, now);
	try {
		return await Promise.all(
			providers.map(async (provider) => {
				const started = now();
				let late = false;
				const result = await deadline.race(check(provider, deadline.signal), () => {
					late = true;
					return options.unfinished(provider);
				});
				return { provider, result, durationMs: Math.max(0, now() - started), late };
			}),
		);
	} finally {
		deadline.end();
	}
}

export interface FallbackTerms {
	/** The action a switch is (`payments.use_fallback`, `llm.use_fallback`). */
	action: ActionId;
	/** Who reads the decision from `details.selection.use`: `bot`, `caller`. */
	reader: string;
	/** The domain's parameter error. */
	error: FallbackErrorClass;
}

function checkStep(check: LabelledCheck<string>): RecoveryStep {
	const { status, cause } = check.result;
	return {
		action: 'check',
		ok: status === 'healthy',
		message: `${check.label}: ${status}${cause ? ` (${cause.code}: ${cause.message})` : ''}`,
		durationMs: Math.max(0, check.durationMs),
	};
}

/** The step that states the decision, and the recovery fields it implies. */
function decide(use: string | null, primary: string, reason: string, terms: FallbackTerms, dryRun: boolean): { step: RecoveryStep; recovery: Pick<Recovery, 'action' | 'attempted'> } {
	const step = (ok: boolean, message: string): RecoveryStep => ({ action: 'select', ok, message, durationMs: 0 });
	if (use === null) {
		return { step: step(false, `${reason} Nothing to switch to: escalate to a person.`), recovery: { action: 'notify.escalate', attempted: false } };
	}
	if (use === primary) {
		return { step: step(true, `primary works: nothing to switch. ${reason}`), recovery: { action: terms.action, attempted: false } };
	}
	const reads = `the switch is a decision the ${terms.reader} reads from details.selection.use (${use}).`;
	return {
		step: step(true, dryRun ? `dry run: would switch to ${use}. ${reason} Nothing is changed either way: ${reads}` : `${reason} Nothing is changed here: ${reads}`),
		recovery: { action: terms.action, attempted: true },
	};
}

/**
 * The recovery result of the providers' checks (in list order) and the domain's selection:
 * the check result of the provider to use now (the primary's when none is usable), the
 * selection in `details.selection`, the decision in `recovery`.
 */
export function fallbackRecoveryResult<N extends string, S extends { use: N | null; reason: string }>(
	checks: ReadonlyArray<LabelledCheck<N>>,
	selection: S,
	terms: FallbackTerms,
	options: { dryRun: boolean; deadlineMs?: number },
): RecoveryResult {
	requireDryRun(options?.dryRun, terms.error);
	const { dryRun, deadlineMs } = options;
	const deadlineHit = checks.some((check) => check.late === true);
	const primary = checks[0];
	const chosen = (checks.find((check) => check.name === selection.use) ?? primary).result;
	const { step, recovery } = decide(selection.use, primary.name, selection.reason, terms, dryRun);
	return {
		...chosen,
		details: { ...(chosen.details ?? {}), selection },
		recovery: {
			...recovery,
			// Success: a switch was decided (not only planned) and the provider now in use is healthy.
			success: recovery.attempted && !dryRun && chosen.status === 'healthy',
			...(dryRun ? { dryRun: true } : {}),
			before: primary.result.status,
			after: chosen.status,
			steps: [...checks.map(checkStep), step],
			...(deadlineMs !== undefined ? { deadlineMs } : {}),
			...(deadlineHit ? { deadlineHit: true } : {}),
		},
	};
}
