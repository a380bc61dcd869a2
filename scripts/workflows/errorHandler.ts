/** Error handler: when a shipped workflow fails, alert with the failing node and message (redacted). */
import { WorkflowBuilder, type WorkflowJson } from './builder';
import { WORKFLOW_IDS } from './ids';

export function errorHandlerWorkflow(): WorkflowJson {
	const wf = new WorkflowBuilder(WORKFLOW_IDS.errorHandler, 'Autorecovery: Error Handler', {
		executionOrder: 'v1',
		saveDataSuccessExecution: 'all',
		saveDataErrorExecution: 'all',
	});
	wf.lane({ title: 'When a shipped workflow fails', text: 'n8n runs this for any failed Autorecovery execution: the failing node and its message (secrets masked) go to the Alert workflow\'s channels.', color: 3 });
	const trigger = wf.add({ name: 'On Workflow Error', type: 'n8n-nodes-base.errorTrigger', typeVersion: 1, parameters: {} }, 0, 0);
	const format = wf.add({ name: 'Format Error', type: 'n8n-nodes-autorecovery.alertMessage', typeVersion: 1, parameters: { operation: 'formatWorkflowError', language: 'es' } }, 1, 0);
	const send = wf.add(
		{
			name: 'Send Alert',
			type: 'n8n-nodes-base.executeWorkflow',
			typeVersion: 1.2,
			parameters: { source: 'database', workflowId: { __rl: true, value: WORKFLOW_IDS.alert, mode: 'id' }, mode: 'each', options: { waitForSubWorkflow: true } },
		},
		2,
		0,
	);
	wf.connect(trigger, format).connect(format, send);
	return wf.build(true);
}
