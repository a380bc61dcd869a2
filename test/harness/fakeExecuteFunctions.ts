/**
 * A minimal IExecuteFunctions for running a node's execute() without n8n: parameters
 * (with n8n's "missing → fallback" rule), input items, workflow static data,
 * continueOnFail and credentials. Only what the routers and the operations under test
 * call is implemented; anything else throws, so a test never passes on a silently
 * missing method.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

export interface FakeRun {
	parameters: Record<string, unknown>;
	input: IDataObject[];
	staticData?: Record<string, IDataObject>;
	continueOnFail?: boolean;
	/** Credential data by type; a type not listed fails like a node without that credential. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The node's type (default 'test'); n8n names a node's AI-agent variant `<type>Tool`. */
	nodeType?: string;
	/** n8n's execution mode (default 'trigger', a production run); 'manual' is the editor's. */
	mode?: string;
	/** The workflow's id; by default one per static-data object, as static data belongs to one workflow. */
	workflowId?: string;
	/** Binary properties of each input item (by item index), read back by helpers.getBinaryDataBuffer. */
	binaries?: Array<Record<string, Buffer>>;
}

const workflowIds = new WeakMap<object, string>();
let nextWorkflowId = 1;

/** One id per static-data object, unique in this process (a test's runs that share static data are one workflow). */
function workflowIdOf(staticData: object): string {
	let id = workflowIds.get(staticData);
	if (!id) {
		id = `wf${process.pid}x${Date.now().toString(36)}x${nextWorkflowId++}`;
		workflowIds.set(staticData, id);
	}
	return id;
}

function read(parameters: Record<string, unknown>, name: string): unknown {
	return name.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), parameters);
}

export function fakeExecuteFunctions(run: FakeRun): IExecuteFunctions {
	const node: INode = { id: 'n1', name: 'Node Under Test', type: run.nodeType ?? 'test', typeVersion: 1, position: [0, 0], parameters: {} };
	const staticData = run.staticData ?? {};
	const items: INodeExecutionData[] = run.input.map((json, index) => {
		const binary = run.binaries?.[index];
		if (!binary) return { json };
		const entries = Object.entries(binary).map(([name, bytes]) => [name, { data: bytes.toString('base64'), mimeType: 'application/octet-stream', fileSize: String(bytes.length) }]);
		return { json, binary: Object.fromEntries(entries) };
	});
	const ctx = {
		getNode: () => node,
		getInputData: () => items,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => read(run.parameters, name) ?? fallback,
		getWorkflowStaticData: (type: string) => (staticData[type] ??= {}),
		getWorkflow: () => ({ id: run.workflowId ?? workflowIdOf(staticData), name: 'Test Workflow', active: true }),
		getMode: () => run.mode ?? 'trigger',
		continueOnFail: () => run.continueOnFail ?? false,
		getCredentials: async (type: string) => {
			const data = run.credentials?.[type];
			if (!data) throw new Error(`Node "${node.name}" does not have any credentials of type "${type}" set`);
			return data;
		},
		getExecutionId: () => 'exec-1',
		helpers: {
			getBinaryDataBuffer: async (itemIndex: number, property: string) => {
				const bytes = run.binaries?.[itemIndex]?.[property];
				if (!bytes) throw new Error(`item ${itemIndex} has no binary property "${property}"`);
				return bytes;
			},
		},
		logger: { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined },
	};
	return new Proxy(ctx, {
		get(target, property) {
			if (property in target) return target[property as keyof typeof target];
			throw new Error(`fakeExecuteFunctions: ${String(property)} is not implemented`);
		},
	}) as unknown as IExecuteFunctions;
}
