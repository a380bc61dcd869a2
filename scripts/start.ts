/**
 * `npm start`: a local n8n with this package and its workflows, on SQLite, with its
 * user folder inside the project. Safe to run again: it re-imports only what changed.
 *
 *  1. reads and validates `.env` (see `.env.example`);
 *  2. provisions the pinned n8n on first run (N8N_VERSION overrides the pin);
 *  3. builds this package and links it as a community package;
 *  4. imports the shipped workflows and the credentials described by `.env`;
 *  5. publishes the workflows meant to run, starts n8n, creates the owner account
 *     and an API key (for the recovery log), and prints the editor URL.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { credentialsFromEnv, validateCredentialEnv } from './lib/credentialsFromEnv';
import { documentedKeys, EnvFileError, readEnvFile } from './lib/envFile';
import { BuildError, buildPackage, serveUntilStopped, untilSignal } from './lib/localN8n';
import { N8nInstance, type OwnerAccount } from './lib/n8nInstance';
import { localUserFolder, n8nVersion, PROJECT_ROOT } from './lib/paths';
import { isPortFree } from './lib/ports';
import { provisionN8n } from './lib/provision';
import { hashOf, inPublishOrder, listShippedWorkflows, readLedger, writeLedger } from './lib/shippedWorkflows';

class StartError extends Error {}

const say = (line: string) => console.log(`[autorecovery] ${line}`);

function loadSettings(): Record<string, string> {
	const envFile = process.env.AUTORECOVERY_ENV_FILE || path.join(PROJECT_ROOT, '.env');
	let fileEnv: Record<string, string>;
	try {
		fileEnv = readEnvFile(envFile);
	} catch (error) {
		if (error instanceof EnvFileError) throw new StartError(`${error.message}\nFix ${envFile} (see .env.example) and run again.`);
		throw error;
	}
	const known = documentedKeys(path.join(PROJECT_ROOT, '.env.example'));
	for (const key of Object.keys(fileEnv)) {
		if (known.size > 0 && !known.has(key)) say(`warning: ${key} in ${path.basename(envFile)} is not a known setting (typo?)`);
	}
	// Real environment variables win over the file, as with every dotenv tool.
	const settings: Record<string, string> = { ...fileEnv };
	for (const key of known) if (process.env[key] !== undefined) settings[key] = process.env[key] as string;
	const problems = validateCredentialEnv(settings);
	const port = settings.N8N_PORT;
	if (port !== undefined && port !== '' && !(/^\d+$/.test(port) && Number(port) > 0 && Number(port) < 65536)) {
		problems.push(`N8N_PORT must be a port number (1-65535), got "${port}"`);
	}
	if (problems.length > 0) throw new StartError(`${envFile} has invalid settings:\n  - ${problems.join('\n  - ')}`);
	return settings;
}

function readOrCreateSecret(file: string, make: () => string): string {
	if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
	const value = make();
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
	return value;
}

function ownerFrom(settings: Record<string, string>, userFolder: string): OwnerAccount {
	const password =
		settings.N8N_OWNER_PASSWORD ||
		// n8n wants 8+ characters with a digit and an upper-case letter.
		readOrCreateSecret(path.join(userFolder, 'owner-password'), () => `Ar9${crypto.randomBytes(9).toString('base64url')}`);
	return {
		email: settings.N8N_OWNER_EMAIL || 'admin@autorecovery.local',
		password,
		firstName: 'Autorecovery',
		lastName: 'Admin',
	};
}

async function importChanged(n8n: N8nInstance, settings: Record<string, string>, userFolder: string): Promise<string[]> {
	const ledgerFile = path.join(userFolder, 'autorecovery-imports.json');
	const ledger = readLedger(ledgerFile);
	const workflows = listShippedWorkflows(settings.AUTORECOVERY_WORKFLOWS_DIR || path.join(PROJECT_ROOT, 'workflows'));
	for (const workflow of workflows) {
		if (ledger.workflows[workflow.id] === workflow.hash) continue;
		const action = ledger.workflows[workflow.id] ? 'updating' : 'importing';
		say(`${action} workflow "${workflow.name}"`);
		await n8n.importWorkflows(workflow.file);
		ledger.workflows[workflow.id] = workflow.hash;
		writeLedger(ledgerFile, ledger);
	}
	const credentials = credentialsFromEnv(settings);
	const changed = credentials.filter((c) => ledger.credentials[c.id] !== hashOf(c));
	if (changed.length > 0) {
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'autorecovery-creds-'));
		const file = path.join(tmp, 'credentials.json');
		try {
			fs.writeFileSync(file, JSON.stringify(changed), { mode: 0o600 });
			say(`importing credentials from .env: ${changed.map((c) => c.name).join(', ')}`);
			await n8n.importCredentials(file);
		} finally {
			fs.rmSync(tmp, { recursive: true, force: true });
		}
		for (const credential of changed) ledger.credentials[credential.id] = hashOf(credential);
		writeLedger(ledgerFile, ledger);
	}
	return inPublishOrder(workflows.filter((w) => w.publish)).map((w) => w.id);
}

async function main(): Promise<void> {
	const settings = loadSettings();
	const port = Number(settings.N8N_PORT || 5678);
	if (!(await isPortFree(port))) {
		throw new StartError(
			`port ${port} is already in use (another n8n, or a previous \`npm start\` still running?).\n` +
				'Stop it, or set N8N_PORT in .env to a free port, and run again.',
		);
	}
	const version = settings.N8N_VERSION || n8nVersion();
	const runtime = await provisionN8n(version, say);

	await buildPackage(say);

	const userFolder = settings.AUTORECOVERY_N8N_USER_FOLDER || localUserFolder();
	fs.mkdirSync(userFolder, { recursive: true });
	const encryptionKey =
		settings.N8N_ENCRYPTION_KEY ||
		readOrCreateSecret(path.join(userFolder, 'encryption-key'), () => crypto.randomBytes(24).toString('base64url'));
	const n8n = new N8nInstance({
		runtime,
		userFolder,
		port,
		encryptionKey,
		env: settings.GENERIC_TIMEZONE ? { GENERIC_TIMEZONE: settings.GENERIC_TIMEZONE } : {},
	});
	n8n.linkPackage();

	// The recovery log reads n8n's own history through its API: the key made on the first run is reused.
	const apiKeyFile = path.join(userFolder, 'api-key');
	if (!settings.AUTORECOVERY_N8N_API_KEY && fs.existsSync(apiKeyFile)) settings.AUTORECOVERY_N8N_API_KEY = fs.readFileSync(apiKeyFile, 'utf8').trim();
	if (!settings.AUTORECOVERY_N8N_API_URL) settings.AUTORECOVERY_N8N_API_URL = `http://127.0.0.1:${port}/api/v1`;
	const toPublish = await importChanged(n8n, settings, userFolder);
	for (const id of toPublish) {
		const result = await n8n.cli(['publish:workflow', `--id=${id}`]);
		if (result.code !== 0) say(`warning: could not publish workflow ${id}; open it in the editor to finish its set-up`);
	}

	say(`starting n8n ${version} on port ${port} (log: ${n8n.logFile})`);
	await n8n.start();
	const owner = ownerFrom(settings, userFolder);
	await n8n.ensureOwner(owner);
	if (!fs.existsSync(apiKeyFile)) {
		fs.writeFileSync(apiKeyFile, `${await n8n.createApiKey('autorecovery recovery log')}\n`, { mode: 0o600 });
	}
	if (!settings.AUTORECOVERY_N8N_API_KEY) {
		// First run: the key exists only now; its credential is imported into the running n8n.
		settings.AUTORECOVERY_N8N_API_KEY = fs.readFileSync(apiKeyFile, 'utf8').trim();
		await importChanged(n8n, settings, userFolder);
	}

	console.log('');
	say(`n8n is ready: http://localhost:${port}`);
	say(`log in as ${owner.email} (password: ${settings.N8N_OWNER_PASSWORD ? 'as set in .env' : `in ${path.join(userFolder, 'owner-password')}`})`);
	say('press Ctrl+C to stop');

	// Run until Ctrl+C (or until n8n dies), then stop n8n and let the process exit.
	await serveUntilStopped(n8n, untilSignal(), say);
	await n8n.stop();
}

main().catch((error: unknown) => {
	if (error instanceof StartError || error instanceof BuildError) {
		console.error(`[autorecovery] cannot start: ${error.message}`);
	} else {
		console.error(`[autorecovery] unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
	}
	process.exit(1);
});
