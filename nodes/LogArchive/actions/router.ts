import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { POSTGRES_CREDENTIAL, postgresSettingsFrom } from '../../shared/n8n/postgres';
import { runPerItem } from '../../shared/n8n/runPerItem';
import { postgresSecrets } from '../../shared/sql/postgresConnection';
import * as archive from './archive.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	if (operation !== 'archive') {
		throw new NodeOperationError(this.getNode(), `Parameter "Operation" has an unsupported value: ${operation}`);
	}
	return [
		await runPerItem(this, (itemIndex) => archive.execute.call(this, itemIndex), {
			secrets: async (itemIndex) => postgresSecrets(postgresSettingsFrom(await this.getCredentials(POSTGRES_CREDENTIAL, itemIndex))),
		}),
	];
}
