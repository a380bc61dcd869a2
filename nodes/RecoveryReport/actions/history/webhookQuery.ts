/** What Recovery Log and Recovery Stats share: the webhook's query parameter and the `{ statusCode, body }` answer. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../../shared/json';
import { QueryError } from '../../history/errors';
import { HistoryUnavailableError } from '../../transport/n8nApi';

export const queryField: INodeProperties = { displayName: 'Query', name: 'query', type: 'json', default: '={{ $json.query }}', description: 'The webhook\'s query parameters (`limit` for the log, `days` for the stats)', displayOptions: { show: { operation: ['log', 'stats'] } } };

export function queryParameter(ctx: IExecuteFunctions): Record<string, unknown> {
	const value = ctx.getNodeParameter('query', 0, {}) as unknown;
	if (typeof value === 'string') {
		try {
			const parsed = JSON.parse(value === '' ? '{}' : value) as unknown;
			return isRecord(parsed) ? parsed : {};
		} catch {
			return {};
		}
	}
	return isRecord(value) ? value : {};
}

export const answer = (statusCode: number, body: unknown): INodeExecutionData[] => [{ json: { statusCode, body } as unknown as IDataObject, pairedItem: { item: 0 } }];

/** 400 for a bad query (with what is allowed), 503 when the history cannot be read; anything else is a real failure. */
export function answerFailure(error: unknown): INodeExecutionData[] {
	if (error instanceof QueryError) return answer(400, error.info);
	if (error instanceof HistoryUnavailableError) return answer(503, { error: `the recovery history is unavailable: ${error.message}` });
	throw error;
}
