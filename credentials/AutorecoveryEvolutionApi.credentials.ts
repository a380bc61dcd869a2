import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/** Evolution API v2: the gateway's base URL, its global API key and the bot's instance. */
export class AutorecoveryEvolutionApi implements ICredentialType {
	name = 'autorecoveryEvolutionApi';

	displayName = 'Autorecovery Evolution API';

	icon: Icon = { light: 'file:icons/evolutionApi.svg', dark: 'file:icons/evolutionApi.dark.svg' };

	documentationUrl = 'https://doc.evolution-api.com';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:8080',
			placeholder: 'https://evolution.example.com',
			description: 'Where Evolution API answers (no /api suffix)',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The global AUTHENTICATION_API_KEY, or the instance token',
			required: true,
		},
		{
			displayName: 'Instance Name',
			name: 'instance',
			type: 'string',
			default: '',
			placeholder: 'ventas',
			description: 'The instance the bot uses (a node parameter can override it per item)',
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { apikey: '={{$credentials.apiKey}}' } },
	};

	// connectionState needs both a valid key and an existing instance: the cheapest full check.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '=/instance/connectionState/{{encodeURIComponent($credentials.instance)}}',
			method: 'GET',
		},
	};
}
