/**
 * How a failure becomes the error n8n shows. Plain modules throw their own typed errors
 * (they have no node to name); the n8n glue turns what it does not handle itself into a
 * NodeOperationError here, so no raw error reaches n8n (n8n's community lint rule
 * require-node-api-error asks the same of every catch block).
 */
import { NodeApiError, NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

export type NodeError = NodeApiError | NodeOperationError;

export function isNodeError(error: unknown): error is NodeError {
	return error instanceof NodeApiError || error instanceof NodeOperationError;
}

/** `error` unchanged when n8n already knows it, else a NodeOperationError with the same message (and the item, when known). */
export function asNodeError(ctx: Pick<IExecuteFunctions, 'getNode'>, error: unknown, itemIndex?: number): NodeError {
	if (isNodeError(error)) return error;
	const cause = error instanceof Error ? error : String(error);
	return new NodeOperationError(ctx.getNode(), cause, itemIndex === undefined ? {} : { itemIndex });
}

/**
 * The error the router throws: an n8n error keeps its class, item and HTTP details with its
 * message (and description) masked; anything else becomes a NodeOperationError with `message`.
 */
export function maskedNodeError(ctx: Pick<IExecuteFunctions, 'getNode'>, error: unknown, mask: (text: string) => string, itemIndex?: number): NodeError {
	if (isNodeError(error)) {
		error.message = mask(error.message);
		if (typeof error.description === 'string') error.description = mask(error.description);
		return error;
	}
	return new NodeOperationError(ctx.getNode(), mask(error instanceof Error ? error.message : String(error)), itemIndex === undefined ? {} : { itemIndex });
}
