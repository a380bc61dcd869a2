/**
 * Alert (sub-workflow, one execution per alert, always saved): sends the formatted alert
 * to every configured channel. A failing channel does not stop the others; its error is
 * in this execution's data. The channels are configured here, in Channels.
 */
import { assignments, condition, filter, WorkflowBuilder, type Json, type WorkflowJson } from './builder';
import { CREDENTIALS, WORKFLOW_IDS } from './ids';
import { QR_BINARY } from '../../nodes/shared/alerts/attachment';

const ALERT_CHANNELS: Array<[string, Json, 'string']> = [
	['slackWebhookUrl', '', 'string'],
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
	const trigger = wf.add({ name: 'When Called', type: 'n8n-nodes-base.executeWorkflowTrigger', typeVersion: 1.1, parameters: { inputSource: 'passthrough' } }, 0, 1);
	const channels = wf.add({ name: 'Channels', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { assignments: assignments(ALERT_CHANNELS), includeOtherFields: true, options: {} } }, 1, 1);
	wf.connect(trigger, channels);
	const when = (name: string, field: string, row: number) =>
		wf.add({ name, type: 'n8n-nodes-base.if', typeVersion: 2.2, parameters: { conditions: filter(condition(`={{ $json.${field} }}`, 'notEmpty')), options: {} } }, 2, row);
	const slackIf = when('Slack Configured?', 'slackWebhookUrl', 0);
	const emailIf = when('Email Configured?', 'emailTo', 1);
	const whatsappIf = when('WhatsApp Configured?', 'whatsappAdminNumber', 2);
	const slack = wf.add(
		{
			name: 'Post to Slack',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			onError: 'continueRegularOutput',
			parameters: {
				method: 'POST',
				url: '={{ $json.slackWebhookUrl }}',
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '={{ $json.alertMessage.slackBody }}',
				options: { timeout: 10000 },
			},
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
