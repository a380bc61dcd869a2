/** The one router every node uses: routing, per-item and whole-input runs, continueOnFail, pairedItem, redaction. */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { PerItemOperation, WholeInputOperation } from '../../../nodes/shared/n8n/operation';
import { resourceField, resourceProperties } from '../../../nodes/shared/n8n/resource';
import { createRouter } from '../../../nodes/shared/n8n/router';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';

const SECRET = 'sk-test-router-secret-123456';

const echo: PerItemOperation<string> = {
	description: [],
	runs: 'perItem',
	prepare: async () => 'prepared',
	async execute(this: IExecuteFunctions, itemIndex: number, prepared: string) {
		const json = this.getInputData()[itemIndex].json;
		if (json.fail) throw new Error(`item ${itemIndex} failed with key ${SECRET}`);
		return { ...json, prepared };
	},
};

let running = 0;
let peak = 0;
const slow: PerItemOperation = {
	description: [],
	runs: 'perItem',
	concurrency: () => 3,
	async execute(this: IExecuteFunctions, itemIndex: number) {
		running += 1;
		peak = Math.max(peak, running);
		await new Promise((resolve) => setTimeout(resolve, 5 * (10 - itemIndex)));
		running -= 1;
		return [{ index: itemIndex }, { index: itemIndex, second: true }];
	},
};

const count: WholeInputOperation = {
	description: [],
	runs: 'wholeInput',
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
		const items = this.getInputData();
		if (items.some((item) => item.json.fail)) throw new Error(`whole input failed with ${SECRET}`);
		return [{ json: { count: items.length }, pairedItem: items.map((_, item) => ({ item })) }];
	},
};

const router = createRouter({ resources: { things: { echo, slow }, totals: { count } }, secrets: async () => [SECRET] });

const run = (parameters: Record<string, unknown>, input: IDataObject[], continueOnFail = false) => router.call(fakeExecuteFunctions({ parameters, input, continueOnFail }));

describe('createRouter', () => {
	it('runs a per-item operation once per item, prepared once, each output paired with its item', async () => {
		const [output] = await run({ resource: 'things', operation: 'echo' }, [{ a: 1 }, { a: 2 }]);
		expect(output).toEqual([
			{ json: { a: 1, prepared: 'prepared' }, pairedItem: { item: 0 } },
			{ json: { a: 2, prepared: 'prepared' }, pairedItem: { item: 1 } },
		]);
	});

	it('keeps input order with bounded concurrency, and several outputs per item', async () => {
		peak = 0;
		const [output] = await run({ resource: 'things', operation: 'slow' }, Array.from({ length: 7 }, () => ({})));
		expect(output.map((item) => [item.json.index, item.pairedItem])).toEqual(Array.from({ length: 7 }, (_, i) => [[i, { item: i }], [i, { item: i }]]).flat());
		expect(peak).toBe(3);
	});

	it('fails a per-item run with a redacted NodeOperationError, or an error item per failed item with continueOnFail', async () => {
		const input = [{ a: 1 }, { fail: true }];
		const error = await run({ resource: 'things', operation: 'echo' }, input).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toContain('item 1 failed');
		expect((error as Error).message).not.toContain(SECRET);
		const [output] = await run({ resource: 'things', operation: 'echo' }, input, true);
		expect(output[0].json).toEqual({ a: 1, prepared: 'prepared' });
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(String(output[1].json.error)).toContain('item 1 failed');
		expect(JSON.stringify(output)).not.toContain(SECRET);
	});

	it('runs a whole-input operation once; a failure is one redacted error, or one error item paired with every input', async () => {
		const [output] = await run({ resource: 'totals', operation: 'count' }, [{}, {}, {}]);
		expect(output).toEqual([{ json: { count: 3 }, pairedItem: [{ item: 0 }, { item: 1 }, { item: 2 }] }]);
		const input = [{}, { fail: true }];
		const error = await run({ resource: 'totals', operation: 'count' }, input).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).not.toContain(SECRET);
		const [failed] = await run({ resource: 'totals', operation: 'count' }, input, true);
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		expect(String(failed[0].json.error)).toContain('whole input failed');
		expect(JSON.stringify(failed)).not.toContain(SECRET);
	});

	it('names the parameter when the resource or operation is unknown (also an inherited property name)', async () => {
		await expect(run({ resource: 'nope', operation: 'echo' }, [{}])).rejects.toThrow('Parameter "Resource" has an unsupported value: nope');
		await expect(run({ resource: 'things', operation: 'count' }, [{}])).rejects.toThrow('Parameter "Operation" has an unsupported value: count');
		await expect(run({ resource: 'things', operation: 'toString' }, [{}])).rejects.toThrow('Parameter "Operation" has an unsupported value: toString');
	});
});

describe('resource descriptions', () => {
	it('refuse an operation listed without its file, or a file not listed', () => {
		expect(() => resourceProperties('things', [{ name: 'Echo', value: 'echo' }], { echo, slow })).toThrow('differ');
		expect(() => resourceProperties('things', [{ name: 'Echo', value: 'echo' }, { name: 'Other', value: 'other' }], { echo })).toThrow('differ');
		expect(() => resourceProperties('things', [{ name: 'Echo', value: 'echo' }], { echo }, 'missing')).toThrow('default');
	});

	it('show each operation field for its resource, default to the given operation, and hide a lone resource', () => {
		const [operation] = resourceProperties('things', [{ name: 'Echo', value: 'echo' }, { name: 'Slow', value: 'slow' }], { echo, slow }, 'slow');
		expect(operation).toMatchObject({ name: 'operation', default: 'slow', displayOptions: { show: { resource: ['things'] } } });
		expect(resourceField([{ name: 'Things', value: 'things' }])).toMatchObject({ type: 'hidden', default: 'things' });
		expect(resourceField([{ name: 'A', value: 'a' }, { name: 'B', value: 'b' }])).toMatchObject({ type: 'options', default: 'a' });
	});
});
