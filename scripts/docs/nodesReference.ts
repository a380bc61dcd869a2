/**
 * docs/nodes.md, generated from the nodes' own descriptions so the manual cannot drift
 * from the code: every node, resource, operation and parameter (name, type, default,
 * description). `npm run docs:build` writes it; a unit test fails when they disagree.
 */
import path from 'node:path';

import type { INodeProperties, INodePropertyCollection, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';

/** In the order a reader meets them: probes, diagnosis, the incident loop, maintenance. */
export const NODE_NAMES = ['WhatsAppProbe', 'DbIntegrity', 'PaymentLinkTest', 'HostResources', 'LlmDiagnose', 'IncidentTracker', 'RecoveryGate', 'RecoveryReport', 'AlertMessage', 'VolumeBackup', 'LogArchive'];

type NodeClass = new () => { description: INodeTypeDescription };

/**
 * Each node's description, from its source. Loaded by explicit `.node.ts` path: without
 * the extension, a CommonJS loader finds the codex file `<Node>.node.json` first.
 */
export function nodeDescriptions(): INodeTypeDescription[] {
	return NODE_NAMES.map((name) => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- a computed path (see above), loaded by tsx or ts-jest
		const module = require(path.join(__dirname, '..', '..', 'nodes', name, `${name}.node.ts`)) as Record<string, NodeClass>;
		return new module[name]().description;
	});
}

const INTRO = `# Nodes

Generated from the nodes' descriptions by \`npm run docs:build\` — do not edit by hand.

Every node has the same shape (\`nodes/<Node>/\`): a thin \`<Node>.node.ts\`, one router
(\`actions/router.ts\`), a \`<Resource>.resource.ts\` per resource listing its operations, and
one file per operation (\`actions/<resource>/<operation>.operation.ts\`) holding its parameters
and its \`execute\`. Adding an operation is one file and one line in its resource. The logic
that is not n8n glue lives in plain modules beside them and in \`nodes/shared/\`.

Every probe and repair outputs the result vocabulary of \`nodes/shared/contract.ts\`
(component, target, status, cause, checks, diagnosis, action). Every operation honours
*Continue On Fail*: a failed item becomes \`{ "error": "…" }\` (secrets masked) paired with
its input item.
`;

const cell = (text: unknown): string => String(text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function defaultText(value: unknown): string {
	if (value === '' || value === undefined) return '';
	if (typeof value === 'object') return Object.keys(value as object).length === 0 ? '' : `\`${JSON.stringify(value)}\``;
	return `\`${String(value)}\``;
}

function shownFor(property: INodeProperties): { resources?: string[]; operations?: string[] } {
	const show = property.displayOptions?.show ?? {};
	return {
		resources: show.resource as string[] | undefined,
		operations: show.operation as string[] | undefined,
	};
}

function parameterRows(properties: INodeProperties[], prefix = ''): string[] {
	return properties.flatMap((property) => {
		const name = `${prefix}${property.name}`;
		const choices = property.type === 'options' && property.options ? ` (${(property.options as INodePropertyOptions[]).map((option) => `\`${String(option.value)}\``).join(', ')})` : '';
		const row = `| ${cell(property.displayName)} | \`${name}\` | ${property.type}${choices} | ${cell(defaultText(property.default))} | ${cell(property.description)} |`;
		if (property.type === 'collection' || property.type === 'fixedCollection') {
			const children = (property.options ?? []).flatMap((option) => ('values' in option ? (option as INodePropertyCollection).values : [option as INodeProperties]));
			return [row, ...parameterRows(children, `${name}.`)];
		}
		return [row];
	});
}

function table(properties: INodeProperties[]): string[] {
	if (properties.length === 0) return ['No parameters of its own.', ''];
	return ['| Parameter | Name | Type | Default | Description |', '|---|---|---|---|---|', ...parameterRows(properties), ''];
}

function nodeSection(node: INodeTypeDescription): string[] {
	const lines = [`## ${node.displayName}`, '', `\`n8n-nodes-autorecovery.${node.name}\` — ${node.description}`, ''];
	if (node.credentials?.length) lines.push(`Credentials: ${node.credentials.map((credential) => `\`${credential.name}\``).join(', ')}.`, '');
	const properties = node.properties;
	const resourceField = properties.find((property) => property.name === 'resource');
	const resourceOptions = resourceField?.type === 'options' ? (resourceField.options as INodePropertyOptions[]) : [];
	const resources = resourceOptions.length > 0 ? resourceOptions.map((option) => String(option.value)) : [String(resourceField?.default ?? '')];
	const resourceName = (value: string) => resourceOptions.find((option) => option.value === value)?.name ?? value;
	const operationFields = properties.filter((property) => property.name === 'operation');
	const general = properties.filter((property) => {
		if (property.name === 'resource' || property.name === 'operation') return false;
		const { operations } = shownFor(property);
		return operations === undefined;
	});
	if (general.length > 0) lines.push('Parameters of every operation:', '', ...table(general));
	for (const resource of resources) {
		const field = operationFields.find((property) => (shownFor(property).resources ?? [resource]).includes(resource));
		if (!field) continue;
		if (resources.length > 1) lines.push(`### Resource: ${resourceName(resource)} (\`${resource}\`)`, '');
		for (const option of (field.options ?? []) as INodePropertyOptions[]) {
			const value = String(option.value);
			lines.push(`${resources.length > 1 ? '####' : '###'} ${option.name} (\`${value}\`)`, '', `${option.description ?? ''}`, '');
			const own = properties.filter((property) => property.name !== 'operation' && (shownFor(property).operations ?? []).includes(value));
			lines.push(...table(own));
		}
	}
	return lines;
}

export function nodesReference(): string {
	return [INTRO, ...nodeDescriptions().flatMap(nodeSection)].join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
