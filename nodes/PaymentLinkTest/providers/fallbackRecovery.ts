/**
 * `payments.use_fallback` as a contract recovery result. We cannot repair a payment
 * provider; the recovery is a decision: keep the primary while it works, switch to the
 * secondary when only it works, escalate when neither does. "Switching" changes nothing
 * here: the bot reads `details.selection.use`. The item is the check result of the
 * provider to use now (the primary's when none works). The shape is the shared
 * fallback's (shared/recovery/fallback); what is checked here is the payment pair.
 */
import type { RecoveryResult } from '../../shared/contract';
import { checkAll, fallbackRecoveryResult, FallbackParameterError, requireDryRun, unfinishedCheck, type FallbackTerms, type NamedResult } from '../../shared/recovery/fallback';
import { providerOfResult, selectPaymentProvider } from './selectProvider';
import { PAYMENT_PROVIDERS, type PaymentCheckOptions, type PaymentProvider, type PaymentProviderName } from './types';

/** An input that cannot work (the caller's mistake), naming the parameter. */
export class PaymentFallbackError extends FallbackParameterError {}

const TERMS: FallbackTerms = { action: 'payments.use_fallback', reader: 'bot', error: PaymentFallbackError };

/** One provider's check result and how long the check took. */
export interface ProviderCheck extends NamedResult<PaymentProviderName> {
	durationMs: number;
	/** The recovery deadline cut this check short. */
	late?: boolean;
}

function validateCheck(check: ProviderCheck, parameter: 'primary' | 'secondary'): void {
	if (typeof check !== 'object' || check === null || !(PAYMENT_PROVIDERS as readonly unknown[]).includes(check.name)) {
		throw new PaymentFallbackError(parameter, `${parameter}.name must be mercadopago or paypal.`);
	}
	if (typeof check.result !== 'object' || check.result === null || providerOfResult(check.result) !== check.name) {
		throw new PaymentFallbackError(parameter, `${parameter}.result must be the payments check result of ${check.name}.`);
	}
	if (typeof check.durationMs !== 'number' || !Number.isFinite(check.durationMs)) {
		throw new PaymentFallbackError(parameter, `${parameter}.durationMs must be a number of milliseconds.`);
	}
}

/** The primary and secondary provider names, checked: known providers, and not the same one. */
export function providerPair(primary: unknown, secondary: unknown): [PaymentProviderName, PaymentProviderName] {
	for (const [value, parameter, label] of [
		[primary, 'primaryProvider', 'Primary Provider'],
		[secondary, 'secondaryProvider', 'Secondary Provider'],
	] as const) {
		if (!(PAYMENT_PROVIDERS as readonly unknown[]).includes(value)) {
			throw new PaymentFallbackError(parameter, `Parameter "${label}" must be mercadopago or paypal, got ${JSON.stringify(value)}`);
		}
	}
	if (primary === secondary) {
		throw new PaymentFallbackError('secondaryProvider', 'Parameters "Primary Provider" and "Secondary Provider" must differ');
	}
	return [primary as PaymentProviderName, secondary as PaymentProviderName];
}

/** The recovery result of both providers' checks: the chosen provider's result plus the decision. */
export function paymentFallbackResult(primary: ProviderCheck, secondary: ProviderCheck, options: { dryRun: boolean; deadlineMs?: number }): RecoveryResult {
	validateCheck(primary, 'primary');
	validateCheck(secondary, 'secondary');
	providerPair(primary.name, secondary.name);
	const checks = [
		{ ...primary, label: `primary ${primary.name}` },
		{ ...secondary, label: `secondary ${secondary.name}` },
	];
	return fallbackRecoveryResult(checks, selectPaymentProvider(primary, secondary), TERMS, options);
}

interface PaymentFallbackPlan {
	primary: PaymentProvider;
	secondary: PaymentProvider;
	/** The check options of each provider (its own currency; a fresh probe reference). */
	checkOptions: (provider: PaymentProviderName) => PaymentCheckOptions;
	dryRun: boolean;
	/** Both checks end within this many ms. */
	deadlineMs: number;
	now?: () => number;
}

/** Checks both providers at once and turns the outcome into the recovery result. */
export async function recoverPayments(plan: PaymentFallbackPlan): Promise<RecoveryResult> {
	providerPair(plan.primary?.name, plan.secondary?.name);
	requireDryRun(plan.dryRun, PaymentFallbackError);
	const [primary, secondary] = await checkAll([plan.primary, plan.secondary], (provider) => provider.check(plan.checkOptions(provider.name)), {
		deadlineMs: plan.deadlineMs,
		unfinished: (provider) => unfinishedCheck('payments', provider.target, plan.deadlineMs),
		now: plan.now,
	});
	return paymentFallbackResult(
		{ name: primary.provider.name, result: primary.result, durationMs: primary.durationMs, late: primary.late },
		{ name: secondary.provider.name, result: secondary.result, durationMs: secondary.durationMs, late: secondary.late },
		{ dryRun: plan.dryRun, deadlineMs: plan.deadlineMs },
	);
}
