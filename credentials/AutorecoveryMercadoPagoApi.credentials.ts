import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { PROVIDER_BASE_URLS } from '../nodes/shared/providerBaseUrls';

/** MercadoPago: the access token the bot creates payment links with. */
export class AutorecoveryMercadoPagoApi implements ICredentialType {
	name = 'autorecoveryMercadoPagoApi';

	displayName = 'Autorecovery MercadoPago API';

	icon: Icon = { light: 'file:icons/mercadoPagoApi.svg', dark: 'file:icons/mercadoPagoApi.dark.svg' };

	documentationUrl = 'https://www.mercadopago.com.ar/developers/en/docs/your-integrations/credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'TEST-… for sandbox, APP_USR-… for production',
			required: true,
		},
		{
			displayName: 'Expected Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{ name: 'Sandbox', value: 'sandbox' },
			],
			default: 'production',
			description: 'Which kind of token the bot should be using; a mismatch is reported',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: PROVIDER_BASE_URLS.mercadopago,
			description: 'Change only for a proxy or a test server',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/users/me',
			method: 'GET',
		},
	};
}
