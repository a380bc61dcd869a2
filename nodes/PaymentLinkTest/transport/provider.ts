/** Builds the payment provider client for one item from the node's credential. */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { credentialBaseUrl, credentialText as text } from '../../shared/n8n/credentials';

import { createMercadoPagoProvider } from '../providers/mercadopago';
import { createPayPalProvider } from '../providers/paypal';
import type { PaymentProvider, PaymentProviderName } from '../providers/types';
import { PROVIDER_BASE_URLS } from '../../shared/providerBaseUrls';

const CREDENTIAL_BY_PROVIDER: Record<PaymentProviderName, string> = {
	mercadopago: 'autorecoveryMercadoPagoApi',
	paypal: 'autorecoveryPayPalApi',
};

export function providerName(ctx: IExecuteFunctions, itemIndex: number): PaymentProviderName {
	const name = ctx.getNodeParameter('provider', itemIndex) as string;
	if (!(name in CREDENTIAL_BY_PROVIDER)) {
		throw new NodeOperationError(ctx.getNode(), `Parameter "Provider" has an unsupported value: ${name}`, { itemIndex });
	}
	return name as PaymentProviderName;
}

export async function providerSecrets(ctx: IExecuteFunctions, itemIndex: number): Promise<string[]> {
	return secretsOfProvider(ctx, providerName(ctx, itemIndex), itemIndex);
}

/** The secret values of one provider's credential, for redaction. */
export async function secretsOfProvider(ctx: IExecuteFunctions, name: PaymentProviderName, itemIndex: number): Promise<string[]> {
	const credentials = await ctx.getCredentials(CREDENTIAL_BY_PROVIDER[name], itemIndex);
	return ['accessToken', 'clientSecret'].map((key) => text(credentials, key)).filter(Boolean);
}

export async function providerFor(ctx: IExecuteFunctions, itemIndex: number): Promise<PaymentProvider> {
	return providerNamed(ctx, providerName(ctx, itemIndex), itemIndex);
}

/** The client of a given provider, from its credential (Recover builds both this way). */
export async function providerNamed(ctx: IExecuteFunctions, name: PaymentProviderName, itemIndex: number): Promise<PaymentProvider> {
	const credentials = await ctx.getCredentials(CREDENTIAL_BY_PROVIDER[name], itemIndex);
	const baseUrl = credentialBaseUrl(ctx, text(credentials, 'baseUrl'), itemIndex);
	if (name === 'mercadopago') {
		const environment = text(credentials, 'environment') === 'sandbox' ? 'sandbox' : 'production';
		return createMercadoPagoProvider({ baseUrl: baseUrl || PROVIDER_BASE_URLS.mercadopago, accessToken: text(credentials, 'accessToken'), environment });
	}
	const environment = text(credentials, 'environment') === 'sandbox' ? 'sandbox' : 'live';
	return createPayPalProvider({
		environment,
		baseUrl: baseUrl || undefined,
		clientId: text(credentials, 'clientId'),
		clientSecret: text(credentials, 'clientSecret'),
	});
}
