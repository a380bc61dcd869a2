/**
 * The one shape of every operation of every node (n8n's Postgres v2 / Airtable v2
 * pattern): a file `actions/<resource>/<operation>.operation.ts` exports its parameter
 * `description`, how it `runs`, and its `execute`. The router (./router.ts) does the
 * rest once for all: continueOnFail, pairedItem, redaction of errors, errors as
 * NodeOperationErrors.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ItemResult } from './runPerItem';

/** The credential values an item uses, masked in any error message. */
export type SecretsOf = (ctx: IExecuteFunctions, itemIndex: number) => Promise<string[]>;

interface OperationBase {
	/** The operation's parameters (each shown only for this operation). */
	description: INodeProperties[];
	/** Overrides the node's secrets for this operation (it uses other credentials). */
	secrets?: SecretsOf;
	/**
	 * Destructive: kept from AI agents. n8n makes every `usableAsTool` node a `…Tool` variant an
	 * agent can call; there this operation is not listed and the router refuses to run it.
	 */
	notForAgents?: true;
}

/** Runs once per input item; each item gives one or more output items paired with it. */
export interface PerItemOperation<Prepared = undefined> extends OperationBase {
	runs: 'perItem';
	/** How many items run at once (default 1: in order). */
	concurrency?: (ctx: IExecuteFunctions) => number;
	/** Work shared by every item of one run (read once, before the items). */
	prepare?: (ctx: IExecuteFunctions) => Promise<Prepared>;
	// Method syntax on purpose: an operation's own Prepared type stays assignable to the
	// router's PerItemOperation<unknown> (method parameters are compared bivariantly).
	execute(this: IExecuteFunctions, itemIndex: number, prepared: Prepared): Promise<ItemResult>;
}

/** Runs once on all input items together (a decision over a whole run, an aggregate, a webhook answer). */
export interface WholeInputOperation extends OperationBase {
	runs: 'wholeInput';
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[]>;
}

export type NodeOperation = PerItemOperation<unknown> | WholeInputOperation;

/** A resource's operations by value, in the order the UI lists them. */
export type ResourceOperations = Record<string, NodeOperation>;
