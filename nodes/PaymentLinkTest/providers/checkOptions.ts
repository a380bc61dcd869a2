/**
 * The options of one payment provider check, built the same way by every operation
 * that checks a provider (Check, Recover): a fresh probe reference and a fresh
 * idempotency key per attempt, the test item's currency defaulting per provider.
 */
import { randomUUID } from 'node:crypto';

import type { PaymentCheckOptions, PaymentProviderName } from './types';

/** A parameter that cannot work (the caller's mistake), named by its display name. */
export class PaymentParameterError extends Error {
	constructor(
		readonly parameter: string,
		message: string,
	) {
		super(message);
		this.name = 'PaymentParameterError';
	}
}

/** The currency each provider's test item uses when none is configured. */
export const DEFAULT_CURRENCY: Record<PaymentProviderName, string> = { mercadopago: 'ARS', paypal: 'USD' };

/** The configured currency as an upper-case ISO code; empty means the provider's default. */
export function resolveCurrency(provider: PaymentProviderName, raw: string, parameter = 'Currency'): string {
	const currency = (raw.trim() || DEFAULT_CURRENCY[provider]).toUpperCase();
	if (!/^[A-Z]{3}$/.test(currency)) {
		throw new PaymentParameterError(parameter, `Parameter "${parameter}" must be a three-letter ISO code, got "${currency}"`);
	}
	return currency;
}

interface ProbeSettings {
	timeoutMs: number;
	createLink: boolean;
	amount: number;
	currency: string;
}

export function probeCheckOptions(settings: ProbeSettings, now: number = Date.now()): PaymentCheckOptions {
	return {
		timeoutMs: settings.timeoutMs,
		createLink: settings.createLink,
		amount: settings.amount,
		currency: settings.currency,
		probeReference: `autorecovery-probe-${now}`,
		newIdempotencyKey: () => randomUUID(),
	};
}
