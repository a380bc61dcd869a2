/** Send Message: a text (and optionally an image, e.g. the QR) to a number, for alerts. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { gatewayFor } from '../../transport/gateway';
import { callOptions, concurrencyOf, phoneDigits } from '../common';
import { flagParameter } from '../../../shared/n8n/parameters';

const show = { operation: ['sendMessage'] };

export const description: INodeProperties[] = [
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: '5491155551234',
		description: 'Recipient number in international format (e.g. the admin), or a person\'s WhatsApp ID such as a webhook\'s remoteJid (5491155551234@s.whatsapp.net)',
		displayOptions: { show },
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: { show },
	},
	{
		displayName: 'Attach Image',
		name: 'attachImage',
		type: 'boolean',
		default: false,
		description: 'Whether to send an image from a binary property (the text becomes its caption)',
		displayOptions: { show },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'qr',
		displayOptions: { show: { ...show, attachImage: [true] } },
	},
];

export const runs = 'perItem';
export const concurrency = concurrencyOf;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = callOptions(this, itemIndex);
	const to = phoneDigits(this.getNodeParameter('to', itemIndex, '') as string);
	if (!to) throw new NodeOperationError(this.getNode(), 'Parameter "To" must be a phone number in international format', { itemIndex });
	const text = this.getNodeParameter('text', itemIndex, '') as string;
	if (text.trim() === '') throw new NodeOperationError(this.getNode(), 'Parameter "Text" must not be empty', { itemIndex });
	const gateway = await gatewayFor(this, itemIndex);
	let outcome;
	if (flagParameter(this, 'attachImage', itemIndex)) {
		const property = this.getNodeParameter('binaryPropertyName', itemIndex, 'qr') as string;
		const binary = this.helpers.assertBinaryData(itemIndex, property);
		const data = await this.helpers.getBinaryDataBuffer(itemIndex, property);
		outcome = await gateway.sendImage(to, { data, mimeType: binary.mimeType, fileName: binary.fileName }, text, options);
	} else {
		outcome = await gateway.sendText(to, text, options);
	}
	if (!outcome.ok) return { sent: false, ...(outcome.result as unknown as IDataObject) };
	return { sent: true, target: gateway.target, messageId: outcome.message.messageId, status: outcome.message.status ?? null, durationMs: outcome.durationMs };
}
