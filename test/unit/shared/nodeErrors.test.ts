/** What reaches n8n when an operation fails: always an n8n error, its secrets masked. */
import { NodeApiError, NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { asNodeError, maskedNodeError } from '../../../nodes/shared/n8n/errors';
import type { PerItemOperation } from '../../../nodes/shared/n8n/operation';
import { createRouter } from '../../../nodes/shared/n8n/router';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';

const SECRET = 'sk-test-node-errors-secret-987654';
const ctx = fakeExecuteFunctions({ parameters: {}, input: [{}] });
const mask = (text: string) => text.split(SECRET).join('***');

describe('asNodeError', () => {
	it('passes n8n errors through unchanged', () => {
		const operationError = new NodeOperationError(ctx.getNode(), 'bad parameter', { itemIndex: 2 });
		const apiError = new NodeApiError(ctx.getNode(), { message: 'remote said no' }, { httpCode: '503' });
		expect(asNodeError(ctx, operationError)).toBe(operationError);
		expect(asNodeError(ctx, apiError)).toBe(apiError);
	});

	it('wraps any other error as a NodeOperationError with its message and item', () => {
		const wrapped = asNodeError(ctx, new TypeError('boom'), 3);
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		expect(wrapped.message).toBe('boom');
		expect((wrapped as NodeOperationError).context.itemIndex).toBe(3);
		expect(asNodeError(ctx, 'a string').message).toBe('a string');
	});
});

describe('maskedNodeError', () => {
	it('keeps a NodeApiError (its HTTP code) and masks its message and description', () => {
		const apiError = new NodeApiError(ctx.getNode(), { message: 'x' }, { message: `denied for ${SECRET}`, description: `key ${SECRET}`, httpCode: '401' });
		const thrown = maskedNodeError(ctx, apiError, mask, 0);
		expect(thrown).toBe(apiError);
		expect(thrown.message).toBe('denied for ***');
		expect(thrown.description).toBe('key ***');
		expect((thrown as NodeApiError).httpCode).toBe('401');
	});

	it('turns a raw error into a NodeOperationError for the item, masked', () => {
		const thrown = maskedNodeError(ctx, new Error(`failed with ${SECRET}`), mask, 1);
		expect(thrown).toBeInstanceOf(NodeOperationError);
		expect(thrown.message).toBe('failed with ***');
		expect((thrown as NodeOperationError).context.itemIndex).toBe(1);
	});
});

describe('the router', () => {
	const failing = (error: unknown): PerItemOperation => ({
		description: [],
		runs: 'perItem',
		async execute(this: IExecuteFunctions) {
			throw error;
		},
	});
	const apiError = new NodeApiError(ctx.getNode(), { message: 'x' }, { message: `remote refused ${SECRET}`, httpCode: '503' });
	const router = createRouter({ resources: { r: { raw: failing(new RangeError(`raw ${SECRET}`)), api: failing(apiError) } }, secrets: async () => [SECRET] });
	const run = (operation: string) => router.call(fakeExecuteFunctions({ parameters: { resource: 'r', operation }, input: [{}] }));

	it('never lets a raw error reach n8n', async () => {
		const error = await run('raw').catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).not.toContain(SECRET);
	});

	it('keeps a remote failure a NodeApiError, masked', async () => {
		const error = await run('api').catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('503');
		expect((error as Error).message).not.toContain(SECRET);
	});
});
