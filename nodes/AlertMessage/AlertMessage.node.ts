import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { languageField } from '../shared/n8n/fields';
import { resourceField } from '../shared/n8n/resource';
import * as alert from './actions/alert/Alert.resource';
import * as slack from './actions/slack/Slack.resource';
import { autorecoverySlackWebhookTest } from './methods/slackWebhookTest';
import { autorecoveryRelinkLinkTest } from '../shared/n8n/relinkLinkTest';
import { router } from './actions/router';

export class AlertMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alert Message',
		name: 'alertMessage',
		icon: { light: 'file:alertMessage.svg', dark: 'file:alertMessage.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Writes the alert a person reads (Slack, e-mail, WhatsApp) from an incident, a failed run or a maintenance run, redacted, and posts it to Slack',
		defaults: { name: 'Alert Message' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{ name: 'autorecoverySlackWebhookApi', required: true, testedBy: 'autorecoverySlackWebhookTest', displayOptions: { show: { resource: ['slack'] } } },
			// Signs the relink page link of QR alerts; only needed when Relink Page URL is set.
			{ name: 'autorecoveryRelinkLinkApi', required: false, testedBy: 'autorecoveryRelinkLinkTest', displayOptions: { show: { operation: ['formatAlert'] } } },
		],
		properties: [
			resourceField([
				{ name: 'Alert', value: 'alert' },
				{ name: 'Slack', value: 'slack' },
			]),
			...alert.description,
			...slack.description,
			languageField({ resource: ['alert'] }),
		],
	};

	methods = { credentialTest: { autorecoverySlackWebhookTest, autorecoveryRelinkLinkTest } };

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
