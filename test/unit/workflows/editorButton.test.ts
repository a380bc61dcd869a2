/**
 * Issue 23: the Monitor's main button in n8n's editor runs *Run Now*. n8n (2.x editor,
 * `CanvasRunWorkflowButton`) picks the trigger to run by type — a form 10, a webhook 9, a
 * community trigger 8, a schedule 7, a chat 6, the old Workflow Trigger 5, an error trigger 4,
 * every other core trigger 0 — the first of equal rank in node order, skipping disabled ones.
 * This applies that rule to every shipped workflow with a *Run Now*.
 */
import type { WorkflowJson } from '../../../scripts/workflows/builder';
import { WORKFLOW_IDS } from '../../../scripts/workflows/ids';
import { generatedWorkflows } from '../../../scripts/workflows/shipped';

const RANK: Record<string, number> = {
	'n8n-nodes-base.formTrigger': 10,
	'n8n-nodes-base.webhook': 9,
	'n8n-nodes-base.scheduleTrigger': 7,
	'@n8n/n8n-nodes-langchain.chatTrigger': 6,
	'n8n-nodes-base.workflowTrigger': 5,
	'n8n-nodes-base.errorTrigger': 4,
};
const isTrigger = (type: string) => type in RANK || /Trigger$/.test(type);
const rank = (type: string) => RANK[type] ?? (type.startsWith('n8n-nodes-base.') ? 0 : 8);

function buttonRuns(workflow: WorkflowJson): string | undefined {
	const triggers = workflow.nodes.filter((node) => isTrigger(node.type) && !(node as { disabled?: boolean }).disabled);
	return [...triggers].sort((a, b) => rank(b.type) - rank(a.type))[0]?.name;
}

const workflows = Object.values(generatedWorkflows());

describe("the editor's main button", () => {
	test('runs Run Now in the Monitor (no webhook or schedule there to outrank it)', () => {
		const monitor = workflows.find((workflow) => workflow.id === WORKFLOW_IDS.monitor) as WorkflowJson;
		expect(buttonRuns(monitor)).toBe('Run Now');
		expect(monitor.nodes.filter((node) => isTrigger(node.type) && rank(node.type) > 0).map((node) => node.name)).toEqual([]);
	});

	test('the rule as modelled: a webhook outranks a schedule, which outranks Run Now', () => {
		const node = (name: string, type: string) => ({ id: name, name, type, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} });
		const workflow = (nodes: ReturnType<typeof node>[]) => ({ nodes }) as unknown as WorkflowJson;
		expect(buttonRuns(workflow([node('Run Now', 'n8n-nodes-base.manualTrigger'), node('Every Day', 'n8n-nodes-base.scheduleTrigger'), node('Hook', 'n8n-nodes-base.webhook')]))).toBe('Hook');
		expect(buttonRuns(workflow([node('Run Now', 'n8n-nodes-base.manualTrigger'), node('Every Day', 'n8n-nodes-base.scheduleTrigger')]))).toBe('Every Day');
		expect(buttonRuns(workflow([node('Called', 'n8n-nodes-base.executeWorkflowTrigger'), node('Run Now', 'n8n-nodes-base.manualTrigger')]))).toBe('Called');
	});
});
