/**
 * What the Event operations share: the source, the request as the Webhook node handed it
 * over (headers and query by expression, the raw body as binary), and the credential's
 * secrets. n8n glue only: the decisions are in nodes/shared/gatewayEvents.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { GATEWAY_SOURCES, type EventRequest, type EventSecrets, type GatewaySource } from '../../../shared/gatewayEvents/types';
import { isRecord } from '../../../shared/json';

export const GATEWAY_EVENTS_CREDENTIAL = 'autorecoveryGatewayEventsApi';

const show = (operations: string[]) => ({ show: { resource: ['event'], operation: operations } });

export const sourceField: INodeProperties = {
	displayName: 'Source',
	name: 'source',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Evolution API', value: 'evolution', description: 'Authenticated by the X-Autorecovery-Token header (or ?token=)' },
		{ name: 'WAHA', value: 'waha', description: 'Authenticated by X-Webhook-Hmac (HMAC-SHA512)' },
		{ name: 'Meta Cloud API', value: 'meta', description: 'Forwarded by the bot with X-Hub-Signature-256' },
	],
	default: 'evolution',
	displayOptions: show(['ingest', 'verify']),
};

export const requestFields: INodeProperties[] = [
	{
		displayName: 'Request Headers',
		name: 'requestHeaders',
		type: 'json',
		default: '={{ $json.headers }}',
		description: 'The headers of the webhook request (the Webhook node\'s `headers`)',
		displayOptions: show(['ingest']),
	},
	{
		displayName: 'Request Query',
		name: 'requestQuery',
		type: 'json',
		default: '={{ $json.query }}',
		description: 'The query parameters of the webhook request (the Webhook node\'s `query`)',
		displayOptions: show(['ingest', 'verify']),
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'The binary property holding the raw request body (the Webhook node\'s "Binary Data" option): signatures are computed over these exact bytes',
		displayOptions: show(['ingest']),
	},
];

export function sourceOf(ctx: IExecuteFunctions): GatewaySource {
	const value = ctx.getNodeParameter('source', 0) as string;
	if (!(GATEWAY_SOURCES as readonly string[]).includes(value)) throw new NodeOperationError(ctx.getNode(), `Parameter "Source" has an unsupported value: ${value}`);
	return value as GatewaySource;
}

/** A JSON parameter as a record of strings (an expression gives an object, a typed value a string). */
function recordParameter(ctx: IExecuteFunctions, name: string): EventRequest['headers'] {
	let value = ctx.getNodeParameter(name, 0, {}) as unknown;
	if (typeof value === 'string') {
		try {
			value = value.trim() === '' ? {} : (JSON.parse(value) as unknown);
		} catch {
			value = {};
		}
	}
	if (!isRecord(value)) return {};
	const record: EventRequest['headers'] = {};
	for (const [key, entry] of Object.entries(value)) {
		if (typeof entry === 'string') record[key] = entry;
		else if (Array.isArray(entry)) record[key] = entry.filter((part): part is string => typeof part === 'string');
	}
	return record;
}

export function requestQuery(ctx: IExecuteFunctions): EventRequest['query'] {
	return recordParameter(ctx, 'requestQuery');
}

export async function eventRequest(ctx: IExecuteFunctions): Promise<EventRequest> {
	const item = ctx.getInputData()[0];
	const property = String(ctx.getNodeParameter('binaryPropertyName', 0, 'data') ?? 'data');
	const rawBody = item?.binary?.[property] ? await ctx.helpers.getBinaryDataBuffer(0, property) : Buffer.alloc(0);
	return { headers: recordParameter(ctx, 'requestHeaders'), query: requestQuery(ctx), rawBody };
}

export async function eventSecrets(ctx: IExecuteFunctions): Promise<EventSecrets> {
	const credentials = await ctx.getCredentials(GATEWAY_EVENTS_CREDENTIAL);
	const text = (name: string) => (typeof credentials[name] === 'string' ? (credentials[name] as string) : '');
	return { evolutionToken: text('evolutionToken'), wahaHmacKey: text('wahaHmacKey'), metaAppSecret: text('metaAppSecret'), metaVerifyToken: text('metaVerifyToken') };
}

/** Every secret of the credential, masked in any error message. */
export async function eventSecretValues(ctx: IExecuteFunctions): Promise<string[]> {
	const secrets = await eventSecrets(ctx);
	return Object.values(secrets).filter((value): value is string => typeof value === 'string' && value !== '');
}
