import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { runPerItem } from '../../shared/n8n/runPerItem';
import { postgresSecrets } from '../../shared/sql/postgresConnection';
import { postgresSettingsFrom, POSTGRES_CREDENTIAL } from '../../shared/n8n/postgres';
import { credentialText } from '../../shared/n8n/credentials';
import * as check from './check.operation';
import * as checkErrorRate from './checkErrorRate.operation';
import { readBackend, SUPABASE_CREDENTIAL } from './fields';
import * as repair from './repair.operation';

const operations: Record<string, (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject>> = {
	check: check.execute,
	checkErrorRate: checkErrorRate.execute,
	repair: repair.execute,
};

/** The credential values of an item, masked in any error message. */
async function secretsOf(ctx: IExecuteFunctions, itemIndex: number): Promise<string[]> {
	if (readBackend(ctx, itemIndex) === 'supabase') {
		return [credentialText(await ctx.getCredentials(SUPABASE_CREDENTIAL, itemIndex), 'serviceRoleKey')];
	}
	return postgresSecrets(postgresSettingsFrom(await ctx.getCredentials(POSTGRES_CREDENTIAL, itemIndex)));
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = operations[operation];
	if (!handler) throw new NodeOperationError(this.getNode(), `Parameter "Operation" has an unsupported value: ${operation}`);
	return [await runPerItem(this, (itemIndex) => handler.call(this, itemIndex), { secrets: (itemIndex) => secretsOf(this, itemIndex) })];
}
