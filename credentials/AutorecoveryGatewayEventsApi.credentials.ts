import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The secrets that prove a webhook event comes from the bot's WhatsApp gateway (issue 20):
 * WAHA's HMAC key, Meta's app secret and verify token, and the token we give Evolution
 * (which signs nothing). A source whose secret is empty is refused (403). Used by the
 * Incident Tracker's Event operations; see docs/gateway-events.md.
 */
// eslint-disable-next-line @n8n/community-nodes/credential-test-required -- nothing to call: these secrets check requests that come in, they open no connection
export class AutorecoveryGatewayEventsApi implements ICredentialType {
	name = 'autorecoveryGatewayEventsApi';

	displayName = 'Autorecovery Gateway Events API';

	icon: Icon = { light: 'file:icons/gatewayEventsApi.svg', dark: 'file:icons/gatewayEventsApi.dark.svg' };

	documentationUrl = 'https://waha.devlike.pro/docs/how-to/events/';

	properties: INodeProperties[] = [
		{
			displayName: 'Evolution Token',
			name: 'evolutionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'A long random value; put it in the Evolution webhook\'s headers as X-Autorecovery-Token (or, for the global webhook, in its URL as ?token=). Empty: Evolution events are refused.',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- whoever has the key can forge WAHA events
		{
			displayName: 'WAHA HMAC Key',
			name: 'wahaHmacKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The hmac.key of the webhook added to the WAHA session (WAHA signs each body with HMAC-SHA512). Empty: WAHA events are refused.',
		},
		{
			displayName: 'Meta App Secret',
			name: 'metaAppSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The app secret of the Meta app (X-Hub-Signature-256). Empty: Meta events are refused.',
		},
		{
			displayName: 'Meta Verify Token',
			name: 'metaVerifyToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The Verify Token of the callback, answered in Meta\'s GET handshake',
		},
	];
}
