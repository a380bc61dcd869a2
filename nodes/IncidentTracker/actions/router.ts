import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import * as controls from './controls.operation';
import * as dailyReport from './dailyReport.operation';
import * as history from './history.operation';
import { executeAccept, executeFinish } from './manualRecovery.operation';
import { executeClaim, executeRelease } from './recoveryLock.operation';
import * as statusPage from './statusPage.operation';
import * as escalate from './escalate.operation';
import * as formatWorkflowError from './formatWorkflowError.operation';
import * as formatAlert from './formatAlert.operation';
import { executeTrack, executeTrackRecovery } from './track.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	if (operation === 'track') return [await executeTrack.call(this)];
	if (operation === 'trackRecovery') return [await executeTrackRecovery.call(this)];
	if (operation === 'formatAlert') return [await formatAlert.execute.call(this)];
	if (operation === 'formatWorkflowError') return [await formatWorkflowError.execute.call(this)];
	if (operation === 'escalate') return [await escalate.execute.call(this)];
	if (operation === 'acceptRecovery') return [await executeAccept.call(this)];
	if (operation === 'finishRecovery') return [await executeFinish.call(this)];
	if (operation === 'claimRecovery') return [await executeClaim.call(this)];
	if (operation === 'releaseRecovery') return [await executeRelease.call(this)];
	if (operation === 'recoveryLog' || operation === 'recoveryStats') return [await history.execute.call(this, operation)];
	if (operation === 'statusPage') return [await statusPage.execute.call(this)];
	if (operation === 'dailyReport') return [await dailyReport.execute.call(this)];
	if (['pause', 'resume', 'reset', 'status'].includes(operation)) return [await controls.execute.call(this, operation)];
	throw new NodeOperationError(this.getNode(), `Parameter "Operation" has an unsupported value: ${operation}`);
}
