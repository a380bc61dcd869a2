/** Get QR: the QR a human must scan to relink the session, as a PNG binary, or why there is none. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { gatewayFor } from '../../transport/gateway';
import { callOptions, concurrencyOf, phoneDigits } from '../common';
import { QR_BINARY } from '../../../shared/alerts/attachment';

const show = { operation: ['getQr'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Pairing Code For Number',
		name: 'pairingNumber',
		type: 'string',
		default: '',
		placeholder: '5491155551234',
		description: 'Optional: the bot\'s own number, to get a phone pairing code instead of scanning (Evolution, WAHA)',
		displayOptions: { show },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: QR_BINARY,
		description: 'The binary property the QR PNG is written to',
		displayOptions: { show },
	},
];

export const runs = 'perItem';
export const concurrency = concurrencyOf;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const options = callOptions(this, itemIndex);
	const rawNumber = (this.getNodeParameter('pairingNumber', itemIndex, '') as string).trim();
	const pairingNumber = rawNumber ? phoneDigits(rawNumber) : undefined;
	if (pairingNumber === null) {
		throw new NodeOperationError(this.getNode(), 'Parameter "Pairing Code For Number" must be a phone number in international format', { itemIndex });
	}
	const property = (this.getNodeParameter('binaryPropertyName', itemIndex, QR_BINARY) as string).trim();
	if (!/^[A-Za-z_][\w-]*$/.test(property)) {
		throw new NodeOperationError(this.getNode(), 'Parameter "Put Output File in Field" must be a simple name like qr', { itemIndex });
	}
	const gateway = await gatewayFor(this, itemIndex);
	const outcome = await gateway.getQr({ ...options, pairingNumber });
	if (!outcome.pending) {
		return [{ json: { pending: false, reason: outcome.reason, ...(outcome.result as unknown as IDataObject) } }];
	}
	const json: IDataObject = { pending: true, target: gateway.target };
	if (outcome.qr.code) json.code = outcome.qr.code;
	if (outcome.qr.pairingCode) json.pairingCode = outcome.qr.pairingCode;
	const item: INodeExecutionData = { json };
	if (outcome.qr.png) {
		item.binary = { [property]: await this.helpers.prepareBinaryData(outcome.qr.png, 'whatsapp-qr.png', 'image/png') };
	}
	return [item];
}
