/**
 * Format Maintenance Alert: what a maintenance run (backup, log archive) did, from each
 * step's result, and the alert to send when a step did not work (`alert` says whether).
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maintenanceAlert, type MaintenanceStep, type MaintenanceTask } from '../../../shared/alerts/maintenanceAlert';
import { executionUrl } from '../../../shared/executionUrl';
import { executionBaseUrlField, executionBaseUrlOf } from '../../../shared/n8n/executionLinks';
import { languageOf } from '../../../shared/n8n/fields';

const show = { show: { operation: ['formatMaintenanceAlert'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Task',
		name: 'task',
		type: 'options',
		options: [
			{ name: 'Backup', value: 'backup' },
			{ name: 'Log Archive', value: 'logArchive' },
		],
		default: 'backup',
		description: 'Which maintenance ran (it names the alert and its component)',
		displayOptions: show,
	},
	{
		displayName: 'Target',
		name: 'target',
		type: 'string',
		default: '',
		placeholder: '/backups',
		description: "What was maintained, shown in the alert's title (e.g. the backup folder); empty: the first step result's target",
		displayOptions: show,
	},
	{
		displayName: 'Steps',
		name: 'steps',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add Step',
		description: 'The steps of the run, in order, each with its output item',
		displayOptions: show,
		options: [
			{
				displayName: 'Step',
				name: 'step',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', description: "What a person calls the step (e.g. its node's name)" },
					{ displayName: 'Result', name: 'result', type: 'json', default: '{}', description: "The step's output item: an expression reading that step's node" },
					{
						displayName: 'Needs Step',
						name: 'needs',
						type: 'string',
						default: '',
						description: 'An earlier step this one needs (e.g. the backup a Verify reads): when that one did not work, this one is not reported again',
					},
				],
			},
		],
	},
	{ ...executionBaseUrlField, description: 'The n8n editor URL: the alert links to this execution; empty: it names the execution ID', displayOptions: show },
];

export const runs = 'perItem';

/** A Result typed as JSON text is parsed; text that is not JSON stays text (read as "no result"). */
function resultValue(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value) as unknown;
	} catch {
		return value;
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const task = String(this.getNodeParameter('task', itemIndex, 'backup')) as MaintenanceTask;
	const listed = this.getNodeParameter('steps.step', itemIndex, []) as Array<Record<string, unknown>>;
	const steps: MaintenanceStep[] = listed.map((step) => ({ name: String(step.name ?? '').trim(), result: resultValue(step.result), needs: String(step.needs ?? '').trim() }));
	const base = executionBaseUrlOf(this, itemIndex);
	const executionId = this.getExecutionId();
	const workflowId = this.getWorkflow().id;
	const link = base && executionId && workflowId ? executionUrl(base, workflowId, executionId) : null;
	const outcome = maintenanceAlert(task, steps, {
		language: languageOf(this, itemIndex),
		target: String(this.getNodeParameter('target', itemIndex, '') ?? ''),
		...(executionId ? { executionId } : {}),
		...(link ? { executionUrl: link } : {}),
	});
	return outcome as unknown as IDataObject;
}
