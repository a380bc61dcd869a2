import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Slack: the incoming-webhook URL Alert Message posts alerts to. The URL is the secret
 * (whoever has it can post to the channel), so it lives here, encrypted, and never in a
 * workflow. Tested by the node (`testedBy`): a declarative test wants a 2xx, and the only
 * request that proves a webhook exists without posting to the channel answers 400.
 */
export class AutorecoverySlackWebhookApi implements ICredentialType {
	name = 'autorecoverySlackWebhookApi';

	displayName = 'Autorecovery Slack Webhook API';

	icon: Icon = { light: 'file:icons/slackWebhookApi.svg', dark: 'file:icons/slackWebhookApi.dark.svg' };

	documentationUrl = 'https://api.slack.com/messaging/webhooks';

	properties: INodeProperties[] = [
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- whoever has the webhook URL can post to the channel: a secret
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'https://hooks.slack.com/services/T…/B…/…',
			description: 'The incoming webhook of the channel alerts go to (Slack app > Incoming Webhooks)',
			required: true,
		},
	];
}
