/** The Status Page operation refuses bad Target Names before it reads anything, naming the parameter. */
import { NodeOperationError } from 'n8n-workflow';

import { execute } from '../../../nodes/RecoveryReport/actions/report/statusPage.operation';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';

describe('Status Page: Target Names', () => {
	test('a line without "=" is a NodeOperationError naming Target Names and the line', async () => {
		const ctx = fakeExecuteFunctions({ parameters: { targetNames: 'evolution:ventas = Ventas\nsoporte' }, input: [{}] });
		const run = execute.call(ctx);
		await expect(run).rejects.toBeInstanceOf(NodeOperationError);
		await expect(execute.call(ctx)).rejects.toThrow(/^Parameter "Target Names": line 2 must read "target = name"/);
	});

	test('a target named twice is refused the same way', async () => {
		const ctx = fakeExecuteFunctions({ parameters: { targetNames: 'a = A\na = B' }, input: [{}] });
		await expect(execute.call(ctx)).rejects.toThrow(/^Parameter "Target Names": line 2: "a" is named twice/);
	});
});
