import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/** The item a Respond to Webhook node sends: `{ statusCode, body }`. */
export const webhookAnswer = (statusCode: number, body: Record<string, unknown>): INodeExecutionData => ({ json: { statusCode, body } as unknown as IDataObject, pairedItem: { item: 0 } });
