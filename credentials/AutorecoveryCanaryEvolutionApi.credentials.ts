import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { AutorecoveryEvolutionApi } from './AutorecoveryEvolutionApi.credentials';

/** The bot's credential, whose fields, authentication and test this type shares. */
const BOT_EVOLUTION = new AutorecoveryEvolutionApi();

/**
 * The conversation canary's Evolution API instance: the bot credential's fields, as its own
 * type. n8n keys a node's credentials by type, so one node cannot hold two
 * `autorecoveryEvolutionApi` credentials; a canary type lets the WhatsApp Probe hold the bot's
 * and the canary's side by side, whatever gateway each one uses.
 */
export class AutorecoveryCanaryEvolutionApi implements ICredentialType {
	name = 'autorecoveryCanaryEvolutionApi';

	displayName = 'Autorecovery Canary Evolution API';

	icon: Icon = { light: 'file:icons/evolutionApi.svg', dark: 'file:icons/evolutionApi.dark.svg' };

	documentationUrl = 'https://doc.evolution-api.com';

	properties: INodeProperties[] = BOT_EVOLUTION.properties.map((property) =>
		property.name === 'instance'
			? { ...property, placeholder: 'canary', description: 'The instance of the canary number (a second WhatsApp number you own, not the bot\'s)' }
			: property,
	);

	// Same authentication and test request as the bot's credential: one definition of each.
	authenticate: IAuthenticateGeneric = BOT_EVOLUTION.authenticate;

	test: ICredentialTestRequest = BOT_EVOLUTION.test;
}
