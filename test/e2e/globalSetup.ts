/**
 * Before the end-to-end suite: make sure the pinned n8n is provisioned (minutes on a
 * fresh machine, instant afterwards) and the package is built, so every e2e test
 * runs the real n8n CLI/server against the real compiled nodes.
 */
import { execFileSync } from 'node:child_process';

import { n8nVersion, PROJECT_ROOT } from '../../scripts/lib/paths';
import { provisionN8n } from '../../scripts/lib/provision';
import { staleBuildReason } from '../../scripts/lib/distFreshness';
import { CHROMIUM, ensureDebianTools, PG_DUMP, PG_RESTORE, REDIS_SERVER, SQLITE3 } from '../harness/debianTools';

export default async function globalSetup(): Promise<void> {
	// The tools the e2e tests drive: the status page in Chromium, backups, queue mode's Redis.
	ensureDebianTools([CHROMIUM, SQLITE3, PG_DUMP, PG_RESTORE, REDIS_SERVER], (line) => console.log(`[e2e] ${line}`));
	await provisionN8n(n8nVersion(), (line) => console.log(`[e2e] ${line}`));
	const stale = staleBuildReason(PROJECT_ROOT);
	if (stale) {
		console.log(`[e2e] building the package: ${stale}`);
		execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
	}
}
