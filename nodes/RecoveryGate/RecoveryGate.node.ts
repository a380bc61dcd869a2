import { NodeConnectionTypes, type IExecuteFunctions, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { resourceField } from '../shared/n8n/resource';
import { lockFields } from './actions/fields';
import * as lock from './actions/lock/Lock.resource';
import * as manualRecovery from './actions/manualRecovery/ManualRecovery.resource';
import * as outcome from './actions/outcome/Outcome.resource';
import { router } from './actions/router';

export class RecoveryGate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Recovery Gate',
		name: 'recoveryGate',
		icon: { light: 'file:recoveryGate.svg', dark: 'file:recoveryGate.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["resource"] + ": " + $parameter["operation"]}}',
		description: 'Lets one recovery at a time act on a component: admits manual recovery requests (pause, budget), holds per-component locks and says whether a recovery fixed its target',
		defaults: { name: 'Recovery Gate' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		properties: [
			resourceField([
				{ name: 'Lock', value: 'lock' },
				{ name: 'Manual Recovery', value: 'manualRecovery' },
				{ name: 'Outcome', value: 'outcome' },
			]),
			...manualRecovery.description,
			...lock.description,
			...outcome.description,
			...lockFields,
		],
	};

	async execute(this: IExecuteFunctions) {
		return router.call(this);
	}
}
