/** Restore Postgres: restore a verified dump into a database, in one transaction. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { POSTGRES_CREDENTIAL, postgresSettingsFrom } from '../../../shared/n8n/postgres';
import { restoreOutcomeToResult } from '../../postgres/outcomeToResult';
import { restoreDump } from '../../postgres/restoreDump';
import { permittedPathParameter, pgRestoreBinary, timeoutOf } from '../fields';

export const description: INodeProperties[] = [];

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const file = await permittedPathParameter(this, 'file', 'Backup File', 'file', itemIndex);
	const settings = postgresSettingsFrom(await this.getCredentials(POSTGRES_CREDENTIAL, itemIndex));
	const outcome = await restoreDump(file, settings, {
		pgRestoreBinary: pgRestoreBinary(this, itemIndex),
		overwrite: this.getNodeParameter('overwrite', itemIndex, false) as boolean,
		timeoutMs: timeoutOf(this, itemIndex, 'postgres'),
	});
	return restoreOutcomeToResult(outcome) as unknown as IDataObject;
}
