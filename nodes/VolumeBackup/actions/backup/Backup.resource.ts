/** Volume Backup's one resource: folder and database backups, their verification, restore and retention. */
import type { INodeProperties } from 'n8n-workflow';

import type { ResourceOperations, SecretsOf } from '../../../shared/n8n/operation';
import { POSTGRES_CREDENTIAL, postgresSettingsFrom } from '../../../shared/n8n/postgres';
import { resourceProperties } from '../../../shared/n8n/resource';
import { postgresSecrets } from '../../../shared/sql/postgresConnection';
import { sharedFields } from '../fields';
import * as backupDirectory from './backupDirectory.operation';
import * as backupPostgres from './backupPostgres.operation';
import * as prune from './prune.operation';
import * as restoreDirectory from './restoreDirectory.operation';
import * as restorePostgres from './restorePostgres.operation';
import * as verify from './verify.operation';

/** The database operations mask the Postgres credential's values in their errors. */
const postgresCredentialSecrets: SecretsOf = async (ctx, itemIndex) => postgresSecrets(postgresSettingsFrom(await ctx.getCredentials(POSTGRES_CREDENTIAL, itemIndex)));

// Restore overwrites a folder or a database and Prune deletes backups: an AI agent may back up
// and verify, never these (docs/development.md, "AI agents").
export const operations = {
	backupDirectory,
	backupPostgres: { ...backupPostgres, secrets: postgresCredentialSecrets },
	prune: { ...prune, notForAgents: true },
	restoreDirectory: { ...restoreDirectory, notForAgents: true },
	restorePostgres: { ...restorePostgres, secrets: postgresCredentialSecrets, notForAgents: true },
	verify,
} satisfies ResourceOperations;

export const description: INodeProperties[] = [
	...resourceProperties('backup', [
		{ name: 'Backup Directory', value: 'backupDirectory', description: 'A .tar.gz of a folder with sha256 and manifest', action: 'Back up a folder' },
		{ name: 'Backup Postgres', value: 'backupPostgres', description: 'A pg_dump (custom format) with sha256', action: 'Back up a postgres database' },
		{ name: 'Prune', value: 'prune', description: 'Delete old folder backups by retention rules, never the only verified one', action: 'Prune old backups' },
		{ name: 'Restore Directory', value: 'restoreDirectory', description: 'Unpack a folder backup safely into a target folder', action: 'Restore a folder backup' },
		{ name: 'Restore Postgres', value: 'restorePostgres', description: 'Restore a dump into a database, in one transaction', action: 'Restore a postgres dump' },
		{ name: 'Verify', value: 'verify', description: 'Re-read a backup: checksum and listing', action: 'Verify a backup' },
	], operations),
	...sharedFields,
];
