/**
 * Answer Meta Verification: Meta's GET handshake on the callback (`hub.mode=subscribe`,
 * `hub.verify_token`, `hub.challenge`) → the challenge as plain text, or a refusal. The
 * output's `eventAnswer` has `statusCode` and `text` for a Respond to Webhook node (text).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { answerMetaHandshake } from '../../../shared/gatewayEvents/authenticate';
import { EventRefused } from '../../../shared/gatewayEvents/types';
import { asNodeError } from '../../../shared/n8n/errors';
import { eventSecrets, eventSecretValues, requestQuery } from './request';

export const description: INodeProperties[] = [];

export const runs = 'wholeInput';

export const secrets = async (ctx: IExecuteFunctions): Promise<string[]> => await eventSecretValues(ctx);

const answer = (statusCode: number, text: string): INodeExecutionData[] => [{ json: { eventAnswer: { statusCode, text } } as unknown as IDataObject, pairedItem: { item: 0 } }];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	try {
		return answer(200, answerMetaHandshake(requestQuery(this), await eventSecrets(this)));
	} catch (error) {
		if (error instanceof EventRefused) return answer(error.statusCode, error.message);
		throw asNodeError(this, error);
	}
}
