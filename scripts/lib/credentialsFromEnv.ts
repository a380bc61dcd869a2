/**
 * Which n8n credentials `npm start` creates from `.env`. One row per credential:
 * it is created when its required variables are set. Each issue that adds a
 * credential type adds its row here and documents the variables in `.env.example`.
 */
export interface CredentialSpec {
	/** Fixed id, so shipped workflows can reference it and re-imports update it. */
	id: string;
	name: string;
	type: string;
	/** Variables that must all be set for this credential to be created... */
	requires: string[];
	/** ...or, instead, a rule of its own (e.g. one of two alternatives). */
	when?: (env: Record<string, string>) => boolean;
	build: (env: Record<string, string>) => Record<string, unknown>;
}

export interface N8nCredentialFile {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

const bool = (value: string | undefined, fallback: boolean) =>
	value === undefined || value === '' ? fallback : /^(1|true|yes|on)$/i.test(value);

export const CREDENTIAL_SPECS: CredentialSpec[] = [
	{
		id: 'autorecoverySmtp01',
		name: 'Autorecovery alerts SMTP',
		type: 'smtp',
		requires: ['AUTORECOVERY_SMTP_HOST'],
		build: (env) => ({
			host: env.AUTORECOVERY_SMTP_HOST,
			port: Number(env.AUTORECOVERY_SMTP_PORT || 587),
			secure: bool(env.AUTORECOVERY_SMTP_SECURE, false),
			user: env.AUTORECOVERY_SMTP_USER ?? '',
			password: env.AUTORECOVERY_SMTP_PASSWORD ?? '',
			disableStartTls: bool(env.AUTORECOVERY_SMTP_DISABLE_STARTTLS, false),
		}),
	},
	{
		id: 'autorecoveryPg001',
		name: 'Autorecovery Postgres',
		type: 'autorecoveryPostgresApi',
		requires: ['AUTORECOVERY_PG_HOST'],
		when: (env) => Boolean(env.AUTORECOVERY_PG_URL || env.AUTORECOVERY_PG_HOST),
		build: (env) => ({
			connectionString: env.AUTORECOVERY_PG_URL ?? '',
			host: env.AUTORECOVERY_PG_HOST || 'localhost',
			port: Number(env.AUTORECOVERY_PG_PORT || 5432),
			database: env.AUTORECOVERY_PG_DATABASE || 'postgres',
			user: env.AUTORECOVERY_PG_USER || 'postgres',
			password: env.AUTORECOVERY_PG_PASSWORD ?? '',
			ssl: env.AUTORECOVERY_PG_SSL || 'disable',
		}),
	},
	{
		id: 'autorecoveryWebhook1',
		name: 'Autorecovery webhook token',
		type: 'httpHeaderAuth',
		requires: ['AUTORECOVERY_WEBHOOK_TOKEN'],
		build: (env) => ({ name: 'X-Autorecovery-Token', value: env.AUTORECOVERY_WEBHOOK_TOKEN }),
	},
];

/** Validates values that would otherwise fail later inside n8n. */
export function validateCredentialEnv(env: Record<string, string>): string[] {
	const problems: string[] = [];
	const port = env.AUTORECOVERY_SMTP_PORT;
	if (port !== undefined && port !== '' && !/^\d{1,5}$/.test(port)) {
		problems.push(`AUTORECOVERY_SMTP_PORT must be a port number, got "${port}"`);
	}
	for (const port of ['AUTORECOVERY_PG_PORT']) {
		if (env[port] && !/^\d{1,5}$/.test(env[port])) problems.push(`${port} must be a port number, got "${env[port]}"`);
	}
	if (env.AUTORECOVERY_PG_SSL && !['disable', 'require', 'verify-full'].includes(env.AUTORECOVERY_PG_SSL)) {
		problems.push(`AUTORECOVERY_PG_SSL must be disable, require or verify-full, got "${env.AUTORECOVERY_PG_SSL}"`);
	}
	for (const spec of CREDENTIAL_SPECS) {
		if (spec.when) continue;
		const set = spec.requires.filter((key) => env[key]);
		if (set.length > 0 && set.length < spec.requires.length) {
			problems.push(`${spec.name} needs all of ${spec.requires.join(', ')}`);
		}
	}
	return problems;
}

export function credentialsFromEnv(env: Record<string, string>): N8nCredentialFile[] {
	return CREDENTIAL_SPECS.filter((spec) => (spec.when ? spec.when(env) : spec.requires.every((key) => env[key]))).map((spec) => ({
		id: spec.id,
		name: spec.name,
		type: spec.type,
		data: spec.build(env),
	}));
}
