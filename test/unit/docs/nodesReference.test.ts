/** docs/nodes.md is generated from the nodes' descriptions: it must match them, and cover every node and operation. */
import fs from 'node:fs';
import path from 'node:path';

import { nodeDescriptions, nodesReference, NODE_NAMES } from '../../../scripts/docs/nodesReference';

const root = path.join(__dirname, '../../..');

describe('docs/nodes.md', () => {
	it('is what `npm run docs:build` writes from the current code', () => {
		expect(fs.readFileSync(path.join(root, 'docs/nodes.md'), 'utf8')).toBe(nodesReference());
	});

	it('covers every node the package lists, and every operation of each', () => {
		const listed = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } }).n8n.nodes.map((file) => path.basename(file, '.node.js')).sort();
		expect([...NODE_NAMES].sort()).toEqual(listed);
		const page = nodesReference();
		for (const description of nodeDescriptions()) {
			expect(page).toContain(`## ${description.displayName}`);
			for (const field of description.properties.filter((property) => property.name === 'operation')) {
				for (const option of field.options ?? []) expect(page).toContain(`(\`${String((option as { value: unknown }).value)}\`)`);
			}
		}
	});
});
