import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPerItem } from '../../shared/n8n/runPerItem';
import * as check from './check.operation';

const operations = { check } as const;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	if (!(operation in operations)) {
		throw new NodeOperationError(this.getNode(), `Parameter "Operation" has an unsupported value: ${operation}`);
	}
	const handler = operations[operation as keyof typeof operations];
	return [await runPerItem(this, (itemIndex) => handler.execute.call(this, itemIndex))];
}
