/** Where the project keeps its local runtime state; all of it is git-ignored. */
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-autorecovery';

/** n8n version the project is tested with; `N8N_VERSION` overrides it. */
export const DEFAULT_N8N_VERSION = '2.8.4';

export function n8nVersion(env: NodeJS.ProcessEnv = process.env): string {
	return env.N8N_VERSION?.trim() || DEFAULT_N8N_VERSION;
}

/** The provisioned n8n install; `N8N_RUNTIME_DIR` moves it (CI keeps it in a cache). */
export function runtimeDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
	const base = env.N8N_RUNTIME_DIR?.trim() || path.join(PROJECT_ROOT, '.runtime');
	return path.join(base, `n8n-${version}`);
}

/** The user folder of the local n8n started by `npm start` (SQLite database, settings). */
export function localUserFolder(env: NodeJS.ProcessEnv = process.env): string {
	return env.AUTORECOVERY_N8N_USER_FOLDER?.trim() || path.join(PROJECT_ROOT, '.n8n-local');
}
