/**
 * Which payment provider the bot should use now, from both providers' check results:
 * stay on the primary while it works (even degraded), switch to the secondary when the
 * primary is down and the secondary works (`payments.use_fallback`), escalate when
 * neither works. Plain logic, tested without n8n.
 */
import type { ActionId, CheckResult, Status } from '../../shared/contract';
import type { PaymentProviderName } from './types';

export interface ProviderSelection {
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
	if (result.component !== 'payments') return null;
	const name = result.target.split(':')[0];
	return name === 'mercadopago' || name === 'paypal' ? name : null;
}

const works = (status: Status) => status !== 'down';

export function selectPaymentProvider(
	primary: { name: PaymentProviderName; result: CheckResult },
	secondary: { name: PaymentProviderName; result: CheckResult },
): ProviderSelection {
	const base = {
		component: 'payments' as const,
		primary: primary.name,
		secondary: secondary.name,
		primaryStatus: primary.result.status,
		secondaryStatus: secondary.result.status,
	};
	const why = (result: CheckResult) => result.cause?.message ?? result.status;
	if (works(primary.result.status)) {
		return {
			...base,
			use: primary.name,
			switchNeeded: false,
			action: null,
			reason:
				primary.result.status === 'healthy'
					? `${primary.name} works: keep using it.`
					: `${primary.name} works but is degraded (${why(primary.result)}): keep using it.`,
		};
	}
	if (works(secondary.result.status)) {
		return {
			...base,
			use: secondary.name,
			switchNeeded: true,
			action: 'payments.use_fallback',
			reason: `${primary.name} is down (${why(primary.result)}); ${secondary.name} works${secondary.result.status === 'degraded' ? ' (degraded)' : ''}: switch to it.`,
		};
	}
	return {
		...base,
		use: null,
		switchNeeded: false,
		action: 'notify.escalate',
		reason: `No payment provider works: ${primary.name} (${why(primary.result)}) and ${secondary.name} (${why(secondary.result)}).`,
	};
}
