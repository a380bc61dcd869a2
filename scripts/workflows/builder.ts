/**
 * A small typed builder for n8n workflow JSON: nodes placed on a grid, connections by
 * node name, and the condition/assignment shapes of n8n's IF, Switch and Set nodes, so
 * the shipped workflows are written as code and reviewed as code.
 */
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

export class WorkflowBuilder {
	private readonly nodes: WorkflowNode[] = [];
	private readonly connections: WorkflowJson['connections'] = {};

	constructor(
		private readonly id: string,
		private readonly name: string,
		private readonly settings: Record<string, Json>,
	) {}

	/** Adds a node at grid column/row (250 px apart). */
	add(node: Omit<WorkflowNode, 'id' | 'position'>, column: number, row = 0): string {
		if (this.nodes.some((existing) => existing.name === node.name)) throw new Error(`duplicate node name ${node.name}`);
		const id = `${this.id}-${String(this.nodes.length + 1).padStart(2, '0')}`;
		this.nodes.push({ id, position: [column * 250, row * 180], ...node });
		return node.name;
	}

	/** from's output `output` → to's input `input`. */
	connect(from: string, to: string, output = 0, input = 0): this {
		for (const name of [from, to]) if (!this.nodes.some((node) => node.name === name)) throw new Error(`no node named ${name}`);
		const outputs = (this.connections[from] ??= { main: [] }).main;
		while (outputs.length <= output) outputs.push([]);
		outputs[output].push({ node: to, type: 'main', index: input });
		return this;
	}

	build(publish: boolean): WorkflowJson {
		return { id: this.id, name: this.name, meta: { autorecovery: { publish } }, settings: this.settings, nodes: this.nodes, connections: this.connections, active: false };
	}
}

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
