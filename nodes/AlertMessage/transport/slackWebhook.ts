/** The Slack incoming webhook: the one call Alert Message makes, with its deadline and the URL masked. */
import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

import { webhookUrlSecrets } from '../../shared/alerts/slackWebhook';
import { httpRequest, type HttpOutcome } from '../../shared/http';
import { credentialText } from '../../shared/n8n/credentials';

export const SLACK_WEBHOOK_CREDENTIAL_TYPE = 'autorecoverySlackWebhookApi';

/** Slack answers within a second; past this the alert is reported as not posted. */
const SLACK_TIMEOUT_MS = 10_000;

export function webhookUrlOf(credentials: ICredentialDataDecryptedObject): string {
	return credentialText(credentials, 'webhookUrl');
}

export async function slackWebhookUrl(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	return webhookUrlOf(await ctx.getCredentials(SLACK_WEBHOOK_CREDENTIAL_TYPE, itemIndex));
}

/** Every form of the item's webhook URL, masked in any error message (the router's `secrets`). */
export async function slackWebhookSecrets(ctx: IExecuteFunctions, itemIndex: number): Promise<string[]> {
	return webhookUrlSecrets(await slackWebhookUrl(ctx, itemIndex));
}

/** Posts a message (`{text, blocks}`); Slack answers `ok` as plain text, errors as bare codes. */
export function postToWebhook(webhookUrl: string, message: Record<string, unknown>, timeoutMs = SLACK_TIMEOUT_MS): Promise<HttpOutcome<string>> {
	return httpRequest<string>({
		method: 'POST',
		url: webhookUrl,
		headers: { 'content-type': 'application/json; charset=utf-8' },
		body: message,
		timeoutMs,
		responseType: 'text',
		secrets: webhookUrlSecrets(webhookUrl),
	});
}
