/** Check: one contract result for this host (memory, load, disks, inodes, n8n health). */
import os from 'node:os';
import path from 'node:path';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { numberParameter, runDeadlineOptionFields, timeoutOptionField, timeoutParameter } from '../../../shared/n8n/parameters';
import { evaluateHost, type HostLevels } from '../../host/evaluateHost';
import { readHostSnapshot } from '../../host/readHostSnapshot';
import { DEFAULT_HOST_THRESHOLDS, thresholdProblems, type HostThresholds } from '../../host/thresholds';
import { checkN8nHealth } from '../../transport/n8nHealth';
import { optionsCollection } from '../../../shared/n8n/fields';

const showFor = { displayOptions: { show: { operation: ['check'] } } };

const thresholdFields: Array<[keyof HostThresholds, string, string]> = [
	['diskDegradedPct', 'Disk Free Warning (%)', 'Below this share of free disk space the host is degraded'],
	['diskDownPct', 'Disk Free Critical (%)', 'Below this share of free disk space the host is down'],
	['inodesDegradedPct', 'Inodes Free Warning (%)', 'Below this share of free inodes the host is degraded'],
	['inodesDownPct', 'Inodes Free Critical (%)', 'Below this share of free inodes the host is down'],
	['memoryDegradedPct', 'Memory Available Warning (%)', 'Below this share of available memory the host is degraded'],
	['memoryDownPct', 'Memory Available Critical (%)', 'Below this share of available memory the host is down'],
	['loadDegradedPerCore', 'Load per Core Warning', 'At or above this 5-minute load per core the host is degraded'],
	['loadDownPerCore', 'Load per Core Critical', 'At or above this 5-minute load per core the host is down'],
];

const DEFAULT_PATHS = '~/.n8n';
const DEFAULT_N8N_URL = 'http://127.0.0.1:5678';

export const description: INodeProperties[] = [
	{
		displayName: 'Paths',
		name: 'paths',
		type: 'string',
		default: DEFAULT_PATHS,
		placeholder: '~/.n8n, /backups',
		description: 'Comma-separated folders whose disks to check, e.g. the n8n data folder and the backup folder',
		...showFor,
	},
	{
		displayName: 'Check N8n Health',
		name: 'checkN8n',
		type: 'boolean',
		default: true,
		description: 'Whether to call n8n\'s own /healthz/readiness endpoint',
		...showFor,
	},
	{
		displayName: 'N8n URL',
		name: 'n8nUrl',
		type: 'string',
		default: DEFAULT_N8N_URL,
		description: 'Base URL of the n8n instance to check, as seen from this n8n',
		displayOptions: { show: { operation: ['check'], checkN8n: [true] } },
	},
	{
		displayName: 'Read N8n Metrics',
		name: 'includeMetrics',
		type: 'boolean',
		default: false,
		description: 'Whether to also read /metrics (needs N8N_METRICS=true on the instance)',
		displayOptions: { show: { operation: ['check'], checkN8n: [true] } },
	},
	{
		displayName: 'Thresholds',
		name: 'thresholds',
		type: 'collection',
		placeholder: 'Add Threshold',
		default: {},
		options: thresholdFields.map(([name, displayName, text]) => ({
			displayName,
			name,
			type: 'number' as const,
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: DEFAULT_HOST_THRESHOLDS[name],
			description: text,
		})),
		...showFor,
	},
	optionsCollection(showFor.displayOptions.show, [
			timeoutOptionField('How long to wait for n8n\'s health endpoints'),
			...runDeadlineOptionFields(),
		]),
];

export function parsePaths(raw: string, home: string = os.homedir()): { paths: string[]; invalid: string[] } {
	const paths: string[] = [];
	const invalid: string[] = [];
	for (const entry of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
		const expanded = entry === '~' ? home : entry.startsWith('~/') ? path.join(home, entry.slice(2)) : entry;
		if (path.isAbsolute(expanded)) paths.push(path.normalize(expanded).replace(/(.)\/+$/, '$1'));
		else invalid.push(entry);
	}
	return { paths: [...new Set(paths)], invalid };
}

function readThresholds(ctx: IExecuteFunctions, itemIndex: number): HostThresholds {
	const thresholds = { ...DEFAULT_HOST_THRESHOLDS };
	for (const [name, displayName] of thresholdFields) {
		thresholds[name] = numberParameter(ctx, `thresholds.${name}`, displayName, itemIndex, DEFAULT_HOST_THRESHOLDS[name], { min: 0 });
	}
	const problems = thresholdProblems(thresholds);
	if (problems.length > 0) {
		throw new NodeOperationError(ctx.getNode(), `Parameter "Thresholds" is inconsistent: ${problems.join('; ')}`, { itemIndex });
	}
	return thresholds;
}

export const runs = 'perItem';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { paths, invalid } = parsePaths(this.getNodeParameter('paths', itemIndex, DEFAULT_PATHS) as string);
	if (invalid.length > 0) {
		throw new NodeOperationError(this.getNode(), `Parameter "Paths" must list absolute folders; not absolute: ${invalid.join(', ')}`, {
			itemIndex,
		});
	}
	const thresholds = readThresholds(this, itemIndex);
	const timeoutMs = timeoutParameter(this, itemIndex);
	const checkN8n = this.getNodeParameter('checkN8n', itemIndex, true) as boolean;
	let n8nHealth;
	if (checkN8n) {
		const url = (this.getNodeParameter('n8nUrl', itemIndex, DEFAULT_N8N_URL) as string).trim();
		if (!/^https?:\/\/[^\s]+$/.test(url)) {
			throw new NodeOperationError(this.getNode(), 'Parameter "N8n URL" must be an http(s) URL', { itemIndex });
		}
		const includeMetrics = this.getNodeParameter('includeMetrics', itemIndex, false) as boolean;
		n8nHealth = await checkN8nHealth(url, timeoutMs, includeMetrics);
	}
	const snapshot = await readHostSnapshot(paths);
	// Hysteresis needs the last levels: kept per host in this node's static data (saved after production runs).
	const memory = this.getWorkflowStaticData('node');
	const stored = memory.hostLevels;
	const all = (stored && typeof stored === 'object' && !Array.isArray(stored) ? stored : {}) as Record<string, HostLevels>;
	const levels: HostLevels = { ...(all[snapshot.hostname] ?? {}) };
	const result = evaluateHost(snapshot, thresholds, n8nHealth, levels);
	memory.hostLevels = { ...all, [snapshot.hostname]: levels };
	return result as unknown as IDataObject;
}
