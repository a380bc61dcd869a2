/**
 * Select Provider: reads the check results of both providers (all input items) and
 * outputs one decision: which provider the bot should use now, and whether to switch.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import type { CheckResult } from '../../../shared/contract';
import { validateCheckResult } from '../../../shared/validate';
import { providerOfResult, selectPaymentProvider } from '../../providers/selectProvider';
import type { PaymentProviderName } from '../../providers/types';

/** Recover asks for the same pair of providers, so these fields serve both operations. */
const show = { operation: ['selectProvider', 'recover'] };
const providerOptions = [
	{ name: 'MercadoPago', value: 'mercadopago' },
	{ name: 'PayPal', value: 'paypal' },
];

export const description: INodeProperties[] = [
	{
		displayName: 'Primary Provider',
		name: 'primaryProvider',
		type: 'options',
		options: providerOptions,
		default: 'mercadopago',
		description: 'The provider the bot normally uses',
		displayOptions: { show },
	},
	{
		displayName: 'Secondary Provider',
		name: 'secondaryProvider',
		type: 'options',
		options: providerOptions,
		default: 'paypal',
		description: 'The provider to fall back to',
		displayOptions: { show },
	},
];

export const runs = 'wholeInput';

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const primary = this.getNodeParameter('primaryProvider', 0) as PaymentProviderName;
	const secondary = this.getNodeParameter('secondaryProvider', 0) as PaymentProviderName;
	if (primary === secondary) {
		throw new NodeOperationError(this.getNode(), 'Parameters "Primary Provider" and "Secondary Provider" must differ');
	}
	const latest = new Map<PaymentProviderName, CheckResult>();
	this.getInputData().forEach((item, index) => {
		if (validateCheckResult(item.json).length > 0) return;
		const result = item.json as unknown as CheckResult;
		const name = providerOfResult(result);
		if (name) latest.set(name, result);
		else if (result.component !== 'payments') {
			throw new NodeOperationError(this.getNode(), `Input item ${index} is a ${result.component} result, not a payments check`, { itemIndex: index });
		}
	});
	for (const name of [primary, secondary]) {
		if (!latest.has(name)) {
			throw new NodeOperationError(
				this.getNode(),
				`No ${name} check result among the input items: connect the Check outputs of both providers (Primary Provider ${primary}, Secondary Provider ${secondary})`,
			);
		}
	}
	const selection = selectPaymentProvider(
		{ name: primary, result: latest.get(primary) as CheckResult },
		{ name: secondary, result: latest.get(secondary) as CheckResult },
	);
	return [{ json: selection as unknown as IDataObject, pairedItem: this.getInputData().map((_, item) => ({ item })) }];
}
