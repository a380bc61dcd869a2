import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { AutorecoveryWahaApi } from './AutorecoveryWahaApi.credentials';

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

	properties: INodeProperties[] = new AutorecoveryWahaApi().properties.map((property) =>
		property.name === 'session'
			? { ...property, default: 'canary', description: 'The session of the canary number (a second WhatsApp number you own, not the bot\'s)' }
			: property,
	);

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'X-Api-Key': '={{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '=/api/sessions/{{encodeURIComponent($credentials.session)}}',
			method: 'GET',
		},
	};
}
