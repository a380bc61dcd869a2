import { POSTGRES_CREDENTIAL, postgresSettingsFrom } from '../../shared/n8n/postgres';
import { createRouter } from '../../shared/n8n/router';
import { postgresSecrets } from '../../shared/sql/postgresConnection';
import * as logs from './logs/Logs.resource';

export const router = createRouter({
	resources: { logs: logs.operations },
	secrets: async (ctx, itemIndex) => postgresSecrets(postgresSettingsFrom(await ctx.getCredentials(POSTGRES_CREDENTIAL, itemIndex))),
});
