/**
 * `npm run demo`: the whole thing on one machine in about two minutes, nothing to
 * configure. Starts an embedded Postgres with a sample catalog, the emulated WhatsApp
 * gateway, payment providers, LLMs and Slack, an SMTP catcher, and an n8n of its own
 * (`.demo/n8n`) with the shipped workflows pointed at all of it and the Monitor ticking
 * every DEMO_TICK_SECONDS. Alerts and recoveries are printed as they arrive; break
 * things with `npm run chaos -- <fault>` in another terminal. Ctrl+C stops everything.
 *
 * Settings (all optional): DEMO_TICK_SECONDS (30), DEMO_CONFIRM_SECONDS (5),
 * DEMO_N8N_PORT (5679), DEMO_EMULATORS_BASE_PORT (3900), DEMO_SMTP_PORT (2525) — 0 picks
 * a free port —, DEMO_LANGUAGE (en|es), DEMO_DIR (.demo).
 */
import fs from 'node:fs';
import path from 'node:path';

import { STACK } from '../dev/emulators/stack';
import { toConnectionString } from '../dev/stack/postgres';
import { startAlertFeed } from './lib/demo/alertFeed';
import { DemoConfigError, fixedPorts, portsTakenMessage, readDemoConfig, stateFileOf, type DemoConfig } from './lib/demo/config';
import { evolutionDefaults } from '../dev/emulators/whatsapp/evolution';
import { DEMO_CANARY_NUMBER, DEMO_INSTANCE, demoCredentialEnv } from './lib/demo/demoEnv';
import { DEMO_OWNER, demoUserFolder, startDemoN8n } from './lib/demo/demoN8n';
import { startDemoStack } from './lib/demo/demoStack';
import { FAULTS } from './lib/demo/faults';
import { mailboxDir } from './lib/demo/mailbox';
import { API_PATHS } from './workflows/monitorApi';
import { WEBHOOK_TOKEN_HEADER } from './lib/credentialsFromEnv';
import { DemoStateError, NoDemoRunningError, readDemoState, removeDemoState, writeDemoState } from './lib/demo/state';
import { BuildError, buildPackage, serveUntilStopped } from './lib/localN8n';
import { n8nVersion, PROJECT_ROOT } from './lib/paths';
import { freePort, isPortFree } from './lib/ports';
import { provisionN8n } from './lib/provision';
import { DEMO_SALES_BOT_PATH } from './workflows/demoSalesBot';
import { WORKFLOW_IDS } from './workflows/ids';

class DemoError extends Error {}

/** The canary's reply timeout in the demo: well under its tick, so a silent bot shows up in one tick. */
const DEMO_REPLY_TIMEOUT_SECONDS = 20;
const DEMO_SLOW_REPLY_SECONDS = 10;

const botMessageUrl = (n8nPort: number) => `http://127.0.0.1:${n8nPort}/webhook/${DEMO_SALES_BOT_PATH}`;

/** Evolution's `POST /webhook/set` for the bot's instance: customers' messages go to "Demo: Sales Bot". */
async function setBotWebhook(evolutionUrl: string, url: string): Promise<void> {
	const response = await fetch(`${evolutionUrl}/webhook/set/${DEMO_INSTANCE}`, {
		method: 'POST',
		headers: { apikey: evolutionDefaults.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify({ webhook: { enabled: true, url, events: ['MESSAGES_UPSERT'] } }),
		signal: AbortSignal.timeout(10_000),
	});
	if (!response.ok) throw new DemoError(`the Evolution emulator refused the bot's webhook: HTTP ${response.status}`);
}

const ADMIN_NUMBER = '5215599999999';
const ALERT_EMAIL = { to: 'owner@shop.local', from: 'bot@shop.local' };

const say = (line: string) => console.log(`[demo] ${line}`);

type Closer = () => Promise<void>;
const closers: Closer[] = [];
let interrupted = false;
let requestStop: () => void = () => undefined;
const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));

function checkInterrupted(): void {
	if (interrupted) throw new DemoError('interrupted');
}

async function refuseSecondDemo(config: DemoConfig): Promise<void> {
	try {
		const running = readDemoState(stateFileOf(config.dir));
		throw new DemoError(`a demo is already running from ${config.dir} (pid ${running.pid}); stop it with Ctrl+C in its terminal, or set DEMO_DIR to another folder`);
	} catch (error) {
		if (!(error instanceof NoDemoRunningError || error instanceof DemoStateError)) throw error;
	}
	const offsets = Object.fromEntries(Object.entries(STACK).map(([name, entry]) => [name, entry.offset]));
	const taken = [];
	for (const wanted of fixedPorts(config, offsets)) if (!(await isPortFree(wanted.port))) taken.push(wanted);
	if (taken.length > 0) throw new DemoError(portsTakenMessage(taken));
}

/** dist/ is what n8n loads; build it only when missing (a fresh clone). */
async function ensureBuilt(): Promise<void> {
	if (fs.existsSync(path.join(PROJECT_ROOT, 'dist', 'nodes', 'HostResources', 'HostResources.node.js'))) return;
	await buildPackage(say);
}

async function shutdown(): Promise<void> {
	for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
}

async function main(): Promise<void> {
	const config = readDemoConfig(process.env);
	await refuseSecondDemo(config);
	const runtime = await provisionN8n(n8nVersion(), say);
	await ensureBuilt();
	checkInterrupted();

	const stack = await startDemoStack({ emulatorsBasePort: config.emulatorsBasePort, smtpPort: config.smtpPort, log: say });
	closers.push(() => stack.close());
	checkInterrupted();

	const { emulators, smtp, pg } = stack;
	const n8nPort = config.n8nPort === 0 ? await freePort() : config.n8nPort;
	// The bot's instance sends customers' messages to the example bot's webhook (answered once n8n is up).
	await setBotWebhook(emulators.evolution.url, botMessageUrl(n8nPort));
	const editorUrl = `http://localhost:${n8nPort}`;
	const demo = await startDemoN8n({
		runtime,
		dir: config.dir,
		port: n8nPort,
		workflowsDir: path.join(PROJECT_ROOT, 'workflows'),
		credentialEnv: (n8nApi) => demoCredentialEnv(stack.endpoints, n8nApi),
		patch: {
			tickSeconds: config.tickSeconds,
			monitorSettings: {
				language: config.language,
				confirmDelaySeconds: config.confirmSeconds,
				hostPaths: demoUserFolder(config.dir),
				n8nUrl: `http://127.0.0.1:${n8nPort}`,
				executionBaseUrl: editorUrl,
				// The customer's path: the canary writes to the bot ("Demo: Sales Bot" in this n8n) every tick.
				botMessageUrl: botMessageUrl(n8nPort),
				botNumber: evolutionDefaults.instances[DEMO_INSTANCE].number as string,
				canaryNumber: DEMO_CANARY_NUMBER,
				conversationReplyTimeoutSeconds: DEMO_REPLY_TIMEOUT_SECONDS,
				conversationSlowReplySeconds: DEMO_SLOW_REPLY_SECONDS,
			},
			channels: {
				sendToSlack: true,
				emailTo: ALERT_EMAIL.to,
				emailFrom: ALERT_EMAIL.from,
				whatsappAdminNumber: ADMIN_NUMBER,
			},
		},
		log: say,
	});
	closers.push(() => demo.n8n.stop());
	checkInterrupted();

	const stateFile = stateFileOf(config.dir);
	writeDemoState(stateFile, {
		pid: process.pid,
		startedAt: new Date().toISOString(),
		tickSeconds: config.tickSeconds,
		confirmSeconds: config.confirmSeconds,
		n8n: { url: demo.n8n.url, editorUrl, apiKey: demo.apiKey, ownerEmail: DEMO_OWNER.email },
		postgresUrl: toConnectionString(pg.connection),
		emulators: stack.endpoints.emulators,
		smtp: { host: smtp.host, port: smtp.port },
		evolutionInstance: DEMO_INSTANCE,
		adminNumber: ADMIN_NUMBER,
	});
	closers.push(async () => removeDemoState(stateFile));

	const feed = startAlertFeed({
		slackState: () => emulators.slack.state,
		evolutionState: () => emulators.evolution.state,
		adminNumber: ADMIN_NUMBER,
		mails: () => smtp.messages(),
		mailDir: mailboxDir(config.dir),
		// With their data: the custom data saying what each recovered and whether it fixed it (a few per tick at most).
		recoverExecutions: () => demo.n8n.executions({ workflowId: WORKFLOW_IDS.recover, includeData: true, limit: 10 }),
		editorUrl,
		print: (line) => console.log(line),
	});
	closers.push(async () => feed.stop());

	const width = Math.max(...FAULTS.map((fault) => fault.name.length));
	console.log('');
	say(`ready: n8n ${editorUrl}  (log in as ${DEMO_OWNER.email} / ${DEMO_OWNER.password})`);
	say(`  the Monitor runs every ${config.tickSeconds} s (DEMO_TICK_SECONDS); published: ${demo.published.length} workflows`);
	say('  alerts are printed below as they arrive:');
	say(`    [slack] …           the Slack emulator (${emulators.slack.url})`);
	say(`    [email → ${ALERT_EMAIL.to}] …   the SMTP catcher (${smtp.host}:${smtp.port}); each e-mail is saved to open in a browser, in ${mailboxDir(config.dir)}`);
	say(`    [whatsapp → +${ADMIN_NUMBER}] …   the admin, via the Evolution emulator (${emulators.evolution.url})`);
	say(`    [n8n] Recover …      recoveries in n8n's history: ${editorUrl}/workflow/${WORKFLOW_IDS.recover}/executions`);
	say(`  the bot's database: Postgres ${pg.connection.host}:${pg.connection.port}, database ${pg.connection.database} (connection URL in ${stateFile})`);
	const { access } = stack.endpoints;
	say(`  the status page: ${editorUrl}/webhook/${API_PATHS.status}  (log in as ${access.statusUser} / ${access.statusPassword})`);
	say(`  the manual API: curl -X POST ${editorUrl}/webhook/${API_PATHS.recovery} -H '${WEBHOOK_TOKEN_HEADER}: ${access.webhookToken}' -H 'content-type: application/json' -d '{"action":"full"}'  (docs/manual-api.md)`);
	say('  break something, in another terminal:');
	for (const fault of FAULTS) say(`    npm run chaos -- ${fault.name.padEnd(width)}   ${fault.summary}`);
	say('  Ctrl+C stops everything.');
	console.log('');

	// Until Ctrl+C (or n8n dies); the closers stop n8n and the rest.
	await serveUntilStopped(demo.n8n, stopRequested, say);
}

function onSignal(): void {
	if (interrupted) return;
	interrupted = true;
	say('stopping…');
	requestStop();
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

main()
	.catch((error: unknown) => {
		// Ctrl+C during start-up also kills the child steps (n8n CLI, npm): their errors are expected.
		if (interrupted) return;
		if (error instanceof DemoError || error instanceof DemoConfigError || error instanceof BuildError) console.error(`[demo] cannot start: ${error.message}`);
		else console.error(`[demo] unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
		process.exitCode = 1;
	})
	.finally(async () => {
		await shutdown();
		say('stopped');
		// The Postgres supervisor and emulator sockets are unref'd or closed; exit even if a timer lingers.
		process.exit(process.exitCode ?? 0);
	});
