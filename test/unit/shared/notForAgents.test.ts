/** Operations kept from AI agents: hidden in a node's `…Tool` variant and refused there at run time. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DbIntegrity } from '../../../nodes/DbIntegrity/DbIntegrity.node';
import { VolumeBackup } from '../../../nodes/VolumeBackup/VolumeBackup.node';
import type { PerItemOperation } from '../../../nodes/shared/n8n/operation';
import { resourceProperties } from '../../../nodes/shared/n8n/resource';
import { createRouter } from '../../../nodes/shared/n8n/router';
import { fakeExecuteFunctions } from '../../harness/fakeExecuteFunctions';

const ran: string[] = [];
const operation = (name: string): PerItemOperation => ({
	description: [],
	runs: 'perItem',
	async execute(this: IExecuteFunctions) {
		ran.push(name);
		return { ran: name };
	},
});
const routes = { resources: { files: { list: operation('list'), wipe: { ...operation('wipe'), notForAgents: true as const } } } };
const router = createRouter(routes);
const run = (op: string, nodeType: string) => router.call(fakeExecuteFunctions({ parameters: { resource: 'files', operation: op }, input: [{}], nodeType }));

const operationField = (properties: INodeProperties[]) => properties.find((property) => property.name === 'operation');

beforeEach(() => ran.splice(0));

describe('notForAgents', () => {
	it('runs in a workflow (the plain node type)', async () => {
		await expect(run('wipe', 'n8n-nodes-autorecovery.files')).resolves.toEqual([[{ json: { ran: 'wipe' }, pairedItem: { item: 0 } }]]);
	});

	it('is refused, before it runs, when an AI agent calls the node’s Tool variant', async () => {
		await expect(run('wipe', 'n8n-nodes-autorecovery.filesTool')).rejects.toThrow('"wipe" is not available to AI agents');
		expect(ran).toEqual([]);
	});

	it('leaves the other operations to agents', async () => {
		await expect(run('list', 'n8n-nodes-autorecovery.filesTool')).resolves.toEqual([[{ json: { ran: 'list' }, pairedItem: { item: 0 } }]]);
	});

	it('hides the option in the Tool variant with n8n’s @tool display condition', () => {
		const field = operationField(resourceProperties('files', [{ name: 'List', value: 'list' }, { name: 'Wipe', value: 'wipe' }], routes.resources.files));
		expect(field?.options).toEqual([{ name: 'List', value: 'list' }, { name: 'Wipe', value: 'wipe', displayOptions: { hide: { '@tool': [true] } } }]);
	});

	it('cannot be the default operation (an agent would get it without choosing)', () => {
		expect(() => resourceProperties('files', [{ name: 'Wipe', value: 'wipe' }, { name: 'List', value: 'list' }], routes.resources.files)).toThrow('default operation cannot be one kept from AI agents');
	});
});

describe('Volume Backup as an AI tool', () => {
	const description = new VolumeBackup().description;
	const hidden = (operationField(description.properties)?.options ?? []).filter((option) => 'displayOptions' in option).map((option) => ('value' in option ? option.value : ''));

	it('is usable as a tool, without Restore and Prune', () => {
		expect(description.usableAsTool).toBe(true);
		expect(hidden.sort()).toEqual(['prune', 'restoreDirectory', 'restorePostgres']);
	});

	it('refuses Restore and Prune from its Tool variant before touching any file', async () => {
		const node = new VolumeBackup();
		for (const op of ['prune', 'restoreDirectory', 'restorePostgres']) {
			const ctx = fakeExecuteFunctions({ parameters: { resource: 'backup', operation: op }, input: [{}], nodeType: 'n8n-nodes-autorecovery.volumeBackupTool' });
			await expect(node.execute.call(ctx)).rejects.toThrow(`"${op}" is not available to AI agents`);
		}
	});
});

describe('DB Integrity as an AI tool', () => {
	it('lists Check and Check Error Rate to agents, not Repair, and refuses Repair from its Tool variant', async () => {
		const node = new DbIntegrity();
		const options = operationField(node.description.properties)?.options ?? [];
		expect(options.filter((option) => 'displayOptions' in option).map((option) => ('value' in option ? option.value : ''))).toEqual(['repair']);
		const ctx = fakeExecuteFunctions({ parameters: { resource: 'catalog', operation: 'repair' }, input: [{}], nodeType: 'n8n-nodes-autorecovery.dbIntegrityTool' });
		await expect(node.execute.call(ctx)).rejects.toThrow('"repair" is not available to AI agents');
	});
});
