import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { PROVIDER_BASE_URLS } from '../nodes/shared/providerBaseUrls';

/** Groq: the API key LLM Diagnose tries first (OpenAI-compatible API under /openai/v1). */
export class AutorecoveryGroqApi implements ICredentialType {
	name = 'autorecoveryGroqApi';

	displayName = 'Autorecovery Groq API';

	icon: Icon = { light: 'file:icons/groqApi.svg', dark: 'file:icons/groqApi.dark.svg' };

	documentationUrl = 'https://console.groq.com/docs/api-keys';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'A key from console.groq.com (gsk_…)',
			required: true,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: PROVIDER_BASE_URLS.groq,
			description: 'Without /openai/v1; change only for a proxy or a test server',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{($credentials.baseUrl || "${PROVIDER_BASE_URLS.groq}").replace(/\\/+$/, "")}}`,
			url: '/openai/v1/models',
			method: 'GET',
		},
	};
}
