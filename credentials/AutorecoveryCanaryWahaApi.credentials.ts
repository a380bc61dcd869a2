import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { AutorecoveryWahaApi } from './AutorecoveryWahaApi.credentials';

/** The bot's credential, whose fields, authentication and test this type shares. */
const BOT_WAHA = new AutorecoveryWahaApi();

/**
 * The conversation canary's WAHA session: the bot credential's fields, as its own type, so
 * one WhatsApp Probe node can hold the bot's and the canary's credentials (n8n keys a node's
 * credentials by type).
 */
export class AutorecoveryCanaryWahaApi implements ICredentialType {
	name = 'autorecoveryCanaryWahaApi';

	displayName = 'Autorecovery Canary WAHA API';

	icon: Icon = { light: 'file:icons/wahaApi.svg', dark: 'file:icons/wahaApi.dark.svg' };

	documentationUrl = 'https://waha.devlike.pro/docs/how-to/security/';

	properties: INodeProperties[] = BOT_WAHA.properties.map((property) =>
		property.name === 'session'
			? { ...property, default: 'canary', description: 'The session of the canary number (a second WhatsApp number you own, not the bot\'s)' }
			: property,
	);

	// Same authentication and test request as the bot's credential: one definition of each.
	authenticate: IAuthenticateGeneric = BOT_WAHA.authenticate;

	test: ICredentialTestRequest = BOT_WAHA.test;
}
