/**
 * The shipped workflows as the demo imports them: the same JSON a user gets, with only
 * what a user would edit changed — the Monitor's Settings, the Alert's Channels — plus
 * the Monitor's schedule at the demo tick, because nobody watches a 5-minute demo.
 */
import { WORKFLOW_IDS } from '../../workflows/ids';

export class DemoWorkflowError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DemoWorkflowError';
	}
}

type SettingValue = string | number | boolean;
type SettingValues = Record<string, SettingValue>;

interface WorkflowNodeJson {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	[key: string]: unknown;
}

export interface ShippedWorkflowJson {
	id: string;
	name: string;
	nodes: WorkflowNodeJson[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export interface DemoPatch {
	monitorSettings: SettingValues;
	channels: SettingValues;
	tickSeconds: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNode(value: unknown): value is WorkflowNodeJson {
	return isRecord(value) && typeof value.name === 'string' && typeof value.type === 'string' && isRecord(value.parameters);
}

/** Narrows parsed JSON to a workflow; `source` names the file in the error. */
export function asWorkflow(value: unknown, source: string): ShippedWorkflowJson {
	if (!isRecord(value) || typeof value.id !== 'string' || typeof value.name !== 'string' || !Array.isArray(value.nodes) || !isRecord(value.connections)) {
		throw new DemoWorkflowError(`${source} is not an n8n workflow (needs id, name, nodes and connections)`);
	}
	if (!value.nodes.every(isNode)) throw new DemoWorkflowError(`${source} has a node without name, type or parameters`);
	return value as ShippedWorkflowJson;
}

function nodeNamed(workflow: ShippedWorkflowJson, name: string): WorkflowNodeJson {
	const node = workflow.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new DemoWorkflowError(`workflow "${workflow.name}" has no "${name}" node`);
	return node;
}

/** Sets values of a Set node's assignments; every name must exist, with a value of its declared type. */
export function setAssignments(workflow: ShippedWorkflowJson, nodeName: string, values: SettingValues): void {
	const node = nodeNamed(workflow, nodeName);
	const holder = node.parameters.assignments;
	const list = isRecord(holder) && Array.isArray(holder.assignments) ? holder.assignments : null;
	if (!list) throw new DemoWorkflowError(`"${nodeName}" in "${workflow.name}" is not a Set node with assignments`);
	for (const [name, value] of Object.entries(values)) {
		const entry: unknown = list.find((candidate: unknown) => isRecord(candidate) && candidate.name === name);
		if (!isRecord(entry)) throw new DemoWorkflowError(`"${nodeName}" in "${workflow.name}" has no setting "${name}"`);
		if (typeof entry.type === 'string' && entry.type !== typeof value) {
			throw new DemoWorkflowError(`setting "${name}" of "${nodeName}" is a ${entry.type}, got a ${typeof value}`);
		}
		entry.value = value;
	}
}

/** "30 Seconds", "1 Minute", "5 Minutes". */
export function tickLabel(seconds: number): string {
	if (seconds < 60) return `${seconds} Seconds`;
	const minutes = seconds / 60;
	return minutes === 1 ? '1 Minute' : `${minutes} Minutes`;
}

/** The Schedule Trigger rule for a tick (seconds below a minute, else whole minutes). */
export function scheduleRule(seconds: number): Record<string, unknown> {
	const interval = seconds < 60 ? { field: 'seconds', secondsInterval: seconds } : { field: 'minutes', minutesInterval: seconds / 60 };
	return { interval: [interval] };
}

/** Renames a node and every connection from or to it (n8n links nodes by name). */
export function renameNode(workflow: ShippedWorkflowJson, from: string, to: string): void {
	if (from === to) return;
	if (workflow.nodes.some((node) => node.name === to)) throw new DemoWorkflowError(`workflow "${workflow.name}" already has a node named "${to}"`);
	nodeNamed(workflow, from).name = to;
	const renamed: Record<string, unknown> = {};
	for (const [source, outputs] of Object.entries(workflow.connections)) renamed[source === from ? to : source] = outputs;
	const retarget = (value: unknown): void => {
		if (Array.isArray(value)) value.forEach(retarget);
		else if (isRecord(value)) {
			if (value.node === from) value.node = to;
			else Object.values(value).forEach(retarget);
		}
	};
	retarget(renamed);
	workflow.connections = renamed;
}

/** Puts the workflow's one Schedule Trigger at the tick, named after it. */
export function setScheduleTick(workflow: ShippedWorkflowJson, seconds: number): void {
	const triggers = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.scheduleTrigger');
	if (triggers.length !== 1) throw new DemoWorkflowError(`workflow "${workflow.name}" has ${triggers.length} schedule triggers, expected 1`);
	triggers[0].parameters = { ...triggers[0].parameters, rule: scheduleRule(seconds) };
	renameNode(workflow, triggers[0].name, `Every ${tickLabel(seconds)}`);
}

/** Copies of the workflows with the demo's Settings, Channels and tick (the inputs are left alone). */
export function patchForDemo(workflows: ShippedWorkflowJson[], patch: DemoPatch): ShippedWorkflowJson[] {
	const copies = workflows.map((workflow) => structuredClone(workflow));
	const byId = (id: string) => {
		const found = copies.find((workflow) => workflow.id === id);
		if (!found) throw new DemoWorkflowError(`the shipped workflows have no workflow with id ${id}`);
		return found;
	};
	setAssignments(byId(WORKFLOW_IDS.monitor), 'Settings', patch.monitorSettings);
	// The schedule that starts the Monitor's ticks is Autorecovery: Triggers'.
	setScheduleTick(byId(WORKFLOW_IDS.triggers), patch.tickSeconds);
	setAssignments(byId(WORKFLOW_IDS.alert), 'Channels', patch.channels);
	return copies;
}
