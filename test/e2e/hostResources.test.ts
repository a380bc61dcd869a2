/**
 * The package loads into the real n8n as a community package (node type
 * `n8n-nodes-autorecovery.hostResources`, as shipped workflows use it) and its
 * Host Resources node produces contract results, including n8n's own health.
 */
import { validateCheckResult } from '../../nodes/shared/validate';
import { createTestN8n, nodeItems, type TestN8n, type WorkflowJson } from '../../dev/n8n/testN8n';

const WORKFLOW_ID = 'hostResourcesE2e';

function hostWorkflow(parameters: Record<string, unknown>): WorkflowJson {
	return {
		id: WORKFLOW_ID,
		name: 'E2E host resources',
		nodes: [
			{ id: 'h1', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'h2',
				name: 'Host Resources',
				type: 'n8n-nodes-autorecovery.hostResources',
				typeVersion: 1,
				position: [250, 0],
				parameters: { operation: 'check', ...parameters },
			},
		],
		connections: { 'Manual Trigger': { main: [[{ node: 'Host Resources', type: 'main', index: 0 }]] } },
	};
}

describe('Host Resources in real n8n', () => {
	let env: TestN8n;
	beforeAll(async () => {
		env = await createTestN8n();
	});
	afterAll(async () => {
		await env?.cleanup();
	});

	test('checks real paths and a stopped n8n: one valid contract item, down with net.unreachable', async () => {
		await env.importWorkflow(hostWorkflow({ paths: '/, /tmp', checkN8n: true, n8nUrl: env.n8n.url, options: { timeoutMs: 2000 } }));
		const run = await env.execute(WORKFLOW_ID);
		const [item, ...rest] = nodeItems(run, 'Host Resources');
		expect(rest).toHaveLength(0);
		expect(validateCheckResult(item)).toEqual([]);
		expect(item.component).toBe('host');
		const checks = item.checks as Array<{ name: string; status: string; code?: string }>;
		expect(checks.map((c) => c.name)).toEqual(expect.arrayContaining(['memory', 'load', 'disk /', 'disk /tmp', 'n8n readiness']));
		// `n8n execute` runs without a server, so the readiness check must find nothing listening.
		expect(checks.find((c) => c.name === 'n8n readiness')).toMatchObject({ status: 'down', code: 'net.unreachable' });
		expect(item.status).toBe('down');
	});

	test('against the running server, n8n readiness passes', async () => {
		await env.startServer();
		await env.importWorkflow(hostWorkflow({ paths: '/', checkN8n: true, n8nUrl: env.n8n.url }));
		const run = await env.execute(WORKFLOW_ID);
		const [item] = nodeItems(run, 'Host Resources');
		expect(validateCheckResult(item)).toEqual([]);
		const checks = item.checks as Array<{ name: string; status: string }>;
		expect(checks.find((c) => c.name === 'n8n readiness')?.status).toBe('healthy');
	});

	test('a bad parameter fails the node with an error naming the parameter', async () => {
		await env.importWorkflow(hostWorkflow({ paths: 'relative/dir', checkN8n: false }));
		const run = await env.execute(WORKFLOW_ID).catch((error: Error) => error);
		const text = run instanceof Error ? run.message : JSON.stringify(run.data.resultData.error ?? run.data.resultData.runData['Host Resources']);
		expect(text).toMatch(/Parameter "Paths" must list absolute folders/);
	});

	test('with continueOnFail the bad item becomes an error item instead', async () => {
		const workflow = hostWorkflow({ paths: 'relative/dir', checkN8n: false });
		workflow.nodes[1].onError = 'continueRegularOutput';
		await env.importWorkflow(workflow);
		const run = await env.execute(WORKFLOW_ID);
		expect(nodeItems(run, 'Host Resources')).toEqual([{ error: expect.stringMatching(/Parameter "Paths"/) }]);
	});
});
