/**
 * `npm run test:compat`: the end-to-end tests that touch n8n's own APIs, on the oldest
 * supported n8n (`npm test` runs everything on DEFAULT_N8N_VERSION, the current release).
 * Together they are the compatibility matrix CI runs.
 */
import fs from 'node:fs';
import path from 'node:path';

import { OLDEST_N8N_VERSION, PROJECT_ROOT } from './lib/paths';
import { runE2e } from './test-e2e';

/** Each file and the part of n8n it exercises. */
export const COMPAT_E2E_FILES: Record<string, string> = {
	'installPaths.test.ts': "the packed package installed as n8n's UI installer and the README do; every node and credential listed",
	'paymentLinkTest.test.ts': 'a community node with credentials run by `n8n execute`; nothing secret stored',
	'fileAccess.test.ts': "N8N_RESTRICT_FILE_ACCESS_TO and n8n's own-files block stop backups and archives outside the allowed folders",
	'npmStart.test.ts': '`npm start`: owner setup, credentials and workflows imported, the public API',
	'whatsAppProbe.test.ts': "credential tests through n8n's REST API (`credentials.id` differs between releases)",
	'monitorApi.test.ts': 'production webhooks, their registration after start, basic auth on the status page',
	'stateUpgrade.test.ts': "workflow static data written by an older package version, read through n8n's database",
	'queueMode.test.ts': 'queue mode: Redis, a worker process, the shared tracker state next to static data saved by workers',
};

function main(): number {
	const version = process.env.AUTORECOVERY_COMPAT_N8N_VERSION?.trim() || OLDEST_N8N_VERSION;
	const files = Object.keys(COMPAT_E2E_FILES);
	for (const file of files) {
		if (!fs.existsSync(path.join(PROJECT_ROOT, 'test', 'e2e', file))) throw new Error(`test/e2e/${file} is listed for the compatibility run but does not exist`);
	}
	console.log(`[compat] end-to-end tests on n8n ${version}: ${files.join(', ')}`);
	const pattern = `test/e2e/(${files.map((f) => f.replace(/\./g, '\\.')).join('|')})$`;
	return runE2e(['--testPathPatterns', pattern], { ...process.env, N8N_VERSION: version, AUTORECOVERY_COMPAT_RUN: '1' });
}

if (require.main === module) process.exit(main());
