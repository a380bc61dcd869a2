import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { runPerItem } from '../../shared/n8n/runPerItem';
import * as checkProviders from './checkProviders.operation';
import * as diagnose from './diagnose.operation';
import { readProviders } from './providerFields';
import * as recover from './recover.operation';

/** Items diagnosed at once; identical failures share one call either way. */
const DIAGNOSE_CONCURRENCY = 4;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const secrets = async (itemIndex: number) => (await readProviders(this, itemIndex)).secrets;
	if (operation === 'diagnose') {
		const context = await diagnose.prepare(this);
		return [await runPerItem(this, (itemIndex) => diagnose.execute.call(this, itemIndex, context), { concurrency: DIAGNOSE_CONCURRENCY, secrets })];
	}
	if (operation === 'checkProviders') {
		return [await runPerItem(this, (itemIndex) => checkProviders.execute.call(this, itemIndex), { secrets })];
	}
	if (operation === 'recover') {
		return [await runPerItem(this, (itemIndex) => recover.execute.call(this, itemIndex), { secrets })];
	}
	throw new NodeOperationError(this.getNode(), `Parameter "Operation" has an unsupported value: ${operation}`);
}
