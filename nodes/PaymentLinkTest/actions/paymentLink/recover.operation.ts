/**
 * Recover (`payments.use_fallback`): checks both providers the way Check does, picks the
 * one the bot should use now and outputs one recovery result per item: the chosen
 * provider's check result, the decision in `recovery`, the selection in `details`.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { flagParameter, recoveryDeadlineField, recoveryDeadlineMs, runDeadlineOptionFields, timeoutOptionField, timeoutParameter } from '../../../shared/n8n/parameters';
import { asMitigation, failingResultOf } from '../../../shared/recovery/mitigation';
import { probeCheckOptions, resolveCurrency } from '../../providers/checkOptions';
import { providerPair, recoverPayments } from '../../providers/fallbackRecovery';
import type { PaymentProviderName } from '../../providers/types';
import { providerNamed, secretsOfProvider } from '../../transport/provider';
import { optionsCollection } from '../../../shared/n8n/fields';

const show = { operation: ['recover'] };

/** Which option holds each provider's currency. */
const CURRENCY_OPTION: Record<PaymentProviderName, { name: string; displayName: string }> = {
	mercadopago: { name: 'mercadoPagoCurrency', displayName: 'MercadoPago Currency' },
	paypal: { name: 'payPalCurrency', displayName: 'PayPal Currency' },
};

export const description: INodeProperties[] = [
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: 'Whether to only report the decision as what would be done. Both providers are checked either way; nothing is switched here in any case, the bot reads the decision.',
		displayOptions: { show },
	},
	recoveryDeadlineField(show),
	optionsCollection(show, [
			{
				displayName: 'Create Test Link',
				name: 'createLink',
				type: 'boolean',
				default: true,
				description: 'Whether each check creates a labelled test payment link (never paid or captured); off checks configuration and credentials only',
			},
			{ displayName: 'MercadoPago Currency', name: 'mercadoPagoCurrency', type: 'string', default: '', placeholder: 'ARS', description: 'ISO code of the MercadoPago test item; empty: ARS' },
			{ displayName: 'PayPal Currency', name: 'payPalCurrency', type: 'string', default: '', placeholder: 'USD', description: 'ISO code of the PayPal test item; empty: USD' },
			timeoutOptionField('Deadline of every call; both providers are checked at once'),
			...runDeadlineOptionFields(),
		]),
];

/** The two providers, checked (known, different); a bad pair throws naming the parameter. */
export function primaryAndSecondary(ctx: IExecuteFunctions, itemIndex: number): [PaymentProviderName, PaymentProviderName] {
	return providerPair(ctx.getNodeParameter('primaryProvider', itemIndex), ctx.getNodeParameter('secondaryProvider', itemIndex));
}

/** Recover reads both providers' credentials: both are masked in its errors. */
export async function secrets(ctx: IExecuteFunctions, itemIndex: number): Promise<string[]> {
	const names = primaryAndSecondary(ctx, itemIndex);
	return (await Promise.all(names.map((name) => secretsOfProvider(ctx, name, itemIndex)))).flat();
}

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const [primaryName, secondaryName] = primaryAndSecondary(this, itemIndex);
	const dryRun = flagParameter(this, 'dryRun', itemIndex);
	const timeoutMs = timeoutParameter(this, itemIndex);
	const createLink = this.getNodeParameter('options.createLink', itemIndex, true) as boolean;
	const currencies = Object.fromEntries(
		[primaryName, secondaryName].map((name) => {
			const option = CURRENCY_OPTION[name];
			return [name, resolveCurrency(name, this.getNodeParameter(`options.${option.name}`, itemIndex, '') as string, option.displayName)];
		}),
	) as Record<PaymentProviderName, string>;
	const primary = await providerNamed(this, primaryName, itemIndex);
	const secondary = await providerNamed(this, secondaryName, itemIndex);
	const result = await recoverPayments({
		primary,
		secondary,
		dryRun,
		deadlineMs: recoveryDeadlineMs(this, itemIndex),
		checkOptions: (name) => probeCheckOptions({ timeoutMs, createLink, amount: 1, currency: currencies[name] }),
	});
	// Given the failing result (the Recover sub-workflow passes it), answer about that target.
	const failing = failingResultOf(this.getInputData()[itemIndex]?.json, 'payments');
	return (failing && failing.target === primaryName ? asMitigation(failing, result) : result) as unknown as IDataObject;
}
