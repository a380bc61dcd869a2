/**
 * Diagnose: each unhealthy contract result gains the contract's `diagnosis`, from the
 * provider chain or the fixed rules. Diagnoses are cached by fingerprint in workflow
 * static data, so a failure that repeats every 5 minutes costs one LLM call per TTL,
 * whichever worker runs it.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import type { CheckResult } from '../../../shared/contract';
import { numberParameter, runDeadlineOptionFields, withinRun } from '../../../shared/n8n/parameters';
import { isRecord } from '../../../shared/json';
import { validateCheckResult, validateDiagnosis } from '../../../shared/validate';
import { cacheStoreIn } from '../../diagnosis/cache';
import { createDiagnosisService, type DiagnosisService } from '../../diagnosis/diagnosisService';
import { isDiagnosisLanguage, type DiagnosisLanguage } from '../../diagnosis/rules';
import { readProviders } from '../providerFields';
import { languageField, optionsCollection } from '../../../shared/n8n/fields';

const show = { operation: ['diagnose'] };

/** Where the cache lives in the node's static data. */
export const CACHE_KEY = 'llmDiagnosisCache';

export const description: INodeProperties[] = [
	languageField(show, 'The language of the root cause and summary; a model answer clearly in the other language is replaced by the rule texts in this one'),
	{
		displayName: 'Healthy Items',
		name: 'healthyItems',
		type: 'options',
		options: [
			{ name: 'Pass Through', value: 'pass', description: 'Output them unchanged, without a diagnosis' },
			{ name: 'Drop', value: 'drop', description: 'Output only the diagnosed items' },
		],
		default: 'pass',
		displayOptions: { show },
	},
	optionsCollection(show, [
			{ displayName: 'Cache TTL (Minutes)', name: 'cacheTtlMinutes', type: 'number', typeOptions: { minValue: 0 }, default: 60, description: 'How long a diagnosis of the same failure is reused (0: never)' },
			{ displayName: 'Deadline (Ms)', name: 'deadlineMs', type: 'number', typeOptions: { minValue: 100 }, default: 20000, description: 'All LLM calls of one diagnosis end by then; the fixed rules answer after it' },
			{ displayName: 'Keep Existing Diagnosis', name: 'keepExisting', type: 'boolean', default: true, description: 'Whether items that already carry a valid diagnosis pass through unchanged (e.g. after a recovery)' },
			{ displayName: 'Mask Phone Numbers', name: 'maskPhoneNumbers', type: 'boolean', default: true, description: 'Whether to mask phone numbers before anything is sent to an LLM' },
			{ displayName: 'Per-Provider Timeout (Ms)', name: 'perProviderTimeoutMs', type: 'number', typeOptions: { minValue: 100 }, default: 8000 },
			...runDeadlineOptionFields(),
		]),
];

export interface DiagnoseContext {
	service: DiagnosisService;
	keepHealthy: boolean;
	keepExisting: boolean;
}

/** One service per execution: one cache, one in-flight map, shared by all items. */
export async function prepare(ctx: IExecuteFunctions): Promise<DiagnoseContext> {
	const language = ctx.getNodeParameter('language', 0, 'es') as string;
	if (!isDiagnosisLanguage(language)) throw new NodeOperationError(ctx.getNode(), `Parameter "Language" must be es or en, got ${language}`);
	const { providers, secrets } = await readProviders(ctx, 0);
	// Cut to what is left of a bounded run (a Monitor tick): past it, the fixed rules answer.
	const deadlineMs = withinRun(ctx, 0, numberParameter(ctx, 'options.deadlineMs', 'Deadline (Ms)', 0, 20_000, { min: 100, max: 600_000 }));
	const service = createDiagnosisService({
		store: cacheStoreIn(ctx.getWorkflowStaticData('node'), CACHE_KEY),
		ttlMs: numberParameter(ctx, 'options.cacheTtlMinutes', 'Cache TTL (Minutes)', 0, 60, { min: 0, max: 10_080 }) * 60_000,
		providers,
		deadlineMs,
		perProviderTimeoutMs: Math.min(deadlineMs, numberParameter(ctx, 'options.perProviderTimeoutMs', 'Per-Provider Timeout (Ms)', 0, 8_000, { min: 100, max: 600_000 })),
		language: language as DiagnosisLanguage,
		secrets,
		maskPhoneNumbers: ctx.getNodeParameter('options.maskPhoneNumbers', 0, true) as boolean,
	});
	return {
		service,
		keepHealthy: ctx.getNodeParameter('healthyItems', 0, 'pass') === 'pass',
		keepExisting: ctx.getNodeParameter('options.keepExisting', 0, true) as boolean,
	};
}

export const runs = 'perItem';
/** Items diagnosed at once; identical failures share one call either way. */
export const concurrency = () => 4;

export async function execute(this: IExecuteFunctions, itemIndex: number, context: DiagnoseContext): Promise<INodeExecutionData[]> {
	const input = this.getInputData()[itemIndex];
	const item = input?.json ?? {};
	// Binary data (e.g. a QR image for the alert) travels on with the item.
	const withBinary = (json: IDataObject): INodeExecutionData[] => [{ json, ...(input?.binary ? { binary: input.binary } : {}) }];
	const problems = validateCheckResult(item);
	if (problems.length > 0) {
		throw new NodeOperationError(this.getNode(), `Input item ${itemIndex} is not a check result (${problems.slice(0, 3).join('; ')}): connect a probe node's output`, { itemIndex });
	}
	const result = item as unknown as CheckResult;
	if (result.status === 'healthy') return context.keepHealthy ? withBinary(item) : [];
	if (context.keepExisting && isRecord(item.diagnosis) && validateDiagnosis(item.diagnosis, result.component).length === 0) return withBinary(item);
	const { diagnosis, attempts } = await context.service.diagnose(result);
	return withBinary({ ...item, diagnosis, diagnosisAttempts: attempts } as unknown as IDataObject);
}
