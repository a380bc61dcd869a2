/**
 * Check Providers: one contract result per configured LLM provider (component `llm`),
 * each carrying which provider the bot should use now (`details.selection`).
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { runDeadlineOptionFields, timeoutOptionField, timeoutParameter } from '../../../shared/n8n/parameters';
import { checkLlmProvider } from '../../providers/checkProvider';
import { selectLlmProvider } from '../../providers/selectLlmProvider';
import { readProviders } from '../providerFields';
import { optionsCollection } from '../../../shared/n8n/fields';

const show = { operation: ['checkProviders'] };

export const description: INodeProperties[] = [
	optionsCollection(show, [
			{ displayName: 'Low Headroom Ratio', name: 'lowHeadroomRatio', type: 'number', typeOptions: { minValue: 0, maxValue: 1, numberPrecision: 2 }, default: 0.1, description: 'Degraded when less than this share of a rate limit is left' },
			timeoutOptionField('The deadline of each call to a provider'),
			...runDeadlineOptionFields(),
		]),
];

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { providers, missing } = await readProviders(this, itemIndex);
	if (providers.length === 0) {
		throw new NodeOperationError(this.getNode(), `No LLM credential is set for the providers in "Provider Order" (${missing.join(', ')}): add at least one`, { itemIndex });
	}
	const timeoutMs = timeoutParameter(this, itemIndex);
	const lowHeadroomRatio = this.getNodeParameter('options.lowHeadroomRatio', itemIndex, 0.1) as number;
	const results = await Promise.all(providers.map((provider) => checkLlmProvider(provider, { timeoutMs, lowHeadroomRatio })));
	const selection = selectLlmProvider(results);
	return results.map((result) => ({ ...result, details: { ...(result.details ?? {}), selection } }) as unknown as IDataObject);
}
