/** Check: configuration, authentication and a real test payment link, per provider. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { numberParameter, runDeadlineOptionFields, timeoutOptionField, timeoutParameter } from '../../../shared/n8n/parameters';
import { probeCheckOptions, resolveCurrency } from '../../providers/checkOptions';
import { providerFor, providerName } from '../../transport/provider';
import { optionsCollection } from '../../../shared/n8n/fields';

const show = { operation: ['check'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		options: [
			{ name: 'MercadoPago', value: 'mercadopago' },
			{ name: 'PayPal', value: 'paypal' },
		],
		default: 'mercadopago',
		displayOptions: { show },
	},
	{
		displayName: 'Create Test Link',
		name: 'createLink',
		type: 'boolean',
		default: true,
		description: 'Whether to create a labelled test payment link (never paid or captured); off checks configuration and credentials only',
		displayOptions: { show },
	},
	{
		displayName: 'Test Amount',
		name: 'amount',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: 1,
		displayOptions: { show: { ...show, createLink: [true] } },
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: '',
		placeholder: 'ARS',
		description: 'ISO code of the test item; empty: ARS for MercadoPago, USD for PayPal',
		displayOptions: { show: { ...show, createLink: [true] } },
	},
	optionsCollection(show, [
			timeoutOptionField('Deadline of every call; a 429 is retried once only when its wait fits in it'),
			...runDeadlineOptionFields(),
		]),
];

export const runs = 'perItem';
/** Both providers' checks of a run go out together. */
export const concurrency = () => 4;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const name = providerName(this, itemIndex);
	const createLink = this.getNodeParameter('createLink', itemIndex, true) as boolean;
	const amount = createLink ? numberParameter(this, 'amount', 'Test Amount', itemIndex, 1, { min: 0.01, max: 1_000_000 }) : 1;
	// A bad currency throws PaymentParameterError naming "Currency"; runPerItem reports it for the item.
	const currency = resolveCurrency(name, this.getNodeParameter('currency', itemIndex, '') as string);
	const provider = await providerFor(this, itemIndex);
	const result = await provider.check(probeCheckOptions({ timeoutMs: timeoutParameter(this, itemIndex), createLink, amount, currency }));
	return result as unknown as IDataObject;
}
