/**
 * The shipped workflows read on n8n's canvas: no two nodes (with their labels) overlap,
 * every node sits in exactly one lane (a sticky note naming what its lane does), lanes
 * do not overlap each other, and the Monitor's guide names every setting. Node sizes are
 * worked out here from the JSON (inputs and outputs as n8n draws them), not taken from
 * the builder, so a builder that misjudged a node's height fails.
 */
import fs from 'node:fs';
import path from 'node:path';

import { contains, footprint, layOutLanes, noteTextHeight, overlaps, type Rect } from '../../../scripts/workflows/canvas';
import type { WorkflowJson, WorkflowNode } from '../../../scripts/workflows/builder';
import { MONITOR_SETTINGS } from '../../../scripts/workflows/monitor';
import { SETTINGS_GUIDE } from '../../../scripts/workflows/monitorLanes';
import { generatedWorkflows } from '../../../scripts/workflows/shipped';

const STICKY = 'n8n-nodes-base.stickyNote';
const generated = Object.entries(generatedWorkflows());

/** Main ports n8n draws: the declared ones (Switch rules, Merge inputs, IF, error output) or the connected ones, whichever is more. */
function portsOf(node: WorkflowNode, workflow: WorkflowJson): number {
	const parameters = node.parameters as { numberInputs?: number; rules?: { values?: unknown[] }; options?: { fallbackOutput?: string } };
	const isTrigger = /trigger$/i.test(node.type) || node.type === 'n8n-nodes-base.webhook';
	const connectedOutputs = workflow.connections[node.name]?.main.length ?? 0;
	const connectedInputs = Object.values(workflow.connections).flatMap(({ main }) => main.flat()).filter((connection) => connection.node === node.name).reduce((most, connection) => Math.max(most, connection.index + 1), 0);
	let inputs = isTrigger ? 0 : 1;
	let outputs = 1;
	if (node.type === 'n8n-nodes-base.merge') inputs = parameters.numberInputs ?? 2;
	if (node.type === 'n8n-nodes-base.if') outputs = 2;
	if (node.type === 'n8n-nodes-base.switch') outputs = (parameters.rules?.values?.length ?? 0) + (parameters.options?.fallbackOutput === 'extra' ? 1 : 0);
	if (node.onError === 'continueErrorOutput') outputs += 1;
	return Math.max(inputs, outputs, connectedInputs, connectedOutputs);
}

const noteRect = (node: WorkflowNode): Rect => ({ x: node.position[0], y: node.position[1], width: Number(node.parameters.width), height: Number(node.parameters.height) });
const isLane = (node: WorkflowNode) => node.type === STICKY && node.name.startsWith('Lane: ');

describe('shipped workflows on the canvas', () => {
	test.each(generated)('%s: no two nodes overlap, labels included', (_file, workflow) => {
		const nodes = workflow.nodes.filter((node) => node.type !== STICKY).map((node) => ({ name: node.name, rect: footprint(node.position, portsOf(node, workflow)) }));
		const clashes: string[] = [];
		nodes.forEach((a, i) => nodes.slice(i + 1).forEach((b) => overlaps(a.rect, b.rect) && clashes.push(`${a.name} × ${b.name}`)));
		expect(clashes).toEqual([]);
	});

	test.each(generated)('%s: every node is in exactly one lane; lanes and notes do not overlap; no note covers a node', (_file, workflow) => {
		const lanes = workflow.nodes.filter(isLane);
		expect(lanes.length).toBeGreaterThan(0);
		for (const lane of lanes) expect(String(lane.parameters.content)).toMatch(/^## \S.+\n\S/);
		const lost = workflow.nodes
			.filter((node) => !isLane(node))
			.filter((node) => {
				const rect = node.type === STICKY ? noteRect(node) : footprint(node.position, portsOf(node, workflow));
				return lanes.filter((lane) => contains(noteRect(lane), rect)).length !== 1;
			})
			.map((node) => node.name);
		expect(lost).toEqual([]);
		const laneClashes = lanes.flatMap((a, i) => lanes.slice(i + 1).filter((b) => overlaps(noteRect(a), noteRect(b))).map((b) => `${a.name} × ${b.name}`));
		expect(laneClashes).toEqual([]);
		const guides = workflow.nodes.filter((node) => node.type === STICKY && !isLane(node));
		const covered = guides.flatMap((guide) => workflow.nodes.filter((node) => node.type !== STICKY && overlaps(noteRect(guide), footprint(node.position, portsOf(node, workflow)))).map((node) => `${guide.name} covers ${node.name}`));
		expect(covered).toEqual([]);
	});

	test.each(generated)('%s: a lane\'s text fits above its first row of nodes', (_file, workflow) => {
		for (const lane of workflow.nodes.filter(isLane)) {
			const rect = noteRect(lane);
			const inside = workflow.nodes.filter((node) => node !== lane && contains(rect, node.type === STICKY ? noteRect(node) : footprint(node.position, portsOf(node, workflow))));
			const firstRow = Math.min(...inside.map((node) => node.position[1]));
			expect(firstRow - rect.y).toBeGreaterThanOrEqual(noteTextHeight(String(lane.parameters.content), rect.width));
		}
	});

	test('the Monitor reads left to right: the tick\'s lanes in order, start at the far left', () => {
		const monitor = generatedWorkflows()['monitor.json'];
		const x = (name: string) => monitor.nodes.find((node) => node.name === name)?.position[0] ?? Number.NaN;
		const path = ['Every 5 Minutes', 'Settings', 'Entry', 'Gateway Event Entry', 'Check WhatsApp', 'All Results', 'Track', 'Route', 'Wait to Confirm'];
		const xs = path.map(x);
		expect(xs).toEqual([...xs].sort((a, b) => a - b));
		expect(new Set(xs).size).toBe(xs.length);
		for (const recovery of ['Diagnose', 'Claim Recovery Lock', 'Bound Recovery to Tick', 'Recover', 'Release Recovery Lock', 'Track Recovery']) expect(x(recovery)).toBeGreaterThan(x('Route'));
	});

	test('the Monitor\'s guide and docs/workflows.md name every setting', () => {
		const docs = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'docs', 'workflows.md'), 'utf8');
		const names = MONITOR_SETTINGS.map(([name]) => name);
		expect(names.filter((name) => !SETTINGS_GUIDE.includes(`\`${name}\``))).toEqual([]);
		expect(names.filter((name) => !docs.includes(`| \`${name}\` |`))).toEqual([]);
	});
});

describe('layOutLanes', () => {
	const node = (column: number, row: number, ports = 1) => ({ column, row, ports });

	test('lanes over the same columns stack; lanes over other columns sit beside them', () => {
		const [first, second, beside] = layOutLanes([
			{ markdown: '## A\ntext', items: [node(0, 0), node(1, 0)] },
			{ markdown: '## B\ntext', items: [node(0, 0)] },
			{ markdown: '## C\ntext', items: [node(5, 0), node(6, 1)] },
		]);
		expect(second.note.y).toBeGreaterThanOrEqual(first.note.y + first.note.height);
		expect(beside.note.y).toBe(first.note.y);
		expect(overlaps(beside.note, first.note)).toBe(false);
		expect(second.positions[0][0]).toBe(first.positions[0][0]);
	});

	test('a tall node (many outputs) makes room: the lane grows, the next lane starts below it', () => {
		const [short] = layOutLanes([{ markdown: '## A\nx', items: [node(0, 0)] }]);
		const [tall, below] = layOutLanes([
			{ markdown: '## A\nx', items: [node(0, 0, 9)] },
			{ markdown: '## B\nx', items: [node(0, 0)] },
		]);
		expect(tall.note.height).toBeGreaterThan(short.note.height);
		expect(below.note.y).toBeGreaterThanOrEqual(tall.note.y + tall.note.height);
		expect(contains(tall.note, footprint(tall.positions[0], 9))).toBe(true);
	});

	test('a longer text pushes the nodes down, never under the text', () => {
		const long = `## A\n${'word '.repeat(200)}`;
		const [lane] = layOutLanes([{ markdown: long, items: [node(0, 0), node(1, 0)] }]);
		expect(lane.positions[0][1] - lane.note.y).toBeGreaterThanOrEqual(noteTextHeight(long, lane.note.width));
	});

	test('a note item gets a size that holds its text', () => {
		const markdown = `### Guide\n${'a setting explained; '.repeat(40)}`;
		const [lane] = layOutLanes([{ markdown: '## A\nx', items: [node(0, 0), { column: 0, row: 1, note: { markdown, columns: 3 } }] }]);
		const size = lane.sizes[1];
		expect(size?.height).toBeGreaterThanOrEqual(noteTextHeight(markdown, size?.width ?? 0));
		expect(lane.sizes[0]).toBeUndefined();
	});

	test('an empty lane is refused', () => {
		expect(() => layOutLanes([{ markdown: '## A\nx', items: [] }])).toThrow(/at least one node/);
	});
});
