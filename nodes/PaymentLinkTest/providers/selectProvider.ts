/**
 * Which payment provider the bot should use now, from both providers' check results:
 * stay on the primary while it works (even degraded), switch to the secondary when the
 * primary is down and the secondary works (`payments.use_fallback`), escalate when
 * neither works. Plain logic, tested without n8n.
 */
import type { ActionId, CheckResult, Status } from '../../shared/contract';
import { causeText, firstUsable, providerOfTarget, type NamedResult } from '../../shared/recovery/fallback';
import { PAYMENT_PROVIDERS, type PaymentProviderName } from './types';

interface ProviderSelection {
	component: 'payments';
	/** The provider the bot should use now; null when none works. */
	use: PaymentProviderName | null;
	primary: PaymentProviderName;
	secondary: PaymentProviderName;
	primaryStatus: Status;
	secondaryStatus: Status;
	/** True when the bot must change its setting (use differs from the primary). */
	switchNeeded: boolean;
	/** The action a workflow should take: switch, escalate, or nothing. */
	action: ActionId | null;
	reason: string;
}

/** The provider a result speaks of, from its target (`mercadopago`, `paypal:live`, ...). */
export function providerOfResult(result: Pick<CheckResult, 'component' | 'target'>): PaymentProviderName | null {
	return providerOfTarget(result, 'payments', PAYMENT_PROVIDERS);
}

const works = (status: Status) => status !== 'down';

export function selectPaymentProvider(
	primary: NamedResult<PaymentProviderName>,
	secondary: NamedResult<PaymentProviderName>,
): ProviderSelection {
	const base = {
		component: 'payments' as const,
		primary: primary.name,
		secondary: secondary.name,
		primaryStatus: primary.result.status,
		secondaryStatus: secondary.result.status,
	};
	const { chosen } = firstUsable([primary, secondary], (result) => works(result.status));
	if (chosen === primary) {
		return {
			...base,
			use: primary.name,
			switchNeeded: false,
			action: null,
			reason:
				primary.result.status === 'healthy'
					? `${primary.name} works: keep using it.`
					: `${primary.name} works but is degraded (${causeText(primary.result)}): keep using it.`,
		};
	}
	if (chosen) {
		return {
			...base,
			use: secondary.name,
			switchNeeded: true,
			action: 'payments.use_fallback',
			reason: `${primary.name} is down (${causeText(primary.result)}); ${secondary.name} works${secondary.result.status === 'degraded' ? ' (degraded)' : ''}: switch to it.`,
		};
	}
	return {
		...base,
		use: null,
		switchNeeded: false,
		action: 'notify.escalate',
		reason: `No payment provider works: ${primary.name} (${causeText(primary.result)}) and ${secondary.name} (${causeText(secondary.result)}).`,
	};
}
