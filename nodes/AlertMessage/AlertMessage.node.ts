import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { languageField } from '../shared/n8n/fields';
import { resourceField } from '../shared/n8n/resource';
import * as alert from './actions/alert/Alert.resource';
import { router } from './actions/router';

export class AlertMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alert Message',
		name: 'alertMessage',
		icon: { light: 'file:alertMessage.svg', dark: 'file:alertMessage.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Writes the alert a person reads (Slack, e-mail, WhatsApp) from an incident, a failed run or a maintenance run, redacted',
		defaults: { name: 'Alert Message' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [resourceField([{ name: 'Alert', value: 'alert' }]), ...alert.description, languageField()],
	};

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
