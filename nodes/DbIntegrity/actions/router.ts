import type { SecretsOf } from '../../shared/n8n/operation';
import { createRouter } from '../../shared/n8n/router';
import { postgresSecrets } from '../../shared/sql/postgresConnection';
import { postgresSettingsFrom, POSTGRES_CREDENTIAL } from '../../shared/n8n/postgres';
import { credentialText } from '../../shared/n8n/credentials';
import * as catalog from './catalog/Catalog.resource';
import { readBackend, SUPABASE_CREDENTIAL } from './fields';

/** The credential values of an item, masked in any error message. */
const secretsOf: SecretsOf = async (ctx, itemIndex) => {
	if (readBackend(ctx, itemIndex) === 'supabase') {
		return [credentialText(await ctx.getCredentials(SUPABASE_CREDENTIAL, itemIndex), 'serviceRoleKey')];
	}
	return postgresSecrets(postgresSettingsFrom(await ctx.getCredentials(POSTGRES_CREDENTIAL, itemIndex)));
};

export const router = createRouter({ resources: { catalog: catalog.operations }, secrets: secretsOf });
