/**
 * Node description pieces every node builds the same way: the Resource field and, per
 * resource, its Operation field followed by each operation's own parameters.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { ResourceOperations } from './operation';

/** n8n's display condition for "this is the node's `…Tool` variant, run by an AI agent". */
const hiddenFromAgents = { hide: { '@tool': [true] } };

/** The Resource field: a list when a node has several, hidden when it has one (n8n's Postgres v2 does the same). */
export function resourceField(resources: INodePropertyOptions[]): INodeProperties {
	const first = resources[0];
	if (!first) throw new Error('a node needs at least one resource');
	const defaultResource = first.value;
	if (resources.length === 1) return { displayName: 'Resource', name: 'resource', type: 'hidden', noDataExpression: true, default: defaultResource };
	return { displayName: 'Resource', name: 'resource', type: 'options', noDataExpression: true, options: resources, default: defaultResource };
}

/**
 * A resource's Operation field and its operations' parameters. The listed options and the
 * operation modules must name the same operations (checked here, so a node that lists an
 * operation without its file, or the reverse, fails as soon as it loads).
 */
export function resourceProperties(resource: string, options: INodePropertyOptions[], operations: ResourceOperations, defaultOperation?: string): INodeProperties[] {
	const listed = options.map((option) => String(option.value)).sort();
	const implemented = Object.keys(operations).sort();
	if (listed.join() !== implemented.join()) {
		throw new Error(`resource ${resource}: operations listed (${listed.join(', ')}) differ from those implemented (${implemented.join(', ')})`);
	}
	const fallback = defaultOperation ?? options[0]?.value;
	if (fallback === undefined || !listed.includes(String(fallback))) throw new Error(`resource ${resource}: no default operation`);
	if (operations[String(fallback)]?.notForAgents) throw new Error(`resource ${resource}: the default operation cannot be one kept from AI agents`);
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: options.map((option) => (operations[String(option.value)]?.notForAgents ? { ...option, displayOptions: hiddenFromAgents } : option)),
			default: fallback,
		},
		...Object.values(operations).flatMap((operation) => operation.description),
	];
}
