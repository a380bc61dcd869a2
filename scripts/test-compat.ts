/**
 * `npm run test:compat`: the end-to-end tests that touch n8n's own APIs, on the oldest n8n
 * the package supports (`npm test` runs everything on the current one). Together they are
 * the compatibility matrix CI runs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { OLDEST_N8N_VERSION, PROJECT_ROOT } from './lib/paths';

/** Each file and the part of n8n it exercises. */
export const COMPAT_E2E_FILES: Record<string, string> = {
	'npmStart.test.ts': 'package loading, credential import, owner set-up, public API, published workflows',
	'logArchive.test.ts': 'credential tests through the editor API, node errors',
	'monitorApi.test.ts': 'production webhooks with header auth, Respond to Webhook, sub-workflows, execution history',
	'stateUpgrade.test.ts': 'workflow static data across re-imports and CLI runs',
	'queueMode.test.ts': 'queue mode: Redis, Postgres, workers',
};

function main(): number {
	const version = process.env.AUTORECOVERY_COMPAT_N8N_VERSION?.trim() || OLDEST_N8N_VERSION;
	const files = Object.keys(COMPAT_E2E_FILES);
	for (const file of files) {
		if (!fs.existsSync(path.join(PROJECT_ROOT, 'test', 'e2e', file))) throw new Error(`test/e2e/${file} is listed for the compatibility run but does not exist`);
	}
	console.log(`[compat] end-to-end tests on n8n ${version}: ${files.join(', ')}`);
	const pattern = `test/e2e/(${files.map((f) => f.replace(/\./g, '\\.')).join('|')})$`;
	const result = spawnSync('npx', ['jest', '--selectProjects', 'e2e', '--runInBand', '--testPathPatterns', pattern], {
		cwd: PROJECT_ROOT,
		stdio: 'inherit',
		env: { ...process.env, N8N_VERSION: version },
	});
	return result.status ?? 1;
}

if (require.main === module) process.exit(main());
