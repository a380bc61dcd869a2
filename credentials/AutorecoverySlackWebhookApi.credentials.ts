import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Slack: the incoming-webhook URL Alert Message posts alerts to. The URL is the secret
 * (whoever has it can post to the channel), so it lives here, encrypted, and never in a
 * workflow. Tested by the node (`testedBy`): a declarative test wants a 2xx, and the only
 * request that proves a webhook exists without posting to the channel answers 400.
 */
export class AutorecoverySlackWebhookApi implements ICredentialType {
	name = 'autorecoverySlackWebhookApi';

	displayName = 'Autorecovery Slack Webhook API';

	documentationUrl = 'https://api.slack.com/messaging/webhooks';

	properties: INodeProperties[] = [
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
