/**
 * How pg_dump / pg_restore are told where to connect without the password ever being on
 * their command line (argv is world-readable in `ps` and /proc/<pid>/cmdline): host,
 * port, user and database as separate arguments, the password and SSL mode in the
 * child's environment only.
 */
import type { PostgresSettings } from '../../shared/sql/postgresConnection';
import { BackupParameterError } from './errors';

interface ToolConnection {
	/** `-h host -p port -U user -d database`. */
	args: string[];
	/** Environment of the child: PATH/locale from ours (minus any PG* variables), PGPASSWORD, PGSSLMODE. */
	env: NodeJS.ProcessEnv;
	database: string;
}

interface ConnectionParts {
	host: string;
	port: number;
	user?: string;
	database: string;
	password?: string;
	sslmode?: string;
}

function fromConnectionString(connectionString: string): ConnectionParts {
	let url: URL;
	try {
		url = new URL(connectionString);
	} catch {
		// Never echo the string: it may hold the password.
		throw new BackupParameterError('settings.connectionString', 'must be a postgres:// URL');
	}
	if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
		throw new BackupParameterError('settings.connectionString', 'must be a postgres:// URL');
	}
	const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
	if (database === '') throw new BackupParameterError('settings.connectionString', 'must name a database');
	return {
		host: url.hostname.replace(/^\[|\]$/g, '') || 'localhost',
		port: url.port === '' ? 5432 : Number(url.port),
		user: url.username === '' ? undefined : decodeURIComponent(url.username),
		database,
		password: url.password === '' ? undefined : decodeURIComponent(url.password),
		sslmode: url.searchParams.get('sslmode') ?? undefined,
	};
}

function fromParts(settings: PostgresSettings): ConnectionParts {
	if (!settings.host) throw new BackupParameterError('settings.host', 'is required when no connection string is given');
	if (!settings.database) throw new BackupParameterError('settings.database', 'is required when no connection string is given');
	return { host: settings.host, port: settings.port ?? 5432, user: settings.user, database: settings.database, password: settings.password };
}

/** The parts of the settings, validated (throws BackupParameterError naming the field). */
function connectionParts(settings: PostgresSettings): ConnectionParts {
	const parts = settings.connectionString ? fromConnectionString(settings.connectionString) : fromParts(settings);
	if (!Number.isInteger(parts.port) || parts.port < 1 || parts.port > 65535) {
		throw new BackupParameterError(settings.connectionString ? 'settings.connectionString' : 'settings.port', 'port must be 1–65535');
	}
	return parts;
}

/**
 * `baseEnv` is the environment the child inherits (PATH to find the tool, locale); it is
 * not configuration: every setting comes from the credential, and inherited PG* variables
 * are dropped so they cannot override it.
 */
export function toolConnection(settings: PostgresSettings, connectTimeoutMs: number, baseEnv: NodeJS.ProcessEnv = process.env): ToolConnection {
	const parts = connectionParts(settings);
	// libpq reads a -d value with `=` or a URL scheme as a connection string, not a name.
	if (/=|^postgres(ql)?:/.test(parts.database)) {
		throw new BackupParameterError(settings.connectionString ? 'settings.connectionString' : 'settings.database', 'the database name must not contain "=" or a URL scheme');
	}
	const env: NodeJS.ProcessEnv = {};
	// Inherited PG* variables (PGPASSFILE, PGSERVICE, ...) could redirect the connection.
	for (const [key, value] of Object.entries(baseEnv)) if (!key.startsWith('PG')) env[key] = value;
	env.LC_ALL = 'C'; // English messages, so stderr can be classified
	env.PGCONNECT_TIMEOUT = String(Math.max(2, Math.ceil(connectTimeoutMs / 1000))); // libpq: whole seconds, ≥ 2
	if (parts.password !== undefined) env.PGPASSWORD = parts.password;
	const sslmode = settings.ssl ?? parts.sslmode;
	if (sslmode !== undefined) env.PGSSLMODE = sslmode;
	const args = ['-h', parts.host, '-p', String(parts.port), ...(parts.user ? ['-U', parts.user] : []), '-d', parts.database];
	return { args, env, database: parts.database };
}
