/**
 * Writes the generated shipped workflows (scripts/workflows/*) into workflows/.
 *   npm run workflows:build
 * A unit test fails when the files and the generator disagree.
 */
import fs from 'node:fs';
import path from 'node:path';

import { generatedWorkflows, workflowText } from './workflows/shipped';

const dir = path.resolve(__dirname, '..', 'workflows');
for (const [file, workflow] of Object.entries(generatedWorkflows())) {
	fs.writeFileSync(path.join(dir, file), workflowText(workflow));
	console.log(`wrote workflows/${file} (${workflow.nodes.length} nodes)`);
}
