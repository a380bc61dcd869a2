import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import * as controls from './incident/pause.operation';
import * as dailyReport from '../../RecoveryReport/actions/report/dailyReport.operation';
import * as history from '../../RecoveryReport/actions/history/log.operation';
import { executeAccept, executeFinish } from '../../RecoveryGate/actions/manualRecovery/accept.operation';
import { executeClaim, executeRelease } from '../../RecoveryGate/actions/lock/claim.operation';
import * as statusPage from '../../RecoveryReport/actions/report/statusPage.operation';
import * as escalate from './incident/escalate.operation';
import * as formatWorkflowError from '../../AlertMessage/actions/alert/formatWorkflowError.operation';
import * as formatAlert from '../../AlertMessage/actions/alert/formatAlert.operation';
import { executeTrack, executeTrackRecovery } from './incident/track.operation';

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
