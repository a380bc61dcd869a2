/**
 * Differences between the n8n releases we support that the harness and `npm start` must
 * follow, read from the installed release itself rather than guessed from version numbers.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { N8nRuntime } from './provision';

const sourceCache = new Map<string, string>();

/** A compiled file of the installed release, or '' when the release has no such file. */
function releaseSource(runtime: N8nRuntime, ...file: string[]): string {
	const fullPath = path.join(runtime.dir, 'node_modules', ...file);
	let source = sourceCache.get(fullPath);
	if (source === undefined) {
		try {
			source = fs.readFileSync(fullPath, 'utf8');
		} catch {
			source = '';
		}
		sourceCache.set(fullPath, source);
	}
	return source;
}

/**
 * The variable that sets the public base URL of webhooks: `N8N_WEBHOOK_URL` where the
 * release reads it (newer releases warn that `WEBHOOK_URL` is deprecated), else `WEBHOOK_URL`.
 */
export function webhookUrlVariable(runtime: N8nRuntime): 'N8N_WEBHOOK_URL' | 'WEBHOOK_URL' {
	return releaseSource(runtime, '@n8n', 'config', 'dist', 'index.js').includes("'N8N_WEBHOOK_URL'") ? 'N8N_WEBHOOK_URL' : 'WEBHOOK_URL';
}

/**
 * Whether `POST /rest/credentials/test` requires `credentials.id` (2.4x's request schema has
 * `id: z.string()`; 2.8.4 has no such schema and refuses an id it cannot find with 403).
 */
export function credentialTestNeedsId(runtime: N8nRuntime): boolean {
	const schema = releaseSource(runtime, '@n8n', 'api-types', 'dist', 'dto', 'credentials', 'test-credential-request.dto.js');
	return /\bid:\s*zod_1\.z\.string\(\)(?!\.optional)/.test(schema);
}

/**
 * What the Webhook node answers to a wrong basic-auth login: 2.4x answers 401 with a
 * `WWW-Authenticate` challenge, so the browser asks again; 2.8.4 answered 403.
 */
export function webhookWrongBasicAuthStatus(runtime: N8nRuntime): 401 | 403 {
	const utils = releaseSource(runtime, 'n8n-nodes-base', 'dist', 'nodes', 'Webhook', 'utils.js');
	return /WebhookAuthorizationError\(401, 'Authentication data is wrong!'\)/.test(utils) ? 401 : 403;
}

/**
 * Environment for `n8n execute` runs. Releases whose expressions run in isolated-vm by
 * default (`engine = 'vm'`, 2.4x) exit `execute` with the isolate pool alive, and on a busy
 * machine the pool's threads crash during exit (SIGSEGV in V8, seen under gdb: the main thread
 * joins `ivm::thread_pool_t` in the exit handlers) after the run was printed and stored. The
 * one-shot CLI runs use the legacy engine there; the server (`n8n start`) keeps the default,
 * so the shipped workflows run on the engine users run.
 */
export function cliExecuteEnv(runtime: N8nRuntime): Record<string, string> {
	const config = releaseSource(runtime, '@n8n', 'config', 'dist', 'configs', 'expression-engine.config.js');
	return /this\.engine = 'vm'/.test(config) ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {};
}
