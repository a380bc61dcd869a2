/**
 * Writes the generated manual pages (today: docs/nodes.md from the nodes' descriptions).
 *   npm run docs:build
 * A unit test fails when the files and the generator disagree.
 */
import fs from 'node:fs';
import path from 'node:path';

import { nodesReference } from './docs/nodesReference';

const file = path.resolve(__dirname, '..', 'docs', 'nodes.md');
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, nodesReference());
console.log(`wrote docs/nodes.md`);
