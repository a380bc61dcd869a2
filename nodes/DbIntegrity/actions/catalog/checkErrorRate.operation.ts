/** Check Error Rate: a spike of errors in the bot's own log table (component `logs`). */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { numberParameter, runDeadlineOptionFields } from '../../../shared/n8n/parameters';
import { checkErrorRateViaPostgres } from '../../errorRate/checkErrorRateViaPostgres';
import { DEFAULT_ERROR_RATE, validateErrorRatePlan, type ErrorRatePlan } from '../../errorRate/errorRate';
import { guardIdentifiers, postgresTimeoutFields, readBackend, readPostgresSettings, readPostgresTimeouts } from '../fields';
import { optionsCollection } from '../../../shared/n8n/fields';

const show = { operation: ['checkErrorRate'] };

export const description: INodeProperties[] = [
	{ displayName: 'Log Table', name: 'logTable', type: 'string', default: 'system_logs', displayOptions: { show } },
	{ displayName: 'Level Column', name: 'levelColumn', type: 'string', default: 'level', displayOptions: { show } },
	{ displayName: 'Timestamp Column', name: 'timestampColumn', type: 'string', default: 'created_at', displayOptions: { show } },
	{ displayName: 'Message Column', name: 'messageColumn', type: 'string', default: 'message', displayOptions: { show } },
	{ displayName: 'Error Levels', name: 'errorLevels', type: 'string', default: 'error', description: 'Comma-separated level values that count as errors (case-insensitive)', displayOptions: { show } },
	{ displayName: 'Window (Minutes)', name: 'windowMinutes', type: 'number', typeOptions: { minValue: 1 }, default: 15, displayOptions: { show } },
	{ displayName: 'Baseline (Hours)', name: 'baselineHours', type: 'number', typeOptions: { minValue: 1 }, default: 24, description: 'The window is compared with its average over this period before it', displayOptions: { show } },
	{ displayName: 'Spike Factor', name: 'spikeFactor', type: 'number', typeOptions: { minValue: 1, numberPrecision: 1 }, default: 5, description: 'Degraded when the window has at least this many times the usual errors', displayOptions: { show } },
	{ displayName: 'Minimum Errors', name: 'minErrors', type: 'number', typeOptions: { minValue: 1 }, default: 20, description: 'And at least this many errors (a quiet bot\'s few errors are not a spike)', displayOptions: { show } },
	optionsCollection(show, [...postgresTimeoutFields, ...runDeadlineOptionFields()]),
];

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	if (readBackend(this, itemIndex) !== 'postgres') {
		throw new NodeOperationError(this.getNode(), 'Parameter "Connect Through" must be Postgres for Check Error Rate (it counts with SQL)', { itemIndex });
	}
	const text = (name: string, fallback: string) => String(this.getNodeParameter(name, itemIndex, fallback) ?? '').trim();
	const plan: ErrorRatePlan = {
		table: text('logTable', DEFAULT_ERROR_RATE.table),
		levelColumn: text('levelColumn', DEFAULT_ERROR_RATE.levelColumn),
		timestampColumn: text('timestampColumn', DEFAULT_ERROR_RATE.timestampColumn),
		messageColumn: text('messageColumn', DEFAULT_ERROR_RATE.messageColumn),
		errorLevels: text('errorLevels', 'error').split(',').map((level) => level.trim()).filter((level) => level !== ''),
		windowMinutes: numberParameter(this, 'windowMinutes', 'Window (Minutes)', itemIndex, DEFAULT_ERROR_RATE.windowMinutes, { min: 1, max: 10_080 }),
		baselineHours: numberParameter(this, 'baselineHours', 'Baseline (Hours)', itemIndex, DEFAULT_ERROR_RATE.baselineHours, { min: 1, max: 720 }),
		spikeFactor: numberParameter(this, 'spikeFactor', 'Spike Factor', itemIndex, DEFAULT_ERROR_RATE.spikeFactor, { min: 1 }),
		minErrors: numberParameter(this, 'minErrors', 'Minimum Errors', itemIndex, DEFAULT_ERROR_RATE.minErrors, { min: 1 }),
		topMessages: DEFAULT_ERROR_RATE.topMessages,
		now: new Date(),
	};
	guardIdentifiers(this, itemIndex, () => validateErrorRatePlan(plan));
	const result = await checkErrorRateViaPostgres(await readPostgresSettings(this, itemIndex), readPostgresTimeouts(this, itemIndex), plan);
	return result as unknown as IDataObject;
}
