/**
 * Every credential `npm start` can create, filled with harmless placeholder values (the
 * .env.example defaults where there are some), for tests that only need the shipped
 * workflows to find their credentials: the editor then shows them as a user's would.
 */
import fs from 'node:fs';
import path from 'node:path';

import { CREDENTIAL_ENV_KEYS, credentialsFromEnv, validateCredentialEnv, type N8nCredentialFile } from '../../../scripts/lib/credentialsFromEnv';
import { parseEnv } from '../../../scripts/lib/envFile';
import { PROJECT_ROOT } from '../../../scripts/lib/paths';

function placeholder(key: string): string {
	if (/_PG_URL$/.test(key)) return 'postgres://placeholder:placeholder@127.0.0.1:9/placeholder';
	if (/_URL$/.test(key)) return 'http://127.0.0.1:9/placeholder';
	if (/_PIN$/.test(key)) return '123456';
	if (/GRAPH_VERSION$/.test(key)) return 'v23.0';
	if (/_PORT$/.test(key)) return '5432';
	if (/ENVIRONMENT$/.test(key)) return 'sandbox';
	return `placeholder-${key.toLowerCase().replace(/_/g, '-')}-0123456789abcdef0123456789abcdef`;
}

export function placeholderCredentials(): N8nCredentialFile[] {
	const defaults = parseEnv(fs.readFileSync(path.join(PROJECT_ROOT, '.env.example'), 'utf8'));
	const env = Object.fromEntries([...CREDENTIAL_ENV_KEYS].map((key) => [key, defaults[key] || placeholder(key)]));
	const problems = validateCredentialEnv(env);
	if (problems.length > 0) throw new Error(`placeholder credentials are not valid: ${problems.join('; ')}`);
	return credentialsFromEnv(env);
}
