/**
 * The monitor loop in queue mode: a real Postgres (the shop's database and, beside it,
 * n8n's own), a real Redis, the emulated WhatsApp gateway, payment providers, LLMs and
 * Slack, a real SMTP server, and n8n as a main process plus workers. The shipped workflows
 * are imported with the Monitor's Schedule Trigger every `tickSeconds` and published, so
 * the main process schedules the ticks and the workers run them: nothing here drives a tick.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Client } from 'pg';

import type { WorkflowJson } from '../../../scripts/workflows/builder';
import { WORKFLOW_IDS } from '../../../scripts/workflows/ids';
import type { Emulator } from '../../../dev/emulators/core/emulator';
import { receivedSlackMessages, type SlackState } from '../../../dev/emulators/alerts/slack';
import { mercadoPagoDefaults } from '../../../dev/emulators/payments/mercadopago';
import { payPalDefaults } from '../../../dev/emulators/payments/paypal';
import type { EvolutionState } from '../../../dev/emulators/whatsapp/evolution';
import { startPostgres, type PostgresHarness } from '../../../dev/stack/postgres';
import { applySchema } from '../../../dev/stack/schema';
import { seedCatalog } from '../../../dev/stack/seed';
import { startSmtp, type SmtpHarness } from '../../../dev/stack/smtp';
import { ALERT_CHANNELS, channelSecrets, LLM_KEYS, monitorCredentials, shippedWith, SMTP_PASSWORD, startMonitorEmulators, type Settings } from '../../../dev/n8n/monitorStack';
import { createQueueCluster, type QueueCluster } from './queueN8n';
import { startRedis, type RedisServer } from './queueRedis';

export interface QueueStack {
	pg: PostgresHarness;
	db: Client;
	/** A client on n8n's own database (workflow static data, executions). */
	n8nDb: Client;
	redis: RedisServer;
	smtp: SmtpHarness;
	evolution: Emulator<EvolutionState>;
	slack: Emulator<SlackState>;
	cluster: QueueCluster;
	/** Every secret value the stack configured (for "written nowhere" checks). */
	secrets: string[];
	slackTexts(): string[];
	close(): Promise<void>;
}

/** The schedule that starts the Monitor's ticks (Autorecovery: Triggers'), every `seconds` instead of every 5 minutes. */
export function withTickEvery(workflows: WorkflowJson[], seconds: number): WorkflowJson[] {
	return workflows.map((workflow) => {
		if (workflow.id !== WORKFLOW_IDS.triggers) return workflow;
		const nodes = workflow.nodes.map((node) =>
			node.type === 'n8n-nodes-base.scheduleTrigger' ? { ...node, parameters: { rule: { interval: [{ field: 'seconds', secondsInterval: seconds }] } } } : node,
		);
		if (!nodes.some((node) => node.type === 'n8n-nodes-base.scheduleTrigger')) throw new Error('Autorecovery: Triggers has no Schedule Trigger to patch');
		return { ...workflow, nodes };
	});
}

/**
 * The Monitor's server probes with a load limit no machine reaches: the test machine is
 * shared (its load per core is often above the default limits), and a host incident is
 * not what this test is about.
 */
type Closer = () => Promise<unknown>;

export async function startQueueStack(options: { tickSeconds: number; workers: number; workerConcurrency: number; monitorSettings?: Settings }): Promise<QueueStack> {
	// Everything started is registered at once, so a failure half-way still cleans up.
	const closers: Closer[] = [];
	const closeAll = async () => {
		for (const close of closers.reverse()) await close().catch(() => undefined);
	};
	try {
		const pg = await startPostgres();
		closers.push(() => pg.stop());
		const db = await pg.connect();
		closers.push(() => db.end());
		await applySchema(db);
		await seedCatalog(db, { products: 300, seed: 4 });
		const n8nDatabase = await pg.createDatabase();
		const n8nDb = await pg.connect(n8nDatabase.name);
		closers.push(() => n8nDb.end());
		const redis = await startRedis();
		closers.push(() => redis.stop());
		const smtp = await startSmtp({ user: 'alerts', password: SMTP_PASSWORD });
		closers.push(() => smtp.stop());
		const emulators = await startMonitorEmulators();
		closers.push(() => emulators.close());
		const { evolution, mercadopago, paypal, groq, openai, anthropic, slack } = emulators;
		const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-host-'));
		closers.push(async () => fs.rmSync(hostDir, { recursive: true, force: true }));

		const cluster = await createQueueCluster({ database: n8nDatabase, redis });
		closers.push(() => cluster.stop());
		const { main } = cluster;
		const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-import-'));
		closers.push(async () => fs.rmSync(scratch, { recursive: true, force: true }));
		const credentialsFile = path.join(scratch, 'credentials.json');
		fs.writeFileSync(
			credentialsFile,
			JSON.stringify(monitorCredentials({ pg, smtp, evolution, mercadopago, paypal, groq, openai, anthropic, slack })),
		);
		await main.importCredentials(credentialsFile);
		fs.rmSync(credentialsFile);

		// Its own lock folder, shared by its main process and workers (the default, the system temp folder, is every stack's).
		const monitorSettings: Settings = { confirmDelaySeconds: 1, hostPaths: hostDir, lockFolder: path.join(hostDir, 'locks'), n8nUrl: main.url, executionBaseUrl: main.url, language: 'en', ...options.monitorSettings };
		const workflows = withTickEvery(shippedWith(monitorSettings, ALERT_CHANNELS), options.tickSeconds);
		const workflowDir = path.join(scratch, 'workflows');
		fs.mkdirSync(workflowDir);
		for (const workflow of workflows) fs.writeFileSync(path.join(workflowDir, `${workflow.id}.json`), JSON.stringify({ ...workflow, active: false }));
		await main.importWorkflows(workflowDir);
		// Published before the main process starts, so it schedules the Monitor at start-up.
		// On Postgres the CLI runs can overlap (each boots n8n for a few seconds).
		await Promise.all([WORKFLOW_IDS.recover, WORKFLOW_IDS.alert, WORKFLOW_IDS.errorHandler, WORKFLOW_IDS.monitor].map((id) => main.publishWorkflow(id)));
		// The schedule is Autorecovery: Triggers', which calls the Monitor: published after it.
		await main.publishWorkflow(WORKFLOW_IDS.triggers);

		// The database is migrated by now (the CLI runs did it), so the workers and the main
		// process can start together; ticks enqueued before a worker is ready wait in Redis.
		// allSettled: nothing is still starting when a failure triggers the clean-up.
		const started = await Promise.allSettled([cluster.startWorkers(options.workers, options.workerConcurrency), main.start()]);
		for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;

		return {
			pg,
			db,
			n8nDb,
			redis,
			smtp,
			evolution,
			slack,
			cluster,
			secrets: [pg.connection.password, ...channelSecrets(slack), mercadoPagoDefaults.productionToken, payPalDefaults.clientSecret, ...Object.values(LLM_KEYS)],
			slackTexts: () => receivedSlackMessages(slack).map((message) => String(message.text ?? '')),
			close: closeAll,
		};
	} catch (error) {
		await closeAll();
		throw error;
	}
}
