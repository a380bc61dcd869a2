import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { PROVIDER_BASE_URLS } from '../nodes/shared/providerBaseUrls';

/** Anthropic: the API key LLM Diagnose falls back to after Groq and OpenAI. */
export class AutorecoveryAnthropicApi implements ICredentialType {
	name = 'autorecoveryAnthropicApi';

	displayName = 'Autorecovery Anthropic API';

	icon: Icon = { light: 'file:icons/anthropicApi.svg', dark: 'file:icons/anthropicApi.dark.svg' };

	documentationUrl = 'https://docs.anthropic.com/en/api/getting-started';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: PROVIDER_BASE_URLS.anthropic,
			description: 'Without /v1; change only for a proxy or a test server',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-key': '={{$credentials.apiKey}}',
				'anthropic-version': '2023-06-01',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{($credentials.baseUrl || "${PROVIDER_BASE_URLS.anthropic}").replace(/\\/+$/, "")}}`,
			url: '/v1/models',
			method: 'GET',
			headers: { 'anthropic-version': '2023-06-01' },
		},
	};
}
