import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { resourceField } from '../shared/n8n/resource';
import { historyFields } from './actions/fields';
import * as history from './actions/history/History.resource';
import * as report from './actions/report/Report.resource';
import { router } from './actions/router';

export class RecoveryReport implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Recovery Report',
		name: 'recoveryReport',
		icon: 'file:recoveryReport.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'What the recovery history says: the recovery log and statistics from n8n\'s executions, the status page and the daily report',
		defaults: { name: 'Recovery Report' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{
				// n8n's own API credential: the recovery log is n8n's execution history.
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
