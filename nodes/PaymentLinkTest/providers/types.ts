/**
 * What every payment provider (MercadoPago, PayPal) offers the Payment Link Test
 * node: one Check that proves customers can still get a payment link, the way the bot
 * makes one. Provider files hold the calls and the classification, with no n8n types.
 */
import type { CheckResult } from '../../shared/contract';

export const PAYMENT_PROVIDERS = ['mercadopago', 'paypal'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

export interface PaymentCheckOptions {
	/** Deadline of each call in ms (contract default 10 s); a 429 is retried once only if its wait fits. */
	timeoutMs: number;
	/** Whether to create a test payment link (the real proof); false checks config and auth only. */
	createLink: boolean;
	/** Label put on every test order (external_reference / reference_id), e.g. `autorecovery-probe-1763712000000`. */
	probeReference: string;
	/** Amount and currency of the one test item. */
	amount: number;
	currency: string;
	/** A fresh idempotency key per attempt (injected so tests can check uniqueness). */
	newIdempotencyKey: () => string;
}

export interface PaymentProvider {
	readonly name: PaymentProviderName;
	/** Contract target, e.g. `mercadopago` or `paypal:sandbox`. */
	readonly target: string;
	/** Secret values of the credential, for redaction. */
	readonly secrets: string[];
	check(options: PaymentCheckOptions): Promise<CheckResult>;
}
