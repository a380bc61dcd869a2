import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { runPerItem, type ItemResult } from '../../shared/n8n/runPerItem';
import { gatewaySecrets } from '../transport/gateway';
import * as check from './check.operation';
import { concurrencyOf } from './common';
import * as getQr from './getQr.operation';
import * as recover from './recover.operation';
import * as sendMessage from './sendMessage.operation';

const operations = { check, recover, getQr, sendMessage } as const;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	if (!(operation in operations)) {
		throw new NodeOperationError(this.getNode(), `Parameter "Operation" has an unsupported value: ${operation}`);
	}
	const execute: (this: IExecuteFunctions, itemIndex: number) => Promise<ItemResult> =
		operations[operation as keyof typeof operations].execute;
	return [
		await runPerItem(this, (itemIndex) => execute.call(this, itemIndex), {
			concurrency: concurrencyOf(this),
			secrets: (itemIndex) => gatewaySecrets(this, itemIndex),
		}),
	];
}
