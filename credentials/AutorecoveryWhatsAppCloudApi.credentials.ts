import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { PROVIDER_BASE_URLS } from '../nodes/shared/providerBaseUrls';

/** WhatsApp Business Cloud API (Meta Graph API): a system-user token and the bot's number. */
export class AutorecoveryWhatsAppCloudApi implements ICredentialType {
	name = 'autorecoveryWhatsAppCloudApi';

	displayName = 'Autorecovery WhatsApp Cloud API';

	icon: Icon = { light: 'file:icons/whatsAppCloudApi.svg', dark: 'file:icons/whatsAppCloudApi.dark.svg' };

	documentationUrl = 'https://developers.facebook.com/docs/whatsapp/cloud-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'A system-user access token with whatsapp_business_messaging and whatsapp_business_management',
			required: true,
		},
		{
			displayName: 'Phone Number ID',
			name: 'phoneNumberId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'WhatsApp Business Account ID',
			name: 'wabaId',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Graph API Version',
			name: 'graphVersion',
			type: 'string',
			default: 'v23.0',
			placeholder: 'v23.0',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: PROVIDER_BASE_URLS.metaGraph,
			description: 'Change only for a proxy or a test server',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the two-step verification PIN takes over the number: a secret
		{
			displayName: 'Registration PIN',
			name: 'pin',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The six-digit two-step verification PIN, used to re-register the number when it is disconnected',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '=/{{$credentials.graphVersion}}/{{$credentials.phoneNumberId}}?fields=id,status',
			method: 'GET',
		},
	};
}
