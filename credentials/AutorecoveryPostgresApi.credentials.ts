import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Postgres for DB Integrity, Log Archive and Volume Backup: the parts, or one
 * connection string. Tested by the nodes' `autorecoveryPostgresConnectionTest` method,
 * which reports failures in plain words.
 */
export class AutorecoveryPostgresApi implements ICredentialType {
	name = 'autorecoveryPostgresApi';

	displayName = 'Autorecovery Postgres';

	icon: Icon = { light: 'file:icons/postgresApi.svg', dark: 'file:icons/postgresApi.dark.svg' };

	documentationUrl = 'https://www.postgresql.org/docs/current/libpq-connect.html';

	properties: INodeProperties[] = [
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- it carries the database password (postgres://user:password@…)
		{
			displayName: 'Connection String',
			name: 'connectionString',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'postgres://user:password@host:5432/database',
			description: 'Optional: when set, it is used instead of the fields below',
		},
		{ displayName: 'Host', name: 'host', type: 'string', default: 'localhost' },
		{ displayName: 'Port', name: 'port', type: 'number', default: 5432 },
		{ displayName: 'Database', name: 'database', type: 'string', default: 'postgres' },
		{ displayName: 'User', name: 'user', type: 'string', default: 'postgres' },
		{ displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '' },
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'options',
			options: [
				{ name: 'Disable', value: 'disable' },
				{ name: 'Require (No Certificate Check)', value: 'require' },
				{ name: 'Verify Full', value: 'verify-full' },
			],
			default: 'disable',
		},
	];
}
