/**
 * The monitor stack (monitorStack.ts) with the Monitor published on n8n's HTTP server, so its
 * gateway event webhooks (issue 20) answer: the Autorecovery gateway events credential with a
 * secret for every source, the bot's Evolution instance webhook pointed at the Monitor, and
 * helpers to POST events signed as each gateway signs them and to read the tracker's state
 * from the state store n8n writes (files in its folder, n8n on SQLite). For the e2e tests and
 * the benchmark.
 */
import path from 'node:path';

import type { TrackerState } from '../../nodes/shared/incident/types';
import { createFileStore } from '../../nodes/shared/stateStore/fileStore';
import { STATE_FOLDER_NAME } from '../../nodes/shared/stateStore/selectStore';
import type { GatewaySource } from '../../nodes/shared/gatewayEvents/types';
import { CREDENTIALS, WORKFLOW_IDS } from '../../scripts/workflows/ids';
import { EVENT_PATH } from '../../scripts/workflows/monitorEvents';
import { hubSignature256, wahaHmac } from '../emulators/whatsapp/webhooks/signing';
import { MONITOR_WEBHOOKS, startMonitorStack, type MonitorStack, type Settings } from './monitorStack';
import type { WorkflowJson } from './testN8n';

/** The event secrets the stack configures (test values). */
export const EVENT_SECRETS = {
	evolutionToken: 'e2e-evolution-events-token-not-real',
	wahaHmacKey: 'e2e-waha-hmac-key-not-real',
	metaAppSecret: 'e2e-meta-app-secret-not-real',
} as const;
export const STATUS_PAGE_LOGIN = { user: 'owner', password: 'e2e-status-not-real' } as const;

const TRACKER_KEY = `${WORKFLOW_IDS.monitor}.incidentTracker`;

export interface EventAnswer {
	status: number;
	json: Record<string, unknown>;
	/** When the request was sent and when its answer was read (epoch ms). */
	sentAt: number;
	answeredAt: number;
}

export interface GatewayEventStack {
	stack: MonitorStack;
	/** n8n's URL (`<base>/webhook/autorecovery-events/<source>`). */
	base: string;
	eventUrl(source: GatewaySource): string;
	/** The headers that authenticate `bodyText` as `source` sends it (token, WAHA's HMAC, Meta's signature). */
	authHeaders(source: GatewaySource, bodyText: string): Record<string, string>;
	/** POSTs the body as is, with these headers only (no authentication added). */
	post(source: GatewaySource, bodyText: string, headers: Record<string, string>): Promise<EventAnswer>;
	/** POSTs the body authenticated as its gateway would. */
	send(source: GatewaySource, bodyText: string): Promise<EventAnswer>;
	/** The Incident Tracker's state as n8n stored it. */
	trackerState(): Promise<TrackerState | undefined>;
	/** Changes the stored tracker state through the same atomic update n8n uses (a test's setup, e.g. an unspent budget). */
	editTrackerState(edit: (state: TrackerState) => TrackerState): Promise<void>;
	/** The Recover workflow's executions, newest first (at most 250). */
	recoverRuns(): Promise<Array<{ id: string; startedAt: string }>>;
	close(): Promise<void>;
}

export interface GatewayEventStackOptions {
	monitorSettings?: Settings;
	/** More workflows to import and publish with the Monitor (e.g. a benchmark's baseline webhook). */
	extraWorkflows?: WorkflowJson[];
}

/** Polls until `probe` gives a value (not undefined or false), every 100 ms. */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 90_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

export async function startGatewayEventStack(options: GatewayEventStackOptions = {}): Promise<GatewayEventStack> {
	const stack = await startMonitorStack({
		...(options.monitorSettings ? { monitorSettings: options.monitorSettings } : {}),
		extraCredentials: [
			{ ...CREDENTIALS.gatewayEvents, type: 'autorecoveryGatewayEventsApi', data: { evolutionToken: EVENT_SECRETS.evolutionToken, wahaHmacKey: EVENT_SECRETS.wahaHmacKey, metaAppSecret: EVENT_SECRETS.metaAppSecret, metaVerifyToken: '' } },
			{ ...CREDENTIALS.webhookToken, type: 'httpHeaderAuth', data: { name: 'X-Autorecovery-Token', value: 'e2e-api-token-not-real' } },
			{ ...CREDENTIALS.statusPage, type: 'httpBasicAuth', data: { ...STATUS_PAGE_LOGIN } },
		],
		extraWorkflows: options.extraWorkflows ?? [],
		publish: [...MONITOR_WEBHOOKS, ...(options.extraWorkflows ?? []).map((workflow) => workflow.id)],
		n8nApiCredential: true,
	});
	try {
		const { env } = stack;
		const base = env.n8n.url;
		const eventUrl = (source: GatewaySource) => `${base}/webhook/${EVENT_PATH}/${source}`;

		const post = async (source: GatewaySource, bodyText: string, headers: Record<string, string>): Promise<EventAnswer> => {
			const sentAt = Date.now();
			const response = await fetch(eventUrl(source), { method: 'POST', body: bodyText, headers: { 'content-type': 'application/json', ...headers }, signal: AbortSignal.timeout(60_000) });
			const text = await response.text();
			const answeredAt = Date.now();
			let json: Record<string, unknown> = {};
			try {
				json = JSON.parse(text) as Record<string, unknown>;
			} catch {
				// n8n's own answers may be plain text.
			}
			return { status: response.status, json, sentAt, answeredAt };
		};
		const authHeaders = (source: GatewaySource, bodyText: string): Record<string, string> => {
			switch (source) {
				case 'evolution':
					return { 'x-autorecovery-token': EVENT_SECRETS.evolutionToken };
				case 'waha':
					return { 'x-webhook-hmac': wahaHmac(EVENT_SECRETS.wahaHmacKey, bodyText), 'x-webhook-hmac-algorithm': 'sha512' };
				case 'meta':
					return { 'x-hub-signature-256': hubSignature256(EVENT_SECRETS.metaAppSecret, bodyText) };
			}
		};
		// Published webhooks register just after the server says it is ready: an unauthenticated POST then answers 401, not 404.
		await until('the event webhooks', async () => ((await post('evolution', '{}', {})).status === 404 ? undefined : true), 60_000);
		// The product's URL as a per-instance webhook of the bot's Evolution instance, with our token in its headers.
		const set = await fetch(`${stack.evolution.url}/webhook/set/ventas`, {
			method: 'POST',
			headers: { apikey: stack.evolution.state.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ webhook: { enabled: true, url: eventUrl('evolution'), headers: { 'x-autorecovery-token': EVENT_SECRETS.evolutionToken }, byEvents: false, events: ['CONNECTION_UPDATE'] } }),
		});
		if (set.status !== 201) throw new Error(`Evolution /webhook/set answered ${set.status}`);
		const openStore = () => createFileStore({ folder: path.join(env.userFolder, '.n8n', STATE_FOLDER_NAME), waitMs: 30_000 });

		return {
			stack,
			base,
			eventUrl,
			authHeaders,
			post,
			send: (source, bodyText) => post(source, bodyText, authHeaders(source, bodyText)),
			async trackerState() {
				const store = openStore();
				try {
					return await store.read<TrackerState>(TRACKER_KEY);
				} finally {
					await store.close();
				}
			},
			async editTrackerState(edit) {
				const store = openStore();
				try {
					await store.update<TrackerState, null>(TRACKER_KEY, (current) => {
						if (!current) throw new Error('the tracker has stored no state yet');
						return { next: edit(structuredClone(current)), result: null };
					});
				} finally {
					await store.close();
				}
			},
			recoverRuns: () => env.n8n.executions({ workflowId: WORKFLOW_IDS.recover, limit: 250 }),
			close: () => stack.close(),
		};
	} catch (error) {
		await stack.close();
		throw error;
	}
}
