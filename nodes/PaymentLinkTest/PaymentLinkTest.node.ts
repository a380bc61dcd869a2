import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { resourceField } from '../shared/n8n/resource';
import * as paymentLink from './actions/paymentLink/PaymentLink.resource';
import { router } from './actions/router';

export class PaymentLinkTest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Payment Link Test',
		name: 'paymentLinkTest',
		icon: { light: 'file:paymentLinkTest.svg', dark: 'file:paymentLinkTest.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "check" ? "check: " + $parameter["provider"] : $parameter["operation"] === "recover" ? "recover: use fallback" : "select provider"}}',
		description: 'Proves that customers can still get a payment link (MercadoPago, PayPal) and picks the provider to use',
		defaults: { name: 'Payment Link Test' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			// Check needs the chosen provider's credential, Recover both: `provider` is absent outside Check, so hiding by it only affects Check.
			{ name: 'autorecoveryMercadoPagoApi', required: true, displayOptions: { show: { operation: ['check', 'recover'] }, hide: { provider: ['paypal'] } } },
			{ name: 'autorecoveryPayPalApi', required: true, displayOptions: { show: { operation: ['check', 'recover'] }, hide: { provider: ['mercadopago'] } } },
		],
		properties: [
			resourceField([{ name: 'Payment Link', value: 'paymentLink' }]),
			...paymentLink.description,
		],
	};

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
