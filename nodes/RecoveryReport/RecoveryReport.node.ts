import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { resourceField } from '../shared/n8n/resource';
import { historyFields } from './actions/fields';
import * as history from './actions/history/History.resource';
import * as report from './actions/report/Report.resource';
import { router } from './actions/router';

export class RecoveryReport implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Recovery Report',
		name: 'recoveryReport',
		icon: { light: 'file:recoveryReport.svg', dark: 'file:recoveryReport.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'What the recovery history says: the recovery log and statistics from n8n\'s executions, the status page and the daily report',
		defaults: { name: 'Recovery Report' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{
				// n8n's own API credential: the recovery log is n8n's execution history, and this key is what reads it.
				// eslint-disable-next-line @n8n/community-nodes/no-credential-reuse, @n8n/community-nodes/valid-credential-references -- n8n's own API, not another package's credential
				name: 'n8nApi',
				required: true,
			},
		],
		properties: [
			resourceField([
				{ name: 'History', value: 'history' },
				{ name: 'Report', value: 'report' },
			]),
			...history.description,
			...report.description,
			...historyFields,
		],
	};

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
