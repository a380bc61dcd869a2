/** Parameter readers that fail with a NodeOperationError naming the parameter. */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';
import { DEFAULT_RECOVERY_DEADLINE_SECONDS, runTimeLeftMs } from '../deadline';

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

/**
 * A timeout parameter in milliseconds (default 10 s, as the contract fixes), cut to what
 * is left of the node's run when it is part of a bounded one (runDeadlineOptionFields).
 */
export function timeoutParameter(ctx: IExecuteFunctions, itemIndex: number, name = 'options.timeoutMs'): number {
	return withinRun(ctx, itemIndex, numberParameter(ctx, name, 'Timeout (ms)', itemIndex, 10_000, { min: 100, max: 300_000 }));
}

/** The least a call is given when its run has no time left: it fails fast as a timeout rather than not being tried. */
const MIN_CALL_MS = 100;
/**
 * Calls of a bounded run end this long before its bound: what is left is for the rest of
 * the run, the nodes after the calls (n8n's own work, a sub-workflow's start, a busy machine).
 */
export const RUN_RESERVE_MS = 8_000;

/**
 * The Options of a node that runs inside a bounded run (a Monitor tick): when the run
 * started and how long it may last. Every timeout the node reads (timeoutParameter,
 * recoveryDeadlineMs) is cut to what is left, so the run cannot outlast its bound.
 */
export function runDeadlineOptionFields(): INodeProperties[] {
	return [
		{
			displayName: 'Run Started At',
			name: 'runStartedAt',
			type: 'string',
			default: '',
			description: 'With Run Deadline: when the run this node is part of started (ISO time), e.g. the Monitor tick\'s',
		},
		{
			displayName: 'Run Deadline (Seconds)',
			name: 'runDeadlineSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: `How long the whole run may take; every call of this node is cut to what is left, less ${RUN_RESERVE_MS / 1000} s for the rest of the run. 0: no bound.`,
		},
	];
}

/** `ms`, cut to what is left of the node's run less RUN_RESERVE_MS (never below MIN_CALL_MS). */
export function withinRun(ctx: IExecuteFunctions, itemIndex: number, ms: number): number {
	const left = runTimeLeftMs(ctx.getNodeParameter('options.runStartedAt', itemIndex, ''), ctx.getNodeParameter('options.runDeadlineSeconds', itemIndex, 0), Date.now());
	return left === null ? ms : Math.max(MIN_CALL_MS, Math.min(ms, left - RUN_RESERVE_MS));
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
	return withinRun(ctx, itemIndex, 1000 * numberParameter(ctx, 'deadlineSeconds', 'Deadline (Seconds)', itemIndex, DEFAULT_RECOVERY_DEADLINE_SECONDS, { min: 1, max: 3600 }));
}
