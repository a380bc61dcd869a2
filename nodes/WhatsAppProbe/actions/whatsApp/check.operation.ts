/** Check: can customers reach the bot? One contract result per target. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { gatewayFor } from '../../transport/gateway';
import { callOptions, concurrencyOf, phoneDigits } from '../common';

const show = { operation: ['check'] };

const DEFAULT_ROUND_TRIP_TEXT = 'Autorecovery probe: ignore this message';

export const description: INodeProperties[] = [
	{
		displayName: 'Round Trip',
		name: 'roundTrip',
		type: 'boolean',
		default: false,
		description: 'Whether to also send a text to a test number and report whether the gateway accepted it (never messages a customer)',
		displayOptions: { show },
	},
	{
		displayName: 'Test Number',
		name: 'roundTripTo',
		type: 'string',
		default: '',
		placeholder: '5491155551234',
		description: 'A number you own, in international format, that receives the probe message',
		displayOptions: { show: { ...show, roundTrip: [true] } },
	},
	{
		displayName: 'Test Message',
		name: 'roundTripText',
		type: 'string',
		default: DEFAULT_ROUND_TRIP_TEXT,
		displayOptions: { show: { ...show, roundTrip: [true] } },
	},
];

export const runs = 'perItem';
export const concurrency = concurrencyOf;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = callOptions(this, itemIndex);
	let roundTrip: { to: string; text: string } | undefined;
	if (this.getNodeParameter('roundTrip', itemIndex, false) as boolean) {
		const to = phoneDigits(this.getNodeParameter('roundTripTo', itemIndex, '') as string);
		if (!to) {
			throw new NodeOperationError(this.getNode(), 'Parameter "Test Number" must be a phone number in international format', { itemIndex });
		}
		roundTrip = { to, text: this.getNodeParameter('roundTripText', itemIndex, DEFAULT_ROUND_TRIP_TEXT) as string };
	}
	const gateway = await gatewayFor(this, itemIndex);
	return (await gateway.check({ ...options, roundTrip })) as unknown as IDataObject;
}
