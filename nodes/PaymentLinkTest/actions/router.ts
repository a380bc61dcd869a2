import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { runPerItem } from '../../shared/n8n/runPerItem';
import { providerSecrets } from '../transport/provider';
import * as check from './check.operation';
import * as recover from './recover.operation';
import * as selectProvider from './selectProvider.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	if (operation === 'check') {
		return [
			await runPerItem(this, (itemIndex) => check.execute.call(this, itemIndex), {
				concurrency: 4,
				secrets: (itemIndex) => providerSecrets(this, itemIndex),
			}),
		];
	}
	if (operation === 'recover') {
		return [await runPerItem(this, (itemIndex) => recover.execute.call(this, itemIndex), { secrets: (itemIndex) => recover.recoverSecrets(this, itemIndex) })];
	}
	if (operation === 'selectProvider') {
		// One decision from all items: an aggregate, so continueOnFail yields one error item.
		try {
			return [await selectProvider.execute.call(this)];
		} catch (error) {
			if (!this.continueOnFail()) throw error;
			return [[{ json: { error: (error as Error).message }, pairedItem: { item: 0 } }]];
		}
	}
	throw new NodeOperationError(this.getNode(), `Parameter "Operation" has an unsupported value: ${operation}`);
}
