/**
 * n8n's file-access rules for a path parameter (the rules: ../files/fileAccess.ts). Every
 * path a node reads, writes or deletes goes through here before anything touches the disk.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { checkFileAccess, describeRefusal, fileAccessRules, type PathUse } from '../files/fileAccess';

/** The path to use (resolved when a rule is in force), or a NodeOperationError naming the parameter. */
export async function permittedPath(ctx: IExecuteFunctions, itemIndex: number, given: string, label: string, use: PathUse): Promise<string> {
	const refuse = (problem: string) =>
		new NodeOperationError(ctx.getNode(), `Parameter "${label}": ${problem}; nothing was read, written or deleted`, { itemIndex });
	let decision;
	try {
		decision = await checkFileAccess(fileAccessRules(), given, use);
	} catch (error) {
		throw refuse(`cannot check ${given} against n8n's file access rules (${error instanceof Error ? error.message : String(error)})`);
	}
	if (!decision.allowed) throw refuse(describeRefusal(decision));
	return decision.path;
}
