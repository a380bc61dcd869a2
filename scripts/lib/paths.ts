/** Where the project keeps its local runtime state; all of it is git-ignored. */
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-autorecovery';

/**
 * The n8n `npm start`, the demo, the Docker image and the whole test suite run; `N8N_VERSION`
 * overrides it. The newest 2.x that installs from the npm registry (2.41.3 pins `@n8n/*`
 * versions the registry does not serve); it needs Node 24, provisioned when the machine's is older.
 */
export const DEFAULT_N8N_VERSION = '2.41.1';

/**
 * The oldest n8n the package supports (mid-2026, Node 20). `npm run test:compat` runs the
 * end-to-end tests that touch n8n's own APIs (scripts/test-compat.ts) on it.
 */
export const OLDEST_N8N_VERSION = '2.8.4';

export function n8nVersion(env: NodeJS.ProcessEnv = process.env): string {
	return env.N8N_VERSION?.trim() || DEFAULT_N8N_VERSION;
}

/** The provisioned n8n install; `N8N_RUNTIME_DIR` moves it (CI keeps it in a cache). */
export function runtimeBase(env: NodeJS.ProcessEnv = process.env): string {
	return env.N8N_RUNTIME_DIR?.trim() || path.join(PROJECT_ROOT, '.runtime');
}

export function runtimeDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
	return path.join(runtimeBase(env), `n8n-${version}`);
}

/** The user folder of the local n8n started by `npm start` (SQLite database, settings). */
export function localUserFolder(env: NodeJS.ProcessEnv = process.env): string {
	return env.AUTORECOVERY_N8N_USER_FOLDER?.trim() || path.join(PROJECT_ROOT, '.n8n-local');
}
