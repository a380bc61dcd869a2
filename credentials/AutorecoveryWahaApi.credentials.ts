import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/** WAHA (WhatsApp HTTP API): base URL, API key and the bot's session. */
export class AutorecoveryWahaApi implements ICredentialType {
	name = 'autorecoveryWahaApi';

	displayName = 'Autorecovery WAHA API';

	icon: Icon = { light: 'file:icons/wahaApi.svg', dark: 'file:icons/wahaApi.dark.svg' };

	documentationUrl = 'https://waha.devlike.pro/docs/how-to/security/';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:3000',
			placeholder: 'https://waha.example.com',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The WAHA_API_KEY the server was started with',
			required: true,
		},
		{
			displayName: 'Session',
			name: 'session',
			type: 'string',
			default: 'default',
			description: 'The session the bot uses (a node parameter can override it per item)',
			required: true,
		},
	];

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
