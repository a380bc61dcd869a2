/**
 * A small typed builder for n8n workflow JSON: nodes placed on a grid, connections by
 * node name, and the condition/assignment shapes of n8n's IF, Switch and Set nodes, so
 * the shipped workflows are written as code and reviewed as code.
 */
import { layOutLanes } from './canvas';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, Json>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	alwaysOutputData?: boolean;
	notes?: string;
	notesInFlow?: boolean;
	webhookId?: string;
	executeOnce?: boolean;
}

type Connection = { node: string; type: 'main'; index: number };

export interface WorkflowJson {
	id: string;
	name: string;
	meta: { autorecovery: { publish: boolean } };
	settings: Record<string, Json>;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Connection[][] }>;
	active: false;
}

/** A band of the canvas: a sticky note naming what its nodes do. */
export interface LaneSpec {
	title: string;
	/** One or two sentences: what this lane does and why; markdown. */
	text: string;
	/** n8n's sticky note colours 1–7. */
	color?: number;
}

interface Placed {
	node: Omit<WorkflowNode, 'id' | 'position'> & { id: string };
	lane: number;
	column: number;
	row: number;
	/** A sticky note inside the lane (e.g. a guide to Settings): its text and width in columns. */
	note?: { markdown: string; columns: number };
}

/** Main inputs and outputs n8n draws for a node (its height grows with them). */
function portsOf(node: Omit<WorkflowNode, 'id' | 'position'>): number {
	const parameters = node.parameters as { numberInputs?: number; rules?: { values?: unknown[] }; options?: { fallbackOutput?: string } };
	let inputs = /trigger$/i.test(node.type) || node.type === 'n8n-nodes-base.webhook' ? 0 : 1;
	let outputs = 1;
	if (node.type === 'n8n-nodes-base.merge') inputs = parameters.numberInputs ?? 2;
	if (node.type === 'n8n-nodes-base.if') outputs = 2;
	if (node.type === 'n8n-nodes-base.switch') outputs = (parameters.rules?.values?.length ?? 0) + (parameters.options?.fallbackOutput === 'extra' ? 1 : 0);
	if (node.onError === 'continueErrorOutput') outputs += 1;
	return Math.max(inputs, outputs);
}

export const STICKY_NOTE_TYPE = 'n8n-nodes-base.stickyNote';

export class WorkflowBuilder {
	private readonly placed: Placed[] = [];
	private readonly lanes: LaneSpec[] = [];
	private readonly connections: WorkflowJson['connections'] = {};

	constructor(
		private readonly id: string,
		private readonly name: string,
		private readonly settings: Record<string, Json>,
	) {}

	/** Opens a lane: the nodes added after it go in it, until the next lane. */
	lane(spec: LaneSpec): this {
		this.lanes.push(spec);
		return this;
	}

	/** Adds a node to the current lane at grid column/row (rows count from the lane's top; columns are the whole canvas's). */
	add(node: Omit<WorkflowNode, 'id' | 'position'>, column: number, row = 0): string {
		if (this.lanes.length === 0) throw new Error(`open a lane before adding ${node.name}`);
		if (this.placed.some((existing) => existing.node.name === node.name)) throw new Error(`duplicate node name ${node.name}`);
		const id = `${this.id}-${String(this.placed.length + 1).padStart(2, '0')}`;
		this.placed.push({ node: { id, ...node }, lane: this.lanes.length - 1, column, row });
		return node.name;
	}

	/** Adds a sticky note to the current lane at column/row, `columns` wide (its height follows its text). */
	note(name: string, markdown: string, column: number, row: number, columns: number, color = 1): void {
		this.add({ name, type: STICKY_NOTE_TYPE, typeVersion: 1, parameters: { content: markdown, color } }, column, row);
		this.placed[this.placed.length - 1].note = { markdown, columns };
	}

	/** from's output `output` → to's input `input`. */
	connect(from: string, to: string, output = 0, input = 0): this {
		for (const name of [from, to]) if (!this.placed.some((placed) => placed.node.name === name)) throw new Error(`no node named ${name}`);
		const outputs = (this.connections[from] ??= { main: [] }).main;
		while (outputs.length <= output) outputs.push([]);
		outputs[output].push({ node: to, type: 'main', index: input });
		return this;
	}

	build(publish: boolean): WorkflowJson {
		const laidOut = layOutLanes(
			this.lanes.map((spec, lane) => ({
				markdown: laneMarkdown(spec),
				items: this.placed
					.filter((placed) => placed.lane === lane)
					.map((placed) => (placed.note ? { column: placed.column, row: placed.row, note: placed.note } : { column: placed.column, row: placed.row, ports: portsOf(placed.node) })),
			})),
		);
		const nodes: WorkflowNode[] = [];
		laidOut.forEach(({ note, positions, sizes }, lane) => {
			const spec = this.lanes[lane];
			nodes.push({
				id: `${this.id}-lane-${lane + 1}`,
				name: `Lane: ${spec.title}`,
				type: STICKY_NOTE_TYPE,
				typeVersion: 1,
				position: [note.x, note.y],
				parameters: { content: laneMarkdown(spec), width: note.width, height: note.height, color: spec.color ?? 7 },
			});
			this.placed
				.filter((placed) => placed.lane === lane)
				.forEach((placed, index) => {
					const { id, ...rest } = placed.node;
					const size = sizes[index];
					nodes.push({ id, position: positions[index], ...rest, ...(size ? { parameters: { ...rest.parameters, width: size.width, height: size.height } } : {}) });
				});
		});
		return { id: this.id, name: this.name, meta: { autorecovery: { publish } }, settings: this.settings, nodes, connections: this.connections, active: false };
	}
}

export const laneMarkdown = (spec: LaneSpec): string => `## ${spec.title}\n${spec.text}`;

let conditionCounter = 0;

/** One condition of n8n's filter (IF 2.2 / Switch 3.2). */
export function condition(leftValue: string, operation: string, rightValue: Json = '', type = 'string'): Json {
	conditionCounter += 1;
	const singleValue = ['notEmpty', 'empty', 'true', 'false', 'exists', 'notExists'].includes(operation);
	return {
		id: `c${conditionCounter}`,
		leftValue,
		rightValue,
		operator: { type, operation, ...(singleValue ? { singleValue: true } : {}) },
	};
}

export function filter(...conditions: Json[]): Json {
	return { options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 }, conditions, combinator: 'and' };
}

let assignmentCounter = 0;

/** Set 3.4 assignments: [name, value, type]. */
export function assignments(entries: Array<[string, Json, 'string' | 'number' | 'boolean' | 'object' | 'array']>): Json {
	return {
		assignments: entries.map(([name, value, type]) => {
			assignmentCounter += 1;
			return { id: `a${assignmentCounter}`, name, value, type };
		}),
	};
}

/** An expression reading a field of the Settings node. */
export const setting = (field: string, node = 'Settings') => `={{ $('${node}').first().json.${field} }}`;

/** Resets the id counters, so building twice gives identical JSON. */
export function resetCounters(): void {
	conditionCounter = 0;
	assignmentCounter = 0;
}
