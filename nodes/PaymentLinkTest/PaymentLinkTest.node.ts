import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import * as check from './actions/check.operation';
import * as recover from './actions/recover.operation';
import { router } from './actions/router';
import * as selectProvider from './actions/selectProvider.operation';

export class PaymentLinkTest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Payment Link Test',
		name: 'paymentLinkTest',
		icon: 'file:paymentLinkTest.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "check" ? "check: " + $parameter["provider"] : $parameter["operation"] === "recover" ? "recover: use fallback" : "select provider"}}',
		description: 'Proves that customers can still get a payment link (MercadoPago, PayPal) and picks the provider to use',
		defaults: { name: 'Payment Link Test' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: true,
		credentials: [
			// Check needs the chosen provider's credential, Recover both: `provider` is absent outside Check, so hiding by it only affects Check.
			{ name: 'autorecoveryMercadoPagoApi', required: true, displayOptions: { show: { operation: ['check', 'recover'] }, hide: { provider: ['paypal'] } } },
			{ name: 'autorecoveryPayPalApi', required: true, displayOptions: { show: { operation: ['check', 'recover'] }, hide: { provider: ['mercadopago'] } } },
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Check', value: 'check', description: 'Check configuration and credentials and create a test payment link', action: 'Check a payment provider' },
					{ name: 'Recover', value: 'recover', description: 'Check both providers and switch to the secondary when only it works (payments.use_fallback), as a recovery result', action: 'Recover payments by switching to the fallback provider' },
					{ name: 'Select Provider', value: 'selectProvider', description: 'Pick the provider the bot should use from both providers\' checks', action: 'Select the payment provider to use' },
				],
				default: 'check',
			},
			...check.description,
			...selectProvider.description,
			...recover.description,
		],
	};

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
