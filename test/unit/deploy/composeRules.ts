/**
 * What the production compose file promises beyond being valid Compose: pinned images,
 * restart policies, rotated logs, health checks, named volumes for n8n's data and
 * database, execution pruning, and a `queue` profile whose workers share the main
 * process's image, database, Redis and encryption key. Each rule returns the problems it
 * finds (empty = kept), so a test can show a broken copy is caught.
 */

export type ComposeProblem = string;

const RESTART_POLICIES = new Set(['always', 'unless-stopped']);
export const QUEUE_PROFILE = 'queue';
export const MAIN_SERVICE = 'n8n';
export const WORKER_SERVICE = 'n8n-worker';
export const REDIS_SERVICE = 'redis';
export const DB_SERVICE = 'postgres';

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function field(value: unknown, key: string): unknown {
	return isRecord(value) ? value[key] : undefined;
}

export function servicesOf(document: unknown): Record<string, Record<string, unknown>> {
	const services = field(document, 'services');
	if (!isRecord(services)) return {};
	return Object.fromEntries(Object.entries(services).filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1])));
}

/** `environment` as a map, whether written as a mapping or as `KEY=value` lines. */
export function environmentOf(service: Record<string, unknown>): Record<string, string> {
	const environment = service.environment;
	if (Array.isArray(environment)) {
		return Object.fromEntries(
			environment.map((line) => {
				const text = String(line);
				const at = text.indexOf('=');
				return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
			}),
		);
	}
	if (!isRecord(environment)) return {};
	return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

function profilesOf(service: Record<string, unknown>): string[] {
	return Array.isArray(service.profiles) ? service.profiles.map(String) : [];
}

function volumeMounts(service: Record<string, unknown>): Array<{ source: string; target: string }> {
	const volumes = Array.isArray(service.volumes) ? service.volumes : [];
	return volumes.flatMap((volume) => {
		if (typeof volume === 'string') {
			const [source, target] = volume.split(':');
			return target === undefined ? [] : [{ source, target }];
		}
		const source = field(volume, 'source');
		const target = field(volume, 'target');
		return typeof source === 'string' && typeof target === 'string' ? [{ source, target }] : [];
	});
}

export function restartAndLogging(document: unknown): ComposeProblem[] {
	return Object.entries(servicesOf(document)).flatMap(([name, service]) => {
		const problems: ComposeProblem[] = [];
		if (typeof service.restart !== 'string' || !RESTART_POLICIES.has(service.restart)) {
			problems.push(`${name}: restart must be one of ${[...RESTART_POLICIES].join(', ')} (is ${String(service.restart)})`);
		}
		const logging = service.logging;
		const options = field(logging, 'options');
		if (field(logging, 'driver') !== 'json-file' || field(options, 'max-size') !== '10m' || String(field(options, 'max-file')) !== '3') {
			problems.push(`${name}: logging must be json-file with max-size 10m and max-file 3`);
		}
		return problems;
	});
}

export function healthChecks(document: unknown, required: string[] = [DB_SERVICE, MAIN_SERVICE, REDIS_SERVICE, WORKER_SERVICE]): ComposeProblem[] {
	const services = servicesOf(document);
	return required.flatMap((name) => {
		const check = services[name]?.healthcheck;
		const test = field(check, 'test');
		const hasTest = (Array.isArray(test) && test.length > 1) || (typeof test === 'string' && test.trim() !== '');
		if (!hasTest || field(check, 'disable') === true) return [`${name}: needs a health check`];
		return [];
	});
}

/** Every image has an explicit tag other than `latest`; n8n's is built from the pinned version. */
export function pinnedImages(document: unknown, n8nVersion: string): ComposeProblem[] {
	const problems: ComposeProblem[] = [];
	for (const [name, service] of Object.entries(servicesOf(document))) {
		const image = service.image;
		if (typeof image !== 'string') {
			problems.push(`${name}: needs an image name`);
			continue;
		}
		const tag = /:([^/:]+)$/.exec(image)?.[1];
		if (!tag || tag === 'latest') problems.push(`${name}: image ${image} must carry a pinned tag`);
	}
	const main = servicesOf(document)[MAIN_SERVICE];
	if (!main) return [...problems, `no ${MAIN_SERVICE} service`];
	if (main.image !== `n8n-autorecovery:${n8nVersion}`) problems.push(`${MAIN_SERVICE}: image must be n8n-autorecovery:${n8nVersion}`);
	if (String(field(field(main.build, 'args'), 'N8N_VERSION')) !== n8nVersion) {
		problems.push(`${MAIN_SERVICE}: build arg N8N_VERSION must be ${n8nVersion}`);
	}
	return problems;
}

export function persistentVolumes(document: unknown): ComposeProblem[] {
	const declared = field(document, 'volumes');
	const services = servicesOf(document);
	const expectations: Array<[string, string]> = [
		[MAIN_SERVICE, '/home/node/.n8n'],
		[DB_SERVICE, '/var/lib/postgresql/data'],
	];
	return expectations.flatMap(([name, target]) => {
		const mount = volumeMounts(services[name] ?? {}).find((candidate) => candidate.target === target);
		if (!mount) return [`${name}: ${target} must be on a volume`];
		if (!isRecord(declared) || !(mount.source in declared)) return [`${name}: ${target} must be on a named volume (is ${mount.source})`];
		return [];
	});
}

export function executionPruning(document: unknown): ComposeProblem[] {
	const env = environmentOf(servicesOf(document)[MAIN_SERVICE] ?? {});
	const problems: ComposeProblem[] = [];
	if (env.EXECUTIONS_DATA_PRUNE !== 'true') problems.push('n8n: EXECUTIONS_DATA_PRUNE must be true');
	for (const key of ['EXECUTIONS_DATA_MAX_AGE', 'EXECUTIONS_DATA_PRUNE_MAX_COUNT']) {
		if (!(Number(env[key]) > 0)) problems.push(`n8n: ${key} must be a positive number`);
	}
	return problems;
}

const SHARED_WITH_WORKERS = [
	'N8N_ENCRYPTION_KEY',
	'DB_TYPE',
	'DB_POSTGRESDB_HOST',
	'DB_POSTGRESDB_PORT',
	'DB_POSTGRESDB_DATABASE',
	'DB_POSTGRESDB_USER',
	'DB_POSTGRESDB_PASSWORD',
	'QUEUE_BULL_REDIS_HOST',
	'QUEUE_BULL_REDIS_PORT',
];

/** The queue profile: Redis and at least two workers like the main process, in queue mode. */
export function queueProfile(document: unknown, minimumWorkers = 2): ComposeProblem[] {
	const services = servicesOf(document);
	const problems: ComposeProblem[] = [];
	const main = services[MAIN_SERVICE] ?? {};
	const redis = services[REDIS_SERVICE];
	const worker = services[WORKER_SERVICE];
	for (const [name, service] of Object.entries(services)) {
		const queueOnly = name === REDIS_SERVICE || name === WORKER_SERVICE;
		if (queueOnly !== profilesOf(service).includes(QUEUE_PROFILE)) {
			problems.push(`${name}: ${queueOnly ? 'must be' : 'must not be'} in the ${QUEUE_PROFILE} profile`);
		}
	}
	if (!redis) problems.push(`no ${REDIS_SERVICE} service`);
	if (!worker) return [...problems, `no ${WORKER_SERVICE} service`];

	const mainEnv = environmentOf(main);
	const workerEnv = environmentOf(worker);
	for (const key of SHARED_WITH_WORKERS) {
		if (!mainEnv[key] || mainEnv[key] !== workerEnv[key]) problems.push(`${WORKER_SERVICE}: ${key} must be set and equal to the main process's`);
	}
	if (mainEnv.QUEUE_BULL_REDIS_HOST !== REDIS_SERVICE) problems.push(`${MAIN_SERVICE}: QUEUE_BULL_REDIS_HOST must be ${REDIS_SERVICE}`);
	if (workerEnv.EXECUTIONS_MODE !== 'queue') problems.push(`${WORKER_SERVICE}: EXECUTIONS_MODE must be queue`);
	if (!/^\$\{EXECUTIONS_MODE\b/.test(mainEnv.EXECUTIONS_MODE ?? '')) problems.push(`${MAIN_SERVICE}: EXECUTIONS_MODE must come from the EXECUTIONS_MODE variable`);
	if (mainEnv.OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS !== 'true') problems.push(`${MAIN_SERVICE}: OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS must be true`);
	if (worker.image !== main.image) problems.push(`${WORKER_SERVICE}: must use the main process's image (${String(main.image)})`);
	const command = Array.isArray(worker.command) ? worker.command.map(String) : String(worker.command ?? '').split(/\s+/);
	if (command[0] !== 'worker') problems.push(`${WORKER_SERVICE}: command must be \`worker\``);
	const replicas = Number(field(worker.deploy, 'replicas') ?? 1);
	if (!(replicas >= minimumWorkers)) problems.push(`${WORKER_SERVICE}: needs at least ${minimumWorkers} replicas (has ${replicas})`);
	const dependsOn = worker.depends_on;
	for (const dependency of [DB_SERVICE, REDIS_SERVICE]) {
		if (field(field(dependsOn, dependency), 'condition') !== 'service_healthy') problems.push(`${WORKER_SERVICE}: must wait for ${dependency} to be healthy`);
	}
	return problems;
}

export function allProductionProblems(document: unknown, n8nVersion: string): ComposeProblem[] {
	return [
		...restartAndLogging(document),
		...healthChecks(document),
		...pinnedImages(document, n8nVersion),
		...persistentVolumes(document),
		...executionPruning(document),
		...queueProfile(document),
	];
}
