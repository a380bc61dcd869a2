import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { PROVIDER_BASE_URLS } from '../nodes/shared/providerBaseUrls';

/** OpenAI: the API key LLM Diagnose falls back to after Groq. */
export class AutorecoveryOpenAiApi implements ICredentialType {
	name = 'autorecoveryOpenAiApi';

	displayName = 'Autorecovery OpenAI API';

	icon: Icon = { light: 'file:icons/openAiApi.svg', dark: 'file:icons/openAiApi.dark.svg' };

	documentationUrl = 'https://platform.openai.com/docs/api-reference/authentication';

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
			displayName: 'Organization ID',
			name: 'organization',
			type: 'string',
			default: '',
			placeholder: 'org-…',
			description: 'Only for keys that belong to several organizations; leave empty otherwise',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: PROVIDER_BASE_URLS.openai,
			description: 'Including /v1; change only for a proxy or a test server',
		},
	];

	/**
	 * The key only: n8n turns an empty expression into an empty header (which OpenAI reads
	 * as a wrong organization), so the organization is sent by the LLM Diagnose client itself.
	 */
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{($credentials.baseUrl || "${PROVIDER_BASE_URLS.openai}").replace(/\\/+$/, "")}}`,
			url: '/models',
			method: 'GET',
		},
	};
}
