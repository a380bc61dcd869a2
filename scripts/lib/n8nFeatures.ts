/**
 * Differences between the n8n releases we support that the harness and `npm start` must
 * follow, read from the installed release itself rather than guessed from version numbers.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { N8nRuntime } from './provision';

const configCache = new Map<string, string>();

function configSource(runtime: N8nRuntime): string {
	let source = configCache.get(runtime.dir);
	if (source === undefined) {
		try {
			source = fs.readFileSync(path.join(runtime.dir, 'node_modules', '@n8n', 'config', 'dist', 'index.js'), 'utf8');
		} catch {
			source = '';
		}
		configCache.set(runtime.dir, source);
	}
	return source;
}

/**
 * The variable that sets the public base URL of webhooks: `N8N_WEBHOOK_URL` where the
 * release reads it (newer releases warn that `WEBHOOK_URL` is deprecated), else `WEBHOOK_URL`.
 */
export function webhookUrlVariable(runtime: N8nRuntime): 'N8N_WEBHOOK_URL' | 'WEBHOOK_URL' {
	return configSource(runtime).includes("'N8N_WEBHOOK_URL'") ? 'N8N_WEBHOOK_URL' : 'WEBHOOK_URL';
}
