/**
 * Post: sends an alert to Slack through the incoming webhook of the node's credential.
 * The URL is read from the credential only: it is not a parameter, not in the output,
 * and masked in every error, so no workflow or execution ever holds it.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { SLACK_WEBHOOK_CREDENTIAL, slackRefusal, webhookUrlProblem } from '../../../shared/alerts/slackWebhook';
import { isRecord } from '../../../shared/json';
import { postToWebhook, slackWebhookSecrets, slackWebhookUrl } from '../../transport/slackWebhook';

const show = { show: { resource: ['slack'], operation: ['post'] } };

/** Where Alert workflows of 0.1.0 kept the URL (their Channels node); now a credential's. */
export const LEGACY_URL_FIELD = 'slackWebhookUrl';

export const description: INodeProperties[] = [
	{
		displayName: 'Message',
		name: 'message',
		type: 'json',
		default: '',
		required: true,
		description: "Slack's message JSON ({\"text\": …, \"blocks\": […]}), e.g. the slackBody of a formatted alert",
		displayOptions: show,
	},
];

export const runs = 'perItem';

export const secrets = slackWebhookSecrets;

/** The Message parameter as Slack's payload: JSON text or an object, with text or blocks. */
function messageOf(ctx: IExecuteFunctions, itemIndex: number): Record<string, unknown> {
	const raw = ctx.getNodeParameter('message', itemIndex, '') as unknown;
	let message: unknown = raw;
	if (typeof raw === 'string') {
		try {
			message = JSON.parse(raw) as unknown;
		} catch {
			message = undefined;
		}
	}
	if (isRecord(message) && ((typeof message.text === 'string' && message.text.trim() !== '') || Array.isArray(message.blocks))) return message;
	throw new NodeOperationError(ctx.getNode(), 'Parameter "Message" must be Slack message JSON with a "text" or "blocks"', { itemIndex });
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const legacyUrl = this.getInputData()[itemIndex].json[LEGACY_URL_FIELD];
	if (typeof legacyUrl === 'string' && legacyUrl.trim() !== '') {
		throw new NodeOperationError(
			this.getNode(),
			`The item carries a Slack webhook URL in "${LEGACY_URL_FIELD}" (Channels of an Alert workflow from 0.1.0). The URL is a secret and now lives in the ${SLACK_WEBHOOK_CREDENTIAL} ("Autorecovery Slack Webhook"): put it there, import the new Alert workflow and set sendToSlack to true in its Channels (docs/workflows.md)`,
			{ itemIndex },
		);
	}
	const message = messageOf(this, itemIndex);
	const webhookUrl = await slackWebhookUrl(this, itemIndex);
	const problem = webhookUrlProblem(webhookUrl);
	if (problem) throw new NodeOperationError(this.getNode(), problem, { itemIndex });
	const outcome = await postToWebhook(webhookUrl, message);
	if (!outcome.ok) throw new NodeOperationError(this.getNode(), `The alert was not posted to Slack: ${slackRefusal(outcome)}`, { itemIndex });
	return { sent: true, status: outcome.status, durationMs: outcome.durationMs };
}
