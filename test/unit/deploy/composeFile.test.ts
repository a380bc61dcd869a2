/**
 * docker-compose.yml is valid Compose (the specification's JSON schema, after the same
 * variable interpolation Docker does) and keeps its production promises (composeRules.ts);
 * the Dockerfile pins n8n and installs the package plus the tools Volume Backup runs.
 * Every rule is also shown to catch a broken copy, so none of them passes by default.
 */
import fs from 'node:fs';
import path from 'node:path';

import semver from 'semver';
import YAML from 'yaml';

import { DEFAULT_N8N_VERSION, PACKAGE_NAME } from '../../../scripts/lib/paths';
import {
	allProductionProblems,
	environmentOf,
	executionPruning,
	healthChecks,
	MAIN_SERVICE,
	persistentVolumes,
	pinnedImages,
	queueProfile,
	REDIS_SERVICE,
	restartAndLogging,
	servicesOf,
	WORKER_SERVICE,
} from './composeRules';
import { composeValidator } from './composeSpec';
import { interpolateCompose, interpolateString, MissingComposeVariableError } from './interpolate';

/** n8n's official images moved from Alpine 3.22 to 3.23 with 2.21 (n8n-io/n8n#30478). */
function alpineUnderN8nImage(version: string): string {
	return semver.gte(version, '2.21.0') ? '3.23' : '3.22';
}

const ROOT = path.resolve(__dirname, '..', '..', '..');
const composeText = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const linkScript = fs.readFileSync(path.join(ROOT, 'docker', 'link-package.sh'), 'utf8');

/** What a user puts in .env (obviously fake values). */
const ENV = { N8N_DB_PASSWORD: 'compose-test-db-password-not-real', N8N_ENCRYPTION_KEY: 'compose-test-encryption-key-not-real' };

/** Parsed like Docker does: YAML merge keys (`<<: *anchor`) resolved. */
function parseCompose(text: string = composeText): Record<string, unknown> {
	return YAML.parse(text, { merge: true }) as Record<string, unknown>;
}

/** A deep copy of the compose document, changed by `mutate`. */
function mutated(mutate: (services: Record<string, Record<string, unknown>>, document: Record<string, unknown>) => void): Record<string, unknown> {
	const copy = parseCompose();
	mutate(copy.services as Record<string, Record<string, unknown>>, copy);
	return copy;
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function dockerInstructions(text: string): string[] {
	return text
		.split('\n')
		.filter((line) => !line.trimStart().startsWith('#'))
		.join('\n')
		.split(/(?<!\\)\n/)
		.map((instruction) => instruction.replace(/\\\n\s*/g, ' ').trim())
		.filter(Boolean);
}

const validate = composeValidator();

describe('docker-compose.yml against the Compose specification', () => {
	test('is valid after interpolation with the documented .env', () => {
		const verdict = validate(interpolateCompose(parseCompose(), ENV));
		expect(verdict.errors).toEqual([]);
		expect(verdict.valid).toBe(true);
	});

	test('is valid in queue mode too (EXECUTIONS_MODE=queue)', () => {
		const document = interpolateCompose(parseCompose(), { ...ENV, EXECUTIONS_MODE: 'queue' });
		expect(validate(document).errors).toEqual([]);
		expect(environmentOf(servicesOf(document)[MAIN_SERVICE]).EXECUTIONS_MODE).toBe('queue');
	});

	test('without EXECUTIONS_MODE the main process runs executions itself', () => {
		const document = interpolateCompose(parseCompose(), ENV);
		expect(environmentOf(servicesOf(document)[MAIN_SERVICE]).EXECUTIONS_MODE).toBe('regular');
		// The worker is in queue mode whatever .env says.
		expect(environmentOf(servicesOf(document)[WORKER_SERVICE]).EXECUTIONS_MODE).toBe('queue');
	});

	test.each([
		['a misspelt service key', (services: Record<string, Record<string, unknown>>) => {
			services[MAIN_SERVICE].healtcheck = services[MAIN_SERVICE].healthcheck;
			delete services[MAIN_SERVICE].healthcheck;
		}, /\/services\/n8n: must NOT have additional properties/],
		['an unknown depends_on condition', (services: Record<string, Record<string, unknown>>) => {
			services[MAIN_SERVICE].depends_on = { postgres: { condition: 'service_ready' } };
		}, /depends_on\/postgres\/condition: must be equal to one of the allowed values/],
		['a health-check interval that is not a duration', (services: Record<string, Record<string, unknown>>) => {
			(services[REDIS_SERVICE].healthcheck as Record<string, unknown>).interval = 'every ten seconds';
		}, /healthcheck\/interval: must match format "duration"/],
		['a port mapping that is not one', (services: Record<string, Record<string, unknown>>) => {
			services[MAIN_SERVICE].ports = ['five-six-seven-eight'];
		}, /ports\/0: must match format "ports"/],
		['a service that is not an object', (services: Record<string, Record<string, unknown>>) => {
			(services as Record<string, unknown>)[REDIS_SERVICE] = 'redis:7-alpine';
		}, /\/services\/redis: must be object/],
		['an unknown top-level key', (_services: Record<string, Record<string, unknown>>, document: Record<string, unknown>) => {
			document.servics = {};
		}, /^\/: must NOT have additional properties/],
	])('rejects a copy with %s (the validator really validates)', (_what, mutate, expected) => {
		const verdict = validate(interpolateCompose(mutated(mutate), ENV));
		expect(verdict.valid).toBe(false);
		expect(verdict.errors.join('\n')).toMatch(expected);
	});
});

describe('compose variable interpolation (what Docker does before validating)', () => {
	test('the database password and the encryption key are required: compose stops with the message', () => {
		expect(() => interpolateCompose(parseCompose(), { N8N_DB_PASSWORD: ENV.N8N_DB_PASSWORD })).toThrow(MissingComposeVariableError);
		expect(() => interpolateCompose(parseCompose(), { N8N_DB_PASSWORD: ENV.N8N_DB_PASSWORD })).toThrow(/N8N_ENCRYPTION_KEY.*set N8N_ENCRYPTION_KEY in \.env/);
		expect(() => interpolateCompose(parseCompose(), { N8N_ENCRYPTION_KEY: ENV.N8N_ENCRYPTION_KEY, N8N_DB_PASSWORD: '' })).toThrow(/N8N_DB_PASSWORD/);
	});

	test.each([
		['${A:-x}', {}, 'x'],
		['${A:-x}', { A: '' }, 'x'],
		['${A-x}', { A: '' }, ''],
		['${A:+y}', { A: 'v' }, 'y'],
		['${A+y}', {}, ''],
		['$A and ${B}', { A: '1', B: '2' }, '1 and 2'],
		['$${POSTGRES_USER}', {}, '${POSTGRES_USER}'],
	])('%s with %j gives %s', (text, env, expected) => {
		expect(interpolateString(text, env)).toBe(expected);
	});

	test('${A?message} fails only when A is unset', () => {
		expect(interpolateString('${A?needed}', { A: '' })).toBe('');
		expect(() => interpolateString('${A?needed}', {})).toThrow('required variable A is missing a value: needed');
	});
});

describe('docker-compose.yml production properties', () => {
	const document = parseCompose();
	const services = servicesOf(document);

	test('keeps every promise', () => {
		expect(allProductionProblems(document, DEFAULT_N8N_VERSION)).toEqual([]);
	});

	test('has the services of both set-ups', () => {
		expect(Object.keys(services).sort()).toEqual(['n8n', 'n8n-worker', 'postgres', 'redis']);
	});

	test('pins n8n to the version the tests run against, and nothing runs :latest', () => {
		expect(services[MAIN_SERVICE].image).toBe(`n8n-autorecovery:${DEFAULT_N8N_VERSION}`);
		expect(composeText).not.toMatch(/:latest\b/);
	});

	test('in queue mode, workers share the main process\'s encryption key variable, database and Redis', () => {
		const main = environmentOf(services[MAIN_SERVICE]);
		const worker = environmentOf(services[WORKER_SERVICE]);
		expect(worker.N8N_ENCRYPTION_KEY).toBe(main.N8N_ENCRYPTION_KEY);
		expect(main.N8N_ENCRYPTION_KEY).toMatch(/^\$\{N8N_ENCRYPTION_KEY:\?/);
		expect(worker.EXECUTIONS_MODE).toBe('queue');
		expect(worker.QUEUE_BULL_REDIS_HOST).toBe(REDIS_SERVICE);
		expect(services[WORKER_SERVICE].image).toBe(services[MAIN_SERVICE].image);
	});

	type Services = Record<string, Record<string, unknown>>;
	test.each<[string, (services: Services) => void, (document: unknown) => string[], RegExp]>([
		['restart: sometimes', (s) => (s.postgres.restart = 'sometimes'), restartAndLogging, /postgres: restart must be one of/],
		['no restart policy on the worker', (s) => delete s[WORKER_SERVICE].restart, restartAndLogging, /n8n-worker: restart/],
		['logs without rotation on redis', (s) => (s.redis.logging = { driver: 'json-file' }), restartAndLogging, /redis: logging must be json-file with max-size 10m/],
		['a 100 MB log size', (s) => (s.n8n.logging = { driver: 'json-file', options: { 'max-size': '100m', 'max-file': '3' } }), restartAndLogging, /n8n: logging/],
		['no health check on redis', (s) => delete s.redis.healthcheck, (d) => healthChecks(d), /redis: needs a health check/],
		['a disabled health check on the worker', (s) => (s[WORKER_SERVICE].healthcheck = { disable: true, test: ['CMD', 'true'] }), (d) => healthChecks(d), /n8n-worker: needs a health check/],
		['n8n on :latest', (s) => (s.n8n.image = 'n8n-autorecovery:latest'), (d) => pinnedImages(d, DEFAULT_N8N_VERSION), /n8n: image n8n-autorecovery:latest must carry a pinned tag/],
		['an untagged postgres image', (s) => (s.postgres.image = 'postgres'), (d) => pinnedImages(d, DEFAULT_N8N_VERSION), /postgres: image postgres must carry a pinned tag/],
		['a missing image', (s) => delete s.redis.image, (d) => pinnedImages(d, DEFAULT_N8N_VERSION), /redis: needs an image name/],
		['another n8n version in the build', (s) => (s.n8n.build = { context: '.', args: { N8N_VERSION: '2.9.0' } }), (d) => pinnedImages(d, DEFAULT_N8N_VERSION), new RegExp(`build arg N8N_VERSION must be ${DEFAULT_N8N_VERSION.replace(/\./g, '\\.')}`)],
		['n8n data in the container only', (s) => (s.n8n.volumes = []), persistentVolumes, /n8n: \/home\/node\/\.n8n must be on a volume/],
		['the database in a bind mount', (s) => (s.postgres.volumes = ['./pgdata:/var/lib/postgresql/data']), persistentVolumes, /postgres: .* must be on a named volume/],
		['no pruning', (s) => (s.n8n.environment = { ...environmentOf(s.n8n), EXECUTIONS_DATA_PRUNE: 'false' }), executionPruning, /EXECUTIONS_DATA_PRUNE must be true/],
		['a pruning age that is not a number', (s) => (s.n8n.environment = { ...environmentOf(s.n8n), EXECUTIONS_DATA_MAX_AGE: 'two weeks' }), executionPruning, /EXECUTIONS_DATA_MAX_AGE must be a positive number/],
		['a worker with another encryption key variable', (s) => (s[WORKER_SERVICE].environment = { ...environmentOf(s[WORKER_SERVICE]), N8N_ENCRYPTION_KEY: '${WORKER_KEY}' }), (d) => queueProfile(d), /N8N_ENCRYPTION_KEY must be set and equal/],
		['a worker in regular mode', (s) => (s[WORKER_SERVICE].environment = { ...environmentOf(s[WORKER_SERVICE]), EXECUTIONS_MODE: 'regular' }), (d) => queueProfile(d), /EXECUTIONS_MODE must be queue/],
		['a worker on another image', (s) => (s[WORKER_SERVICE].image = 'n8nio/n8n:2.8.4'), (d) => queueProfile(d), /must use the main process's image/],
		['a single worker', (s) => (s[WORKER_SERVICE].deploy = { replicas: 1 }), (d) => queueProfile(d), /at least 2 replicas/],
		['redis outside the queue profile', (s) => delete s.redis.profiles, (d) => queueProfile(d), /redis: must be in the queue profile/],
		['the main process inside the queue profile', (s) => (s.n8n.profiles = ['queue']), (d) => queueProfile(d), /n8n: must not be in the queue profile/],
		['a worker that starts n8n main', (s) => (s[WORKER_SERVICE].command = ['start']), (d) => queueProfile(d), /command must be `worker`/],
		['a worker that does not wait for redis', (s) => (s[WORKER_SERVICE].depends_on = { postgres: { condition: 'service_healthy' } }), (d) => queueProfile(d), /must wait for redis/],
		['no redis at all', (s) => delete s.redis, (d) => queueProfile(d), /no redis service/],
	])('catches a copy with %s', (_what, mutate, rule, expected) => {
		expect(rule(parseCompose())).toEqual([]);
		expect(rule(mutated(mutate)).join('\n')).toMatch(expected);
	});
});

describe('Dockerfile and entrypoint', () => {
	test('pins n8n to the tested version and builds on the official image', () => {
		expect(dockerfile).toMatch(new RegExp(`^ARG N8N_VERSION=${DEFAULT_N8N_VERSION.replace(/\./g, '\\.')}$`, 'm'));
		expect(dockerfile).toMatch(/^FROM n8nio\/n8n:\$\{N8N_VERSION\}$/m);
		expect(dockerfile).not.toMatch(/:latest\b/);
	});

	test("borrows apk from the Alpine release under that n8n image", () => {
		expect(dockerfile).toMatch(new RegExp(`^ARG ALPINE_VERSION=${alpineUnderN8nImage(DEFAULT_N8N_VERSION).replace(/\./g, '\\.')}$`, 'm'));
		expect(dockerfile).toMatch(/^FROM alpine:\$\{ALPINE_VERSION\} AS apk-static$/m);
	});

	test('installs sqlite3 and the Postgres client, and the build fails when the tools are missing', () => {
		const install = dockerInstructions(dockerfile).find((instruction) => instruction.includes('apk.static add')) ?? '';
		expect(install).toMatch(/\bsqlite\b/);
		expect(install).toMatch(/\bpostgresql\d+-client\b/);
		// Volume Backup's defaults: /usr/bin/pg_dump, /usr/bin/pg_restore and sqlite3 on PATH.
		expect(install).toMatch(/\/usr\/bin\/pg_dump --version/);
		expect(install).toMatch(/\/usr\/bin\/pg_restore --version/);
		expect(install).toMatch(/sqlite3 -version/);
	});

	test('installs this package from its packed tarball (what npm publishes), outside the data volume', () => {
		expect(dockerfile).toMatch(/COPY dist /);
		expect(dockerfile).toMatch(/npm pack/);
		expect(dockerfile).toMatch(new RegExp(`npm install --omit=dev [^\\n]*${PACKAGE_NAME}-\\*\\.tgz`));
		expect(dockerfile).toMatch(/^ENTRYPOINT \["tini", "--", "\/usr\/local\/bin\/link-autorecovery"\]$/m);
		expect(dockerfile).toMatch(/^USER node$/m);
	});

	test('the entrypoint links the package into the user folder, then hands over to n8n\'s (main or worker)', () => {
		expect(linkScript).toMatch(/^#!\/bin\/sh/);
		expect(linkScript).toContain(`ln -sfn /opt/autorecovery/node_modules/${PACKAGE_NAME} /home/node/.n8n/nodes/node_modules/${PACKAGE_NAME}`);
		expect(linkScript).toMatch(/^exec \/docker-entrypoint\.sh "\$@"$/m);
		expect(fs.statSync(path.join(ROOT, 'docker', 'link-package.sh')).mode & 0o111).not.toBe(0);
	});
});
