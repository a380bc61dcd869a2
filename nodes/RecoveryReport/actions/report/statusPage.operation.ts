/**
 * Status Page: the HTML answer of `GET /webhook/status` from the tracker's state (each
 * target's last check, open incidents, the pause, availability) and the last recoveries
 * from n8n's history. The history is optional: when it cannot be read the page says so
 * and still shows the state. Outputs one item `{ statusCode, html }`.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { openIncidents } from '../../../shared/incident/controls';
import { recoveryLog } from '../../history/recoveryLog';
import { HistoryUnavailableError } from '../../transport/n8nApi';
import { renderStatusPage } from '../../status/renderStatusPage';
import { buildStatusModel } from '../../status/statusModel';
import { StatusParameterError } from '../../status/errors';
import { parseTargetNames, type TargetNames } from '../../status/targetNames';
import { languageOf } from '../../../shared/n8n/fields';
import { executionBaseUrl, readRecoveries, recoverWorkflowId, timezoneOf } from '../fields';
import { readTrackerOptions } from '../../../shared/n8n/trackerOptions';
import { readState } from '../../../shared/n8n/trackerState';
import { asNodeError } from '../../../shared/n8n/errors';

const show = { operation: ['statusPage'] };

export const description: INodeProperties[] = [
	{ displayName: 'Page Title', name: 'pageTitle', type: 'string', default: '', placeholder: 'Mi tienda por WhatsApp', description: 'Shown at the top (empty: a generic title)', displayOptions: { show } },
	{
		displayName: 'Target Names',
		name: 'targetNames',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		placeholder: 'evolution:ventas = WhatsApp de ventas\npostgres:shop = Catálogo de productos',
		description: 'How the page names each target: one "target = name" per line (targets without a name show their ID)',
		displayOptions: { show },
	},
];

/** The parameters a StatusParameterError names, as the user sees them. */
const PARAMETER_LABELS: Record<string, string> = { timezone: 'Timezone', targetNames: 'Target Names' };

/** One page, whatever the number of input items. */
export const runs = 'wholeInput';

function parameterError(context: IExecuteFunctions, error: StatusParameterError): NodeOperationError {
	return new NodeOperationError(context.getNode(), `Parameter "${PARAMETER_LABELS[error.parameter] ?? error.parameter}": ${error.message}`);
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const now = Date.now();
	// Bad names are the user's to fix before anything is read.
	let targetNames: TargetNames;
	try {
		targetNames = parseTargetNames(String(this.getNodeParameter('targetNames', 0, '') ?? ''));
	} catch (error) {
		throw error instanceof StatusParameterError ? parameterError(this, error) : error;
	}
	const state = await readState(this);
	const base = executionBaseUrl(this);
	const workflowId = recoverWorkflowId(this);
	let recoveries: ReturnType<typeof recoveryLog> | null = null;
	let recoveriesNote: string | undefined;
	try {
		const fetched = await readRecoveries(this, { atLeast: 20, maxPages: 1, pageSize: 20 });
		recoveries = recoveryLog(fetched.executions, { limit: 10, executionBaseUrl: base, workflowId });
	} catch (error) {
		if (!(error instanceof HistoryUnavailableError)) throw asNodeError(this, error);
		recoveriesNote = error.message;
	}
	const memory = state.memory;
	try {
		const model = buildStatusModel({
			now,
			language: languageOf(this, 0),
			observed: Object.values(memory?.observed ?? {}),
			status: openIncidents(state, now, readTrackerOptions(this)),
			closed: memory?.closed ?? [],
			trackingSince: memory?.since,
			recoveries,
			recoveriesNote,
			title: String(this.getNodeParameter('pageTitle', 0, '') ?? '').trim() || undefined,
			timezone: timezoneOf(this),
			targetNames,
		});
		return [{ json: { statusCode: 200, html: renderStatusPage(model) } as IDataObject, pairedItem: { item: 0 } }];
	} catch (error) {
		if (error instanceof StatusParameterError) throw parameterError(this, error);
		throw asNodeError(this, error);
	}
}
