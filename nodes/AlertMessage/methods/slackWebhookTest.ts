/** The Slack webhook credential's test (n8n's Test button): does Slack know this webhook? */
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { webhookTestVerdict, webhookUrlProblem } from '../../shared/alerts/slackWebhook';
import { postToWebhook, webhookUrlOf } from '../transport/slackWebhook';

export async function autorecoverySlackWebhookTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const webhookUrl = webhookUrlOf(credential.data ?? {});
	const problem = webhookUrlProblem(webhookUrl);
	if (problem) return { status: 'Error', message: problem };
	// An empty message: a live webhook refuses it (400), so the test posts nothing to the channel.
	return webhookTestVerdict(await postToWebhook(webhookUrl, {}));
}
