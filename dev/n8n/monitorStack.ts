/**
 * Everything the monitor loop runs against, started for a test or a benchmark: a real
 * Postgres with a clean catalog, a real SMTP server, the emulated WhatsApp gateway,
 * payment providers, LLMs and Slack, and a real n8n server with the shipped workflows
 * imported (their Settings and Channels pointed at all this) and the sub-workflows
 * published. Ticks are driven by the caller (`tick()` = one Monitor run).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Client } from 'pg';

import type { WorkflowJson } from '../../scripts/workflows/builder';
import { CREDENTIALS, MONITOR_LOOP, WORKFLOW_IDS } from '../../scripts/workflows/ids';
import { generatedWorkflows } from '../../scripts/workflows/shipped';
import type { Emulator } from '../emulators/core/emulator';
import { createSlackEmulator, receivedSlackMessages, slackDefaults, type SlackState } from '../emulators/alerts/slack';
import { createAnthropicEmulator, type AnthropicState } from '../emulators/llm/anthropic';
import { createGroqEmulator, type GroqState } from '../emulators/llm/groq';
import { createOpenAiEmulator, type OpenAiState } from '../emulators/llm/openai';
import { createMercadoPagoEmulator, mercadoPagoDefaults, type MercadoPagoState } from '../emulators/payments/mercadopago';
import { createPayPalEmulator, payPalDefaults, type PayPalState } from '../emulators/payments/paypal';
import { createEvolutionEmulator, evolutionDefaults, type EvolutionState } from '../emulators/whatsapp/evolution';
import { startPostgres, type PostgresHarness } from '../stack/postgres';
import { applySchema } from '../stack/schema';
import { seedCatalog } from '../stack/seed';
import { startSmtp, type SmtpHarness } from '../stack/smtp';
import { createTestN8n, type CredentialJson, type RunOutput, type TestN8n } from './testN8n';

export const LLM_KEYS = { groq: 'e2e-monitor-groq-not-real', openai: 'e2e-monitor-openai-not-real', anthropic: 'e2e-monitor-anthropic-not-real' };
export const SMTP_PASSWORD = 'e2e-monitor-smtp-secret';
export const ADMIN_NUMBER = '5215599999999';

export type Settings = Record<string, string | number | boolean>;

/**
 * The host probe's load thresholds out of reach: this machine is shared and its load is
 * not what these tests are about (the host probe has its own tests, and test 13 breaks
 * the server on purpose through n8n's health URL).
 */
export function withoutLoadLimit(workflows: WorkflowJson[]): WorkflowJson[] {
	return workflows.map((workflow) => {
		if (workflow.id !== WORKFLOW_IDS.monitor) return workflow;
		const nodes = workflow.nodes.map((node) =>
			node.type === 'n8n-nodes-autorecovery.hostResources' ? { ...node, parameters: { ...node.parameters, thresholds: { loadDegradedPerCore: 1000, loadDownPerCore: 1000 } } } : node,
		);
		return { ...workflow, nodes };
	});
}

/** The shipped workflows with the Settings and Channels given (the only things a user edits). */
export function shippedWith(monitor: Settings, channels: Settings): WorkflowJson[] {
	const all = Object.values(generatedWorkflows());
	const patch = (workflow: WorkflowJson, nodeName: string, values: Settings) => {
		const node = workflow.nodes.find((candidate) => candidate.name === nodeName);
		if (!node) throw new Error(`no ${nodeName} node in ${workflow.name}`);
		const list = (node.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }).assignments;
		for (const [name, value] of Object.entries(values)) {
			const entry = list.find((assignment) => assignment.name === name);
			if (!entry) throw new Error(`no setting ${name} in ${workflow.name}`);
			entry.value = value;
		}
	};
	const monitorWorkflow = all.find((w) => w.id === WORKFLOW_IDS.monitor) as WorkflowJson;
	patch(monitorWorkflow, 'Settings', monitor);
	patch(all.find((w) => w.id === WORKFLOW_IDS.alert) as WorkflowJson, 'Channels', channels);
	// Ticks are the caller's: published Triggers (for the Monitor's webhooks) must not also start
	// ticks every 5 minutes, which would land between a test's ticks. The schedule moves to a
	// moment no test run reaches (00:00 on 1 January).
	const triggers = all.find((w) => w.id === WORKFLOW_IDS.triggers) as WorkflowJson;
	for (const node of triggers.nodes.filter((candidate) => candidate.type === 'n8n-nodes-base.scheduleTrigger')) {
		node.parameters = { rule: { interval: [{ field: 'cronExpression', expression: '0 0 1 1 *' }] } };
	}
	return withoutLoadLimit(all);
}

/**
 * The Alert workflow's Channels as a user fills them in: only where alerts go. Secrets
 * (the Slack webhook URL, SMTP password, gateway key) are in credentials.
 */
export const ALERT_CHANNELS: Settings = { sendToSlack: true, emailTo: 'owner@shop.local', emailFrom: 'bot@shop.local', whatsappAdminNumber: ADMIN_NUMBER };

/** The Slack emulator's working webhook. */
export function slackWebhookUrl(slack: { url: string }): string {
	return `${slack.url}${slackDefaults.webhookPath}`;
}

/** The Autorecovery Slack Webhook credential, pointed at the Slack emulator. */
export function slackWebhookCredential(slack: { url: string }): CredentialJson {
	return { ...CREDENTIALS.slackWebhook, type: 'autorecoverySlackWebhookApi', data: { webhookUrl: slackWebhookUrl(slack) } };
}

/** Every form of the Slack webhook secret a leak could take: the URL, its path, its secret segment. */
export function slackWebhookSecrets(slack: { url: string }): string[] {
	return [slackWebhookUrl(slack), slackDefaults.webhookPath, slackDefaults.webhookPath.split('/').at(-1) as string];
}

/** The secrets of every alert channel: Slack's webhook, the SMTP password, the WhatsApp gateway's key. */
export function channelSecrets(slack: { url: string }): string[] {
	return [...slackWebhookSecrets(slack), SMTP_PASSWORD, evolutionDefaults.apiKey];
}

/**
 * Everything the fakes received (every request to an emulator, every mail) as one text,
 * for "sent nowhere" checks of the channel secrets. Left out are only the places where a
 * channel secret is how its own service is addressed: the Slack webhook's path, and
 * Evolution's `apikey` header (the SMTP password goes in AUTH, which is not in a mail).
 */
export function fakesReceived(emulators: Omit<MonitorEmulators, 'close'>, smtp: SmtpHarness): string {
	const texts: string[] = [];
	for (const [name, emulator] of Object.entries(emulators) as Array<[string, Emulator<object>]>) {
		for (const request of emulator.requests()) {
			const headers = { ...request.headers };
			if (name === 'evolution') delete headers.apikey;
			const path = request.routeId === 'slack.incomingWebhook' ? '' : request.path;
			texts.push([request.method, path, JSON.stringify(request.query), JSON.stringify(headers), request.bodyText].join(' '));
		}
	}
	for (const mail of smtp.messages()) texts.push(mail.raw.toString('utf8'));
	return texts.join('\n');
}

/** The servers the shipped workflows' credentials point at. */
export interface CredentialTargets {
	pg: PostgresHarness;
	smtp: SmtpHarness;
	evolution: { url: string };
	mercadopago: { url: string };
	paypal: { url: string };
	groq: { url: string };
	openai: { url: string };
	anthropic: { url: string };
	slack: { url: string };
}

/** Every credential the shipped Monitor uses (fixed ids), pointed at the test stack. */
export function monitorCredentials(t: CredentialTargets): CredentialJson[] {
	const { pg, smtp, evolution, mercadopago, paypal, groq, openai, anthropic, slack } = t;
	return [
		slackWebhookCredential(slack),
		{ ...CREDENTIALS.postgres, type: 'autorecoveryPostgresApi', data: { ...pg.connection, ssl: 'disable' } },
		{ ...CREDENTIALS.smtp, type: 'smtp', data: { host: smtp.host, port: smtp.port, secure: false, user: 'alerts', password: SMTP_PASSWORD, disableStartTls: true } },
		{ ...CREDENTIALS.evolution, type: 'autorecoveryEvolutionApi', data: { baseUrl: evolution.url, apiKey: evolutionDefaults.apiKey, instance: 'ventas' } },
		{ ...CREDENTIALS.mercadopago, type: 'autorecoveryMercadoPagoApi', data: { accessToken: mercadoPagoDefaults.productionToken, environment: 'production', baseUrl: mercadopago.url } },
		{ ...CREDENTIALS.paypal, type: 'autorecoveryPayPalApi', data: { clientId: payPalDefaults.clientId, clientSecret: payPalDefaults.clientSecret, environment: 'sandbox', baseUrl: paypal.url } },
		{ ...CREDENTIALS.groq, type: 'autorecoveryGroqApi', data: { apiKey: LLM_KEYS.groq, baseUrl: groq.url } },
		{ ...CREDENTIALS.openai, type: 'autorecoveryOpenAiApi', data: { apiKey: LLM_KEYS.openai, baseUrl: `${openai.url}/v1`, organization: '' } },
		{ ...CREDENTIALS.anthropic, type: 'autorecoveryAnthropicApi', data: { apiKey: LLM_KEYS.anthropic, baseUrl: anthropic.url } },
	];
}

/** The emulators the shipped Monitor talks to; the LLMs accept the keys of `LLM_KEYS`. */
export interface MonitorEmulators {
	evolution: Emulator<EvolutionState>;
	mercadopago: Emulator<MercadoPagoState>;
	paypal: Emulator<PayPalState>;
	groq: Emulator<GroqState>;
	openai: Emulator<OpenAiState>;
	anthropic: Emulator<AnthropicState>;
	slack: Emulator<SlackState>;
	/** Stops them all. */
	close(): Promise<void>;
}

/** Starts the Monitor's emulators one after another; if one fails, those started are stopped. */
export async function startMonitorEmulators(): Promise<MonitorEmulators> {
	const started: Array<{ close(): Promise<void> }> = [];
	const start = async <S extends object>(emulator: Emulator<S>): Promise<Emulator<S>> => {
		started.push(await emulator.start());
		return emulator;
	};
	const close = async () => {
		await Promise.all(started.map((emulator) => emulator.close()));
	};
	try {
		return {
			evolution: await start(createEvolutionEmulator()),
			mercadopago: await start(createMercadoPagoEmulator()),
			paypal: await start(createPayPalEmulator()),
			groq: await start(createGroqEmulator({ apiKeys: [LLM_KEYS.groq] })),
			openai: await start(createOpenAiEmulator({ apiKeys: [LLM_KEYS.openai] })),
			anthropic: await start(createAnthropicEmulator({ apiKeys: [LLM_KEYS.anthropic] })),
			slack: await start(createSlackEmulator()),
			close,
		};
	} catch (error) {
		await close();
		throw error;
	}
}

export interface MonitorStack extends Omit<MonitorEmulators, 'close'> {
	pg: PostgresHarness;
	db: Client;
	smtp: SmtpHarness;
	env: TestN8n;
	/** Every secret value the stack configured (for "stored nowhere" checks). */
	secrets: string[];
	/** The alert channels' secrets (Slack webhook, SMTP password, gateway key). */
	channelSecrets: string[];
	/** Everything the fakes received (see fakesReceived). */
	fakesReceived(): string;
	tick(): Promise<RunOutput>;
	/** Re-imports the Monitor with other Settings (what a user does in the editor). */
	editMonitorSettings(changes: Settings): Promise<void>;
	slackTexts(): string[];
	adminMessages(): unknown[];
	executionsOf(workflowId: string): ReturnType<TestN8n['n8n']['executions']>;
	close(): Promise<void>;
}

type ImportedWorkflow = Parameters<TestN8n['importWorkflow']>[0];

/** What to publish for the Monitor's webhooks: the Monitor, then Autorecovery: Triggers, which holds them and calls it. */
export const MONITOR_WEBHOOKS = [...MONITOR_LOOP];

export interface MonitorStackOptions {
	/** Settings to change; as a function of n8n's URL for those that point at n8n itself. */
	monitorSettings?: Settings | ((n8nUrl: string) => Settings);
	/** The Monitor's workflow static data to start from (e.g. a state an older version saved). */
	monitorStaticData?: Record<string, unknown>;
	/** More credentials (beside the Monitor's) to import before n8n starts. */
	extraCredentials?: CredentialJson[];
	/** More workflows to import before n8n starts. */
	extraWorkflows?: ImportedWorkflow[];
	/**
	 * Workflows to publish besides the sub-workflows, before n8n starts: a running server
	 * registers webhooks of workflows published from the CLI only when it starts, and a
	 * restart costs tens of seconds. MONITOR_WEBHOOKS for the Monitor's webhooks.
	 */
	publish?: string[];
	/** Imports the n8n API credential (its key is made on the running server) for the Monitor's log and status readers. */
	n8nApiCredential?: boolean;
}

export async function startMonitorStack(options: MonitorStackOptions = {}): Promise<MonitorStack> {
	const pg = await startPostgres();
	const db = await pg.connect();
	await applySchema(db);
	await seedCatalog(db, { products: 300, seed: 4 });
	const smtp = await startSmtp({ user: 'alerts', password: SMTP_PASSWORD });
	const emulators = await startMonitorEmulators();
	const { evolution, mercadopago, paypal, groq, openai, anthropic, slack } = emulators;
	const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'monitor-host-'));

	// Everything is imported and published before the server starts (each CLI run costs seconds).
	const env = await createTestN8n();
	await env.importCredentials([...monitorCredentials({ pg, smtp, evolution, mercadopago, paypal, groq, openai, anthropic, slack }), ...(options.extraCredentials ?? [])]);
	// Its own lock folder: the default (the system temp folder) is shared by every n8n on the machine, and
	// e2e files run two at a time: another stack's WhatsApp recovery would hold this one's lock.
	const monitorSettings: Settings = {
		confirmDelaySeconds: 1,
		hostPaths: hostDir,
		lockFolder: path.join(hostDir, 'locks'),
		n8nUrl: env.n8n.url,
		executionBaseUrl: env.n8n.url,
		language: 'en',
		...(typeof options.monitorSettings === 'function' ? options.monitorSettings(env.n8n.url) : options.monitorSettings),
	};
	const channels = ALERT_CHANNELS;
	const workflows = shippedWith(monitorSettings, channels).map((workflow) =>
		workflow.id === WORKFLOW_IDS.monitor && options.monitorStaticData ? { ...workflow, staticData: options.monitorStaticData } : workflow,
	);
	await env.importWorkflows([...(workflows as unknown as ImportedWorkflow[]), ...(options.extraWorkflows ?? [])]);
	// Sub-workflows are called in their published version.
	await env.publishWorkflows([WORKFLOW_IDS.recover, WORKFLOW_IDS.alert, WORKFLOW_IDS.errorHandler, ...(options.publish ?? [])]);
	await env.startServer();
	if (options.n8nApiCredential) await env.importCredentials([{ ...CREDENTIALS.n8nApi, type: 'n8nApi', data: { apiKey: env.n8n.apiKey, baseUrl: `${env.n8n.url}/api/v1` } }]);

	return {
		pg,
		db,
		smtp,
		evolution,
		mercadopago,
		paypal,
		groq,
		openai,
		anthropic,
		slack,
		env,
		secrets: [pg.connection.password, ...channelSecrets(slack), mercadoPagoDefaults.productionToken, payPalDefaults.clientSecret, ...Object.values(LLM_KEYS)],
		channelSecrets: channelSecrets(slack),
		fakesReceived: () => fakesReceived({ evolution, mercadopago, paypal, groq, openai, anthropic, slack }, smtp),
		tick: () => env.execute(WORKFLOW_IDS.monitor),
		async editMonitorSettings(changes) {
			const monitor = shippedWith({ ...monitorSettings, ...changes }, channels).find((workflow) => workflow.id === WORKFLOW_IDS.monitor);
			await env.importWorkflow(monitor as unknown as ImportedWorkflow);
		},
		slackTexts: () => receivedSlackMessages(slack).map((message) => String(message.text ?? '')),
		adminMessages: () => evolution.state.sentMessages.filter((message) => JSON.stringify(message).includes(ADMIN_NUMBER)),
		executionsOf: (workflowId) => env.n8n.executions({ workflowId, includeData: true, limit: 50 }),
		async close() {
			await env.cleanup();
			await emulators.close();
			await smtp.stop();
			await db.end();
			await pg.stop();
			fs.rmSync(hostDir, { recursive: true, force: true });
		},
	};
}
