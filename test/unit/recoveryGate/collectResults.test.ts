/**
 * Reading back what a Recover call returned (RecoveryGate/outcome/collect): n8n's error item
 * for a Recover that stopped as "did not fix it", the sub-execution it names, and the result
 * that execution saved. The fixture executions are built the way the shipped Recover saves them.
 */
import { isFailedCall, recoveryResultOf, subExecutionIdOf } from '../../../nodes/RecoveryGate/outcome/collect';
import { isRecoveryNotFixedStop } from '../../../nodes/shared/alerts/formatWorkflowError';
import { recoverExecution, RUNS } from '../recoveryReport/historyFixtures';

type Execution = { data: { resultData: Record<string, unknown> } };

describe('isFailedCall', () => {
	test.each([
		[{ error: 'Recovery did not fix it: …' }, true],
		[{ error: 'x', message: 'y', details: 'z' }, true],
		[{ error: 'x', component: 'whatsapp' }, false],
		[{ component: 'whatsapp', recovery: {} }, false],
		[{ error: { message: 'not a string' } }, false],
		[{}, false],
	])('%p → %p', (json, failed) => {
		expect(isFailedCall({ json })).toBe(failed);
	});
});

describe('subExecutionIdOf', () => {
	test.each([
		[{ subExecution: { executionId: '123', workflowId: 'arRecover0000001' } }, '123'],
		[{ subExecution: { executionId: 77 } }, '77'],
		[{ subExecution: { executionId: ' ' } }, null],
		[{ subExecution: null }, null],
		[undefined, null],
		['123', null],
	])('metadata %p → %p', (metadata, id) => {
		expect(subExecutionIdOf({ json: { error: 'x' }, metadata })).toBe(id);
	});
});

describe('recoveryResultOf', () => {
	test('a recovery stopped as not fixed: the item Record Outcome output, with its outcome', () => {
		const execution = recoverExecution(RUNS.B) as unknown as Execution;
		const result = recoveryResultOf(execution.data);
		expect(result?.json).toMatchObject({ component: 'whatsapp', recovery: { action: 'whatsapp.reconnect', success: false }, outcome: { result: 'not fixed', failed: true }, recoveryExecutionId: '1003' });
	});

	test('keeps the binary (a relink QR) the item carried', () => {
		const execution = recoverExecution(RUNS.B) as unknown as Execution & { data: { resultData: { runData: Record<string, Array<{ data: { main: Array<Array<Record<string, unknown>>> } }>> } } };
		const qr = { data: 'iVBORw0KGgo=', mimeType: 'image/png', fileName: 'qr.png' };
		execution.data.resultData.runData['Record Outcome'][0].data.main[0][0].binary = { qr };
		expect(recoveryResultOf(execution.data)?.binary).toEqual({ qr });
	});

	test('an execution saved before Record Outcome existed: its log entry', () => {
		const execution = recoverExecution(RUNS.F) as unknown as Execution;
		expect(recoveryResultOf(execution.data)?.json).toMatchObject({ component: 'database', recovery: { action: 'database.reconnect' } });
		expect(recoveryResultOf(execution.data)?.json.outcome).toBeUndefined();
	});

	test('a Recover that failed before logging a result, and unreadable data: null', () => {
		expect(recoveryResultOf((recoverExecution(RUNS.E) as unknown as Execution).data)).toBeNull();
		for (const data of [undefined, null, {}, { resultData: {} }, { resultData: { runData: { 'Record Outcome': 'x' } } }, { resultData: { runData: { 'Record Outcome': [{ data: { main: [[{ json: 5 }]] } }] } } }]) {
			expect(recoveryResultOf(data)).toBeNull();
		}
	});
});

describe('isRecoveryNotFixedStop (the Error Handler sends no second alert)', () => {
	const trigger = (workflowId: string, nodeName: string | undefined, lastNodeExecuted = nodeName) => ({
		execution: { id: '9', error: { message: 'Recovery did not fix it: …', ...(nodeName ? { node: { name: nodeName, type: 'n8n-nodes-base.stopAndError' } } : {}) }, lastNodeExecuted },
		workflow: { id: workflowId, name: 'Autorecovery: Recover' },
	});

	test('the Recover stopped by Recovery Did Not Fix It', () => {
		expect(isRecoveryNotFixedStop(trigger('arRecover0000001', 'Recovery Did Not Fix It'))).toBe(true);
		// Without the error's node, the last node that ran names it.
		expect(isRecoveryNotFixedStop(trigger('arRecover0000001', undefined, 'Recovery Did Not Fix It'))).toBe(true);
	});

	test.each([
		['a real failure in Recover', trigger('arRecover0000001', 'Repair Catalog')],
		['the same node name in another workflow', trigger('arMonitor0000001', 'Recovery Did Not Fix It')],
		['the error names another node than the last one', trigger('arRecover0000001', 'Repair Catalog', 'Recovery Did Not Fix It')],
		['an empty payload', {}],
	])('not for %s', (_what, item) => {
		expect(isRecoveryNotFixedStop(item)).toBe(false);
	});
});
