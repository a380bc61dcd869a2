/**
 * Recover (`llm.use_fallback`): checks the configured providers the way Check Providers
 * does, picks the one the diagnosis should use now and outputs one recovery result per
 * item: the chosen provider's check result, the decision in `recovery`, the selection
 * in `details.selection`.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { flagParameter, recoveryDeadlineField, recoveryDeadlineMs, timeoutParameter } from '../../../shared/n8n/parameters';
import { asMitigation, failingResultOf } from '../../../shared/recovery/mitigation';
import { recoverLlm } from '../../providers/fallbackRecovery';
import { description as checkProvidersFields } from './checkProviders.operation';
import { readProviders } from '../providerFields';

const show = { operation: ['recover'] };

/** Check Providers' Options (timeout, low headroom ratio): the same checks, the same settings. */
const checkOptionsField = checkProvidersFields.find((field) => field.name === 'options');
// A developer's mistake, caught the moment the node loads in any test.
if (!checkOptionsField) throw new Error('Check Providers has no Options field for Recover to share');

export const description: INodeProperties[] = [
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description: 'Whether to only report the decision as what would be done. The providers are checked either way; nothing is switched here in any case, the caller reads the decision.',
		displayOptions: { show },
	},
	recoveryDeadlineField(show),
	{ ...checkOptionsField, displayOptions: { show } },
];

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { providers, missing } = await readProviders(this, itemIndex);
	if (providers.length === 0) {
		throw new NodeOperationError(this.getNode(), `No LLM credential is set for the providers in "Provider Order" (${missing.join(', ')}): add at least one`, { itemIndex });
	}
	const dryRun = flagParameter(this, 'dryRun', itemIndex);
	const timeoutMs = timeoutParameter(this, itemIndex);
	const lowHeadroomRatio = this.getNodeParameter('options.lowHeadroomRatio', itemIndex, 0.1) as number;
	const result = await recoverLlm({ providers, checkOptions: { timeoutMs, lowHeadroomRatio }, dryRun, deadlineMs: recoveryDeadlineMs(this, itemIndex) });
	// Given the failing result (the Recover sub-workflow passes it), answer about that provider.
	const failing = failingResultOf(this.getInputData()[itemIndex]?.json, 'llm');
	return (failing ? asMitigation(failing, result) : result) as unknown as IDataObject;
}
