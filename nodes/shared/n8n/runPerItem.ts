/**
 * The per-item loop every operation shares: one or more output items per input item
 * with `pairedItem`, redacted errors, `continueOnFail()` honoured, and optional bounded
 * concurrency (many items = many targets, checked in parallel, output in input order).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { redact } from '../redact';
import { maskedNodeError } from './errors';

export type ItemResult = IDataObject | IDataObject[] | INodeExecutionData[];
type ItemHandler = (itemIndex: number) => Promise<ItemResult>;

interface RunPerItemOptions {
	/** How many items run at once (default 1: in order, one after the other). */
	concurrency?: number;
	/** Secret values of an item's credentials, masked in any error message. */
	secrets?: (itemIndex: number) => Promise<string[]>;
}

function toExecutionData(result: ItemResult, itemIndex: number): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	return list.map((entry) => {
		const isExecutionData = typeof entry === 'object' && entry !== null && 'json' in entry && typeof entry.json === 'object';
		const data = isExecutionData ? (entry as INodeExecutionData) : { json: entry as IDataObject };
		return { ...data, pairedItem: { item: itemIndex } };
	});
}

/** Runs `task` for 0..count-1 with at most `limit` in flight; results keep their index. */
export async function mapBounded<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const index = next++;
			results[index] = await task(index);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
	return results;
}

export async function runPerItem(ctx: IExecuteFunctions, handler: ItemHandler, options: RunPerItemOptions = {}): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const secretsOf = options.secrets ?? (async () => []);
	type Outcome = { ok: true; data: INodeExecutionData[] } | { ok: false; error: unknown; message: string; mask: (text: string) => string };
	const outcomes = await mapBounded<Outcome>(items.length, options.concurrency ?? 1, async (itemIndex) => {
		try {
			return { ok: true, data: toExecutionData(await handler(itemIndex), itemIndex) };
		} catch (error) {
			const known = await secretsOf(itemIndex).catch(() => []);
			const mask = (text: string) => redact(text, { secrets: known });
			return { ok: false, error, message: mask(error instanceof Error ? error.message : String(error)), mask };
		}
	});
	const output: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		if (outcome.ok) {
			output.push(...outcome.data);
			continue;
		}
		if (ctx.continueOnFail()) {
			output.push({ json: { error: outcome.message }, pairedItem: { item: itemIndex } });
			continue;
		}
		throw maskedNodeError(ctx, outcome.error, outcome.mask, itemIndex);
	}
	return output;
}
