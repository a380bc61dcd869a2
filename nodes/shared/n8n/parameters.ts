/** Parameter readers that fail with a NodeOperationError naming the parameter. */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { DEFAULT_RECOVERY_DEADLINE_SECONDS } from '../deadline';

export function numberParameter(
	ctx: IExecuteFunctions,
	name: string,
	displayName: string,
	itemIndex: number,
	fallback: number,
	range: { min?: number; max?: number } = {},
): number {
	const value = ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		throw new NodeOperationError(ctx.getNode(), `Parameter "${displayName}" must be a number`, { itemIndex });
	}
	if ((range.min !== undefined && value < range.min) || (range.max !== undefined && value > range.max)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Parameter "${displayName}" must be between ${range.min ?? '-∞'} and ${range.max ?? '∞'}, got ${value}`,
			{ itemIndex },
		);
	}
	return value;
}

/**
 * A yes/no parameter where only `true` means yes: an expression that resolves to nothing
 * (a field an item lacks, e.g. `{{ $json.dryRun }}` on an automatic recovery) is no.
 */
export function flagParameter(ctx: IExecuteFunctions, name: string, itemIndex: number): boolean {
	return ctx.getNodeParameter(name, itemIndex, false) === true;
}

/** A timeout parameter in milliseconds (default 10 s, as the contract fixes). */
export function timeoutParameter(ctx: IExecuteFunctions, itemIndex: number, name = 'options.timeoutMs'): number {
	return numberParameter(ctx, name, 'Timeout (ms)', itemIndex, 10_000, { min: 100, max: 300_000 });
}

/** The `options.timeoutMs` field every node's Options collection has (read by timeoutParameter). */
export function timeoutOptionField(description: string): INodeProperties {
	return {
		displayName: 'Timeout (Ms)',
		name: 'timeoutMs',
		type: 'number',
		typeOptions: { minValue: 100 },
		default: 10000,
		description,
	};
}

/** The `deadlineSeconds` field of every Recover/Repair operation (read by recoveryDeadlineMs). */
export function recoveryDeadlineField(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Deadline (Seconds)',
		name: 'deadlineSeconds',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 3600 },
		default: DEFAULT_RECOVERY_DEADLINE_SECONDS,
		description: 'The whole recovery (check, actions, re-checks) ends within this time; where the deadline stopped it is the last step',
		displayOptions: { show },
	};
}

/** The recovery's deadline in milliseconds. */
export function recoveryDeadlineMs(ctx: IExecuteFunctions, itemIndex: number): number {
	return numberParameter(ctx, 'deadlineSeconds', 'Deadline (Seconds)', itemIndex, DEFAULT_RECOVERY_DEADLINE_SECONDS, { min: 1, max: 3600 }) * 1000;
}
