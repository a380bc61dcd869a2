/**
 * The per-item loop every operation shares: one output item per input item with
 * `pairedItem`, redacted errors, and `continueOnFail()` honoured. Operations only say
 * how to turn one item into results.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { redact } from '../redact';

export type ItemHandler = (itemIndex: number) => Promise<IDataObject | IDataObject[] | INodeExecutionData[]>;

function toExecutionData(result: IDataObject | IDataObject[] | INodeExecutionData[], itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	return list.map((entry) => {
		const isExecutionData = typeof entry === 'object' && entry !== null && 'json' in entry && typeof entry.json === 'object';
		const data = isExecutionData ? (entry as INodeExecutionData) : { json: entry as IDataObject };
		return { ...data, pairedItem: { item: itemIndex } };
	});
}

export async function runPerItem(
	ctx: IExecuteFunctions,
	handler: ItemHandler,
	secrets: (itemIndex: number) => Promise<string[]> = async () => [],
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			output.push(...toExecutionData(await handler(itemIndex), itemIndex));
		} catch (error) {
			const known = await secrets(itemIndex).catch(() => []);
			const message = redact(error instanceof Error ? error.message : String(error), { secrets: known });
			if (ctx.continueOnFail()) {
				output.push({ json: { error: message }, pairedItem: { item: itemIndex } });
				continue;
			}
			if (error instanceof NodeOperationError) {
				error.message = message;
				throw error;
			}
			throw new NodeOperationError(ctx.getNode(), message, { itemIndex });
		}
	}
	return output;
}
