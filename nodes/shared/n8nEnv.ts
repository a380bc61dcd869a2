/**
 * Reading n8n's own configuration the way n8n does (@n8n/config): a node runs inside the
 * n8n process (main or worker), so it sees the same environment n8n was started with.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The value as n8n's config reads it: the variable (even empty), else its `_FILE`, trimmed and unquoted. */
export function configuredValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
	const file = env[`${name}_FILE`];
	const raw = name in env ? env[name] : file ? readFileSync(file, 'utf8') : undefined;
	return raw?.trim().replace(/^(['"])(.*)\1$/, '$2');
}

/** n8n's own folder (`~/.n8n`, or `$N8N_USER_FOLDER/.n8n`), as @n8n/config's getN8nFolder finds it. */
export function n8nFolder(env: NodeJS.ProcessEnv): string {
	return path.join(env.N8N_USER_FOLDER ?? env.HOME ?? process.cwd(), '.n8n');
}
