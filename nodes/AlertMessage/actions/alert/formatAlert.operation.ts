/** Format Incident Alert: the alert text of each item the Incident Tracker wants announced (others are dropped). */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { alertAttachment } from '../../../shared/alerts/attachment';
import { formatAlert, type AlertInput } from '../../../shared/alerts/formatAlert';
import { executionUrl } from '../../../shared/executionUrl';
import { isRecord } from '../../../shared/json';
import { executionBaseUrlField, executionBaseUrlOf, recoverWorkflowIdField, recoverWorkflowIdOf } from '../../../shared/n8n/executionLinks';
import { languageOf } from '../../../shared/n8n/fields';

const show = { show: { operation: ['formatAlert'] } };

export const description: INodeProperties[] = [
	{ ...executionBaseUrlField, description: "The n8n editor URL: an alert after a recovery links to that recovery's execution (the item's recoveryExecutionId); empty: no link", displayOptions: show },
	{ ...recoverWorkflowIdField, displayOptions: show },
	{
		displayName: 'Status Page URL',
		name: 'statusPageUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/status',
		description: 'Linked from every alert (the Monitor\'s status page); empty: no link',
		displayOptions: show,
	},
];

export const runs = 'perItem';

/** The Recover execution an item comes back from (set by the shipped Recover's log entry); null when none. */
function recoveryExecutionId(value: unknown): string | null {
	if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const item = this.getInputData()[itemIndex];
	const tracking = item.json.tracking;
	if (!isRecord(tracking)) throw new NodeOperationError(this.getNode(), `Input item ${itemIndex} has no "tracking": connect an Incident Tracker's output`, { itemIndex });
	if (tracking.alert !== true) return [];
	const { tracking: _tracking, ...result } = item.json;
	const base = executionBaseUrlOf(this, itemIndex);
	const executionId = recoveryExecutionId(item.json.recoveryExecutionId);
	const link = base && executionId ? executionUrl(base, recoverWorkflowIdOf(this, itemIndex), executionId) : null;
	const attachment = alertAttachment(Object.keys(item.binary ?? {}));
	const statusPageUrl = String(this.getNodeParameter('statusPageUrl', itemIndex, '') ?? '').trim();
	const message = formatAlert({ ...(tracking as unknown as AlertInput), result: result as unknown as AlertInput['result'] }, {
		language: languageOf(this, itemIndex),
		...(link ? { executionUrl: link } : {}),
		// The editor is where a person changes a credential or opens the Monitor and the backups.
		...(base ? { editorUrl: base } : {}),
		...(statusPageUrl ? { statusPageUrl } : {}),
		hasQr: attachment.hasImage,
		now: Date.now(),
	});
	const alertMessage = { ...message, ...attachment };
	return [{ json: { ...item.json, alertMessage } as unknown as IDataObject, binary: item.binary }];
}
