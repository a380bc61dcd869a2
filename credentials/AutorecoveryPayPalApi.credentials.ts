import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';
import { PROVIDER_BASE_URLS } from '../nodes/shared/providerBaseUrls';

/** PayPal REST: the app's client id and secret; the node exchanges them for a token. */
export class AutorecoveryPayPalApi implements ICredentialType {
	name = 'autorecoveryPayPalApi';

	displayName = 'Autorecovery PayPal API';

	icon: Icon = { light: 'file:icons/payPalApi.svg', dark: 'file:icons/payPalApi.dark.svg' };

	documentationUrl = 'https://developer.paypal.com/api/rest/authentication/';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Live', value: 'live' },
				{ name: 'Sandbox', value: 'sandbox' },
			],
			default: 'live',
			description: 'Chooses the API host (api-m.paypal.com or api-m.sandbox.paypal.com)',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrl',
			type: 'string',
			default: '',
			description: 'Leave empty to use the environment\'s host; set only for a proxy or a test server',
		},
	];

	// The OAuth token request is the cheapest call that proves the id/secret pair.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				`={{$credentials.baseUrl ? $credentials.baseUrl.replace(/\\/+$/, "") : ($credentials.environment === "sandbox" ? "${PROVIDER_BASE_URLS.paypalSandbox}" : "${PROVIDER_BASE_URLS.paypalLive}")}}`,
			url: '/v1/oauth2/token',
			method: 'POST',
			auth: { username: '={{$credentials.clientId}}', password: '={{$credentials.clientSecret}}' },
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials',
		},
	};
}
