/**
 * Alert (sub-workflow, one execution per alert, always saved): sends the formatted alert
 * to every configured channel. A failing channel does not stop the others; its error is
 * in this execution's data. The channels are configured here, in Channels, which holds
 * no secret: every execution saves its items, so a secret in Channels would be copied
 * into each one. Secrets (the Slack webhook URL, SMTP password, gateway key) are in
 * credentials. Slack goes through Alert Message's Post rather than n8n's HTTP Request,
 * which can take a full URL only as a parameter (its credentials add headers or query
 * parameters to a URL it is given, never the URL itself).
 */
import { assignments, condition, filter, WorkflowBuilder, type Json, type WorkflowJson } from './builder';
import { CREDENTIALS, WORKFLOW_IDS } from './ids';
import { QR_BINARY } from '../../nodes/shared/alerts/attachment';

const ALERT_CHANNELS: Array<[string, Json, 'string' | 'boolean']> = [
	// Slack's webhook URL is the Autorecovery Slack Webhook credential's; here only whether to post.
	['sendToSlack', false, 'boolean'],
	['emailTo', '', 'string'],
	['emailFrom', '', 'string'],
	['whatsappAdminNumber', '', 'string'],
];

export function alertWorkflow(): WorkflowJson {
	const wf = new WorkflowBuilder(WORKFLOW_IDS.alert, 'Autorecovery: Alert', {
		executionOrder: 'v1',
		saveDataSuccessExecution: 'all',
		saveDataErrorExecution: 'all',
		saveManualExecutions: true,
		callerPolicy: 'workflowsFromSameOwner',
	});
	wf.lane({ title: 'Send one alert to every channel set in Channels', text: 'Slack, e-mail and a WhatsApp message to the admin, each only when Channels name it. A failing channel never stops the others. Secrets live in credentials, never in Channels.', color: 3 });
	const trigger = wf.add({ name: 'When Called', type: 'n8n-nodes-base.executeWorkflowTrigger', typeVersion: 1.1, parameters: { inputSource: 'passthrough' } }, 0, 1);
	const channels = wf.add({ name: 'Channels', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { assignments: assignments(ALERT_CHANNELS), includeOtherFields: true, options: {} } }, 1, 1);
	wf.connect(trigger, channels);
	const when = (name: string, field: string, row: number, operation = 'notEmpty', type = 'string') =>
		wf.add({ name, type: 'n8n-nodes-base.if', typeVersion: 2.2, parameters: { conditions: filter(condition(`={{ $json.${field} }}`, operation, '', type)), options: {} } }, 2, row);
	const slackIf = when('Slack Configured?', 'sendToSlack', 0, 'true', 'boolean');
	const emailIf = when('Email Configured?', 'emailTo', 1);
	const whatsappIf = when('WhatsApp Configured?', 'whatsappAdminNumber', 2);
	const slack = wf.add(
		{
			name: 'Post to Slack',
			type: 'n8n-nodes-autorecovery.alertMessage',
			typeVersion: 1,
			onError: 'continueRegularOutput',
			parameters: { resource: 'slack', operation: 'post', message: '={{ $json.alertMessage.slackBody }}' },
			credentials: { autorecoverySlackWebhookApi: CREDENTIALS.slackWebhook },
		},
		3,
		0,
	);
	const email = wf.add(
		{
			name: 'Send Email',
			type: 'n8n-nodes-base.emailSend',
			typeVersion: 2.1,
			onError: 'continueRegularOutput',
			parameters: {
				fromEmail: '={{ $json.emailFrom }}',
				toEmail: '={{ $json.emailTo }}',
				subject: '={{ $json.alertMessage.emailSubject }}',
				emailFormat: 'both',
				text: '={{ $json.alertMessage.text }}',
				html: '={{ $json.alertMessage.emailHtml }}',
				// A relink's QR goes along, so the person can scan it from the email.
				options: { appendAttribution: false, attachments: '={{ $json.alertMessage.attachment }}' },
			},
			credentials: { smtp: CREDENTIALS.smtp },
		},
		3,
		1,
	);
	const whatsapp = wf.add(
		{
			name: 'Message the Admin',
			type: 'n8n-nodes-autorecovery.whatsAppProbe',
			typeVersion: 1,
			onError: 'continueRegularOutput',
			parameters: {
				gateway: 'evolution',
				operation: 'sendMessage',
				to: '={{ $json.whatsappAdminNumber }}',
				text: '={{ $json.alertMessage.text }}',
				attachImage: '={{ $json.alertMessage.hasImage }}',
				binaryPropertyName: QR_BINARY,
				// A Monitor tick's alert carries the tick's bound: a hung gateway cannot hold the tick past it.
				options: { runStartedAt: '={{ $json.tickStartedAt }}', runDeadlineSeconds: '={{ $json.tickDeadlineSeconds }}' },
			},
			credentials: { autorecoveryEvolutionApi: CREDENTIALS.evolution },
		},
		3,
		2,
	);
	wf.connect(channels, slackIf).connect(slackIf, slack, 0);
	wf.connect(channels, emailIf).connect(emailIf, email, 0);
	wf.connect(channels, whatsappIf).connect(whatsappIf, whatsapp, 0);
	return wf.build(true);
}
