/**
 * `payments.use_fallback` as a contract recovery result. We cannot repair a payment
 * provider; the recovery is a decision: keep the primary while it works, switch to the
 * secondary when only it works, escalate when neither does. "Switching" changes nothing
 * here: the bot reads `details.selection.use`. The item is the check result of the
 * provider to use now (the primary's when none works). Plain logic, tested without n8n.
 */
import type { CheckResult, Recovery, RecoveryResult, RecoveryStep } from '../../shared/contract';
import { providerOfResult, selectPaymentProvider, type ProviderSelection } from './selectProvider';
import type { PaymentCheckOptions, PaymentProvider, PaymentProviderName } from './types';

/** An input that cannot work (the caller's mistake), naming the parameter. */
export class PaymentFallbackError extends Error {
	constructor(
		readonly parameter: string,
		message: string,
	) {
		super(message);
		this.name = 'PaymentFallbackError';
	}
}

/** One provider's check result and how long the check took. */
export interface ProviderCheck {
	name: PaymentProviderName;
	result: CheckResult;
	durationMs: number;
}

function describeCheck(role: string, check: ProviderCheck): string {
	const { status, cause } = check.result;
	return `${role} ${check.name}: ${status}${cause ? ` (${cause.code}: ${cause.message})` : ''}`;
}

function checkStep(role: string, check: ProviderCheck): RecoveryStep {
	return { action: 'check', ok: check.result.status === 'healthy', message: describeCheck(role, check), durationMs: Math.max(0, check.durationMs) };
}

function validateCheck(check: ProviderCheck, parameter: 'primary' | 'secondary'): void {
	if (typeof check !== 'object' || check === null || (check.name !== 'mercadopago' && check.name !== 'paypal')) {
		throw new PaymentFallbackError(parameter, `${parameter}.name must be mercadopago or paypal.`);
	}
	if (typeof check.result !== 'object' || check.result === null || providerOfResult(check.result) !== check.name) {
		throw new PaymentFallbackError(parameter, `${parameter}.result must be the payments check result of ${check.name}.`);
	}
	if (typeof check.durationMs !== 'number' || !Number.isFinite(check.durationMs)) {
		throw new PaymentFallbackError(parameter, `${parameter}.durationMs must be a number of milliseconds.`);
	}
}

const PROVIDER_NAMES: readonly PaymentProviderName[] = ['mercadopago', 'paypal'];

/** The primary and secondary provider names, checked: known providers, and not the same one. */
export function providerPair(primary: unknown, secondary: unknown): [PaymentProviderName, PaymentProviderName] {
	for (const [value, parameter, label] of [
		[primary, 'primaryProvider', 'Primary Provider'],
		[secondary, 'secondaryProvider', 'Secondary Provider'],
	] as const) {
		if (!(PROVIDER_NAMES as readonly unknown[]).includes(value)) {
			throw new PaymentFallbackError(parameter, `Parameter "${label}" must be mercadopago or paypal, got ${JSON.stringify(value)}`);
		}
	}
	if (primary === secondary) {
		throw new PaymentFallbackError('secondaryProvider', 'Parameters "Primary Provider" and "Secondary Provider" must differ');
	}
	return [primary as PaymentProviderName, secondary as PaymentProviderName];
}

/** The step that states the decision, and the recovery fields it implies. */
function decide(selection: ProviderSelection, dryRun: boolean): { step: RecoveryStep; recovery: Pick<Recovery, 'action' | 'attempted'> } {
	const step = (ok: boolean, message: string): RecoveryStep => ({ action: 'select', ok, message, durationMs: 0 });
	if (selection.use === selection.primary) {
		return { step: step(true, `primary works: nothing to switch. ${selection.reason}`), recovery: { action: 'payments.use_fallback', attempted: false } };
	}
	if (selection.use === null) {
		return { step: step(false, `${selection.reason} Nothing to switch to: escalate to a person.`), recovery: { action: 'notify.escalate', attempted: false } };
	}
	const reads = `the switch is a decision the bot reads from details.selection.use (${selection.use}).`;
	return {
		step: step(true, dryRun ? `dry run: would switch to ${selection.use}. ${selection.reason} Nothing is changed either way: ${reads}` : `${selection.reason} Nothing is changed here: ${reads}`),
		recovery: { action: 'payments.use_fallback', attempted: true },
	};
}

/** The recovery result of both providers' checks: the chosen provider's result plus the decision. */
export function paymentFallbackResult(primary: ProviderCheck, secondary: ProviderCheck, options: { dryRun: boolean }): RecoveryResult {
	validateCheck(primary, 'primary');
	validateCheck(secondary, 'secondary');
	providerPair(primary.name, secondary.name);
	if (typeof options?.dryRun !== 'boolean') throw new PaymentFallbackError('dryRun', 'dryRun must be true or false.');

	const selection = selectPaymentProvider(primary, secondary);
	const chosen = selection.use === secondary.name ? secondary.result : primary.result;
	const { step, recovery } = decide(selection, options.dryRun);
	const steps = [checkStep('primary', primary), checkStep('secondary', secondary), step];
	return {
		...chosen,
		details: { ...(chosen.details ?? {}), selection },
		recovery: {
			...recovery,
			// Success: a switch was decided (not only planned) and the provider now in use is healthy.
			success: recovery.attempted && !options.dryRun && chosen.status === 'healthy',
			...(options.dryRun ? { dryRun: true } : {}),
			before: primary.result.status,
			after: chosen.status,
			steps,
		},
	};
}

export interface PaymentFallbackPlan {
	primary: PaymentProvider;
	secondary: PaymentProvider;
	/** The check options of each provider (its own currency; a fresh probe reference). */
	checkOptions: (provider: PaymentProviderName) => PaymentCheckOptions;
	dryRun: boolean;
	now?: () => number;
}

/**
 * Checks both providers (at once: each call has its own deadline, so this takes as long
 * as the slower check) and turns the outcome into the recovery result.
 */
export async function recoverPayments(plan: PaymentFallbackPlan): Promise<RecoveryResult> {
	providerPair(plan.primary?.name, plan.secondary?.name);
	if (typeof plan.dryRun !== 'boolean') throw new PaymentFallbackError('dryRun', 'dryRun must be true or false.');
	const now = plan.now ?? Date.now;
	const timed = async (provider: PaymentProvider): Promise<ProviderCheck> => {
		const started = now();
		const result = await provider.check(plan.checkOptions(provider.name));
		return { name: provider.name, result, durationMs: Math.max(0, now() - started) };
	};
	const [primary, secondary] = await Promise.all([timed(plan.primary), timed(plan.secondary)]);
	return paymentFallbackResult(primary, secondary, { dryRun: plan.dryRun });
}
