/**
 * The default a person sees in the editor is the default the code uses: for every
 * parameter a node's code reads with a fallback (`getNodeParameter(name, i, fallback)`,
 * `numberParameter(…, fallback)`), the fallback equals the default its description shows.
 * Fallbacks matter: n8n leaves an Options entry out of the workflow until a person adds it,
 * and then the code's fallback is what runs.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { INodeProperties, INodePropertyCollection, INodeTypeDescription } from 'n8n-workflow';

import { NODE_NAMES, nodeDescriptions } from '../../../scripts/docs/nodesReference';

const NODES_DIR = path.join(__dirname, '../../../nodes');

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(full);
		return entry.name.endsWith('.ts') ? [full] : [];
	});
}

const ALL_SOURCES = sourceFiles(NODES_DIR).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));

/** Module-level constants (`const NAME = literal` or `const NAME = { key: literal, … }`) anywhere under nodes/. */
function constantValue(expression: string): unknown {
	const [name, key] = expression.split('.');
	for (const { text } of ALL_SOURCES) {
		const match = new RegExp(`const ${name}\\b[^=]*=\\s*([^;]+);`).exec(text);
		if (!match) continue;
		const body = match[1].trim();
		if (key === undefined) return literalValue(body);
		const field = new RegExp(`\\b${key}:\\s*([^,\\n}]+)`).exec(body);
		if (field) return literalValue(field[1].trim());
	}
	return undefined;
}

function literalValue(text: string): unknown {
	const clean = text.replace(/ as const$/, '').trim();
	if (/^[\d_.\s*+/-]+$/.test(clean)) return Number(Function(`"use strict"; return (${clean.replace(/_/g, '')});`)());
	if (/^'[^']*'$/.test(clean)) return clean.slice(1, -1);
	if (clean === 'true' || clean === 'false') return clean === 'true';
	if (clean === '{}') return {};
	if (/^[A-Z_][A-Za-z0-9_]*(\.\w+)?$/.test(clean)) return constantValue(clean);
	return undefined;
}

interface FallbackRead {
	parameter: string;
	fallback: string;
	file: string;
}

const READS: Array<[RegExp, (match: RegExpExecArray) => [string, string]]> = [
	[/getNodeParameter\('([\w.]+)',\s*\w+,\s*([^)]+?)\)/g, (m) => [m[1], m[2]]],
	[/numberParameter\((?:this|ctx),\s*'([\w.]+)',\s*'[^']*',\s*\w+,\s*([^,)]+)/g, (m) => [m[1], m[2]]],
	// The tracker's options reader: n('confirmDelaySeconds', 'Confirm Delay (Seconds)', 20, 0).
	[/\bn\('(\w+)',\s*'[^']*',\s*([^,)]+),/g, (m) => [`options.${m[1]}`, m[2]]],
];

function fallbackReads(files: Array<{ file: string; text: string }>): FallbackRead[] {
	return files.flatMap(({ file, text }) =>
		READS.flatMap(([pattern, pick]) => [...text.matchAll(pattern)].map((match) => {
			const [parameter, fallback] = pick(match as RegExpExecArray);
			return { parameter, fallback: fallback.trim(), file: path.relative(NODES_DIR, file) };
		})),
	);
}

/** Every parameter of a description by its path (`options.timeoutMs` for a collection entry), with each default it is shown with. */
function describedDefaults(description: INodeTypeDescription): Map<string, unknown[]> {
	const defaults = new Map<string, unknown[]>();
	const add = (name: string, value: unknown) => defaults.set(name, [...(defaults.get(name) ?? []), value]);
	const walk = (properties: INodeProperties[], prefix: string) => {
		for (const property of properties) {
			add(`${prefix}${property.name}`, property.default);
			if (property.type === 'collection' || property.type === 'fixedCollection') {
				walk((property.options ?? []).flatMap((option) => ('values' in option ? (option as INodePropertyCollection).values : [option as INodeProperties])), `${prefix}${property.name}.`);
			}
		}
	};
	walk(description.properties, '');
	return defaults;
}

const descriptions = new Map(NODE_NAMES.map((name, index) => [name, nodeDescriptions()[index]]));

describe('parameter defaults', () => {
	const checked: string[] = [];
	const mismatches: string[] = [];
	for (const name of NODE_NAMES) {
		const described = describedDefaults(descriptions.get(name) as INodeTypeDescription);
		// The node's own code, plus the shared readers for the parameters this node has.
		const own = ALL_SOURCES.filter(({ file }) => file.startsWith(path.join(NODES_DIR, name) + path.sep));
		const shared = ALL_SOURCES.filter(({ file }) => file.startsWith(path.join(NODES_DIR, 'shared') + path.sep));
		const reads = [...fallbackReads(own), ...fallbackReads(shared).filter((read) => described.has(read.parameter))];
		for (const read of reads) {
			const shown = described.get(read.parameter);
			if (!shown) continue;
			const value = literalValue(read.fallback);
			if (value === undefined) continue;
			// An expression default (e.g. `={{ $json.query }}`) is evaluated by n8n; the code's fallback is for a missing value.
			const plain = shown.filter((entry) => !(typeof entry === 'string' && entry.startsWith('=')));
			if (plain.length === 0) continue;
			checked.push(`${name}.${read.parameter}`);
			if (!plain.some((entry) => JSON.stringify(entry) === JSON.stringify(value))) {
				mismatches.push(`${name}: ${read.parameter} is shown with ${plain.map((entry) => JSON.stringify(entry)).join(' or ')} but ${read.file} falls back to ${JSON.stringify(value)}`);
			}
		}
	}

	it('checks the fallbacks of every node', () => {
		const nodesChecked = new Set(checked.map((entry) => entry.split('.')[0]));
		expect([...nodesChecked].sort()).toEqual([...NODE_NAMES].sort());
		expect(checked.length).toBeGreaterThan(60);
	});

	it('shows in the editor the value the code falls back to', () => {
		expect(mismatches).toEqual([]);
	});
});
