/**
 * The one router every node uses: reads `resource` and `operation`, runs the operation
 * per item or on the whole input, and handles what every operation shares — pairedItem,
 * continueOnFail, errors redacted and turned into NodeOperationErrors.
 */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { redact } from '../redact';
import { maskedNodeError } from './errors';
import type { NodeOperation, ResourceOperations, SecretsOf } from './operation';
import { runPerItem } from './runPerItem';

interface NodeRoutes {
	/** Each resource's operations, by parameter value. */
	resources: Record<string, ResourceOperations>;
	/** The credential values an item uses (default: none), masked in any error message. */
	secrets?: SecretsOf;
	/** Operations this node had before and where they went (a workflow built on an older version says so). */
	moved?: Record<string, string>;
}

const noSecrets: SecretsOf = async () => [];

/** n8n names a node's AI-agent variant `<type>Tool` (n8n-workflow's own '@tool' test is the same suffix). */
const isAgentTool = (ctx: IExecuteFunctions): boolean => ctx.getNode().type.endsWith('Tool');

function find(ctx: IExecuteFunctions, routes: NodeRoutes): NodeOperation {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operations = routes.resources[resource];
	if (!operations) throw new NodeOperationError(ctx.getNode(), `Parameter "Resource" has an unsupported value: ${resource}`);
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const found = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
	const movedTo = routes.moved && Object.hasOwn(routes.moved, operation) ? routes.moved[operation] : undefined;
	if (!found && movedTo) {
		throw new NodeOperationError(ctx.getNode(), `Parameter "Operation": "${operation}" is now done by ${movedTo}; re-import the shipped workflows (docs/workflows.md)`);
	}
	if (!found) throw new NodeOperationError(ctx.getNode(), `Parameter "Operation" has an unsupported value: ${operation}`);
	if (found.notForAgents && isAgentTool(ctx)) {
		throw new NodeOperationError(ctx.getNode(), `Parameter "Operation": "${operation}" is not available to AI agents (it deletes or overwrites data); run it from a workflow`);
	}
	return found;
}

/** A whole-input operation's failure: one error item with continueOnFail, else one redacted NodeOperationError. */
async function runWholeInput(ctx: IExecuteFunctions, operation: NodeOperation & { runs: 'wholeInput' }, secrets: SecretsOf): Promise<INodeExecutionData[]> {
	try {
		return await operation.execute.call(ctx);
	} catch (error) {
		const known = await secrets(ctx, 0).catch(() => []);
		const mask = (text: string) => redact(text, { secrets: known });
		const message = mask(error instanceof Error ? error.message : String(error));
		if (ctx.continueOnFail()) {
			return [{ json: { error: message }, pairedItem: ctx.getInputData().map((_, item) => ({ item })) }];
		}
		throw maskedNodeError(ctx, error, mask);
	}
}

export function createRouter(routes: NodeRoutes): (this: IExecuteFunctions) => Promise<INodeExecutionData[][]> {
	return async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = find(this, routes);
		const secrets = operation.secrets ?? routes.secrets ?? noSecrets;
		if (operation.runs === 'wholeInput') return [await runWholeInput(this, operation, secrets)];
		const prepared = operation.prepare ? await operation.prepare(this) : undefined;
		return [
			await runPerItem(this, (itemIndex) => operation.execute.call(this, itemIndex, prepared), {
				concurrency: operation.concurrency?.(this) ?? 1,
				secrets: (itemIndex) => secrets(this, itemIndex),
			}),
		];
	};
}
