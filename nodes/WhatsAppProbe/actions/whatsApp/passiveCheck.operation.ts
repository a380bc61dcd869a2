/**
 * Passive Check: without a canary number, read the bot's own message history from its gateway
 * and tell a deaf bot from quiet hours (customers' messages stopped although they usually come
 * now; or they come and none is answered). Evolution and WAHA only: the Cloud API keeps no
 * readable history. The decision is plain logic (passive/passiveVerdict.ts); this file reads
 * parameters.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { numberParameter } from '../../../shared/n8n/parameters';
import { OptionError } from '../../../shared/optionError';
import { MINUTE_MS } from '../../../shared/timeUnits';
import { CLOUD_API_NO_HISTORY } from '../../passive/history';
import { DEFAULT_PASSIVE_PARAMETERS as D, PASSIVE_PARAMETER_NAMES as N, resolvePassiveParameters, type PassiveParameters } from '../../passive/passiveVerdict';
import { runPassiveCheck } from '../../passive/runPassiveCheck';
import { gatewayFor } from '../../transport/gateway';
import { callOptions, concurrencyOf } from '../common';

/** The passive check's parameters, shown for the operations that run one (Passive Check, Recover → Passive). */
// Literal defaults (n8n's lint wants them); test/unit/whatsapp/passive checks they are DEFAULT_PASSIVE_PARAMETERS.
export function passiveFields(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: N.historyDays,
			name: 'historyDays',
			type: 'number',
			typeOptions: { minValue: 2, maxValue: 60 },
			default: 14,
			description: 'How many past days of the bot\'s messages are read and compared; each check reads them all',
			displayOptions: { show },
		},
		{
			displayName: N.minHistoryDays,
			name: 'minHistoryDays',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 60 },
			default: 7,
			description: 'Past days the history must cover before a silence is judged: a new bot raises no alarm',
			displayOptions: { show },
		},
		{
			displayName: N.minSilenceMs,
			name: 'minSilenceMinutes',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1440 },
			default: 20,
			description: 'A silence shorter than this is never an outage, however busy the bot usually is',
			displayOptions: { show },
		},
		{
			displayName: N.maxSilenceOdds,
			name: 'maxSilenceOdds',
			type: 'number',
			typeOptions: { minValue: 0.000001, maxValue: 0.5, numberPrecision: 6 },
			default: 0.01,
			description: 'A silence is an outage when receiving nothing in it would be this unlikely for this bot at this time of day (0.01: 1 %)',
			displayOptions: { show },
		},
		{
			displayName: N.answerWithinMs,
			name: 'answerWithinMinutes',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1440 },
			default: 10,
			description: 'A customer\'s message the bot has not answered by then counts as unanswered',
			displayOptions: { show },
		},
		{
			displayName: N.minUnanswered,
			name: 'minUnanswered',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 2,
			description: 'Customers (different chats) left without an answer in the last hour, none answered, that make the bot down',
			displayOptions: { show },
		},
	];
}

export const description: INodeProperties[] = passiveFields({ operation: ['passiveCheck'] });

export const runs = 'perItem';
export const concurrency = concurrencyOf;

/** The passive parameters, checked: a NodeOperationError names the first bad one (and a Cloud API gateway). */
export function passiveInputs(ctx: IExecuteFunctions, itemIndex: number): PassiveParameters {
	if (ctx.getNodeParameter('gateway', itemIndex, 'evolution') === 'cloudApi') {
		throw new NodeOperationError(ctx.getNode(), `Parameter "Gateway": the Passive Check needs Evolution API or WAHA. ${CLOUD_API_NO_HISTORY}`, { itemIndex });
	}
	const number = (name: string, displayName: string, fallback: number) => numberParameter(ctx, name, displayName, itemIndex, fallback);
	const input: PassiveParameters = {
		historyDays: number('historyDays', N.historyDays, D.historyDays),
		minHistoryDays: number('minHistoryDays', N.minHistoryDays, D.minHistoryDays),
		minSilenceMs: number('minSilenceMinutes', N.minSilenceMs, D.minSilenceMs / MINUTE_MS) * MINUTE_MS,
		maxSilenceOdds: number('maxSilenceOdds', N.maxSilenceOdds, D.maxSilenceOdds),
		answerWithinMs: number('answerWithinMinutes', N.answerWithinMs, D.answerWithinMs / MINUTE_MS) * MINUTE_MS,
		minUnanswered: number('minUnanswered', N.minUnanswered, D.minUnanswered),
	};
	try {
		return resolvePassiveParameters(input);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error instanceof OptionError ? error.message : String(error), { itemIndex });
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const parameters = passiveInputs(this, itemIndex);
	const gateway = await gatewayFor(this, itemIndex);
	const { result } = await runPassiveCheck({ gateway, parameters, call: callOptions(this, itemIndex) });
	return result as unknown as IDataObject;
}
