import fs from 'node:fs';
import path from 'node:path';

import {
	asWorkflow,
	DemoWorkflowError,
	patchForDemo,
	renameNode,
	scheduleRule,
	setAssignments,
	setScheduleTick,
	tickLabel,
	type DemoPatch,
	type ShippedWorkflowJson,
} from '../../../scripts/lib/demo/demoWorkflows';
import { listShippedWorkflows } from '../../../scripts/lib/shippedWorkflows';
import { WORKFLOW_IDS } from '../../../scripts/workflows/ids';

const WORKFLOWS_DIR = path.join(__dirname, '../../../workflows');

/** The shipped JSON files, as the demo reads them. */
function shipped(): ShippedWorkflowJson[] {
	return listShippedWorkflows(WORKFLOWS_DIR).map((entry) => asWorkflow(JSON.parse(fs.readFileSync(entry.file, 'utf8')) as unknown, entry.file));
}

const PATCH: DemoPatch = {
	tickSeconds: 20,
	monitorSettings: { language: 'en', confirmDelaySeconds: 3, hostPaths: '/tmp/demo/n8n', n8nUrl: 'http://127.0.0.1:5679', executionBaseUrl: 'http://localhost:5679' },
	channels: { sendToSlack: true, emailTo: 'owner@shop.local', emailFrom: 'bot@shop.local', whatsappAdminNumber: '5215599999999' },
};

function settingsOf(workflow: ShippedWorkflowJson, nodeName: string): Record<string, unknown> {
	const node = workflow.nodes.find((n) => n.name === nodeName);
	const list = (node?.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }).assignments;
	return Object.fromEntries(list.map((a) => [a.name, a.value]));
}

/** Every connection's source and target names a node of the workflow. */
function danglingConnections(workflow: ShippedWorkflowJson): string[] {
	const names = new Set(workflow.nodes.map((n) => n.name));
	const problems: string[] = [];
	for (const [source, outputs] of Object.entries(workflow.connections)) {
		if (!names.has(source)) problems.push(`source ${source}`);
		for (const branch of Object.values(outputs as Record<string, Array<Array<{ node: string }>>>)) {
			for (const targets of branch) for (const target of targets ?? []) if (!names.has(target.node)) problems.push(`target ${target.node}`);
		}
	}
	return problems;
}

const byId = (workflows: ShippedWorkflowJson[], id: string) => workflows.find((w) => w.id === id) as ShippedWorkflowJson;

describe('patchForDemo on the shipped workflows', () => {
	test('fills the Monitor Settings and the Alert Channels, leaves every other setting as shipped', () => {
		const before = shipped();
		const after = patchForDemo(before, PATCH);
		const monitorBefore = settingsOf(byId(before, WORKFLOW_IDS.monitor), 'Settings');
		expect(settingsOf(byId(after, WORKFLOW_IDS.monitor), 'Settings')).toEqual({ ...monitorBefore, ...PATCH.monitorSettings });
		expect(settingsOf(byId(after, WORKFLOW_IDS.alert), 'Channels')).toEqual(PATCH.channels);
	});

	test('the Monitor ticks at the demo tick: the Triggers schedule, named after it, still starts a tick', () => {
		const triggers = byId(patchForDemo(shipped(), PATCH), WORKFLOW_IDS.triggers);
		const schedules = triggers.nodes.filter((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
		expect(schedules.map((t) => [t.name, t.parameters.rule])).toEqual([['Every 20 Seconds', { interval: [{ field: 'seconds', secondsInterval: 20 }] }]]);
		expect(triggers.connections['Every 5 Minutes']).toBeUndefined();
		expect(JSON.stringify(triggers.connections['Every 20 Seconds'])).toContain('"node":"Tick Entry"');
		expect(danglingConnections(triggers)).toEqual([]);
	});

	test('only the Monitor, its Triggers and the Alert change; the inputs are not modified', () => {
		const before = shipped();
		const snapshot = JSON.stringify(before);
		const after = patchForDemo(before, PATCH);
		expect(JSON.stringify(before)).toBe(snapshot);
		for (const workflow of after) {
			if (([WORKFLOW_IDS.monitor, WORKFLOW_IDS.triggers, WORKFLOW_IDS.alert] as string[]).includes(workflow.id)) continue;
			expect(workflow).toEqual(byId(before, workflow.id));
		}
		expect(after.map((w) => w.id)).toEqual(before.map((w) => w.id));
	});

	test('a tick of whole minutes uses the minutes interval', () => {
		const triggers = byId(patchForDemo(shipped(), { ...PATCH, tickSeconds: 120 }), WORKFLOW_IDS.triggers);
		const trigger = triggers.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
		expect(trigger?.name).toBe('Every 2 Minutes');
		expect(trigger?.parameters.rule).toEqual({ interval: [{ field: 'minutes', minutesInterval: 2 }] });
	});

	test('an unknown setting, a value of the wrong type, or a missing workflow is refused', () => {
		expect(() => patchForDemo(shipped(), { ...PATCH, monitorSettings: { tickTock: 1 } })).toThrow(/has no setting "tickTock"/);
		expect(() => patchForDemo(shipped(), { ...PATCH, monitorSettings: { confirmDelaySeconds: '3' } })).toThrow(/"confirmDelaySeconds" of "Settings" is a number, got a string/);
		const withoutAlert = shipped().filter((w) => w.id !== WORKFLOW_IDS.alert);
		expect(() => patchForDemo(withoutAlert, PATCH)).toThrow(new RegExp(`no workflow with id ${WORKFLOW_IDS.alert}`));
	});
});

describe('workflow helpers', () => {
	const tiny = (): ShippedWorkflowJson =>
		asWorkflow(
			{
				id: 'w1',
				name: 'Tiny',
				nodes: [
					{ name: 'Tick', type: 'n8n-nodes-base.scheduleTrigger', parameters: {} },
					{ name: 'A', type: 'n8n-nodes-base.noOp', parameters: {} },
					{ name: 'B', type: 'n8n-nodes-base.noOp', parameters: {} },
				],
				connections: {
					Tick: { main: [[{ node: 'A', type: 'main', index: 0 }]] },
					A: { main: [[{ node: 'B', type: 'main', index: 0 }], [{ node: 'A', type: 'main', index: 0 }]] },
				},
			},
			'tiny.json',
		);

	test('renameNode renames the node, its outgoing key and every incoming link', () => {
		const workflow = tiny();
		renameNode(workflow, 'A', 'Middle');
		expect(workflow.nodes.map((n) => n.name)).toEqual(['Tick', 'Middle', 'B']);
		expect(workflow.connections).toEqual({
			Tick: { main: [[{ node: 'Middle', type: 'main', index: 0 }]] },
			Middle: { main: [[{ node: 'B', type: 'main', index: 0 }], [{ node: 'Middle', type: 'main', index: 0 }]] },
		});
	});

	test('renameNode refuses a name that is taken and a node that does not exist', () => {
		expect(() => renameNode(tiny(), 'A', 'B')).toThrow(/already has a node named "B"/);
		expect(() => renameNode(tiny(), 'Nope', 'C')).toThrow(/has no "Nope" node/);
	});

	test('setScheduleTick needs exactly one schedule trigger', () => {
		const none = tiny();
		none.nodes = none.nodes.filter((n) => n.name !== 'Tick');
		expect(() => setScheduleTick(none, 30)).toThrow(/has 0 schedule triggers, expected 1/);
		const two = tiny();
		two.nodes.push({ name: 'Tock', type: 'n8n-nodes-base.scheduleTrigger', parameters: {} });
		expect(() => setScheduleTick(two, 30)).toThrow(/has 2 schedule triggers/);
	});

	test('setAssignments refuses a node that is not a Set node', () => {
		expect(() => setAssignments(tiny(), 'A', { x: 1 })).toThrow(DemoWorkflowError);
		expect(() => setAssignments(tiny(), 'A', { x: 1 })).toThrow(/"A" in "Tiny" is not a Set node/);
	});

	test('asWorkflow refuses JSON that is not a workflow, naming the file', () => {
		expect(() => asWorkflow([], 'a.json')).toThrow(/a.json is not an n8n workflow/);
		expect(() => asWorkflow({ id: 'x', name: 'X', nodes: [{ name: 'A' }], connections: {} }, 'b.json')).toThrow(/b.json has a node without name, type or parameters/);
	});

	test('tick labels and rules', () => {
		expect([tickLabel(10), tickLabel(60), tickLabel(300)]).toEqual(['10 Seconds', '1 Minute', '5 Minutes']);
		expect(scheduleRule(45)).toEqual({ interval: [{ field: 'seconds', secondsInterval: 45 }] });
		expect(scheduleRule(300)).toEqual({ interval: [{ field: 'minutes', minutesInterval: 5 }] });
	});
});
